// seldev on AXI4-Lite (rtl/seldev/seldev_axi4lite.sv: seldev's RTL behind a AXI4-Lite port):
// seldev's binding — map, hints and model — under its own name; the model does not know the bus.
#include <tandem/binding.h>

namespace tandem {

DeviceBinding describe_seldev();

DeviceBinding describe_seldev_axi4lite() {
  DeviceBinding b = describe_seldev();
  b.name = "seldev_axi4lite";
  b.description += ", on AXI4-Lite";
  return b;
}

}  // namespace tandem
