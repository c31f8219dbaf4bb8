// uart16550 binding, 32-bit APB (the RTL built with REG_SHIFT=2, DW=32): register n at byte
// offset 4n, data on lane 0. The firmware driver (driver/uart_driver.c) targets this variant:
// its read32/write32 accesses are one register each here.
#include "uart16550_binding.h"

namespace tandem {

DeviceBinding describe_uart16550_w32() { return uart16550::binding("uart16550_w32", 2); }

}  // namespace tandem
