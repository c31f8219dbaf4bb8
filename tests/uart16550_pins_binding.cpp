// tandem's uart16550 (TOP uart16550, not the Verilog harness) through its pins alone, with the
// serial terminal line model (models/uart16550/uart_terminal.h), without the line registers'
// window; for tests/pins_test.cpp and, as the plain top, tests/uart_window_test.cpp. (The
// bundled uart16550 devices are the same top with UartWindow as their line model.)
#include "devices/uart16550/uart16550_binding.h"
#include "models/uart16550/uart_terminal.h"

namespace tandem {
DeviceBinding describe_uart16550_pins() {
  DeviceBinding b = uart16550::binding("uart16550_pins", 0);
  b.addr_width = 3;  // the UART's own paddr: registers 0-7
  b.make_pin_source = [] { return std::make_unique<models::uart::UartTerminal>(0); };
  return b;
}
}  // namespace tandem
