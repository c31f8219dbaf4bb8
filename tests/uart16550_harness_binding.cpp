// The Verilog serial harness around tandem's uart16550 (TOP uart16550_harness in
// rtl/uart16550/uart16550.sv: injector, capture FIFO and modem registers at 0x20-0x33 in RTL),
// which the bundled uart16550 devices ran in before the line model (models/uart16550/
// uart_window.h) served those registers. Bound for tests/uart_window_test.cpp, which runs it on
// the RTL side only as the reference the line model is proven against: it has no pins, so the
// model (whose irq() carries the output pins) is not run beside it.
#include "devices/uart16550/uart16550_binding.h"

namespace tandem {
DeviceBinding describe_uart16550_harness() {
  DeviceBinding b = uart16550::binding("uart16550_harness", 0);
  b.description = "uart16550 in its Verilog serial-line harness (the line model's reference)";
  b.make_pin_source = nullptr;  // the harness drives the UART's pins itself
  return b;
}
}  // namespace tandem
