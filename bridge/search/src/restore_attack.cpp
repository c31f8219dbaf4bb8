// Restore attacks: probing restored models against invariants, and differential attacks of
// a model's restore against a reference model's.
#include "tandem/restore_attack.h"
#include "tandem/model_executor.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/stimulus.h"

namespace tandem {

namespace {

uint64_t width_mask(unsigned width) { return width >= 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * width)) - 1; }

uint64_t get_le(const std::vector<uint8_t>& b, size_t at, unsigned width) {
  uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) v |= uint64_t(b[at + i]) << (8 * i);
  return v;
}

std::string field_of(const std::string& reason) { return reason.substr(0, reason.find(':')); }

// Boundary values: small indices and counts around powers of two, all-ones, huge cycles.
constexpr uint64_t kValues[] = {0,  1,  2,  3,   4,   5,     7,     8,          9,          15,         16,
                                17, 32, 33, 255, 256, 65535, 65536, 0xffffffff, 1ull << 32, 1ull << 62, ~0ull};
constexpr unsigned kElementSizes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 30};

std::string restore_into(Device& model, const std::vector<uint8_t>& state) {
  StateReader in(state);
  return model.restore(in);
}

std::vector<uint8_t> save_of(const Device& model) {
  StateWriter w;
  model.save(w);
  return std::move(w.bytes);
}

}  // namespace

std::vector<uint8_t> StateMutation::apply(const std::vector<uint8_t>& state) const {
  std::vector<uint8_t> out = state;
  if (kind == Kind::set) {
    for (unsigned i = 0; i < width && offset + i < out.size(); ++i) out[offset + i] = uint8_t(value >> (8 * i));
    return out;
  }
  if (offset + 4 > out.size()) return out;
  const uint64_t count = get_le(out, offset, 4);
  if (value <= count) return out;
  const size_t first = offset + 4;
  std::vector<uint8_t> elem(element, 0);
  if (count >= 1 && first + element <= out.size()) std::copy_n(out.begin() + long(first), element, elem.begin());
  const size_t at = std::min(out.size(), first + size_t(count) * element);
  std::vector<uint8_t> extra;
  for (uint64_t i = count; i < value; ++i) extra.insert(extra.end(), elem.begin(), elem.end());
  out.insert(out.begin() + long(at), extra.begin(), extra.end());
  for (unsigned i = 0; i < 4; ++i) out[offset + i] = uint8_t(value >> (8 * i));
  return out;
}

std::string StateMutation::describe() const {
  if (kind == Kind::set) return fmt::format("{}-byte value at state byte {} set to {:#x}", width, offset, value);
  return fmt::format("count at state byte {} grown to {} ({}-byte elements appended)", offset, value, element);
}

std::vector<StateMutation> state_mutations(const std::vector<uint8_t>& state) {
  std::vector<StateMutation> out;
  for (size_t at = 0; at < state.size(); ++at) {
    for (unsigned width : {1u, 4u, 8u}) {
      if (at + width > state.size()) continue;
      const uint64_t current = get_le(state, at, width);
      std::set<uint64_t> seen;
      for (uint64_t v : kValues) {
        const uint64_t x = v & width_mask(width);
        if (x == current || !seen.insert(x).second) continue;
        out.push_back({StateMutation::Kind::set, at, width, x, 0});
      }
    }
  }
  for (size_t at = 0; at + 4 <= state.size(); ++at) {
    const uint64_t count = get_le(state, at, 4);
    if (count > 64) continue;
    for (unsigned e : kElementSizes) {
      if (at + 4 + count * e > state.size()) continue;
      for (uint64_t target : {count + 1, uint64_t(17), uint64_t(33)})
        if (target > count) out.push_back({StateMutation::Kind::grow, at, 4, target, e});
    }
  }
  return out;
}

// The bits of the irq word a model may set: its interrupt lines (one when it declares none),
// then its output pins (docs/pins.md). `lines` is how many bits that is.
static uint32_t allowed_irq_bits(const DeviceBinding& binding, size_t& lines) {
  lines = binding.hints.irq_lines.empty() ? 1 : binding.hints.irq_lines.size();
  if (!binding.hints.pins.empty())
    lines = std::max<size_t>(lines,
                             binding.hints.irq_lines.size() +
                                 lay_out_pins(binding.name, binding.hints.irq_lines, binding.hints.pins).output_bits);
  return lines >= 32 ? ~0u : (1u << lines) - 1;
}

std::string check_restored_model(const DeviceBinding& binding, Device& model, const std::vector<uint8_t>& state) {
  size_t lines = 0;
  const uint32_t allowed = allowed_irq_bits(binding, lines);
  if (const uint32_t irq = model.irq(); irq & ~allowed)
    return fmt::format("interrupt lines {:#x} beyond the {} declared", irq, lines);
  const std::vector<uint8_t> again = save_of(model);
  if (again != state)
    return fmt::format(
        "saving the accepted state gives other bytes ({} in, {} out): restore kept something "
        "other than what it accepted",
        state.size(), again.size());
  std::unique_ptr<Device> fresh = binding.make_model();
  if (const std::string why = restore_into(*fresh, again); !why.empty())
    return "a fresh instance refuses the accepted state once saved again: " + why;
  return "";
}

