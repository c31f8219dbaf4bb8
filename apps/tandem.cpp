// tandem: the bundled devices.
#include <tandem/binding.h>

#include "cli.h"

namespace tandem {
std::vector<DeviceBinding> bundled_devices();
}

int main(int argc, char** argv) {
  const tandem::Catalog catalog(tandem::bundled_devices());
  return tandem::run_cli(argc, argv, catalog, "tandem");
}
