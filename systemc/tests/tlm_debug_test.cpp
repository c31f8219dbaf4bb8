// transport_dbg answers reads without any effect: on a UART holding a received character, debug
// reads of RBR (a FIFO pop) and LSR (read-to-clear bits) return what a read would, twice, and
// leave the model's saved state, its clock and the later real reads exactly as they were; in
// lockstep the run stays in step. Writes, and reads of the RTL alone, transfer nothing.
#include <cstdint>
#include <vector>

#include "systemc/tests/sc_check.h"
#include "tandem/tlm_target.h"
#include "tests/mutants/mutants.h"

namespace {
using sc_core::sc_time;
constexpr uint64_t kRbr = 0x0, kDll = 0x0, kDlm = 0x4, kFcr = 0x8, kLcr = 0xc, kMcr = 0x10, kLsr = 0x14;
const sc_time kPeriod(10, sc_core::SC_NS);

// Loopback at divisor 1: the character comes back into the receive FIFO.
void receive_one(sctest::Initiator& cpu) {
  cpu.write32(kLcr, 0x83);
  cpu.write32(kDll, 1);
  cpu.write32(kDlm, 0);
  cpu.write32(kLcr, 0x03);
  cpu.write32(kFcr, 0x07);
  cpu.write32(kMcr, 0x10);
  cpu.write32(kRbr, 'A');
  cpu.idle(400, kPeriod);
  cpu.keeper.sync();
}

uint32_t debug32(sctest::Initiator& cpu, uint64_t addr, unsigned* n) {
  uint32_t v = 0;
  *n = cpu.debug_read(addr, reinterpret_cast<uint8_t*>(&v), 4);
  return v;
}

void peek_without_effect(sctest::Initiator& cpu, tandem::TlmTarget& uart) {
  receive_one(cpu);
  const std::vector<uint8_t> before = uart.model_state();
  const tandem::Cycle at = uart.device_cycle();
  unsigned n = 0;
  const uint32_t lsr = debug32(cpu, kLsr, &n);
  SC_CHECK_EQ(n, 4u);
  SC_CHECK_EQ(lsr & 0x01u, 0x01u);  // DR: a character is waiting
  SC_CHECK_EQ(debug32(cpu, kRbr, &n), uint32_t('A'));
  SC_CHECK_EQ(debug32(cpu, kRbr, &n), uint32_t('A'));  // not popped
  SC_CHECK_EQ(debug32(cpu, kLsr, &n), lsr);
  SC_CHECK(uart.model_state() == before);
  SC_CHECK_EQ(uart.device_cycle(), at);
  uint32_t w = 0x55;
  SC_CHECK_EQ(cpu.debug_write(0x1c, reinterpret_cast<uint8_t*>(&w), 4), 0u);  // refused
  SC_CHECK(uart.model_state() == before);
  // The real reads see what the debug reads saw, with their side effects.
  SC_CHECK_EQ(cpu.read32(kRbr), uint32_t('A'));
  SC_CHECK_EQ(cpu.read32(kLsr) & 0x01u, 0u);
}

void rtl_refuses(sctest::Initiator& cpu) {
  receive_one(cpu);
  unsigned n = 99;
  debug32(cpu, kLsr, &n);
  SC_CHECK_EQ(n, 0u);
  SC_CHECK_EQ(cpu.read32(kRbr), uint32_t('A'));
}
}  // namespace

int sc_main(int, char**) {
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  const tandem::DeviceBinding& b = catalog.get("uart16550_w32");
  tandem::TlmTargetOptions o;
  o.mode = tandem::TlmMode::model;
  tandem::TlmTarget model("model", b, o);
  o.mode = tandem::TlmMode::lockstep;
  tandem::TlmTarget lockstep("lockstep", b, o);
  o.mode = tandem::TlmMode::rtl;
  tandem::TlmTarget rtl("rtl", b, o);
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> lines;
  for (tandem::TlmTarget* t : {&model, &lockstep, &rtl})
    for (auto& port : t->irq) {
      lines.push_back(std::make_unique<sc_core::sc_signal<bool>>());
      port(*lines.back());
    }
  sctest::Initiator a("a"), c("c"), r("r");
  a.socket.bind(model.socket);
  c.socket.bind(lockstep.socket);
  r.socket.bind(rtl.socket);
  a.stop_at_end = c.stop_at_end = r.stop_at_end = false;
  a.body = [&](sctest::Initiator& cpu) { peek_without_effect(cpu, model); };
  c.body = [&](sctest::Initiator& cpu) { peek_without_effect(cpu, lockstep); };
  r.body = rtl_refuses;
  sc_core::sc_start(sc_time(20, sc_core::SC_US));
  SC_CHECK_EQ(lockstep.divergences(), 0u);
  SC_CHECK(lockstep.lockstep_stats().reads >= 2);
  return sctest::finish("tlm_debug_test");
}