ProbeResult probe_restore(const DeviceBinding& binding, const std::vector<uint8_t>& state,
                          const ProbeOptions& options) {
  ProbeResult r;
  ModelExecutor exec(binding);
  r.reason = exec.restore_model(state, options.start);
  if (!r.reason.empty()) return r;
  r.accepted = true;
  // The invariants on a model restored alone: the executor's may have moved on already (a
  // device whose line model hears its output pins is brought up to the executor's clock).
  std::unique_ptr<Device> alone = binding.make_model();
  if (const std::string why = restore_into(*alone, state); !why.empty()) {
    r.violation = "a fresh instance refuses the state the executor's model accepted: " + why;
    return r;
  }
  r.violation = check_restored_model(binding, *alone, state);
  if (!r.violation.empty()) return r;
  // Selector registers hold an index: it must be within the instances they select among.
  const unsigned bus_bytes = binding.data_bytes();
  for (const SelectorHint& sel : binding.hints.selectors) {
    const Register* reg = binding.regmap.by_name(sel.reg);
    if (!reg) continue;
    const unsigned bytes = std::min(bus_bytes, std::max(1u, reg->width / 8));
    const StepResult v = exec.execute(Step::read(reg->offset, uint8_t(bytes)));
    if (!v.error && v.data >= sel.count) {
      r.violation =
          fmt::format("{} reads {:#x} after the restore: an index beyond its {} instances", sel.reg, v.data, sel.count);
      return r;
    }
  }
  size_t lines = 0;
  const uint32_t allowed = allowed_irq_bits(binding, lines);
  std::unique_ptr<Stimulus> stimulus = make_stimulus(options.strategy, binding, options.seed);
  for (; r.steps < options.steps; ++r.steps) {
    const Step s = stimulus->next();
    exec.execute(s);
    if (const uint32_t irq = exec.irq(); irq & ~allowed) {
      r.violation = fmt::format("step {} ({}): interrupt lines {:#x} beyond the {} declared", r.steps, format_step(s),
                                irq, lines);
      return r;
    }
  }
  // What the model became must still be a state it accepts (apart from the cycle: the probe's
  // clock starts where the models' accepted range ends).
  const std::vector<uint8_t> end = save_of(exec.model());
  std::unique_ptr<Device> fresh = binding.make_model();
  if (const std::string why = restore_into(*fresh, end); !why.empty() && why.rfind("cycle:", 0) != 0)
    r.violation = fmt::format("after {} steps the model refuses its own state: {}", r.steps, why);
  return r;
}

AttackReport attack_restore(const DeviceBinding& subject, const DeviceBinding& reference,
                            const AttackOptions& options) {
  AttackReport report;
  // States saved along a lockstep run: each is one the hardware was in at that step.
  Lockstep source(reference);
  std::unique_ptr<Stimulus> stimulus = make_stimulus(options.strategy, reference, options.seed);
  Rng rng(options.seed ^ 0x5a5a5a5a5a5a5a5aULL);
  std::set<uint64_t> points;
  for (unsigned i = 0; i < options.snapshots && options.steps > 0; ++i) points.insert(1 + rng.below(options.steps));
  ModelExecutor subject_exec(subject), reference_exec(reference);
  for (uint64_t step = 1; step <= options.steps && !source.diverged(); ++step) {
    source.execute(stimulus->next());
    if (source.diverged()) break;
    if (!points.count(step)) continue;
    const std::vector<uint8_t> saved = save_of(source.model());
    ++report.states;
    for (const StateMutation& m : state_mutations(saved)) {
      const std::vector<uint8_t> mutated = m.apply(saved);
      if (mutated == saved) continue;
      ++report.tried;
      const std::string ref = restore_into(reference_exec.model(), mutated);
      const std::string sub = restore_into(subject_exec.model(), mutated);
      if (!sub.empty()) ++report.refused;
      if (ref.empty() == sub.empty()) continue;
      Divergence d;
      d.kind = DivergenceKind::restore;
      d.step = step;
      d.cycle = source.now();
      d.reg = field_of(ref.empty() ? sub : ref);
      d.rtl = ref.empty();
      d.model = sub.empty();
      d.detail =
          ref.empty()
              ? fmt::format("the model refuses a saved state its reference accepts ({}); state saved at step {}, {}",
                            sub, step, m.describe())
              : fmt::format("the model accepts a saved state its reference refuses ({}); state saved at step {}, {}",
                            ref, step, m.describe());
      report.divergence = std::move(d);
      report.state = mutated;
      report.mutation = m.describe();
      return report;
    }
  }
  return report;
}

const DeviceBinding& restore_reference(const Catalog& catalog, const std::string& name) {
  const size_t dot = name.find('.');
  if (dot != std::string::npos) {
    for (const DeviceBinding& d : catalog.devices())
      if (d.name == name.substr(0, dot)) return d;
  }
  return catalog.get(name);
}

AttackOptions campaign_attack_options(uint64_t seed) {
  AttackOptions o;
  o.seed = seed;
  o.steps = 1000;
  o.snapshots = 4;
  return o;
}

DeviceAttack attack_device(const Catalog& catalog, const std::string& device, const AttackOptions& options) {
  const DeviceBinding& subject = catalog.get(device);
  const DeviceBinding& reference = restore_reference(catalog, device);
  return {subject.name, reference.name, attack_restore(subject, reference, options)};
}

}  // namespace tandem
