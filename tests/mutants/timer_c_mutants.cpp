// timer_c mutants: the timer's four seeded bugs (timer_mutants.cpp) in the C model, each a
// variant of its rules (timer_c_rules) passed as the C device's config.
#include <tandem/c_device_adapter.h>

#include "models/timer/timer_c.h"
#include "mutants.h"

namespace tandem {

namespace {

// (a) Compare off by one: COUNT reaches COMPARE + 1 before the match.
uint64_t compare_off_by_one(uint32_t count, uint32_t compare) { return uint64_t(uint32_t(compare - count)) + 2; }
// (b) Prescaler applied one tick late: the first tick after a CTRL write uses the old PRESCALE.
uint64_t prescale_late(uint32_t old_prescale, uint32_t) { return uint64_t(old_prescale) + 1; }
// (c) INT_STATUS read-write instead of write-1-to-clear.
uint32_t status_rw(uint32_t status, uint32_t value, uint32_t lanes) { return (status & ~lanes) | (value & lanes); }
// (d) Periodic mode without the reload: COUNT runs on past COMPARE.
uint32_t no_reload(uint32_t compare) { return compare + 1; }

const timer_c_rules kCompareOffByOne = {compare_off_by_one, nullptr, nullptr, nullptr};
const timer_c_rules kPrescaleLate = {nullptr, prescale_late, nullptr, nullptr};
const timer_c_rules kStatusRw = {nullptr, nullptr, status_rw, nullptr};
const timer_c_rules kNoReload = {nullptr, nullptr, nullptr, no_reload};

// The device table with `rules` as its config: static, as the adapter requires.
template <const timer_c_rules* Rules>
std::function<std::unique_ptr<Device>()> factory() {
  return [] {
    static const tandem_c_device device = [] {
      tandem_c_device d = timer_c_device;
      d.config = Rules;
      return d;
    }();
    return std::make_unique<CDeviceAdapter>(device);
  };
}

}  // namespace

std::vector<Mutant> timer_c_mutants() {
  return {
      {"timer_c", "timer_c.compare_off_by_one", "off by one",
       "the compare match fires one tick late (COUNT reaches COMPARE+1)", DivergenceKind::irq, "irq",
       factory<&kCompareOffByOne>()},
      {"timer_c", "timer_c.prescale_late", "stale configuration", "a new PRESCALE takes effect one tick late",
       DivergenceKind::read_data, "T0_COUNT", factory<&kPrescaleLate>()},
      {"timer_c", "timer_c.status_rw", "wrong access policy", "INT_STATUS is read-write instead of write-1-to-clear",
       DivergenceKind::irq, "irq", factory<&kStatusRw>()},
      {"timer_c", "timer_c.no_reload", "missing reload", "periodic mode does not reload COUNT to 0 at the match",
       DivergenceKind::irq, "irq", factory<&kNoReload>()},
  };
}

}  // namespace tandem
