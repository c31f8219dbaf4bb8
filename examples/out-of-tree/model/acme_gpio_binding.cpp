// The binding of ACME_GPIO: its map (acme_gpio.rdl, compiled into the build as
// tandem_regs/acme_gpio.hpp), its interrupt line, and its model: the C device table of
// acme_gpio.c, made a tandem model by tandem::CDeviceAdapter. These lines are all the C++ a C
// model needs; the bus, the data width and the RTL factory come from tandem_add_device
// (CMakeLists.txt).
#include <memory>

#include <tandem/binding.h>
#include <tandem/c_device_adapter.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem_regs/acme_gpio.hpp>

#include "acme_gpio.h"

namespace tandem {

DeviceBinding describe_acme_gpio() {
  DeviceBinding b;
  b.name = "acme_gpio";
  b.description = "ACME_GPIO (out-of-tree example): GPIO outputs with a change-detect interrupt, a C model";
  b.addr_width = 4;  // PADDR[3:0]
  b.regmap = to_register_map(parse_rdl(tandem_regs::acme_gpio::kRdlText, tandem_regs::acme_gpio::kRdlFile));
  b.hints.irq_lines = {"IRQ_O"};
  b.make_model = [] { return std::make_unique<CDeviceAdapter>(acme_gpio_device); };
  // Lockstep calls the adapter directly, without virtual dispatch (docs/device.md).
  b.lockstep_fast = CDeviceAdapter::lockstep_fast_path();
  return b;
}

}  // namespace tandem
