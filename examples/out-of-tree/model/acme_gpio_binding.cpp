// The binding of ACME_GPIO: its map (acme_gpio.rdl, compiled into the build as
// tandem_regs/acme_gpio.hpp), its model, its interrupt line. The bus, the data width and the
// RTL factory come from tandem_add_device (CMakeLists.txt).
#include <memory>

#include <tandem/binding.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem_regs/acme_gpio.hpp>

#include "acme_gpio_model.h"

namespace tandem {

DeviceBinding describe_acme_gpio() {
  DeviceBinding b;
  b.name = "acme_gpio";
  b.description = "ACME_GPIO (out-of-tree example): GPIO outputs with a change-detect interrupt";
  b.addr_width = 4;  // PADDR[3:0]
  b.regmap = to_register_map(parse_rdl(tandem_regs::acme_gpio::kRdlText, tandem_regs::acme_gpio::kRdlFile));
  b.hints.irq_lines = {"IRQ_O"};
  b.make_model = [] { return std::make_unique<acme::GpioModel>(8); };
  return b;
}

}  // namespace tandem
