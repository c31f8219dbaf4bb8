// uart16550_qemu: QEMU's own 16550 (`serial-mm`, as the riscv64 `virt` machine maps it at
// 0x10000000 with 8-bit register stride) as the model side, against rtl/uart16550 on the 8-bit
// APB. The model factory is tandem_add_device's MODEL_QEMU (CMakeLists.txt).
//
// The stimulus is the UART's own registers (offsets 0-7) and one line register, H_INJ_DATA at
// 0x20: a write puts the byte on the receive line of both sides. The other harness registers
// of the bundled uart16550 bindings (0x21-0x33: injected format, forced parity and framing
// errors, breaks, the capture FIFO, modem pins; models/uart16550/uart_window.h) describe a line
// with bit timing and errors, which a byte-stream chardev into QEMU cannot carry, so the map,
// the driver-manual sequences and therefore every strategy leave them out. Offsets 8-0x3f are
// served by the line model for both sides (H_INJ_DATA; the rest answer an error, as the
// harness's unused offsets did), so QEMU never sees them.
//
// Receive path: an H_INJ_DATA write queues a frame with the UART's current format and
// divisor (as a terminal set up like the guest's driver sends) on the RTL's `sin` (PINS sin:in);
// once the RTL's receiver has taken it (its stop bit sampled), lockstep hands the byte, as
// many data bits as the frame carried, to QEMU's chardev (Device::receive_serial), which QEMU's
// UART takes as soon as it has room. Loopback (MCR.LOOP) feeds the receivers too, on both sides.
//
// Transmit path, compared as characters: QEMU's serial port is a socket (MODEL_QEMU ...
// SERIAL), which always accepts, and the RTL's `sout` is watched (PINS sout:watch) by the
// same terminal, which decodes its frames with the line settings the bus traffic sets;
// lockstep compares the two streams (a `serial` divergence, Device::take_serial).
//
// With nothing fed the RTL's `sin` idles at mark, as QEMU's chardev; left undriven it would
// be 0, a break the RTL receives once its divisor is set (finding E, docs/qemu-16550.md).
#include <algorithm>
#include <deque>
#include <memory>

#include "uart16550_binding.h"

namespace tandem {

namespace {
constexpr uint64_t kUartEnd = 0x08;  // the UART's registers; the line model serves the rest
constexpr uint64_t kInjData = 0x20;  // H_INJ_DATA, as in the bundled harness map
constexpr unsigned kWindowBits = 6;  // offsets 0-0x3f
constexpr Cycle kReceiverLag = 1;    // the RTL holds the character in RBR from one edge after its
                                     // stop bit's centre (measured at every edge offset)

Program uart_steps_only(const Program& p) {
  Program out;
  std::copy_if(p.begin(), p.end(), std::back_inserter(out), [](const Step& s) {
    return (s.kind != StepKind::read && s.kind != StepKind::write) || s.addr < kUartEnd || s.addr == kInjData;
  });
  return out;
}

// The serial terminal on the RTL's pins, with the one line register: what it puts on sin it
// also hands to the model side's receiver once the RTL's receiver has taken it.
class QemuLine final : public models::uart::UartTerminal {
 public:
  QemuLine() : UartTerminal(0) {}

  bool has_window() const override { return true; }
  bool serves(uint64_t offset) const override { return offset >= kUartEnd; }
  BusResponse serve(uint64_t offset, bool write, uint64_t value, unsigned /*size*/, Cycle at) override {
    if (offset != kInjData) return {0, true};
    if (!write) return {0, false};
    const uint8_t byte = static_cast<uint8_t>(value);
    const models::uart::Format fmt{static_cast<uint8_t>(lcr() & 0x3f)};
    const uint32_t div = models::uart::effective_divisor(divisor());
    // The frame's timing as feed() lays it out: after edge `at`, or after the frame before.
    const models::uart::Frame f =
        models::uart::make_frame(std::max(at, m_line_free), byte, fmt, div, false, false, false);
    m_line_free = f.end();
    feed(byte, at);
    m_fed.push_back({f.start + (1 + Cycle(f.nbits)) * f.bit_len + f.bit_len / 2 + kReceiverLag,
                     static_cast<uint8_t>(byte & fmt.data_mask())});
    return {0, false};
  }

  bool feeds_serial() const override { return true; }
  void take_fed(Cycle until, std::string& append_to) override {
    while (!m_fed.empty() && m_fed.front().taken < until) {
      append_to.push_back(static_cast<char>(m_fed.front().data));
      m_fed.pop_front();
    }
  }

  void on_reset(Cycle now) override {
    UartTerminal::on_reset(now);
    m_fed.clear();
    m_line_free = 0;
  }

 private:
  struct Fed {
    Cycle taken;  // the edge the RTL's RBR holds it from
    uint8_t data;
  };
  std::deque<Fed> m_fed;
  Cycle m_line_free = 0;  // the end of the last frame queued
};

}  // namespace

DeviceBinding describe_uart16550_qemu() {
  DeviceBinding b = uart16550::binding("uart16550_qemu", 0);
  b.description = "QEMU's 16550 (serial-mm on riscv64 virt) over qtest against the uart16550 RTL";
  auto& regs = b.regmap.registers;
  regs.erase(std::remove_if(regs.begin(), regs.end(),
                            [](const Register& r) { return r.offset >= kUartEnd && r.offset != kInjData; }),
             regs.end());
  for (Register& r : regs)
    if (r.offset == kInjData)
      r.desc =
          "line: writing puts the byte on both sides' receive line (the RTL's sin with the UART's format "
          "and divisor, QEMU's chardev once the RTL's receiver has it)";
  for (SequenceHint& s : b.hints.sequences) s.steps = uart_steps_only(s.steps);
  // The RTL's paddr is 3 bits (TOP uart16550, not the harness): offsets 8-0x3f are the line
  // model's window, which neither side's bus sees.
  b.addr_width = kWindowBits;
  b.make_model = nullptr;  // MODEL_QEMU's factory
  // sin fed by H_INJ_DATA (at mark otherwise), sout decoded for the serial comparison.
  b.make_pin_source = [] { return std::make_unique<QemuLine>(); };
  return b;
}

}  // namespace tandem
