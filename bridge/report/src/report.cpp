// Text and JSON reports.
#include "tandem/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tandem {

namespace {
std::string hex(uint64_t v) { return fmt::format("{:#010x}", v); }

nlohmann::json divergence_json(const Divergence& d) {
  return {{"kind", kind_name(d.kind)},
          {"step", d.step},
          {"cycle", d.cycle},
          {"register", d.reg},
          {"rtl", d.rtl},
          {"model", d.model},
          {"detail", d.detail},
          {"replay", d.replay.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.replay)}};
}

template <typename T>
nlohmann::json optional_json(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json waiver_json(const Waiver& w) {
  return {{"where", w.where},
          {"device", w.device},
          {"kind", kind_name(w.kind)},
          {"register", w.reg.empty() ? nlohmann::json(nullptr) : nlohmann::json(w.reg)},
          {"field", w.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(w.field)},
          {"bits", optional_json(w.bits)},
          {"rtl", optional_json(w.rtl)},
          {"model", optional_json(w.model)},
          {"when", w.when ? nlohmann::json(w.when->text) : nlohmann::json(nullptr)},
          {"reason", w.reason},
          {"expires", w.expires.empty() ? nlohmann::json(nullptr) : nlohmann::json(w.expires)}};
}

void add_waiver_keys(nlohmann::json& j, const RunRecord& r) {
  nlohmann::json waived = nlohmann::json::array();
  for (const WaivedDivergences& w : r.waived)
    waived.push_back({{"waiver", waiver_json(w.waiver)}, {"count", w.count}, {"first", divergence_json(w.first)}});
  j["waived"] = std::move(waived);
  nlohmann::json unused = nlohmann::json::array();
  for (const Waiver& w : r.unused_waivers) unused.push_back(waiver_json(w));
  j["unused_waivers"] = std::move(unused);
  if (!r.keep_going) return;
  nlohmann::json distinct = nlohmann::json::array();
  for (const DistinctDivergence& d : r.distinct) {
    nlohmann::json e = divergence_json(d.first);
    e["field"] = d.signature.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.signature.field);
    e["bits"] = optional_json(d.signature.bits);
    e["count"] = d.count;
    e["first_step"] = d.first_step;
    distinct.push_back(std::move(e));
  }
  j["distinct"] = std::move(distinct);
}

// "read_data ID.REV" / "read_data ID bits 0x200" / "irq irq": a signature as one phrase.
std::string signature_text(const Waiver& w) {
  std::string out = kind_name(w.kind);
  if (!w.reg.empty()) out += " " + w.reg;
  if (!w.field.empty()) out += "." + w.field;
  if (w.bits) out += fmt::format(" bits {:#x}", *w.bits);
  return out;
}
}  // namespace

std::string format_divergence(const Divergence& d, const DeviceBinding& binding) {
  std::string out = fmt::format("{}: {} divergence at step {}, cycle {}, register {}\n", binding.name,
                                kind_name(d.kind), d.step, d.cycle, d.reg);
  out += fmt::format("  RTL:   {}\n  model: {}\n", hex(d.rtl), hex(d.model));
  out += fmt::format("  {}\n", d.detail);
  if (!d.recent.empty()) {
    out += "  last steps:\n";
    const uint64_t first = d.step + 1 - d.recent.size();
    for (size_t i = 0; i < d.recent.size(); ++i) {
      const bool last = i + 1 == d.recent.size();
      out += fmt::format("  {} {:>8}  {}\n", last ? ">" : " ", first + i, format_step(d.recent[i]));
    }
  }
  if (!d.replay.empty()) out += fmt::format("  replay: {}\n", d.replay);
  return out;
}

std::string format_summary(const std::vector<RunRecord>& runs) {
  std::string out = fmt::format("{:<26} {:<8} {:>6} {:>9} {:>11} {:>9} {:>9} {:>11} {:>8}  {}\n", "device", "strategy",
                                "seed", "steps", "cycles", "reads", "writes", "irq_checks", "seconds", "result");
  unsigned diverged = 0, failed = 0;
  for (const RunRecord& r : runs) {
    std::string result = "ok";
    if (r.keep_going && !r.distinct.empty()) {
      ++diverged;
      result = fmt::format("DIVERGED {} distinct", r.distinct.size());
    } else if (r.divergence) {
      ++diverged;
      result = fmt::format("DIVERGED {} at step {} ({})", kind_name(r.divergence->kind), r.divergence->step,
                           r.divergence->reg);
    } else if (!r.failure.empty()) {
      ++failed;
      result = "FAILED: " + r.failure;
    }
    if (r.fuzz_inputs > 0)
      result += fmt::format(" ({} fuzz inputs, {:.0f}/s)", r.fuzz_inputs,
                            r.seconds > 0 ? double(r.fuzz_inputs) / r.seconds : 0.0);
    if (r.interrupted) result += " (interrupted: a partial run)";
    out += fmt::format("{:<26} {:<8} {:>6} {:>9} {:>11} {:>9} {:>9} {:>11} {:>8.2f}  {}\n", r.job.device,
                       r.job.strategy, r.job.seed, r.stats.steps, r.stats.cycles, r.stats.reads, r.stats.writes,
                       r.stats.irq_checks, r.seconds, result);
  }
  out += fmt::format("{} runs, {} diverged, {} failed\n", runs.size(), diverged, failed);
  out += format_waived(runs);
  return out;
}

