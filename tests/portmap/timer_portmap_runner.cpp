// The runner tandem-portmap's own devices (tandem_add_runner SOURCES): each seeded bug of the
// timer's model over the port-mapped timer RTL, as timer_portmap.<mutant>. A bug caught here
// is compared through the generated wrapper.
#include <string>
#include <vector>

#include <tandem/binding.h>

#include "tests/mutants/mutants.h"

namespace tandem {

void add_runner_devices(std::vector<DeviceBinding>& devices) {
  const DeviceBinding base = devices.at(0);
  for (const Mutant& m : mutants_of("timer")) {
    DeviceBinding b = base;
    b.name = base.name + m.name.substr(m.device.size());
    b.description = "MUTANT (" + m.bug_class + ") over the port-mapped RTL: " + m.description;
    b.make_model = m.make_model;
    devices.push_back(std::move(b));
  }
}

}  // namespace tandem
