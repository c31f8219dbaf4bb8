// Text and JSON reports.
#include "tandem/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tandem {

namespace {
std::string hex(uint64_t v) { return fmt::format("{:#010x}", v); }
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
    if (r.divergence) {
      ++diverged;
      result = fmt::format("DIVERGED {} at step {} ({})", kind_name(r.divergence->kind), r.divergence->step,
                           r.divergence->reg);
    } else if (!r.failure.empty()) {
      ++failed;
      result = "FAILED: " + r.failure;
    }
    if (r.interrupted) result += " (interrupted: a partial run)";
    out += fmt::format("{:<26} {:<8} {:>6} {:>9} {:>11} {:>9} {:>9} {:>11} {:>8.2f}  {}\n", r.job.device,
                       r.job.strategy, r.job.seed, r.stats.steps, r.stats.cycles, r.stats.reads, r.stats.writes,
                       r.stats.irq_checks, r.seconds, result);
  }
  out += fmt::format("{} runs, {} diverged, {} failed\n", runs.size(), diverged, failed);
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
    if (r.divergence) {
      const Divergence& d = *r.divergence;
      j["divergence"] = {{"kind", kind_name(d.kind)},
                         {"step", d.step},
                         {"cycle", d.cycle},
                         {"register", d.reg},
                         {"rtl", d.rtl},
                         {"model", d.model},
                         {"detail", d.detail},
                         {"replay", d.replay.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.replay)}};
    } else {
      j["divergence"] = nullptr;
    }
    if (!r.failure.empty()) j["failure"] = r.failure;
    if (r.interrupted) j["interrupted"] = true;
    arr.push_back(std::move(j));
  }
  nlohmann::json report{{"runs", arr}};
  if (interrupted) report["interrupted"] = true;
  return report.dump(2);
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
