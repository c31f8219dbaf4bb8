// Stimulus over a register map and the binding's hints. `random`: legal values, selector
// boundaries, random orderings, idle gaps, driver-manual sequences interleaved, and the odd
// reset; for bus-master devices (Hints::dma) also guest-memory writes. `race`: descriptors
// rewritten while the transfer that uses them runs. `hostile`: selector boundaries, unmapped
// offsets, wrong sizes and byte lanes, reserved bits. `ordering`: driver-manual sequences with
// steps dropped, swapped and repeated, accesses while busy, resets mid-operation. `all` mixes them.
#include "tandem/stimulus.h"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "edge_stimulus.h"
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

// A guest-memory write of 1 to 8 bytes into the buffers (or, less often, the descriptors).
Step memory_write(Rng& rng, const DmaHint& dma) {
  static constexpr uint8_t kSizes[4] = {1, 2, 4, 8};
  const uint8_t size = kSizes[rng.below(4)];
  const bool desc = dma.buffer_size == 0 || rng.chance(20);
  const uint64_t base = desc ? dma.desc_base : dma.buffer_base;
  const uint64_t span = std::max<uint64_t>(1, (desc ? dma.desc_size : dma.buffer_size) / size);
  return Step::mem_write(base + rng.below(span) * size, rng.next() & size_mask(size), size);
}

class RandomStimulus final : public Stimulus {
 public:
  RandomStimulus(const DeviceBinding& binding, uint64_t seed)
      : m_binding(binding), m_rng(seed), m_dma(binding.hints.has_dma()) {
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
    // Devices without DMA hints draw exactly as they always have: their seeds keep their programs.
    if (roll < 160 && (!m_binding.hints.sequences.empty() || m_dma)) {
      queue_sequence();
      return next();
    }
    if (m_dma && roll < 200) return memory_write(m_rng, m_binding.hints.dma);
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
      case 2: return count;  // first out-of-range value
      case 3: return count + 1;
      case 4: return ~uint64_t(0);  // all ones
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
      case 2: return m_rng.next() & width_mask;  // reserved bits too
      case 3:
      case 4: return m_rng.below(16) & r.write_mask;  // small values
      default: return m_rng.next() & r.write_mask & width_mask;
    }
  }

  // A driver-manual sequence (or a DMA setup), with its selector writes re-aimed at a random
  // legal unit.
  void queue_sequence() {
    const std::vector<SequenceHint>& plain = m_binding.hints.sequences;
    const std::vector<SequenceHint>& setups = m_binding.hints.dma.setups;
    const uint64_t pick = m_rng.below(plain.size() + setups.size());
    const SequenceHint& seq = pick < plain.size() ? plain[pick] : setups[pick - plain.size()];
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
  bool m_dma;
  std::vector<Selector> m_selectors;
  std::deque<Step> m_pending;
};

// Race: a DMA setup starts a transfer, then for a window of steps the descriptors it uses are
// rewritten (and its buffers scribbled on) between short idle gaps, register reads and the odd
// register write, abort or second start. Hardware that copies a descriptor once ignores the
// rewrites of a descriptor it already holds; a model that reads it again does not.
class RaceStimulus final : public Stimulus {
 public:
  RaceStimulus(const DeviceBinding& binding, uint64_t seed)
      : m_binding(binding), m_rng(seed), m_filler(binding, seed ^ 0x7261636566696c6cULL) {
    const DmaHint& dma = binding.hints.dma;
    if (!binding.hints.has_dma())
      throw Error(fmt::format("device '{}': strategy 'race' needs DMA hints (a setup sequence)", binding.name));
    if (dma.desc_size < 8)
      throw Error(fmt::format("device '{}': the DMA hints give no descriptor region", binding.name));
  }

