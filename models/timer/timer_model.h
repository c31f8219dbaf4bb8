// Functional model of timer (rtl/timer/timer.sv): prescaled compare timers. Time is lazy: a
// running timer is a base edge, the COUNT it had there and the length of its first tick, and
// everything else (COUNT on read, the next match, the irq line) is arithmetic on those.
// Nothing here loops per tick or per cycle: an idle gap of 10^9 edges costs O(1).
#pragma once

#include <array>
#include <cstdint>

#include <tandem/device.h>
#include <tandem/word_registers.h>
#include <tandem_regs/timer.hpp>  // generated from devices/timer/timer.rdl

namespace models {

class TimerModel : public tandem::Device {
 public:
  static constexpr unsigned kTimers = 4;
  static constexpr uint32_t kTimerMask = (1u << kTimers) - 1;

  // Byte offsets and bits: the generated names of devices/timer/timer.rdl.
  enum Offset : uint64_t {
    ID = tandem_regs::timer::ID,
    INT_STATUS = tandem_regs::timer::INT_STATUS,
    INT_ENABLE = tandem_regs::timer::INT_ENABLE,
    T_BASE = tandem_regs::timer::T0_CTRL,                                  // timer n's block at
    T_STRIDE = tandem_regs::timer::T1_CTRL - tandem_regs::timer::T0_CTRL,  // T_BASE + n * T_STRIDE
    T_CTRL = 0x0,                                                          // offsets within a block
    T_COMPARE = tandem_regs::timer::T0_COMPARE - tandem_regs::timer::T0_CTRL,
    T_COUNT = tandem_regs::timer::T0_COUNT - tandem_regs::timer::T0_CTRL,
  };
  static constexpr uint64_t ctrl(unsigned n) { return T_BASE + n * T_STRIDE + T_CTRL; }
  static constexpr uint64_t compare(unsigned n) { return T_BASE + n * T_STRIDE + T_COMPARE; }
  static constexpr uint64_t count(unsigned n) { return T_BASE + n * T_STRIDE + T_COUNT; }

  static constexpr uint32_t kId = tandem_regs::timer::ID_RESET;
  static_assert(tandem_regs::timer::ID_TIMERS_RESET == kTimers, "ID.TIMERS states the number of timers");
  static constexpr uint32_t kEnable = tandem_regs::timer::T0_CTRL_ENABLE_MASK,
                            kPeriodic = tandem_regs::timer::T0_CTRL_PERIODIC_MASK;
  static constexpr unsigned kPrescaleShift = tandem_regs::timer::T0_CTRL_PRESCALE_LSB;
  static constexpr uint32_t kPrescaleMask = tandem_regs::timer::T0_CTRL_PRESCALE_MASK;

  // `id`: what ID reads. Another implementation of the timer may carry its own ID (a model
  // option when it reuses this model: describe_timer_with, devices/timer/timer_binding.cpp).
  explicit TimerModel(uint32_t id = kId) : m_id(id) {}

  void reset(tandem::Cycle now) override;
  tandem::BusResponse read(uint64_t offset, unsigned size, tandem::Cycle now) override;
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle now) override;
  void advance(tandem::Cycle now) override;
  tandem::Cycle next_event(tandem::Cycle now) const override;
  uint32_t irq() const override;
  void save(tandem::StateWriter& out) const override;
  std::string restore(tandem::StateReader& in) override;

 protected:
  struct Timer {
    bool enabled = false;
    bool periodic = false;
    uint32_t prescale = 0;  // 0..255
    uint32_t compare = 0;
    // While enabled: COUNT after edge `base`, where the prescaler stood at 0; ticks fall at
    // base + first + k * (prescale + 1), k >= 0. While stopped: the held COUNT.
    uint32_t count = 0;
    tandem::Cycle base = 0;
    tandem::Cycle first = 1;  // 1..256: edges from base to the first tick
    tandem::Cycle period() const { return tandem::Cycle(prescale) + 1; }
  };

  // Hooks the seeded-bug mutants override; the correct model is these defaults.
  // Ticks from a tick edge at which COUNT is `count` to the match tick (1 .. 2^32).
  virtual uint64_t ticks_to_match(uint32_t count, uint32_t compare) const {
    return uint64_t(uint32_t(compare - count)) + 1;
  }
  // Edges from a CTRL write to the first tick after it.
  virtual tandem::Cycle first_tick(uint32_t /*old_prescale*/, uint32_t new_prescale) const {
    return tandem::Cycle(new_prescale) + 1;
  }
  // INT_STATUS after a write of `value` on byte lanes `lanes` (W1C).
  virtual uint32_t status_write(uint32_t status, uint32_t value, uint32_t lanes) const {
    return status & ~(value & lanes);
  }
  // COUNT a periodic timer continues from after its match.
  virtual uint32_t reload_value(uint32_t /*compare*/) const { return 0; }
  // The tick at an INT_STATUS write's own edge is applied before the write (false: after it,
  // so that a match at that edge wins over the clear).
  virtual bool status_write_after_edge() const { return false; }
  // The tick at a COMPARE write's own edge compares against the new value (false: the old).
  virtual bool compare_sees_own_edge() const { return false; }

  // The first match edge after `t.base` of an enabled timer.
  tandem::Cycle match_edge(const Timer& t) const;
  // COUNT after edge `e` of a timer brought up to an edge <= e with no match in between.
  static uint32_t count_at(const Timer& t, tandem::Cycle e);
  // Apply every edge up to `e` to timer `n`: matches set INT_STATUS, reload or stop.
  void advance_timer(unsigned n, tandem::Cycle e);
  // Move a running timer's base to its last tick edge at or before `e` (no match in between).
  static void rebase(Timer& t, tandem::Cycle e);
  uint32_t ctrl_value(const Timer& t) const;

  // The register front end's hooks (tandem/word_registers.h).
  friend struct tandem::WordRegisters<TimerModel>;
  static constexpr unsigned word_bytes() { return 4; }
  static bool mapped(uint64_t word_offset);
  uint32_t read_word(uint64_t word_offset, tandem::Cycle) const;
  void write_word(uint64_t word_offset, uint32_t value, uint32_t lanes, tandem::Cycle now);
  void catch_up_before(tandem::Cycle now, tandem::Direction) { advance_to(now - 1); }
  void catch_up(tandem::Cycle now) { advance_to(now); }
  void advance_to(tandem::Cycle now);  // advance() without the virtual call

  uint32_t m_id;
  std::array<Timer, kTimers> m_timers{};
  uint32_t m_status = 0;
  uint32_t m_enable = 0;  // INT_ENABLE
  tandem::Cycle m_now = 0;
};

}  // namespace models