std::string format_waived(const std::vector<RunRecord>& runs) {
  std::string out;
  for (const RunRecord& r : runs) {
    const std::string run = fmt::format("{} {} seed {}", r.job.device, r.job.strategy, r.job.seed);
    for (const WaivedDivergences& w : r.waived)
      out += fmt::format("waived: {}: {} x {} at {} by {} ({}); first at step {}, cycle {}\n", run, w.count,
                         kind_name(w.first.kind), w.first.reg, w.waiver.where, w.waiver.reason, w.first.step,
                         w.first.cycle);
    for (const Waiver& w : r.unused_waivers)
      out += fmt::format("unused waiver: {}: {} ({}) matched nothing\n", w.where, signature_text(w), run);
  }
  return out;
}

std::string runs_json(const std::vector<RunRecord>& runs, bool interrupted) {
  nlohmann::json arr = nlohmann::json::array();
  for (const RunRecord& r : runs) {
    nlohmann::json j;
    j["job"] = r.job.index;
    j["device"] = r.job.device;
    j["strategy"] = r.job.strategy;
    j["seed"] = r.job.seed;
    j["steps"] = r.stats.steps;
    j["cycles"] = r.stats.cycles;
    j["compared"] = {{"reads", r.stats.reads},
                     {"writes", r.stats.writes},
                     {"irq_checks", r.stats.irq_checks},
                     {"dma_accesses", r.stats.dma_accesses}};
    j["seconds"] = r.seconds;
    if (r.fuzz_inputs > 0) j["fuzz_inputs"] = r.fuzz_inputs;
    if (r.divergence) {
      const Divergence& d = *r.divergence;
      j["divergence"] = divergence_json(d);
    } else {
      j["divergence"] = nullptr;
    }
    if (!r.failure.empty()) j["failure"] = r.failure;
    add_waiver_keys(j, r);
    if (r.interrupted) j["interrupted"] = true;
    arr.push_back(std::move(j));
  }
  nlohmann::json report{{"runs", arr}};
  if (interrupted) report["interrupted"] = true;
  return report.dump(2);
}

namespace {
nlohmann::json attack_object(const DeviceAttack& a) {
  const AttackReport& r = a.report;
  nlohmann::json j{{"device", a.device},
                   {"reference", a.reference},
                   {"states", r.states},
                   {"tried", r.tried},
                   {"refused", r.refused}};
  j["divergence"] = r.divergence ? divergence_json(*r.divergence) : nlohmann::json(nullptr);
  if (r.divergence) j["mutation"] = r.mutation;
  return j;
}
}  // namespace

std::string runs_json(const std::vector<RunRecord>& runs, bool interrupted, const std::vector<DeviceAttack>& attacks) {
  nlohmann::json report = nlohmann::json::parse(runs_json(runs, interrupted));
  nlohmann::json arr = nlohmann::json::array();
  for (const DeviceAttack& a : attacks) arr.push_back(attack_object(a));
  report["restore_attacks"] = std::move(arr);
  return report.dump(2);
}

std::string attack_json(const DeviceAttack& attack) { return attack_object(attack).dump(2); }

std::string format_attack(const DeviceAttack& a) {
  const AttackReport& r = a.report;
  if (!r.divergence)
    return fmt::format("restore attack {}: clean ({} saved states, {} mutated states offered, {} refused)\n", a.device,
                       r.states, r.tried, r.refused);
  const Divergence& d = *r.divergence;
  return fmt::format("restore attack {}: DIVERGENCE in field {}: {}\n", a.device, d.reg, d.detail);
}

std::string devices_json(const std::vector<DeviceBinding>& devices) {
  nlohmann::json arr = nlohmann::json::array();
  for (const DeviceBinding& d : devices) {
    nlohmann::json regs = nlohmann::json::array();
    for (const Register& r : d.regmap.registers)
      regs.push_back({{"name", r.name}, {"offset", r.offset}, {"width", r.width}, {"reset", r.reset}});
    arr.push_back({{"name", d.name}, {"bus", d.bus}, {"data_width", d.data_width}, {"registers", regs}});
  }
  return nlohmann::json{{"devices", arr}}.dump(2);
}

}  // namespace tandem