  Step next() override {
    if (!m_pending.empty()) {
      Step s = m_pending.front();
      m_pending.pop_front();
      return s;
    }
    if (m_window == 0) {
      if (m_rng.chance(25)) return m_filler.next();  // plain register traffic between races
      start_race();
      return next();
    }
    --m_window;
    const uint64_t roll = m_rng.below(100);
    if (roll < 40) return rewrite_descriptor();
    if (roll < 50) return memory_write(m_rng, m_binding.hints.dma);
    if (roll < 72) return Step::idle(1 + m_rng.below(m_rng.chance(80) ? 8 : 64));
    if (roll < 90) {
      const Register& r = m_binding.regmap.registers[m_rng.below(m_binding.regmap.registers.size())];
      return Step::read(r.offset, static_cast<uint8_t>(std::max(1u, r.width / 8)));
    }
    if (roll < 98) return m_filler.next();
    start_race();  // a second start while the first transfer runs
    return next();
  }

 private:
  void start_race() {
    const std::vector<SequenceHint>& setups = m_binding.hints.dma.setups;
    for (Step s : setups[m_rng.below(setups.size())].steps) {
      if (s.kind == StepKind::idle) s.data = 1 + m_rng.below(std::max<uint64_t>(1, s.data * 2));
      m_pending.push_back(s);
    }
    m_window = 8 + static_cast<unsigned>(m_rng.below(72));
  }

  // An aligned 4- or 8-byte word of the descriptor region, with a value that tends to matter:
  // lengths around the limits, addresses near the top of the address space, pointers back
  // into the descriptors (loops, misaligned next pointers) or into the buffers.
  Step rewrite_descriptor() {
    const DmaHint& dma = m_binding.hints.dma;
    const uint8_t size = m_rng.chance(50) ? 8 : 4;
    const uint64_t addr = dma.desc_base + (m_rng.below(dma.desc_size / size) * size);
    uint64_t v = 0;
    switch (m_rng.below(9)) {
      case 0: v = m_rng.next(); break;
      case 1: v = m_rng.below(64); break;
      case 2: v = m_rng.below(0x2000); break;
      case 3: v = ~uint64_t(0) - m_rng.below(0x200); break;
      case 4: v = dma.desc_base + m_rng.below(dma.desc_size); break;
      case 5: v = dma.desc_base + m_rng.below(dma.desc_size / 8) * 8; break;
      case 6: v = dma.buffer_base + m_rng.below(std::max<uint64_t>(1, dma.buffer_size)); break;
      case 7: v = uint64_t(1) << m_rng.below(64); break;
      default: v = 0; break;
    }
    return Step::mem_write(addr, v & size_mask(size), size);
  }

  const DeviceBinding& m_binding;
  Rng m_rng;
  RandomStimulus m_filler;
  std::deque<Step> m_pending;
  unsigned m_window = 0;  // race steps left after the last setup
};

// Hostile: what a driver never does and a guest attacker does first. Selector registers get
// their boundaries (0, N-1, N, N+1, 2N, all ones, a byte lane that lands above the field);
// unmapped offsets inside the completer's window are read and written; registers are accessed
// at the wrong size, at odd byte lanes, straddling into the next word, wider than the bus;
// writes set reserved bits. Between the attacks, plain random traffic (so the window
// registers behind a bad select are touched, and the effects are read back).
class HostileStimulus final : public Stimulus {
 public:
  HostileStimulus(const DeviceBinding& binding, uint64_t seed)
      : m_binding(binding), m_rng(seed ^ 0x686f7374696c6521ULL), m_filler(binding, seed ^ 0x686f7374666c6c72ULL) {
    for (const SelectorHint& s : binding.hints.selectors)
      m_selectors.push_back({binding.regmap.by_name(s.reg), s.count});
    // The window this program addresses: the completer's port, capped a little above the map
    // when the port is wide (a 32-bit PADDR need not be walked to its end).
    uint64_t top = 0;
    for (const Register& r : binding.regmap.registers)
      top = std::max<uint64_t>(top, r.offset + std::max(1u, r.width / 8));
    const uint64_t word = std::max(1u, binding.data_bytes());
    m_window = std::min<uint64_t>(binding.addr_limit(), std::max<uint64_t>(top + 0x100, 0x1000));
    m_window -= m_window % word;
    // Unmapped bus words below the top of the map (holes), then some above it.
    for (uint64_t a = 0; a < top + 4 * word && a + word <= m_window; a += word)
      if (!mapped(a, word)) m_unmapped.push_back(a);
    if (m_window >= word) m_unmapped.push_back(m_window - word);  // the last word of the window
  }

