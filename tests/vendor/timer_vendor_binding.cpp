// timer_vendor: the bundled timer's binding (map, hints, model) over a second vendor's RTL of the
// timer (tests/rtl/timer_vendor.sv) with three known, datasheet-legal differences.
// Its waiver file is tests/vendor/timer_vendor.waivers.toml; the binding ships none, so a run
// without --waivers shows every difference.
#include <tandem/binding.h>

namespace tandem {

DeviceBinding describe_timer();

DeviceBinding describe_timer_vendor() {
  DeviceBinding b = describe_timer();
  b.name = "timer_vendor";
  b.description =
      "a second vendor's timer RTL (ID revision byte, INT_STATUS two edges late, no INT_ENABLE "
      "read-back) against the bundled timer model";
  return b;
}

}  // namespace tandem
