// seldev on Wishbone B4 classic (rtl/seldev/seldev_wishbone.sv: seldev's RTL behind a Wishbone B4 classic port):
// seldev's binding — map, hints and model — under its own name; the model does not know the bus.
#include <tandem/binding.h>

namespace tandem {

DeviceBinding describe_seldev();

DeviceBinding describe_seldev_wishbone() {
  DeviceBinding b = describe_seldev();
  b.name = "seldev_wishbone";
  b.description += ", on Wishbone B4 classic";
  return b;
}

}  // namespace tandem
