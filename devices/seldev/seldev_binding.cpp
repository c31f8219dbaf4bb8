// seldev binding: register map, hints and model of the unit-select device. The map is
// devices/seldev/seldev.rdl, embedded by the build (tandem_regs/seldev.hpp); its selector hint
// comes from the .rdl too. The RTL factory is added by tandem_add_device() in CMake.
#include <tandem/binding.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem_regs/seldev.hpp>

#include "models/seldev/seldev_model.h"

namespace tandem {

namespace {
using M = models::SeldevModel;

Program op_sequence() {
  // The programming guide's order: enable, select, configure, load, start, wait, collect.
  return {Step::write(M::CTRL, 1),
          Step::write(M::UNIT_SELECT, 0),
          Step::write(M::U_CFG, 0x0002),
          Step::write(M::U_OPERAND, 0x1234),
          Step::write(M::U_ACC, 0xffffffff),
          Step::write(M::IRQ_ENABLE, 0x10f),
          Step::write(M::U_CMD, 1),
          Step::idle(12),
          Step::read(M::STATUS),
          Step::read(M::U_ACC),
          Step::write(M::STATUS, 0xf)};
}
}  // namespace

DeviceBinding describe_seldev() {
  DeviceBinding b;
  b.name = "seldev";
  b.description = "4 processing units behind a unit-select register (the unchecked-index class)";
  b.addr_width = 12;  // paddr[11:0]
  const MapSpec spec = parse_rdl(tandem_regs::seldev::kRdlText, tandem_regs::seldev::kRdlFile);
  b.regmap = to_register_map(spec);
  b.hints.selectors = selector_hints(spec);
  b.hints.sequences = {{"operation", op_sequence()}};
  b.hints.irq_lines = {"irq"};
  b.hints.max_idle = 64;
  b.make_model = [] { return std::make_unique<models::SeldevModel>(); };
  b.lockstep_fast = models::SeldevModel::lockstep_fast_path();
  return b;
}

}  // namespace tandem
