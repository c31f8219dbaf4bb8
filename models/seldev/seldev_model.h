// Functional model of seldev (rtl/seldev/seldev.sv): processing units behind a unit-select
// register. Time is lazy: an operation is a completion edge, not a countdown.
#pragma once

#include <array>
#include <cstdint>

#include <tandem/device.h>
#include <tandem/word_registers.h>
#include <tandem_regs/seldev.hpp>  // generated from devices/seldev/seldev.rdl

namespace tandem {
struct LockstepFastPath;  // tandem/binding.h
}

namespace models {

class SeldevModel : public tandem::Device {
 public:
  static constexpr unsigned kUnits = 4;

  // Byte offsets and bits: the generated names of devices/seldev/seldev.rdl.
  enum Offset : uint64_t {
    ID = tandem_regs::seldev::ID,
    CTRL = tandem_regs::seldev::CTRL,
    STATUS = tandem_regs::seldev::STATUS,
    UNIT_SELECT = tandem_regs::seldev::UNIT_SELECT,
    IRQ_ENABLE = tandem_regs::seldev::IRQ_ENABLE,
    U_CFG = tandem_regs::seldev::U_CFG,
    U_OPERAND = tandem_regs::seldev::U_OPERAND,
    U_ACC = tandem_regs::seldev::U_ACC,
    U_CMD = tandem_regs::seldev::U_CMD,
  };
  static constexpr uint32_t kId = tandem_regs::seldev::ID_RESET;
  static_assert(tandem_regs::seldev::ID_UNITS_RESET == kUnits, "ID.UNITS states the number of units");
  static constexpr uint32_t kSelErr = tandem_regs::seldev::STATUS_SEL_ERR_MASK,
                            kStartErr = tandem_regs::seldev::STATUS_START_ERR_MASK,
                            kBusyErr = tandem_regs::seldev::STATUS_BUSY_ERR_MASK;
  static constexpr uint32_t kErrIrqEnable = tandem_regs::seldev::IRQ_ENABLE_ERR_IE_MASK;

  void reset(tandem::Cycle now) override;
  tandem::BusResponse read(uint64_t offset, unsigned size, tandem::Cycle now) override;
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle now) override;
  void advance(tandem::Cycle now) override;
  tandem::Cycle next_event(tandem::Cycle now) const override;
  uint32_t irq() const override;
  // Lockstep's step path over this class (tandem/lockstep_fast.h), for the binding.
  static tandem::LockstepFastPath lockstep_fast_path();
  void save(tandem::StateWriter& out) const override;
  std::string restore(tandem::StateReader& in) override;

  static uint32_t op_result(uint32_t op, uint32_t acc, uint32_t operand);
  static unsigned op_latency(uint32_t op, uint32_t delay);

 protected:
  // Every register word as stored, in one array: the globals at their word index (ID, CTRL,
  // STATUS, UNIT_SELECT, IRQ_ENABLE, three holes), then each unit's window (U_CFG, U_OPERAND,
  // U_ACC, U_CMD), so the word an access means is m_words[index + 4 * unit in the window].
  // A read is one load and a write one masked merge, with no branch on the register: a random
  // register program mispredicts a switch over registers on nearly every access, which cost
  // more than the access itself. STATUS is stored too (DONE, BUSY and the error flags).
  static constexpr unsigned kWindowAt = U_CFG / 4;  // first word of the window
  static constexpr unsigned kWindowWords = 4;       // U_CFG, U_OPERAND, U_ACC, U_CMD
  static constexpr unsigned kWords = kWindowAt + kUnits * kWindowWords;
  static constexpr uint32_t kDoneBits = tandem_regs::seldev::STATUS_DONE_MASK;
  static constexpr uint32_t kErrBits = kSelErr | kStartErr | kBusyErr;
  static constexpr unsigned kBusyShift = 8;  // STATUS.BUSY[11:8]
  static_assert(tandem_regs::seldev::STATUS_BUSY_MASK == ((1u << kUnits) - 1) << kBusyShift, "STATUS.BUSY");
  static_assert(kDoneBits == (1u << kUnits) - 1, "STATUS.DONE");

  struct Unit {
    uint32_t result = 0;        // what U_ACC takes at completion
    tandem::Cycle done_at = 0;  // completion edge (kept after completion)
  };

