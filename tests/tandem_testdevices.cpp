// tandem-testdevices: the tandem command line over the test devices that are bound but not
// bundled — the policy block (one field per access policy) with its two mutants, and seldev_v2
// (seldev's map and RTL revised, its model not) — so the regtest demonstrations run from a shell:
//   tandem-testdevices regtest --device policyblock.w1c_as_rw      # exit 1, names W1C.P and the model
//   tandem-testdevices regtest --device seldev_v2                  # exit 1, names IRQ_ENABLE.ERR_IE
// and timer_vendor (a second vendor's timer RTL against the bundled model) with the timer
// mutants' models over it, for the waivers and --keep-going (tests/waiver_cli_test.sh):
//   tandem-testdevices run --device timer_vendor --keep-going      # exit 1, its known differences
//   tandem-testdevices run --device timer_vendor --waivers tests/vendor/timer_vendor.waivers.toml  # exit 0
#include "apps/cli.h"
#include "tests/mutants/mutants.h"
#include "tests/mutants/policyblock_mutants.h"

namespace tandem {
DeviceBinding binding_policyblock();
DeviceBinding binding_seldev_v2();
DeviceBinding binding_timer_vendor();
}  // namespace tandem

int main(int argc, char** argv) {
  using namespace tandem;
  std::vector<DeviceBinding> devices{binding_policyblock()};
  for (const Mutant& m : policyblock_mutants()) {
    DeviceBinding b = devices.front();
    b.name = m.name;
    b.description = "MUTANT (" + m.bug_class + "): " + m.description;
    b.make_model = m.make_model;
    devices.push_back(std::move(b));
  }
  devices.push_back(binding_seldev_v2());
  const DeviceBinding vendor = binding_timer_vendor();
  devices.push_back(vendor);
  for (const Mutant& m : mutants_of("timer")) {
    DeviceBinding b = vendor;
    b.name = "timer_vendor" + m.name.substr(m.name.find('.'));
    b.description = "MUTANT (" + m.bug_class + ") over the vendor RTL: " + m.description;
    b.make_model = m.make_model;
    devices.push_back(std::move(b));
  }
  return run_cli(argc, argv, Catalog(std::move(devices)), "tandem-testdevices");
}
