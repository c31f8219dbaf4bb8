// The example platform runs every bundled firmware driver in the mode given (argv[1]) with the
// answers the drivers document, no divergence, and DMA through the platform's RAM; it writes
// what the firmware saw and when it finished to argv[2], which the test compares across modes.
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "examples/virtual-platform/platform.h"
#include "systemc/tests/sc_check.h"
#include "tests/mutants/mutants.h"

int sc_main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: vp_firmware_test model|rtl|lockstep OUT\n");
    return 2;
  }
  vp::PlatformOptions o;
  o.mode = *tandem::parse_tlm_mode(argv[1]);
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  vp::Platform platform("platform", catalog, o);
  sc_core::sc_start();

  std::map<std::string, uint64_t> r(platform.results().begin(), platform.results().end());
  SC_CHECK(platform.finished());
  SC_CHECK_EQ(platform.divergences(), 0u);
  SC_CHECK_EQ(r["seldev.id"], 0x5e1d0004u);
  SC_CHECK_EQ(r["seldev.wait_irq"], 0u);
  SC_CHECK_EQ(r["seldev.status"], 0x2u);                    // DONE of unit 1
  SC_CHECK_EQ(r["seldev.acc"], 0x0f0f0f0fu ^ 0x12345678u);  // XOR
  SC_CHECK_EQ(r["seldev.select_after_probe"], 1u);          // the out-of-range select was refused...
  SC_CHECK_EQ(r["seldev.status_after_probe"], 0x10000u);    // ...and flagged SEL_ERR
  SC_CHECK_EQ(r["seldev.bus_errors"], 1u);                  // its write answered an error
  SC_CHECK_EQ(r["timer.count"], 4u);
  SC_CHECK_EQ(r["timer.oneshot_fired"], 2u);
  SC_CHECK_EQ(r["timer.oneshot_count"], 99u);
  SC_CHECK_EQ(r["timer.periodic_fired"], 1u);
  SC_CHECK_EQ(r["timer.periodic_again"], 1u);
  SC_CHECK_EQ(r["timer.sleep"], 0u);
  SC_CHECK_EQ(r["dma.probe"], 1u);
  SC_CHECK_EQ(r["dma.copy_status"], 1u);  // DONE
  SC_CHECK_EQ(r["dma.copy_mismatch"], 0u);
  SC_CHECK_EQ(r["dma.copy_result"], (200ull << 32) | 1);
  SC_CHECK_EQ(r["dma.chain_status"], 1u);
  SC_CHECK_EQ(r["dma.chain_mismatch"], 0u);
  SC_CHECK_EQ(r["dma.chain_result0"], (33ull << 32) | 1);
  SC_CHECK_EQ(r["dma.chain_result1"], (64ull << 32) | 1);
  SC_CHECK_EQ(r["uart.init"], 0u);
  SC_CHECK_EQ(r["uart.loopback_echo"], 0x74616e64656dull);  // "tandem"
  SC_CHECK_EQ(r["uart.received"], uint64_t('Z'));
  SC_CHECK_EQ(r["uart.flush"], 0u);
  SC_CHECK_EQ(r["uart.captured"], 1u);
  SC_CHECK_EQ(r["uart.captured_data"], uint64_t('k'));
  SC_CHECK_EQ(r["uart16550.lsr"], 0x60u);  // THRE and TEMT after reset
  for (const char* d : {"timer", "dma", "uart16550_w32", "uart16550"})
    SC_CHECK_EQ(r[std::string(d) + ".bus_errors"], 0u);
  // The DMA engine's descriptor fetches, copies and write-backs went to the platform's RAM.
  SC_CHECK(platform.ram.reads() > 0 && platform.ram.writes() > 0);
  if (o.mode == tandem::TlmMode::lockstep)
    for (const vp::Slot& s : platform.slots()) {
      SC_CHECK(s.target->lockstep_stats().reads > 0);
      // At least the data beats: 200 and 64 aligned bytes in 8-byte reads and writes, 33
      // unaligned ones byte by byte (descriptor fetches and RESULT write-backs come on top).
      if (s.role == "dma") SC_CHECK(s.target->lockstep_stats().dma_accesses >= 2 * (200 / 8 + 64 / 8) + 2 * 33);
    }

  std::ofstream out(argv[2]);
  for (const auto& [name, value] : platform.results()) out << name << ' ' << value << '\n';
  out << "finished_at " << sc_core::sc_time_stamp().to_string() << '\n';
  return sctest::finish("vp_firmware_test");
}
