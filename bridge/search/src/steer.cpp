// Coverage steering: each bin coverage.cpp defines, read back from its name (the names are the
// coverage file's contract, so a file from an earlier run steers as well as a live campaign),
// as the steps that aim at it; and the stimulus that mixes those steps into a strategy's own.
#include "tandem/steer.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

namespace {

constexpr uint64_t kNearTop = 16;  // coverage.cpp's "within 16 of all ones" / "above 0"
constexpr uint64_t kPage = 4096;
constexpr uint64_t kTwo32 = uint64_t(1) << 32;
constexpr uint64_t kSteerShareOf = 4;                   // at most one step in this many is an aim's
constexpr uint64_t kSteerSeed = 0x7374656572696e67ULL;  // "steering": a stream of its own

uint64_t low_mask(unsigned width) { return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1; }

struct FieldRef {
  std::string name;
  unsigned lsb, width;
};

// A register without fields is one field named after it, as coverage plans it.
std::vector<FieldRef> fields_of(const Register& r) {
  if (r.fields.empty()) return {{r.name, 0, r.width}};
  std::vector<FieldRef> out;
  for (const Field& f : r.fields) out.push_back({f.name, f.lsb, f.width});
  return out;
}

bool after_prefix(const std::string& s, const std::string& prefix, std::string& rest) {
  if (s.compare(0, prefix.size(), prefix) != 0) return false;
  rest = s.substr(prefix.size());
  return true;
}

std::optional<uint64_t> whole_number(const std::string& s) {
  if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoull(s);
}

SteerAim aim(AimKind kind, uint64_t value, bool sure) {
  SteerAim a;
  a.kind = kind;
  a.value = value;
  a.sure = sure;
  return a;
}

SteerAim field_aim(const FieldRef& f, FieldMode mode, uint64_t bit = 0) {
  SteerAim a = aim(AimKind::field_value, bit, true);
  a.mode = mode;
  a.lsb = f.lsb;
  a.width = f.width;
  return a;
}

SteerAim field_aim(const FieldRef& f, AimKind kind, uint64_t value, bool sure) {
  SteerAim a = aim(kind, value, sure);
  a.lsb = f.lsb;
  a.width = f.width;
  return a;
}

// "F[3] written 1", "F[3] written 0" for field f.
std::optional<SteerAim> bit_aim(const FieldRef& f, const std::string& rest) {
  const size_t close = rest.find(']');
  if (close == std::string::npos) return std::nullopt;
  const std::optional<uint64_t> b = whole_number(rest.substr(0, close));
  const std::string tail = rest.substr(close);
  if (!b || *b >= f.width) return std::nullopt;
  if (tail == "] written 1") return field_aim(f, FieldMode::bit_one, *b);
  if (tail == "] written 0") return field_aim(f, FieldMode::bit_zero, *b);
  return std::nullopt;
}

// "F written 0", "F[3] written 1", "F write 1 clears a set bit", ... for field f.
std::optional<SteerAim> field_bin_aim(const FieldRef& f, const std::string& bin) {
  std::string rest;
  if (after_prefix(bin, f.name + "[", rest)) return bit_aim(f, rest);
  if (!after_prefix(bin, f.name + " ", rest)) return std::nullopt;
  if (rest == "written 0") return field_aim(f, FieldMode::zero);
  if (rest == "written all ones" || rest == "written 1") return field_aim(f, FieldMode::ones);
  if (rest == fmt::format("written within {} of all ones", kNearTop)) return field_aim(f, FieldMode::near_top);
  if (rest == fmt::format("written within {} above 0", kNearTop)) return field_aim(f, FieldMode::near_zero);
  if (rest == "second write after reset") return field_aim(f, AimKind::write_twice, 0, true);
  if (rest == "written (no effect)") return field_aim(f, AimKind::write_any, 0, true);
  if (rest == "read (write-only)") return field_aim(f, AimKind::read_any, 0, true);
  // These need the device to have set the bits first: not sure.
  if (rest == "write 1 clears a set bit") return field_aim(f, AimKind::clear_set_bit, 1, false);
  if (rest == "write 0 clears a set bit") return field_aim(f, AimKind::clear_set_bit, 0, false);
  if (rest == "read clears a set value") return field_aim(f, AimKind::read_clears, 0, false);
  return std::nullopt;
}

const char* const kReadAfter[4] = {"read after reset", "read after 0 written", "read after all ones written",
                                   "read after another value written"};

std::optional<SteerAim> register_aim(const Register& r, const std::string& bin) {
  for (uint64_t k = 0; k < 4; ++k)
    if (bin == kReadAfter[k]) return aim(AimKind::read_after, k, true);
  // The event-coincidence bins ("access ... an output edge") have no aim: timing an access
  // against the model's own edges takes the model's next_event(), which the event-edge strategy
  // asks; polling blind after a sequence cost other bins more than it gained (docs/coverage.md).
  std::string rest;
  if (after_prefix(bin, "select ", rest)) {
    if (rest == "all ones") return aim(AimKind::select, low_mask(r.width), true);
    if (const std::optional<uint64_t> v = whole_number(rest.substr(0, rest.find(' '))))
      return aim(AimKind::select, *v, true);
  }
  for (const FieldRef& f : fields_of(r))
    if (std::optional<SteerAim> a = field_bin_aim(f, bin)) return a;
  return std::nullopt;
}

std::optional<SteerAim> irq_aim(const DeviceBinding& b, const std::string& bin) {
  for (const std::string& line : b.hints.irq_lines) {
    if (bin == line + " raised") return aim(AimKind::irq, 0, false);
    if (bin == line + " cleared") return aim(AimKind::irq, 1, false);
  }
  return std::nullopt;
}

std::optional<SteerAim> reset_aim(const std::string& bin) {
  if (bin == "reset after a write (mid-operation)") return aim(AimKind::reset_after_write, 0, true);
  if (bin == "reset with an interrupt raised") return aim(AimKind::reset_after_sequence, 0, false);
  if (bin == "reset with DMA in flight") return aim(AimKind::reset_after_sequence, 1, false);
  return std::nullopt;
}

// The DMA bins: an address the engine should reach, or a descriptor word to write.
std::optional<SteerAim> dma_aim(const DmaHint& d, const std::string& bin) {
  const std::pair<const char*, uint64_t> reach[] = {
      {"access in the descriptor region", d.desc_base},
      {"access to the descriptor region's last 8 bytes", d.desc_base + d.desc_size - 8},
      {"access in the buffer region", d.buffer_base},
      {"access to the buffer region's last 8 bytes", d.buffer_base + d.buffer_size - 8},
      {"access outside the hint regions", d.buffer_base + d.buffer_size + kPage},
      {"access within 4 KiB below 2^32", kTwo32 - 64},
      {"access at or above 2^32", kTwo32},
      {"access within 4 KiB below 2^64", ~uint64_t(0) - 63},
  };
  for (const auto& r : reach)
    if (bin == r.first) return aim(AimKind::dma_value, r.second, false);
  if (bin == "descriptor word written within 4 KiB below 2^32") return aim(AimKind::desc_word, 32, true);
  if (bin == "descriptor word written within 4 KiB below 2^64") return aim(AimKind::desc_word, 64, true);
  return std::nullopt;
}

std::optional<SteerAim> device_aim(const DeviceBinding& b, const std::string& group, const std::string& bin) {
  if (group == "irq") return irq_aim(b, bin);
  if (group == "reset") return reset_aim(bin);
  if (group == "dma" && b.hints.has_dma()) return dma_aim(b.hints.dma, bin);
  return std::nullopt;
}

std::optional<SteerAim> aim_at(const DeviceBinding& b, const CoverageBin& bin) {
  const Register* r = b.regmap.by_name(bin.group);
  std::optional<SteerAim> a = r ? register_aim(*r, bin.name) : device_aim(b, bin.group, bin.name);
  if (!a) return std::nullopt;
  a->group = bin.group;
  a->bin = bin.name;
  if (r) a->reg = static_cast<size_t>(r - b.regmap.registers.data());
  return a;
}

// ---------------------------------------------------------------------------- the steps of an aim

// Expands aims into steps with its own generator, so the base strategy's stream is untouched.
class AimExpander {
 public:
  AimExpander(const DeviceBinding& binding, Rng& rng) : m_binding(binding), m_rng(rng) {
    for (const SequenceHint& s : binding.hints.sequences) m_sequences.push_back(&s);
    for (const SequenceHint& s : binding.hints.dma.setups) m_sequences.push_back(&s);
  }

