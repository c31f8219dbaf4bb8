// uart16550 on 8-bit AXI4-Lite (rtl/uart16550/uart16550_axi4lite.sv: the UART, its
// pins brought out, behind a AXI4-Lite port, registers at byte offsets as on the 8-bit APB): the 8-bit
// binding — map, hints, model and line model — under its own name; the model does not know the bus.
#include "uart16550_binding.h"

namespace tandem {

DeviceBinding describe_uart16550_axi4lite() {
  DeviceBinding b = uart16550::binding("uart16550_axi4lite", 0);
  b.description = "NS16550A UART (8-bit AXI4-Lite) on a serial-line model: FIFOs, DLAB, IIR priorities";
  return b;
}

}  // namespace tandem
