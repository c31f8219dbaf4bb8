// seldev on Wishbone B4 pipelined (rtl/seldev/seldev_wishbone_pipelined.sv: seldev's RTL behind a Wishbone B4 pipelined
// port): seldev's binding — map, hints and model — under its own name; the model does not know the bus.
#include <tandem/binding.h>

namespace tandem {

DeviceBinding describe_seldev();

DeviceBinding describe_seldev_wishbone_pipelined() {
  DeviceBinding b = describe_seldev();
  b.name = "seldev_wishbone_pipelined";
  b.description += ", on Wishbone B4 pipelined";
  return b;
}

}  // namespace tandem