  void expand(const SteerAim& a, std::deque<Step>& out) {
    switch (a.kind) {
      case AimKind::field_value: return write_read(a.reg, field_value(a), out);
      case AimKind::read_after: return read_after(a, out);
      case AimKind::select: return write_read(a.reg, a.value, out);
      case AimKind::clear_set_bit: return clear_set_bit(a, out);
      case AimKind::read_clears:
        sequence(out);
        out.push_back(read(a.reg));
        out.push_back(Step::idle(1 + m_rng.below(8)));
        return out.push_back(read(a.reg));
      case AimKind::write_twice: out.push_back(write(a.reg, any_value(a.reg))); [[fallthrough]];
      case AimKind::write_any: return out.push_back(write(a.reg, any_value(a.reg)));
      case AimKind::read_any: return out.push_back(read(a.reg));
      case AimKind::irq:
        sequence(out);
        if (a.value == 1) out.push_back(Step::reset());  // a reset lowers every line
        return;
      case AimKind::reset_after_write: {
        const size_t r = m_rng.below(m_binding.regmap.registers.size());
        out.push_back(write(r, any_value(r)));
        return out.push_back(Step::reset());
      }
      case AimKind::reset_after_sequence: return reset_after_sequence(a.value == 1, out);
      case AimKind::dma_value: return dma_value(a.value, out);
      case AimKind::desc_word: return desc_word(a.value, out);
    }
  }

