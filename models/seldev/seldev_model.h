// Functional model of seldev (rtl/seldev/seldev.sv): processing units behind a unit-select
// register. Time is lazy: an operation is a completion edge, not a countdown.
#pragma once

#include <array>
#include <cstdint>

#include <tandem/device.h>
#include <tandem_regs/seldev.hpp>  // generated from devices/seldev/seldev.rdl

namespace models {

class SeldevModel : public tandem::Device {
 public:
  static constexpr unsigned kUnits = 4;

  // Byte offsets and bits: the generated names of devices/seldev/seldev.rdl.
  enum Offset : uint64_t {
    ID = tandem_regs::seldev::ID, CTRL = tandem_regs::seldev::CTRL, STATUS = tandem_regs::seldev::STATUS,
    UNIT_SELECT = tandem_regs::seldev::UNIT_SELECT, IRQ_ENABLE = tandem_regs::seldev::IRQ_ENABLE,
    U_CFG = tandem_regs::seldev::U_CFG, U_OPERAND = tandem_regs::seldev::U_OPERAND,
    U_ACC = tandem_regs::seldev::U_ACC, U_CMD = tandem_regs::seldev::U_CMD,
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
  void save(tandem::StateWriter& out) const override;
  std::string restore(tandem::StateReader& in) override;

  static uint32_t op_result(uint32_t op, uint32_t acc, uint32_t operand);
  static unsigned op_latency(uint32_t op, uint32_t delay);

 protected:
  struct Unit {
    uint32_t op = 0, delay = 0, operand = 0, acc = 0, result = 0;
    bool busy = false;
    tandem::Cycle done_at = 0;  // completion edge (kept after completion)
  };

  // Hooks the seeded-bug mutants override; the correct model is these defaults.
  virtual bool select_in_range(uint64_t value) const { return value < kUnits; }
  virtual bool start_allowed() const { return m_enable; }
  virtual tandem::Cycle irq_delay() const { return 0; }
  virtual uint32_t done_ie_reset() const { return 0; }

  // The unit the window shows. Index is `m_sel`: trusted only because writes validate it.
  Unit& selected() { return m_units[m_sel]; }
  uint32_t status() const;
  uint32_t read_word(uint64_t word_offset);
  bool write_word(uint64_t word_offset, uint32_t value, uint32_t lanes, tandem::Cycle now);
  void complete(Unit& u);
  void soft_reset();

  std::array<Unit, kUnits> m_units{};
  bool m_enable = false;
  uint32_t m_sel = 0;
  uint32_t m_done = 0;
  uint32_t m_done_ie = 0;
  bool m_err_ie = false;
  uint32_t m_errors = 0;  // kSelErr | kStartErr | kBusyErr
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
