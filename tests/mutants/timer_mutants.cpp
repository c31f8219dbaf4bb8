// timer mutants: the timing and access-policy bugs timer models are known for.
#include "models/timer/timer_model.h"
#include "mutants.h"

namespace tandem {

namespace {

// (a) Compare off by one: the match comes one tick after COUNT == COMPARE's tick, i.e. the
// model lets COUNT reach COMPARE + 1 ("count > compare" instead of "count == compare").
class CompareOffByOne final : public models::TimerModel {
  uint64_t ticks_to_match(uint32_t count, uint32_t compare) const override {
    return uint64_t(uint32_t(compare - count)) + 2;
  }
};

// (b) Prescaler applied one tick late: after a CTRL write the first tick still uses the
// previous PRESCALE; the new one applies from the second tick on.
class PrescaleLate final : public models::TimerModel {
  Cycle first_tick(uint32_t old_prescale, uint32_t) const override { return Cycle(old_prescale) + 1; }
};

// (c) INT_STATUS treated as RW instead of W1C: a write stores the value (1 sets, 0 clears).
class StatusRw final : public models::TimerModel {
  uint32_t status_write(uint32_t status, uint32_t value, uint32_t lanes) const override {
    return (status & ~lanes) | (value & lanes);
  }
};

// (d) Periodic mode without the reload: after a match COUNT runs on past COMPARE, so the
// next match only comes after the counter wraps through 2^32.
class NoReload final : public models::TimerModel {
  uint32_t reload_value(uint32_t compare) const override { return compare + 1; }
};

// (e) Same-edge race, software clear against hardware set: an INT_STATUS write of 1s on the
// edge a timer matches clears the bit that match sets (the model ticks before the write).
class ClearBeatsMatch final : public models::TimerModel {
  bool status_write_after_edge() const override { return true; }
};

// (f) A COMPARE write landing on the match edge: the model lets that edge's tick see the new
// value, so the match due at that edge is lost; the hardware still compares against the old.
class CompareAtOwnEdge final : public models::TimerModel {
  bool compare_sees_own_edge() const override { return true; }
};

template <class T>
std::function<std::unique_ptr<Device>()> factory() {
  return [] { return std::make_unique<T>(); };
}

}  // namespace

std::vector<Mutant> timer_mutants() {
  return {
      {"timer", "timer.compare_off_by_one", "off by one",
       "the compare match fires one tick late (COUNT reaches COMPARE+1)", DivergenceKind::irq, "irq",
       factory<CompareOffByOne>()},
      {"timer", "timer.prescale_late", "stale configuration", "a new PRESCALE takes effect one tick late",
       DivergenceKind::read_data, "T0_COUNT", factory<PrescaleLate>()},
      {"timer", "timer.status_rw", "wrong access policy", "INT_STATUS is read-write instead of write-1-to-clear",
       DivergenceKind::irq, "irq", factory<StatusRw>()},
      {"timer", "timer.no_reload", "missing reload", "periodic mode does not reload COUNT to 0 at the match",
       DivergenceKind::irq, "irq", factory<NoReload>()},
      {"timer", "timer.clear_beats_match", "same-edge race",
       "an INT_STATUS W1C on a match edge clears the bit that match sets", DivergenceKind::irq, "irq",
       factory<ClearBeatsMatch>()},
      {"timer", "timer.compare_at_own_edge", "same-edge race",
       "a COMPARE write on the match edge loses the match due at that edge", DivergenceKind::read_data, "T3_COUNT",
       factory<CompareAtOwnEdge>()},
  };
}

}  // namespace tandem