 private:
  const Register& reg(size_t i) const { return m_binding.regmap.registers[i]; }
  static uint8_t size_of(const Register& r) { return static_cast<uint8_t>(std::min(8u, std::max(1u, r.width / 8))); }
  uint64_t width_mask(size_t i) const { return size_mask(size_of(reg(i))) & low_mask(reg(i).width); }
  Step read(size_t i) const { return Step::read(reg(i).offset, size_of(reg(i))); }
  Step write(size_t i, uint64_t v) const { return Step::write(reg(i).offset, v & width_mask(i), size_of(reg(i))); }
  uint64_t any_value(size_t i) { return m_rng.next() & reg(i).write_mask; }

  void write_read(size_t i, uint64_t v, std::deque<Step>& out) const {
    out.push_back(write(i, v));
    out.push_back(read(i));  // the value, seen at once
  }

  // The register with the field at the aim's value and its other writable bits at random.
  uint64_t field_value(const SteerAim& a) {
    const uint64_t ones = low_mask(a.width);
    uint64_t v = 0;
    switch (a.mode) {
      case FieldMode::zero: v = 0; break;
      case FieldMode::ones: v = ones; break;
      case FieldMode::bit_one: v = (m_rng.next() & ones) | (uint64_t(1) << a.value); break;
      case FieldMode::bit_zero: v = m_rng.next() & ones & ~(uint64_t(1) << a.value); break;
      case FieldMode::near_top: v = ones - m_rng.below(std::min(kNearTop, ones)); break;
      case FieldMode::near_zero: v = 1 + m_rng.below(std::min(kNearTop, ones)); break;
    }
    const uint64_t field = ones << a.lsb;
    return (any_value(a.reg) & ~field) | ((v << a.lsb) & field);
  }

