// seldev binding: register map, hints and model of the unit-select device. The RTL factory
// is added by tandem_add_device() in CMake, which knows the verilated top.
#include <tandem/binding.h>

#include "models/seldev/seldev_model.h"

namespace tandem {

namespace {
using M = models::SeldevModel;

RegisterMap seldev_map() {
  RegisterMap map;
  map.name = "seldev";
  auto reg = [&](std::string name, uint64_t off, Access acc, uint64_t write_mask, std::vector<Field> fields,
                 std::string desc, bool is_volatile = false) {
    Register r;
    r.name = std::move(name);
    r.offset = off;
    r.access = acc;
    r.write_mask = write_mask;
    r.fields = std::move(fields);
    r.desc = std::move(desc);
    r.is_volatile = is_volatile;
    map.registers.push_back(std::move(r));
  };
  reg("ID", M::ID, Access::ro, 0, {{"UNITS", 0, 8, Access::ro}, {"MAGIC", 16, 16, Access::ro}},
      "device identification");
  map.registers.back().reset = M::kId;  // a constant: what the register reads after reset
  reg("CTRL", M::CTRL, Access::rw, 0x3, {{"ENABLE", 0, 1, Access::rw}, {"SOFT_RESET", 1, 1, Access::wo}},
      "global enable and soft reset");
  reg("STATUS", M::STATUS, Access::w1c, 0x7000f,
      {{"DONE", 0, 4, Access::w1c}, {"BUSY", 8, 4, Access::ro}, {"SEL_ERR", 16, 1, Access::w1c},
       {"START_ERR", 17, 1, Access::w1c}, {"BUSY_ERR", 18, 1, Access::w1c}},
      "completion, busy and error flags", true);
  reg("UNIT_SELECT", M::UNIT_SELECT, Access::rw, 0x3, {{"UNIT", 0, 2, Access::rw}},
      "which unit the window registers show");
  reg("IRQ_ENABLE", M::IRQ_ENABLE, Access::rw, 0x10f, {{"DONE_IE", 0, 4, Access::rw}, {"ERR_IE", 8, 1, Access::rw}},
      "interrupt enables");
  reg("U_CFG", M::U_CFG, Access::rw, 0xff03, {{"OP", 0, 2, Access::rw}, {"DELAY", 8, 8, Access::rw}},
      "selected unit: operation and extra latency");
  reg("U_OPERAND", M::U_OPERAND, Access::rw, 0xffffffff, {{"VALUE", 0, 32, Access::rw}}, "selected unit: operand");
  reg("U_ACC", M::U_ACC, Access::rw, 0xffffffff, {{"VALUE", 0, 32, Access::rw}}, "selected unit: accumulator",
      true);
  reg("U_CMD", M::U_CMD, Access::wo, 0x1, {{"START", 0, 1, Access::wo}}, "selected unit: start");
  return map;
}

Program op_sequence() {
  // The programming guide's order: enable, select, configure, load, start, wait, collect.
  return {Step::write(M::CTRL, 1),      Step::write(M::UNIT_SELECT, 0), Step::write(M::U_CFG, 0x0002),
          Step::write(M::U_OPERAND, 0x1234), Step::write(M::U_ACC, 0xffffffff), Step::write(M::IRQ_ENABLE, 0x10f),
          Step::write(M::U_CMD, 1),     Step::idle(12),                 Step::read(M::STATUS),
          Step::read(M::U_ACC),         Step::write(M::STATUS, 0xf)};
}
}  // namespace

DeviceBinding describe_seldev() {
  DeviceBinding b;
  b.name = "seldev";
  b.description = "4 processing units behind a unit-select register (the unchecked-index class)";
  b.bus = "apb";
  b.data_width = 32;
  b.addr_width = 12;  // paddr[11:0]
  b.regmap = seldev_map();
  b.hints.selectors = {{"UNIT_SELECT", M::kUnits}};
  b.hints.sequences = {{"operation", op_sequence()}};
  b.hints.irq_lines = {"irq"};
  b.hints.max_idle = 64;
  b.make_model = [] { return std::make_unique<models::SeldevModel>(); };
  return b;
}

}  // namespace tandem
