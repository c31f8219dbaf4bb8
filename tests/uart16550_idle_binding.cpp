// tandem's uart16550 with one pin, its receive line, held idle (mark), and nothing else
// (TOP uart16550, PINS sin:in; its irq word is the interrupt line alone, as a QEMU model
// side's is): the RTL side tests/qemu_device_test.cpp runs stand-in QEMUs against. Its C++
// model is not run beside it (the model's irq word carries the output pins).
#include <algorithm>
#include <iterator>
#include <memory>

#include "devices/uart16550/uart16550_binding.h"

namespace tandem {

namespace {
// sin at mark (1) on every edge: left undriven it would be 0, a break.
class IdleLine final : public PinSource {
 public:
  uint64_t inputs(Cycle) const override { return 1; }
  Cycle next_change(Cycle) const override { return kNever; }
};
}  // namespace

DeviceBinding describe_uart16550_idle() {
  DeviceBinding b = uart16550::binding("uart16550_idle", 0);
  b.description = "uart16550 RTL with its receive line held idle and no other pins (stand-in QEMU tests)";
  // The line registers at 0x20-0x33 are the line model's, which this device has not: the UART's
  // eight registers on its 3-bit paddr are all there is.
  b.addr_width = 3;
  auto& regs = b.regmap.registers;
  regs.erase(std::remove_if(regs.begin(), regs.end(), [](const Register& r) { return r.offset >= 8; }), regs.end());
  for (SequenceHint& s : b.hints.sequences) {
    Program kept;
    std::copy_if(s.steps.begin(), s.steps.end(), std::back_inserter(kept), [](const Step& st) {
      return (st.kind != StepKind::read && st.kind != StepKind::write) || st.addr < 8;
    });
    s.steps = kept;
  }
  b.make_pin_source = [] { return std::make_unique<IdleLine>(); };
  return b;
}

}  // namespace tandem