  void read_after(const SteerAim& a, std::deque<Step>& out) {
    const uint64_t all = width_mask(a.reg);
    switch (a.value) {
      case 0: out.push_back(Step::reset()); break;
      case 1: out.push_back(write(a.reg, 0)); break;
      case 2: out.push_back(write(a.reg, all)); break;
      default: {
        uint64_t v = m_rng.next() & all;
        if (v == 0 || v == all) v = all & 1;  // a width of one bit has no other value
        out.push_back(write(a.reg, v));
      }
    }
    out.push_back(read(a.reg));
  }

  void clear_set_bit(const SteerAim& a, std::deque<Step>& out) {
    sequence(out);
    const uint64_t field = low_mask(a.width) << a.lsb;
    out.push_back(read(a.reg));
    out.push_back(write(a.reg, a.value == 1 ? field : width_mask(a.reg) & ~field));
  }

  // One of the hints' sequences (DMA setups included), its selector writes aimed at a legal
  // unit and its waits kept, so the operation it starts gets to raise what it raises.
  void sequence(std::deque<Step>& out) {
    if (m_sequences.empty()) return;
    const SequenceHint* seq = m_sequences[m_rng.below(m_sequences.size())];
    for (Step s : seq->steps) {
      if (s.kind == StepKind::write)
        for (const SelectorHint& sel : m_binding.hints.selectors) {
          const Register* r = m_binding.regmap.by_name(sel.reg);
          if (r && s.addr == r->offset && sel.count > 0) s.data = m_rng.below(sel.count);
        }
      out.push_back(s);
    }
  }

  void reset_after_sequence(bool dma_in_flight, std::deque<Step>& out) {
    if (dma_in_flight && !m_binding.hints.dma.setups.empty()) {
      const std::vector<SequenceHint>& setups = m_binding.hints.dma.setups;
      for (const Step& s : setups[m_rng.below(setups.size())].steps) out.push_back(s);
      out.push_back(Step::idle(1 + m_rng.below(8)));
    } else {
      sequence(out);
    }
    out.push_back(Step::reset());
  }

  // A DMA setup with one of its words (a descriptor word in memory or a register it writes,
  // never the final start) replaced by `target`: an address operand, if that word is one,
  // sends the engine there.
  void dma_value(uint64_t target, std::deque<Step>& out) {
    const std::vector<SequenceHint>& setups = m_binding.hints.dma.setups;
    if (setups.empty()) return;
    Program p = setups[m_rng.below(setups.size())].steps;
    std::vector<size_t> words;
    for (size_t k = 0; k + 1 < p.size(); ++k)
      if ((p[k].kind == StepKind::mem_write || p[k].kind == StepKind::write) && p[k].size >= 4) words.push_back(k);
    if (!words.empty()) {
      Step& s = p[words[m_rng.below(words.size())]];
      const bool high_half = s.size == 4 && m_rng.chance(25);
      s.data = (high_half ? target >> 32 : target) & size_mask(s.size);
    }
    out.insert(out.end(), p.begin(), p.end());
  }

  void desc_word(uint64_t near, std::deque<Step>& out) {
    const DmaHint& d = m_binding.hints.dma;
    if (d.desc_size < 8) return;
    const uint64_t below = 8 * (1 + m_rng.below(kPage / 8));
    const uint64_t value = near == 32 ? kTwo32 - below : ~uint64_t(0) - below + 1;
    out.push_back(Step::mem_write(d.desc_base + 8 * m_rng.below(d.desc_size / 8), value, 8));
  }

