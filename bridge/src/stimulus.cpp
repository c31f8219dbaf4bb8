// Random stimulus over a register map: legal values, selector boundaries, random orderings,
// idle gaps, driver-manual sequences interleaved, and the odd reset.
#include "tandem/stimulus.h"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

namespace {
uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(uint64_t seed) {
  for (uint64_t& s : m_s) s = splitmix64(seed);
}

uint64_t Rng::next() {
  const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
  const uint64_t t = m_s[1] << 17;
  m_s[2] ^= m_s[0];
  m_s[3] ^= m_s[1];
  m_s[1] ^= m_s[2];
  m_s[0] ^= m_s[3];
  m_s[2] ^= t;
  m_s[3] = rotl(m_s[3], 45);
  return result;
}

uint64_t Rng::below(uint64_t n) {
  // Lemire's multiply-shift with rejection: unbiased and portable.
  __uint128_t m = static_cast<__uint128_t>(next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<__uint128_t>(next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

namespace {

class RandomStimulus final : public Stimulus {
 public:
  RandomStimulus(const DeviceBinding& binding, uint64_t seed) : m_binding(binding), m_rng(seed) {
    if (binding.regmap.registers.empty())
      throw Error(fmt::format("device '{}': the register map is empty, nothing to drive", binding.name));
    for (const SelectorHint& s : binding.hints.selectors) {
      const Register* r = binding.regmap.by_name(s.reg);
      if (!r) throw Error(fmt::format("device '{}': selector hint names unknown register '{}'", binding.name, s.reg));
      m_selectors.push_back({r, s.count});
    }
  }

  Step next() override {
    if (!m_pending.empty()) {
      Step s = m_pending.front();
      m_pending.pop_front();
      return s;
    }
    const uint64_t roll = m_rng.below(1000);
    if (roll < 2) return Step::reset();
    if (roll < 120) return Step::idle(idle_gap());
    if (roll < 160 && !m_binding.hints.sequences.empty()) {
      queue_sequence();
      return next();
    }
    const Register& r = m_binding.regmap.registers[m_rng.below(m_binding.regmap.registers.size())];
    const unsigned bytes = std::max(1u, r.width / 8);
    unsigned size = bytes;
    uint64_t addr = r.offset;
    if (bytes > 1 && m_rng.chance(8)) {  // a narrower access to one of the register's lanes
      size = m_rng.chance(50) ? 1 : std::min(2u, bytes);
      addr += m_rng.below(bytes / size) * size;
    }
    if (roll < 580) return Step::read(addr, static_cast<uint8_t>(size));
    uint64_t value = register_value(r);
    if (addr != r.offset) value >>= 8 * (addr - r.offset);
    return Step::write(addr, value & size_mask(size), static_cast<uint8_t>(size));
  }

 private:
  struct Selector {
    const Register* reg;
    uint64_t count;
  };

  uint64_t idle_gap() {
    const uint64_t max_idle = std::max<uint64_t>(1, m_binding.hints.max_idle);
    if (m_rng.chance(70)) return 1 + m_rng.below(std::min<uint64_t>(8, max_idle));
    return 1 + m_rng.below(max_idle);
  }

  uint64_t selector_value(uint64_t count) {
    switch (m_rng.below(8)) {
      case 0: return 0;
      case 1: return count - 1;
      case 2: return count;          // first out-of-range value
      case 3: return count + 1;
      case 4: return ~uint64_t(0);   // all ones
      default: return m_rng.below(count);
    }
  }

  uint64_t register_value(const Register& r) {
    for (const Selector& s : m_selectors)
      if (s.reg == &r) return selector_value(s.count);
    const uint64_t width_mask = size_mask(std::max(1u, r.width / 8));
    switch (m_rng.below(10)) {
      case 0: return 0;
      case 1: return width_mask;
      case 2: return m_rng.next() & width_mask;                  // reserved bits too
      case 3: case 4: return m_rng.below(16) & r.write_mask;       // small values
      default: return m_rng.next() & r.write_mask & width_mask;
    }
  }

  // A driver-manual sequence, with its selector writes re-aimed at a random legal unit.
  void queue_sequence() {
    const SequenceHint& seq = m_binding.hints.sequences[m_rng.below(m_binding.hints.sequences.size())];
    for (Step s : seq.steps) {
      if (s.kind == StepKind::write) {
        for (const Selector& sel : m_selectors)
          if (s.addr == sel.reg->offset) s.data = m_rng.below(sel.count);
      }
      if (s.kind == StepKind::idle) s.data = 1 + m_rng.below(std::max<uint64_t>(1, s.data * 2));
      m_pending.push_back(s);
    }
  }

  const DeviceBinding& m_binding;
  Rng m_rng;
  std::vector<Selector> m_selectors;
  std::deque<Step> m_pending;
};

}  // namespace

std::vector<std::string> strategy_names() { return {"random"}; }

std::unique_ptr<Stimulus> make_stimulus(const std::string& strategy, const DeviceBinding& binding, uint64_t seed) {
  if (strategy == "random" || strategy == "all") return std::make_unique<RandomStimulus>(binding, seed);
  std::string known;
  for (const std::string& s : strategy_names()) known += (known.empty() ? "" : ", ") + s;
  throw Error(fmt::format("unknown strategy '{}' (known: {}, all)", strategy, known));
}

Program generate_program(const std::string& strategy, const DeviceBinding& binding, uint64_t seed, uint64_t steps) {
  std::unique_ptr<Stimulus> gen = make_stimulus(strategy, binding, seed);
  Program p;
  p.reserve(steps);
  for (uint64_t i = 0; i < steps; ++i) p.push_back(gen->next());
  return p;
}

}  // namespace tandem
