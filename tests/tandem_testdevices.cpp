// tandem-testdevices: the tandem command line over the test devices that are bound but not
// bundled — the policy block (one field per access policy) with its two mutants, and seldev_v2
// (seldev's map and RTL revised, its model not) — so the regtest demonstrations run from a shell:
//   tandem-testdevices regtest --device policyblock.w1c_as_rw      # exit 1, names W1C.P and the model
//   tandem-testdevices regtest --device seldev_v2                  # exit 1, names IRQ_ENABLE.ERR_IE
#include "apps/cli.h"
#include "tests/mutants/policyblock_mutants.h"

namespace tandem {
DeviceBinding binding_policyblock();
DeviceBinding binding_seldev_v2();
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
  return run_cli(argc, argv, Catalog(std::move(devices)), "tandem-testdevices");
}
