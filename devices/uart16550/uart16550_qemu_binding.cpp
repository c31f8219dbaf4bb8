// uart16550_qemu: QEMU's own 16550 (`serial-mm`, as the riscv64 `virt` machine maps it at
// 0x10000000 with 8-bit register stride) as the model side, against rtl/uart16550 on the 8-bit
// APB. The model factory is tandem_add_device's MODEL_QEMU (CMakeLists.txt).
//
// The stimulus is restricted to the UART's own registers (offsets 0-7): the serial-line
// harness registers at 0x20-0x33 (injector, capture FIFO, modem pins; the line model
// models/uart16550/uart_window.h serves them on the other bindings) model a line with bit
// timing, parity and framing errors and breaks, which a byte-stream chardev into QEMU cannot
// express, so the map, the driver-manual sequences and therefore every strategy leave them out.
// The receive path is still exercised: MCR.LOOP feeds the transmitter back to the receiver on
// both sides.
//
// The transmit path is compared as characters: QEMU's serial port goes into a pipe
// (MODEL_QEMU ... SERIAL), which always accepts, and the RTL's `sout` is watched (PINS
// sout:watch) by a serial terminal (models/uart16550/uart_terminal.h) that decodes its frames
// with the line settings the bus traffic sets; lockstep compares the two streams (a `serial`
// divergence, Device::take_serial).
//
// QEMU's receive line is its chardev's, which never sends here: an idle line. The RTL's is its
// `sin` port (PINS sin:in in CMakeLists.txt), held at mark by the terminal, which is fed
// nothing; left undriven it would be 0, a break the RTL receives once its divisor is set
// (finding E, docs/qemu-16550.md).
#include <algorithm>
#include <memory>

#include "uart16550_binding.h"

namespace tandem {

namespace {
constexpr uint64_t kUartEnd = 0x08;  // the harness begins at 0x20

Program uart_steps_only(const Program& p) {
  Program out;
  std::copy_if(p.begin(), p.end(), std::back_inserter(out), [](const Step& s) {
    return (s.kind != StepKind::read && s.kind != StepKind::write) || s.addr < kUartEnd;
  });
  return out;
}

}  // namespace

DeviceBinding describe_uart16550_qemu() {
  DeviceBinding b = uart16550::binding("uart16550_qemu", 0);
  b.description = "QEMU's 16550 (serial-mm on riscv64 virt) over qtest against the uart16550 RTL";
  auto& regs = b.regmap.registers;
  regs.erase(std::remove_if(regs.begin(), regs.end(), [](const Register& r) { return r.offset >= kUartEnd; }),
             regs.end());
  for (SequenceHint& s : b.hints.sequences) s.steps = uart_steps_only(s.steps);
  // The RTL's paddr is 3 bits (TOP uart16550, not the harness), so offsets past 7 alias; in
  // QEMU too (serial_ioport_read masks the register index to 3 bits). Stimulus stays inside.
  b.addr_width = 3;
  b.make_model = nullptr;  // MODEL_QEMU's factory
  // sin at mark (nothing is fed), sout decoded for the serial comparison.
  b.make_pin_source = [] { return std::make_unique<models::uart::UartTerminal>(0); };
  return b;
}

}  // namespace tandem
