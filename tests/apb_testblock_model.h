// Model of tests/rtl/apb_testblock.sv, for testing the bus driver and the engine's compare.
#pragma once

#include <tandem/device.h>
#include <tandem/word_registers.h>

namespace tests {

template <unsigned DW>
class ApbTestblockModel : public tandem::Device {
 public:
  static constexpr unsigned kBytes = DW / 8;
  void reset(tandem::Cycle) override { m_data = m_wait = m_irq = 0; }
  tandem::BusResponse read(uint64_t offset, unsigned size, tandem::Cycle now) override {
    return tandem::WordRegisters<ApbTestblockModel>::read(*this, offset, size, now);
  }
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle now) override {
    return tandem::WordRegisters<ApbTestblockModel>::write(*this, offset, value, size, now);
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

 private:
  // The register front end's hooks (tandem/word_registers.h): one register per bus word, at
  // these indices; HANG (3) never answers on the RTL and is an error here. The block has no
  // clock of its own.
  friend struct tandem::WordRegisters<ApbTestblockModel>;
  enum Index : uint64_t { DATA = 0, WAIT = 1, ERR = 2, IRQ = 4 };
  static constexpr unsigned word_bytes() { return kBytes; }
  static bool mapped(uint64_t word) { return word / kBytes <= IRQ && word / kBytes != 3; }
  tandem::BusResponse read_word(uint64_t word, tandem::Cycle) const {
    switch (word / kBytes) {
      case DATA: return {m_data, false};
      case WAIT: return {m_wait, false};
      case ERR: return {14, true};  // ERR answers PSLVERR with its data
      default: return {m_irq, false};
    }
  }
  bool write_word(uint64_t word, uint64_t value, uint64_t lanes, tandem::Cycle) {
    switch (word / kBytes) {
      case DATA: m_data = (m_data & ~lanes) | (value & lanes); return false;
      case WAIT:
        if (lanes & 0xff) m_wait = value & 0xff;
        return false;
      case ERR: return true;
      default:
        if (lanes & 0xff) m_irq = value & 1;
        return false;
    }
  }
  void catch_up_before(tandem::Cycle, tandem::Direction) {}
  void catch_up(tandem::Cycle) {}
};

}  // namespace tests