  Step next() override {
    if (!m_pending.empty()) {
      Step s = m_pending.front();
      m_pending.pop_front();
      return s;
    }
    const uint64_t roll = m_rng.below(100);
    if (roll < 35) return m_filler.next();
    if (roll < 50 && !m_selectors.empty()) return selector_attack();
    if (roll < 62) return unmapped_access();
    if (roll < 82) return odd_access();
    return reserved_write();
  }

 private:
  struct Selector {
    const Register* reg;
    uint64_t count;
  };

  bool mapped(uint64_t addr, uint64_t size) const {
    for (const Register& r : m_binding.regmap.registers) {
      const uint64_t end = r.offset + std::max(1u, r.width / 8);
      if (addr < end && r.offset < addr + size) return true;
    }
    return false;
  }

  bool fits(uint64_t addr, unsigned size) const { return addr + size <= m_window; }

  const Register& any_register() { return m_binding.regmap.registers[m_rng.below(m_binding.regmap.registers.size())]; }

  Step selector_attack() {
    const Selector& s = m_selectors[m_rng.below(m_selectors.size())];
    const unsigned bytes = std::max(1u, s.reg->width / 8);
    const uint64_t width_mask = size_mask(bytes);
    uint64_t v = 0;
    switch (m_rng.below(8)) {
      case 0: v = 0; break;
      case 1: v = s.count - 1; break;
      case 2: v = s.count; break;
      case 3: v = s.count + 1; break;
      case 4: v = 2 * s.count; break;
      case 5: v = width_mask; break;
      case 6: v = s.count + m_rng.below(256); break;
      default: {  // one byte lane of the selector, value chosen so the field lands out of range
        if (bytes > 1) {
          const unsigned lane = static_cast<unsigned>(m_rng.below(bytes));
          const uint64_t byte = lane == 0 ? (m_rng.chance(50) ? (s.count & 0xff) : 0xff) : 1 + m_rng.below(255);
          queue_readback(s.reg->offset, bytes);
          return Step::write(s.reg->offset + lane, byte, 1);
        }
        v = m_rng.below(s.count);
      }
    }
    queue_readback(s.reg->offset, bytes);
    return Step::write(s.reg->offset, v & width_mask, static_cast<uint8_t>(std::min(bytes, 8u)));
  }

  Step unmapped_access() {
    if (m_unmapped.empty()) return odd_access();
    static constexpr uint8_t kSizes[3] = {1, 2, 4};
    const uint64_t base = m_rng.chance(80) ? m_unmapped[m_rng.below(m_unmapped.size())]
                                           : m_rng.below(m_window / 4) * 4;  // anywhere in the window
    uint8_t size = kSizes[m_rng.below(3)];
    uint64_t addr = base + m_rng.below(4) / size * size;
    while (size > 1 && !fits(addr, size)) size /= 2;
    if (!fits(addr, size)) addr = base;
    if (m_rng.chance(50)) return Step::read(addr, size);
    return Step::write(addr, m_rng.next() & size_mask(size), size);
  }

  // A mapped register at the wrong size or an odd byte lane, straddling a bus word or wider
  // than the bus: the bus driver splits what the port cannot carry in one beat.
  Step odd_access() {
    const Register& r = any_register();
    const unsigned bytes = std::max(1u, r.width / 8);
    uint64_t addr = r.offset;
    uint8_t size = 1;
    switch (m_rng.below(6)) {
      case 0:
        addr += m_rng.below(std::max(1u, bytes));
        size = 1;
        break;  // any byte lane
      case 1:
        addr += 1;
        size = 2;
        break;  // lanes 1-2
      case 2:
        addr += std::max(1u, bytes) - 1;
        size = 2;
        break;  // straddles
      case 3:
        addr += 1;
        size = 4;
        break;                  // misaligned word
      case 4: size = 8; break;  // wider than the bus
      default:
        addr += m_rng.below(4);
        size = static_cast<uint8_t>(1u << m_rng.below(4));
        break;
    }
    while (size > 1 && !fits(addr, size)) size /= 2;
    if (!fits(addr, size)) {
      addr = r.offset;
      size = 1;
    }
    if (m_rng.chance(50)) return Step::read(addr, size);
    return Step::write(addr, m_rng.next() & size_mask(size), size);
  }

