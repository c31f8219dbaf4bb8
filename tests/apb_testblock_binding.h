// Binding of the bus-driver test block at data width DW (8, 16 or 32): tests/rtl/apb_testblock.sv
// on APB, tests/rtl/handshake_testblock.sv on the handshake test bus, one model for both.
#pragma once

#include <tandem/binding.h>

#include "tests/apb_testblock_model.h"

namespace tandem {

template <unsigned DW>
inline DeviceBinding testblock(const char* name) {
  DeviceBinding b;
  b.name = name;
  b.description = "bus driver test block";
  const uint64_t n = DW / 8;
  b.regmap.name = name;
  auto reg = [&](const char* reg_name, uint64_t index, Access access) {
    Register r;
    r.name = reg_name;
    r.offset = index * n;
    r.width = DW;
    r.access = access;
    return r;
  };
  b.regmap.registers = {reg("DATA", 0, Access::rw), reg("WAIT", 1, Access::rw), reg("ERR", 2, Access::ro),
                        reg("HANG", 3, Access::rw), reg("IRQ", 4, Access::rw)};
  b.hints.irq_lines = {"irq"};
  b.make_model = [] { return std::make_unique<tests::ApbTestblockModel<DW>>(); };
  return b;
}

}  // namespace tandem
