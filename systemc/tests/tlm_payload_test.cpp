// b_transport in lockstep: a payload becomes the accesses the engine takes (byte enables,
// streaming width, lengths wider than the bus), the annotated delay grows by the access's
// edges times the clock period, and errors map to TLM responses.
#include <cstring>

#include "systemc/tests/sc_check.h"
#include "tandem/tlm_target.h"
#include "tests/mutants/mutants.h"

namespace {
using sc_core::SC_NS;
using sc_core::sc_time;
constexpr uint64_t kCtrl = 0x20, kCompare = 0x24;

void timer_checks(sctest::Initiator& cpu) {
  sc_time took;
  uint32_t id = 0;
  SC_CHECK(cpu.transfer(tlm::TLM_READ_COMMAND, 0x0, reinterpret_cast<uint8_t*>(&id), 4, nullptr, 0, 0, &took) ==
           tlm::TLM_OK_RESPONSE);
  SC_CHECK(took == sc_time(20, SC_NS));  // one APB transfer: setup and access edge

  // Byte enables: bytes 0 and 2 only, one 1-byte access each (two transfers, 40 ns).
  uint8_t word[4] = {0xdd, 0xcc, 0xbb, 0xaa};
  const uint8_t be[4] = {0xff, 0x00, 0xff, 0x00};
  SC_CHECK(cpu.transfer(tlm::TLM_WRITE_COMMAND, kCompare, word, 4, be, 4, 0, &took) == tlm::TLM_OK_RESPONSE);
  SC_CHECK(took == sc_time(40, SC_NS));
  SC_CHECK_EQ(cpu.read32(kCompare), 0x00bb00ddu);

  // Eight bytes on a 32-bit bus: two transfers, CTRL then COMPARE.
  uint64_t both = 0;
  SC_CHECK(cpu.transfer(tlm::TLM_READ_COMMAND, kCtrl, reinterpret_cast<uint8_t*>(&both), 8, nullptr, 0, 0, &took) ==
           tlm::TLM_OK_RESPONSE);
  SC_CHECK_EQ(both >> 32, 0x00bb00ddu);
  SC_CHECK(took == sc_time(40, SC_NS));

  // Streaming width 4: both words go to COMPARE, the second stays.
  uint32_t stream[2] = {0x11, 0x22};
  SC_CHECK(cpu.transfer(tlm::TLM_WRITE_COMMAND, kCompare, reinterpret_cast<uint8_t*>(stream), 8, nullptr, 0, 4) ==
           tlm::TLM_OK_RESPONSE);
  SC_CHECK_EQ(cpu.read32(kCompare), 0x22u);

  // A hole of the map is an address error, so is an address past the device's window.
  tlm::tlm_response_status s;
  cpu.read32(0x10, &s);
  SC_CHECK(s == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  cpu.read32(0x1000, &s);
  SC_CHECK(s == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  uint8_t wide[16] = {};  // 0x20..0x2f: CTRL, COMPARE, COUNT, then the hole at 0x2c
  SC_CHECK(cpu.transfer(tlm::TLM_READ_COMMAND, kCtrl, wide, 16) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
  uint32_t compare_seen = 0;
  std::memcpy(&compare_seen, wide + 4, 4);
  SC_CHECK_EQ(compare_seen, 0x22u);  // the accesses before the hole were made

  // A payload no bus carries, and the ignore command.
  uint8_t odd[8] = {};
  SC_CHECK(cpu.transfer(tlm::TLM_READ_COMMAND, kCtrl, odd, 8, nullptr, 0, 3) == tlm::TLM_GENERIC_ERROR_RESPONSE);
  SC_CHECK(cpu.transfer(tlm::TLM_IGNORE_COMMAND, kCtrl, odd, 4) == tlm::TLM_OK_RESPONSE);
}

void seldev_checks(sctest::Initiator& cpu) {
  SC_CHECK(cpu.write32(0xc, 3) == tlm::TLM_OK_RESPONSE);
  // A register the map has, answering an error (a unit that does not exist): generic error.
  SC_CHECK(cpu.write32(0xc, 4) == tlm::TLM_GENERIC_ERROR_RESPONSE);
  SC_CHECK_EQ(cpu.read32(0xc), 3u);
}
}  // namespace

int sc_main(int, char**) {
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  tandem::TlmTargetOptions o;
  o.mode = tandem::TlmMode::lockstep;
  tandem::TlmTarget timer("timer", catalog.get("timer"), o);
  tandem::TlmTarget seldev("seldev", catalog.get("seldev"), o);
  sc_core::sc_signal<bool> timer_irq("timer_irq"), seldev_irq("seldev_irq");
  timer.irq[0](timer_irq);
  seldev.irq[0](seldev_irq);
  sctest::Initiator a("a"), b("b");
  a.socket.bind(timer.socket);
  b.socket.bind(seldev.socket);
  a.stop_at_end = b.stop_at_end = false;
  a.body = timer_checks;
  b.body = seldev_checks;
  sc_core::sc_start(sc_time(10, sc_core::SC_US));
  SC_CHECK_EQ(timer.divergences() + seldev.divergences(), 0u);
  SC_CHECK(timer.lockstep_stats().reads >= 8);
  return sctest::finish("tlm_payload_test");
}