  // Reserved (unwritable) bits set, alone or on top of a legal value.
  Step reserved_write() {
    const Register& r = any_register();
    const unsigned bytes = std::min(8u, std::max(1u, r.width / 8));
    const uint64_t width_mask = size_mask(bytes);
    const uint64_t reserved = ~r.write_mask & width_mask;
    uint64_t v = 0;
    switch (m_rng.below(3)) {
      case 0: v = reserved; break;
      case 1: v = reserved | (m_rng.next() & r.write_mask); break;
      default: v = (m_rng.next() & reserved) | (m_rng.below(16) & r.write_mask); break;
    }
    if (m_rng.chance(50)) queue_readback(r.offset, bytes);
    return Step::write(r.offset, v & width_mask, static_cast<uint8_t>(bytes));
  }

  void queue_readback(uint64_t addr, unsigned bytes) {
    if (m_rng.chance(60) && fits(addr, bytes)) m_pending.push_back(Step::read(addr, static_cast<uint8_t>(bytes)));
  }

  const DeviceBinding& m_binding;
  Rng m_rng;
  RandomStimulus m_filler;
  std::vector<Selector> m_selectors;
  std::vector<uint64_t> m_unmapped;
  uint64_t m_window = 0;
  std::deque<Step> m_pending;
};

// Ordering: the driver manual's sequences (the binding's hints, DMA setups included), each
// time with one or two of its steps dropped, swapped or repeated, its waits cut short so the
// next accesses land while the device is busy, a second start, or a reset in the middle of the
// operation; random traffic in between. A model that assumes the manual's order meets the
// orders the hardware defines.
class OrderingStimulus final : public Stimulus {
 public:
  OrderingStimulus(const DeviceBinding& binding, uint64_t seed)
      : m_binding(binding), m_rng(seed ^ 0x6f72646572696e67ULL), m_filler(binding, seed ^ 0x6f7264666c6c7273ULL) {
    for (const SequenceHint& s : binding.hints.sequences) m_sequences.push_back(&s);
    for (const SequenceHint& s : binding.hints.dma.setups) m_sequences.push_back(&s);
    if (m_sequences.empty())
      throw Error(
          fmt::format("device '{}': strategy 'ordering' needs driver-manual sequences in its hints", binding.name));
    for (const SelectorHint& s : binding.hints.selectors)
      m_selectors.push_back({binding.regmap.by_name(s.reg), s.count});
  }

  Step next() override {
    if (!m_pending.empty()) {
      Step s = m_pending.front();
      m_pending.pop_front();
      return s;
    }
    if (m_rng.chance(20)) return m_filler.next();
    queue_mutated_sequence();
    return next();
  }

 private:
  struct Selector {
    const Register* reg;
    uint64_t count;
  };