  // Hooks the seeded-bug mutants override; the correct model is these defaults.
  virtual bool start_allowed() const { return enabled(); }
  virtual uint32_t done_ie_reset() const { return 0; }
  // UNIT_SELECT accepts values below this (the trusting mutant raises it past any value).
  uint64_t m_select_limit = kUnits;
  // Edges from DONE setting to the line rising (the late-irq mutant sets 1). A member, not a
  // virtual hook: irq() and next_event() run at every lockstep access.
  tandem::Cycle m_irq_delay = 0;
  // Same-edge seeded bugs (0 in the correct model): the completion due at a write's own edge
  // is applied before a STATUS write (kStatusEdgeFirst: the W1C then clears the DONE that edge
  // sets) or before a window write (kWindowEdgeFirst: the unit counts as idle at its completion
  // edge). A member for the reason m_irq_delay is one.
  static constexpr uint8_t kStatusEdgeFirst = 1, kWindowEdgeFirst = 2;
  uint8_t m_edge_first = 0;
  void apply_edge_first(unsigned word_index, tandem::Cycle now);

  uint32_t& word(unsigned global) { return m_words[global]; }
  uint32_t word(unsigned global) const { return m_words[global]; }
  // Unit `unit`'s window word `k` (0 U_CFG .. 3 U_CMD). `unit` is trusted: every caller has it
  // from UNIT_SELECT, which writes validate, or from a loop over the units.
  uint32_t& window(size_t unit, unsigned k) { return m_words[kWindowAt + kWindowWords * unit + k]; }
  uint32_t window(size_t unit, unsigned k) const { return m_words[kWindowAt + kWindowWords * unit + k]; }
  uint32_t op(unsigned unit) const { return window(unit, 0) & tandem_regs::seldev::U_CFG_OP_MASK; }
  uint32_t delay(unsigned unit) const { return (window(unit, 0) & tandem_regs::seldev::U_CFG_DELAY_MASK) >> 8; }
  // The selected unit. The correct model never stores a select >= kUnits; a mutant that
  // trusts UNIT_SELECT does, and its window then aliases unit (select mod kUnits): the seeded
  // bug stays visible (the write is accepted) while a run that goes on past the divergence
  // (--keep-going, waivers) never indexes outside m_words. kUnits is a power of two: one AND.
  uint32_t sel() const { return word(UNIT_SELECT / 4) % kUnits; }
  bool enabled() const { return word(CTRL / 4) & tandem_regs::seldev::CTRL_ENABLE_MASK; }
  uint32_t done_ie() const { return word(IRQ_ENABLE / 4) & tandem_regs::seldev::IRQ_ENABLE_DONE_IE_MASK; }
  bool err_ie() const { return word(IRQ_ENABLE / 4) & kErrIrqEnable; }
  uint32_t done() const { return word(STATUS / 4) & kDoneBits; }
  uint32_t errors() const { return word(STATUS / 4) & kErrBits; }
  bool busy(unsigned unit) const { return (word(STATUS / 4) >> kBusyShift >> (unit % 32)) & 1u; }

  // The register front end's hooks (tandem/word_registers.h).
  friend struct tandem::WordRegisters<SeldevModel>;
  static constexpr unsigned word_bytes() { return 4; }
  static bool mapped(uint64_t word_offset);
  uint32_t read_word(uint64_t word_offset, tandem::Cycle) const;
  bool write_word(uint64_t word_offset, uint32_t value, uint32_t lanes, tandem::Cycle now);
  // A completion at an edge before `now` must show: when one is due, bring the model to
  // now - 1 first; when none is (the common case), one move to `now` after the access does.
  // A write sees the state before edge `now`; completions at that same edge come after it,
  // so a completion's DONE wins over a W1C, and a soft reset (which clears BUSY) wins over a
  // completion.
  void catch_up_before(tandem::Cycle now, tandem::Direction) {
    if (__builtin_expect(m_next_done < now, 0)) catch_up(now - 1);
  }
  void start(unsigned unit, tandem::Cycle now);
  void complete(unsigned unit);
  void soft_reset();

  uint32_t m_words[kWords] = {kId};
  std::array<Unit, kUnits> m_units{};
  tandem::Cycle m_now = 0;
  tandem::Cycle m_next_done = tandem::kNever;  // earliest completion edge of a busy unit
  void update_next_done();
  void complete_until(tandem::Cycle now);
  // advance() without the virtual call; inline because every access starts with it.
  void catch_up(tandem::Cycle now) {
    if (now <= m_now) return;
    m_now = now;
    if (now >= m_next_done) complete_until(now);
  }
};

}  // namespace models
