// timer model: each rule below mirrors one documented rule of rtl/timer/timer.sv.
//
// A running timer is (base, count, first): after edge `base` the prescaler stands at 0 and
// COUNT is `count`; ticks fall at base + first + k * (PRESCALE + 1). The first match is
// ticks_to_match(count, COMPARE) ticks later, and a periodic timer matches again every
// ticks_to_match(0, COMPARE) ticks. Every question (COUNT now, the next match, how many
// matches an idle gap held) is answered by arithmetic on those three numbers.
#include "timer_model.h"

#include <algorithm>

namespace models {

using tandem::BusResponse;
using tandem::Cycle;

void TimerModel::reset(Cycle now) {
  m_timers = {};
  for (Timer& t : m_timers) t.base = now;
  m_status = 0;
  m_enable = 0;
  m_now = now;
}

Cycle TimerModel::match_edge(const Timer& t) const {
  return t.base + t.first + (ticks_to_match(t.count, t.compare) - 1) * t.period();
}

uint32_t TimerModel::count_at(const Timer& t, Cycle e) {
  if (!t.enabled || e < t.base + t.first) return t.count;
  return t.count + static_cast<uint32_t>(1 + (e - t.base - t.first) / t.period());
}

void TimerModel::rebase(Timer& t, Cycle e) {
  if (!t.enabled || e < t.base + t.first) return;
  const Cycle ticks = (e - t.base - t.first) / t.period();  // ticks after the first
  t.count += static_cast<uint32_t>(1 + ticks);
  t.base += t.first + ticks * t.period();
  t.first = t.period();
}

void TimerModel::advance_timer(unsigned n, Cycle e) {
  Timer& t = m_timers[n];
  if (!t.enabled) return;
  const uint64_t ticks = ticks_to_match(t.count, t.compare);
  const Cycle match = t.base + t.first + (ticks - 1) * t.period();
  if (match > e) return;
  m_status |= 1u << n;
  if (!t.periodic) {
    // One-shot: stops at its match with COUNT as it stood before the match tick (== COMPARE).
    t.count += static_cast<uint32_t>(ticks - 1);
    t.enabled = false;
    t.base = match;
    t.first = t.period();
    return;
  }
  // Periodic: the last match at or before `e`, found by division, not by stepping.
  const uint32_t reload = reload_value(t.compare);
  const Cycle every = ticks_to_match(reload, t.compare) * t.period();
  t.base = match + (e - match) / every * every;
  t.count = reload;
  t.first = t.period();
}

void TimerModel::advance(Cycle now) { advance_to(now); }

void TimerModel::advance_to(Cycle now) {
  if (now <= m_now) return;
  for (unsigned n = 0; n < kTimers; ++n) advance_timer(n, now);
  m_now = now;
}

Cycle TimerModel::next_event(Cycle now) const {
  // The line can only rise at a match of an enabled timer whose INT_STATUS bit is still clear
  // and whose interrupt is enabled; everything else changes it at a bus write.
  Cycle next = tandem::kNever;
  for (unsigned n = 0; n < kTimers; ++n) {
    const Timer& t = m_timers[n];
    if (!t.enabled || !(m_enable >> n & 1u) || (m_status >> n & 1u)) continue;
    const Cycle at = match_edge(t);
    if (at > now) next = std::min(next, at);  // else: already set by `now`, no further change
  }
  return next;
}

uint32_t TimerModel::irq() const { return (m_status & m_enable) != 0 ? 1u : 0u; }

uint32_t TimerModel::ctrl_value(const Timer& t) const {
  return (t.enabled ? kEnable : 0u) | (t.periodic ? kPeriodic : 0u) | (t.prescale << kPrescaleShift);
}

bool TimerModel::mapped(uint64_t word) {
  if (word == TimerModel::ID || word == TimerModel::INT_STATUS || word == TimerModel::INT_ENABLE) return true;
  if (word < TimerModel::T_BASE || word >= TimerModel::T_BASE + TimerModel::kTimers * TimerModel::T_STRIDE)
    return false;
  return (word & 0xc) != 0xc;  // CTRL, COMPARE, COUNT; +0xC is a hole
}

namespace {
unsigned timer_of(uint64_t word) { return static_cast<unsigned>((word - TimerModel::T_BASE) / TimerModel::T_STRIDE); }
}  // namespace

// The value a read sees before edge m_now + 1 (the model stands at the edge before the access).
uint32_t TimerModel::read_word(uint64_t word, Cycle) const {
  switch (word) {
    case ID: return m_id;
    case INT_STATUS: return m_status;
    case INT_ENABLE: return m_enable;
    default: break;
  }
  const Timer& t = m_timers[timer_of(word)];
  switch (word & 0xc) {
    case T_CTRL: return ctrl_value(t);
    case T_COMPARE: return t.compare;
    default: return count_at(t, m_now);  // T_COUNT
  }
}

// Applies a write completing at edge `now` (the model stands at now - 1). The rest of the
// edge, every timer's tick at `now`, follows it (catch_up): a match at `now` wins over an
// INT_STATUS clear, and a timer whose CTRL is written does not tick at the write's edge.
void TimerModel::write_word(uint64_t word, uint32_t value, uint32_t lanes, Cycle now) {
  auto merged = [&](uint32_t cur) { return (cur & ~lanes) | (value & lanes); };
  switch (word) {
    case ID: return;  // read-only
    case INT_STATUS:
      if (status_write_after_edge()) advance_to(now);
      m_status = status_write(m_status, value, lanes) & kTimerMask;
      return;
    case INT_ENABLE: m_enable = merged(m_enable) & kTimerMask; return;
    default: break;
  }
  Timer& t = m_timers[timer_of(word)];
  switch (word & 0xc) {
    case T_CTRL: {
      const uint32_t v = merged(ctrl_value(t));
      const uint32_t held = count_at(t, now - 1);
      const bool enable = (v & kEnable) != 0;
      const uint32_t old_prescale = t.prescale;
      t.count = (!t.enabled && enable) ? 0u : held;
      t.enabled = enable;
      t.periodic = (v & kPeriodic) != 0;
      t.prescale = (v & kPrescaleMask) >> kPrescaleShift;
      t.base = now;  // its first tick is first_tick() >= 1 edges later: none at `now`
      t.first = first_tick(old_prescale, t.prescale);
      return;
    }
    case T_COMPARE:
      // A tick at this edge still compares against the old value: the edge comes first.
      if (!compare_sees_own_edge()) advance_to(now);
      rebase(t, now);
      t.compare = merged(t.compare);
      return;
    default: return;  // T_COUNT: read-only
  }
}

BusResponse TimerModel::read(uint64_t offset, unsigned size, Cycle now) {
  return tandem::WordRegisters<TimerModel>::read(*this, offset, size, now);
}

BusResponse TimerModel::write(uint64_t offset, uint64_t value, unsigned size, Cycle now) {
  return tandem::WordRegisters<TimerModel>::write(*this, offset, value, size, now);
}

void TimerModel::save(tandem::StateWriter& out) const {
  out.u32(1);  // format version
  out.u32(m_status);
  out.u32(m_enable);
  out.u64(m_now);
  for (const Timer& t : m_timers) {
    out.u8(t.enabled);
    out.u8(t.periodic);
    out.u32(t.prescale);
    out.u32(t.compare);
    out.u32(t.count);
    out.u64(t.base);
    out.u64(t.first);
  }
}

std::string TimerModel::restore(tandem::StateReader& in) {
  uint32_t version = 0;
  if (!in.u32(version) || version != 1) return "version: expected 1";
  uint32_t status = 0, enable = 0;
  Cycle now = 0;
  if (!in.u32(status) || !in.u32(enable) || !in.u64(now)) return "header: truncated";
  if (status & ~kTimerMask) return "int_status: bits beyond the timers";
  if (enable & ~kTimerMask) return "int_enable: bits beyond the timers";
  // Far from overflow: a match is at most 2^32 ticks of 256 edges (2^40) past any base.
  if (now >= (Cycle(1) << 62)) return "cycle: beyond 2^62";
  std::array<Timer, kTimers> timers{};
  for (Timer& t : timers) {
    uint8_t enabled = 0, periodic = 0;
    if (!in.u8(enabled) || !in.u8(periodic) || !in.u32(t.prescale) || !in.u32(t.compare) || !in.u32(t.count) ||
        !in.u64(t.base) || !in.u64(t.first))
      return "timer: truncated";
    if (enabled > 1) return "timer.enabled: not boolean";
    if (periodic > 1) return "timer.periodic: not boolean";
    t.enabled = enabled;
    t.periodic = periodic;
    if (t.prescale > 0xff) return "timer.prescale: out of range (0..255)";
    if (t.first < 1 || t.first > 256) return "timer.first: out of range (1..256)";
    if (t.base > now) return "timer.base: after the saved cycle";
    // A running timer whose match is at or before the saved cycle was never brought up to
    // it: no hardware state corresponds to that.
    if (t.enabled && match_edge(t) <= now) return "timer.base: a match before the saved cycle was not applied";
  }
  if (!in.at_end()) return "trailing bytes";
  m_timers = timers;
  m_status = status;
  m_enable = enable;
  m_now = now;
  return "";
}

}  // namespace models
