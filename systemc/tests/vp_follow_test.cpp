// Policy follow_rtl: with seldev.trust_select in the platform in lockstep, the divergence is
// reported once as an error with its reproducer, and the platform keeps running on the RTL's
// answers: the firmware finishes with what the hardware answers, every other device as usual,
// and later disagreements of the model are counted.
#include <map>
#include <string>

#include "examples/virtual-platform/platform.h"
#include "systemc/tests/sc_check.h"
#include "tests/mutants/mutants.h"

int sc_main(int argc, char** argv) {
  vp::PlatformOptions o;
  o.mode = tandem::TlmMode::lockstep;
  o.policy = tandem::DivergencePolicy::follow_rtl;
  o.swaps = {"seldev.trust_select"};
  o.replay_dir = argc > 1 ? argv[1] : "replays_follow";
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  vp::Platform platform("platform", catalog, o);
  sc_core::sc_start();

  std::map<std::string, uint64_t> r(platform.results().begin(), platform.results().end());
  SC_CHECK(platform.finished());
  const tandem::TlmTarget& seldev = *platform.slots()[0].target;
  SC_CHECK(seldev.first_divergence().has_value());
  SC_CHECK(!seldev.first_divergence()->replay.empty());
  // The refused select, then the read of UNIT_SELECT where the model (4) and RTL (1) differ.
  SC_CHECK(seldev.divergences() >= 2);
  SC_CHECK_EQ(sc_core::sc_report_handler::get_count(sc_core::SC_ERROR), 1u);
  SC_CHECK_EQ(r["seldev.select_after_probe"], 1u);  // the RTL's answer, not the model's 4
  SC_CHECK_EQ(r["seldev.status_after_probe"], 0x10000u);
  SC_CHECK_EQ(r["timer.oneshot_fired"], 2u);
  SC_CHECK_EQ(r["dma.copy_result"], (200ull << 32) | 1);
  SC_CHECK_EQ(r["uart.loopback_echo"], 0x74616e64656dull);
  for (size_t i = 1; i < platform.slots().size(); ++i) SC_CHECK_EQ(platform.slots()[i].target->divergences(), 0u);
  return sctest::finish("vp_follow_test");
}