  const DeviceBinding& m_binding;
  Rng& m_rng;
  std::vector<const SequenceHint*> m_sequences;
};

// ---------------------------------------------------------------------------- the stimulus

class SteeredStimulus final : public Stimulus {
 public:
  SteeredStimulus(std::unique_ptr<Stimulus> base, const DeviceBinding& binding,
                  std::shared_ptr<const Steering> steering, uint64_t seed)
      : m_base(std::move(base)), m_steering(std::move(steering)), m_rng(seed ^ kSteerSeed), m_expander(binding, m_rng),
        m_tries(m_steering->aims.size(), 0) {
    for (size_t i = 0; i < m_steering->aims.size(); ++i) m_order.push_back(i);
    for (size_t i = m_order.size(); i > 1; --i) std::swap(m_order[i - 1], m_order[m_rng.below(i)]);
    // The sure aims first: a few steps each hit their bins, where an unsure aim spends tens of
    // steps on a chance.
    std::stable_partition(m_order.begin(), m_order.end(), [&](size_t i) { return m_steering->aims[i].sure; });
  }

  Step next() override {
    ++m_emitted;
    if (!m_pending.empty()) return pop();
    if (!m_order.empty() && m_steered * kSteerShareOf < m_emitted && m_rng.below(kSteerOneIn) == 0) {
      aim_next();
      if (!m_pending.empty()) return pop();
    }
    return m_base->next();
  }

 private:
  Step pop() {
    ++m_steered;
    Step s = m_pending.front();
    m_pending.pop_front();
    return s;
  }

  void aim_next() {
    m_cursor %= m_order.size();
    const size_t i = m_order[m_cursor];
    const SteerAim& aim = m_steering->aims[i];
    m_expander.expand(aim, m_pending);
    if (++m_tries[i] >= (aim.sure ? kSureTries : kUnsureTries))
      m_order.erase(m_order.begin() + static_cast<std::ptrdiff_t>(m_cursor));
    else
      ++m_cursor;
  }

  std::unique_ptr<Stimulus> m_base;
  std::shared_ptr<const Steering> m_steering;
  Rng m_rng;
  AimExpander m_expander;
  std::vector<size_t> m_order;  // aims still aimed at, in a seeded order
  std::vector<unsigned> m_tries;
  size_t m_cursor = 0;
  std::deque<Step> m_pending;
  uint64_t m_emitted = 0, m_steered = 0;
};

}  // namespace

Steering steering_toward(const DeviceBinding& binding, const DeviceCoverage& covered) {
  const DeviceCoverage plan = coverage_plan(binding);
  if (plan.bins.size() != covered.bins.size())
    throw Error(fmt::format("device {}: the coverage has {} bins, its map {} (another build of its map)", binding.name,
                            covered.bins.size(), plan.bins.size()));
  Steering s;
  s.device = binding.name;
  for (size_t i = 0; i < plan.bins.size(); ++i) {
    const CoverageBin& b = covered.bins[i];
    if (b.group != plan.bins[i].group || b.name != plan.bins[i].name)
      throw Error(fmt::format("device {}: bin {} is '{}: {}', its map's '{}: {}' (another build of its map)",
                              binding.name, i, b.group, b.name, plan.bins[i].group, plan.bins[i].name));
    if (b.hits > 0) continue;
    ++s.unhit;
    if (std::optional<SteerAim> a = aim_at(binding, b))
      s.aims.push_back(std::move(*a));
    else
      s.unaimed.push_back(b.group + ": " + b.name);
  }
  return s;
}

std::unique_ptr<Stimulus> steer_stimulus(std::unique_ptr<Stimulus> base, const DeviceBinding& binding,
                                         std::shared_ptr<const Steering> steering, uint64_t seed) {
  if (!steering || steering->aims.empty()) return base;
  return std::make_unique<SteeredStimulus>(std::move(base), binding, std::move(steering), seed);
}

std::unique_ptr<Stimulus> job_stimulus(const DeviceBinding& binding, const Job& job) {
  return steer_stimulus(make_stimulus(job.strategy, binding, job.seed), binding, job.steering, job.seed);
}

Program job_program(const DeviceBinding& binding, const Job& job, uint64_t steps) {
  std::unique_ptr<Stimulus> gen = job_stimulus(binding, job);
  Program p;
  p.reserve(steps);
  for (uint64_t i = 0; i < steps; ++i) p.push_back(gen->next());
  return p;
}

}  // namespace tandem
