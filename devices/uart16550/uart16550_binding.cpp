// uart16550 binding, 8-bit APB: registers at byte offsets 0-7, the line harness at 0x20-0x33.
// The RTL factory is added by tandem_add_device() in CMake, which knows the verilated top.
#include "uart16550_binding.h"

namespace tandem {

DeviceBinding describe_uart16550() { return uart16550::binding("uart16550", 0); }

}  // namespace tandem
