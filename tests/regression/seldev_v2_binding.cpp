// seldev_v2: seldev's binding with the revised map (IRQ_ENABLE.ERR_IE moved from bit 8 to bit
// 12, generated from devices/seldev/seldev.rdl at configure time, see CMakeLists.txt) and the
// revised RTL, and seldev's model as it was.
#include <tandem/binding.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem_regs/seldev_v2.hpp>

namespace tandem {

DeviceBinding describe_seldev();

DeviceBinding describe_seldev_v2() {
  DeviceBinding b = describe_seldev();  // hints and model factory: seldev's
  const MapSpec spec = parse_rdl(tandem_regs::seldev_v2::kRdlText, tandem_regs::seldev_v2::kRdlFile);
  b.name = "seldev_v2";
  b.description = "seldev with IRQ_ENABLE.ERR_IE moved to bit 12 in map and RTL, model unchanged";
  b.regmap = to_register_map(spec);
  b.regmap.name = "seldev_v2";
  b.hints.selectors = selector_hints(spec);
  return b;
}

}  // namespace tandem