  void queue_mutated_sequence() {
    Program p = m_sequences[m_rng.below(m_sequences.size())]->steps;
    for (Step& s : p) {
      if (s.kind == StepKind::write)
        for (const Selector& sel : m_selectors)
          if (s.addr == sel.reg->offset) s.data = m_rng.chance(90) ? m_rng.below(sel.count) : sel.count;
      // Waits: usually cut short, so what follows meets a busy device.
      if (s.kind == StepKind::idle)
        s.data = m_rng.chance(60) ? m_rng.below(4) + 1 : 1 + m_rng.below(std::max<uint64_t>(1, s.data * 2));
    }
    const unsigned edits = 1 + static_cast<unsigned>(m_rng.below(2));
    for (unsigned e = 0; e < edits && !p.empty(); ++e) {
      const size_t i = m_rng.below(p.size());
      switch (m_rng.below(7)) {
        case 0: p.erase(p.begin() + static_cast<std::ptrdiff_t>(i)); break;  // dropped
        case 1:
          if (i + 1 < p.size()) std::swap(p[i], p[i + 1]);
          break;                                                                                 // adjacent swap
        case 2: std::swap(p[i], p[m_rng.below(p.size())]); break;                                // any swap
        case 3: p.insert(p.begin() + static_cast<std::ptrdiff_t>(i), p[i]); break;               // repeated
        case 4: p.insert(p.begin() + static_cast<std::ptrdiff_t>(i + 1), Step::reset()); break;  // reset mid-way
        case 5: {  // the sequence's first write again (an enable, a soft reset, a reprogramming) mid-way
          for (const Step& s : p)
            if (s.kind == StepKind::write) {
              Step again = s;
              if (m_rng.chance(50)) again.data = m_rng.next() & size_mask(s.size);
              p.insert(p.begin() + static_cast<std::ptrdiff_t>(i), again);
              break;
            }
          break;
        }
        default: {  // accesses while busy: right after a write, reads and writes of the map
          const size_t n = 1 + m_rng.below(3);
          for (size_t k = 0; k < n; ++k) {
            const Register& r = m_binding.regmap.registers[m_rng.below(m_binding.regmap.registers.size())];
            const uint8_t size = static_cast<uint8_t>(std::min(8u, std::max(1u, r.width / 8)));
            const Step s = m_rng.chance(50)
                               ? Step::read(r.offset, size)
                               : Step::write(r.offset, m_rng.next() & r.write_mask & size_mask(size), size);
            p.insert(p.begin() + static_cast<std::ptrdiff_t>(std::min(i + 1, p.size())), s);
          }
        }
      }
    }
    // Sometimes the operation is cut off: the sequence stops part-way and a reset follows.
    if (!p.empty() && m_rng.chance(10)) {
      p.resize(1 + m_rng.below(p.size()));
      p.push_back(Step::reset());
    }
    for (const Step& s : p) m_pending.push_back(s);
  }

  const DeviceBinding& m_binding;
  Rng m_rng;
  RandomStimulus m_filler;
  std::vector<const SequenceHint*> m_sequences;
  std::vector<Selector> m_selectors;
  std::deque<Step> m_pending;
};

// The stream `all` had before hostile and ordering existed: `random`, or for a bus-master
// device stretches of `random` and of `race`, each a few hundred steps.
class LegacyMixStimulus final : public Stimulus {
 public:
  LegacyMixStimulus(const DeviceBinding& binding, uint64_t seed)
      : m_rng(seed ^ 0x6d69787374696d31ULL), m_random(binding, seed) {
    if (binding.hints.has_dma()) m_race = std::make_unique<RaceStimulus>(binding, seed);
  }

  Step next() override {
    if (!m_race) return m_random.next();
    if (m_left == 0) {
      m_use_race = m_rng.chance(50);
      m_left = 100 + m_rng.below(400);
    }
    --m_left;
    return m_use_race ? m_race->next() : m_random.next();
  }

 private:
  Rng m_rng;
  RandomStimulus m_random;
  std::unique_ptr<RaceStimulus> m_race;
  uint64_t m_left = 0;
  bool m_use_race = false;
};

// `all`: its first kAllPrefix steps are the stream `all` always had (random, and race for
// bus-master devices), so existing seeds keep the programs, divergences and reproducers they
// had (every seeded-bug mutant is caught inside that prefix on seeds 1-5); then stretches of a
// few hundred steps of that stream (3 picks in 5), hostile (1 in 5) and ordering (1 in 5,
// when the device has sequences). Every generator runs on where it paused. `edges` (when the
// binding has a model) opens the part after the prefix with kEdgesOpening steps, then takes
// its turn as one more pick of weight 1; it sees every step the others emit (observe), so it
// aims at the events of the whole program.
class MixStimulus final : public Stimulus {
 public:
  static constexpr uint64_t kAllPrefix = 8000;
  static constexpr uint64_t kEdgesOpening = 3000;

