// Model of tests/rtl/apb_testblock.sv, for testing the bus driver and the engine's compare.
#pragma once

#include <tandem/device.h>

namespace tests {

template <unsigned DW>
class ApbTestblockModel : public tandem::Device {
 public:
  static constexpr unsigned kBytes = DW / 8;
  void reset(tandem::Cycle) override { m_data = m_wait = m_irq = 0; }
  tandem::BusResponse read(uint64_t offset, unsigned size, tandem::Cycle) override {
    tandem::BusResponse r;
    const uint64_t index = offset / kBytes;
    uint64_t word = 0;
    switch (index) {
      case 0: word = m_data; break;
      case 1: word = m_wait; break;
      case 2:
        word = 14;
        r.error = true;
        break;
      case 4: word = m_irq; break;
      default: r.error = true;
    }
    r.data = tandem::lane_extract(word, offset, size, kBytes);
    return r;
  }
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle) override {
    const uint64_t index = offset / kBytes;
    const uint64_t lanes = tandem::lane_mask(offset, size, kBytes);
    const uint64_t placed = value << (8 * (offset % kBytes));
    switch (index) {
      case 0: m_data = (m_data & ~lanes) | (placed & lanes); return {};
      case 1:
        if (lanes & 0xff) m_wait = placed & 0xff;
        return {};
      case 4:
        if (lanes & 0xff) m_irq = placed & 1;
        return {};
      default: return {0, true};
    }
  }
  // The RTL inserts WAIT (its low 8 bits, as set by an earlier write) wait states in every
  // access; the write of WAIT itself waits the old count.
  bool declares_wait_states() const override { return true; }
  unsigned wait_states(uint64_t, bool, unsigned) const override { return static_cast<unsigned>(m_wait); }
  void advance(tandem::Cycle) override {}
  tandem::Cycle next_event(tandem::Cycle) const override { return tandem::kNever; }
  uint32_t irq() const override { return static_cast<uint32_t>(m_irq); }
  void save(tandem::StateWriter&) const override {}
  std::string restore(tandem::StateReader&) override { return "not supported"; }

 protected:
  uint64_t m_data = 0, m_wait = 0, m_irq = 0;
};

}  // namespace tests
