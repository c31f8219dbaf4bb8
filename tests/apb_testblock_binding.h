// Binding of the APB test block at data width DW (8, 16 or 32).
#pragma once

#include <tandem/binding.h>

#include "tests/apb_testblock_model.h"

namespace tandem {

template <unsigned DW>
inline DeviceBinding testblock(const char* name) {
  DeviceBinding b;
  b.name = name;
  b.description = "APB driver test block";
  b.data_width = DW;
  const uint64_t n = DW / 8;
  b.regmap.name = name;
  b.regmap.registers = {{"DATA", 0 * n, DW, 0, Access::rw},
                        {"WAIT", 1 * n, DW, 0, Access::rw},
                        {"ERR", 2 * n, DW, 0, Access::ro},
                        {"HANG", 3 * n, DW, 0, Access::rw},
                        {"IRQ", 4 * n, DW, 0, Access::rw}};
  b.hints.irq_lines = {"irq"};
  b.make_model = [] { return std::make_unique<tests::ApbTestblockModel<DW>>(); };
  return b;
}

}  // namespace tandem