  MixStimulus(const DeviceBinding& binding, uint64_t seed) : m_rng(seed ^ 0x616c6c6d69783221ULL) {
    add(std::make_unique<LegacyMixStimulus>(binding, seed), 3);
    add(std::make_unique<HostileStimulus>(binding, seed), 1);
    if (!binding.hints.sequences.empty() || binding.hints.has_dma())
      add(std::make_unique<OrderingStimulus>(binding, seed), 1);
    if (edges_applies(binding)) {
      std::unique_ptr<ObservingStimulus> edges = make_edge_stimulus(binding, seed);
      m_edges = edges.get();
      add(std::move(edges), 1);
    }
  }

  Step next() override {
    if (m_emitted < kAllPrefix) {
      ++m_emitted;
      return seen(m_parts[0]->next());
    }
    if (m_left == 0) {
      uint64_t pick = m_rng.below(m_total_weight);
      for (m_current = 0; pick >= m_weights[m_current]; ++m_current) pick -= m_weights[m_current];
      m_left = 100 + m_rng.below(400);
      if (m_edges && !m_opened) m_current = m_parts.size() - 1, m_left = kEdgesOpening;
      m_opened = true;
    }
    --m_left;
    return seen(m_parts[m_current]->next());
  }

 private:
  void add(std::unique_ptr<Stimulus> part, uint64_t weight) {
    m_parts.push_back(std::move(part));
    m_weights.push_back(weight);
    m_total_weight += weight;
  }

  // A step of another part: the edges part's private model takes it too.
  Step seen(const Step& s) {
    if (m_edges && m_parts[m_current].get() != m_edges) m_edges->observe(s);
    return s;
  }

  Rng m_rng;
  ObservingStimulus* m_edges = nullptr;
  bool m_opened = false;  // the edges opening after the prefix has been given
  std::vector<std::unique_ptr<Stimulus>> m_parts;
  std::vector<uint64_t> m_weights;
  uint64_t m_total_weight = 0;
  size_t m_current = 0;
  uint64_t m_left = 0;
  uint64_t m_emitted = 0;
};

}  // namespace

std::vector<std::string> strategy_names() { return {"random", "hostile", "ordering", "race", "edges"}; }

std::unique_ptr<Stimulus> make_stimulus(const std::string& strategy, const DeviceBinding& binding, uint64_t seed) {
  if (strategy == "random") return std::make_unique<RandomStimulus>(binding, seed);
  if (strategy == "race") return std::make_unique<RaceStimulus>(binding, seed);
  if (strategy == "hostile") return std::make_unique<HostileStimulus>(binding, seed);
  if (strategy == "ordering") return std::make_unique<OrderingStimulus>(binding, seed);
  if (strategy == "edges") return make_edge_stimulus(binding, seed);
  if (strategy == "all") return std::make_unique<MixStimulus>(binding, seed);
  std::string known;
  for (const std::string& s : strategy_names()) known += (known.empty() ? "" : ", ") + s;
  throw Error(fmt::format("unknown strategy '{}' (known: {}, all)", strategy, known));
}

uint64_t bus_timing_for(const std::string& strategy, uint64_t seed) {
  if (strategy != "hostile") return 0;
  uint64_t x = seed ^ 0x6275735f74696d65ULL;  // "bus_time": a stream of its own, never the steps'
  const uint64_t timing = splitmix64(x);
  return timing != 0 ? timing : 1;
}

Program generate_program(const std::string& strategy, const DeviceBinding& binding, uint64_t seed, uint64_t steps) {
  std::unique_ptr<Stimulus> gen = make_stimulus(strategy, binding, seed);
  Program p;
  p.reserve(steps);
  for (uint64_t i = 0; i < steps; ++i) p.push_back(gen->next());
  return p;
}

}  // namespace tandem
