// A seeded-bug model swapped into the platform (argv[1], e.g. seldev.trust_select) in lockstep:
// the divergence is raised from inside the platform as SC_REPORT_ERROR "tandem/divergence"
// with the record (kind argv[2], register argv[3], both values), the policy stops the
// simulation, and the replay file it wrote (into argv[4]) reproduces the same divergence.
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "examples/virtual-platform/platform.h"
#include "systemc/tests/sc_check.h"
#include "tandem/program_run.h"
#include "tandem/replay.h"
#include "tests/mutants/mutants.h"

namespace {
// Every "tandem/divergence" report, as the platform's report handler received it.
std::vector<std::pair<sc_core::sc_severity, std::string>> g_reports;
void keep_reports(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (std::string(report.get_msg_type()) == "tandem/divergence")
    g_reports.emplace_back(report.get_severity(), report.get_msg());
  sc_core::sc_report_handler::default_handler(report, actions);
}
}  // namespace

int sc_main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: vp_mutant_test MUTANT KIND REGISTER REPLAY_DIR\n");
    return 2;
  }
  const std::string mutant = argv[1], kind = argv[2], reg = argv[3];
  sc_core::sc_report_handler::set_handler(keep_reports);
  vp::PlatformOptions o;
  o.mode = tandem::TlmMode::lockstep;
  o.swaps = {mutant};
  o.replay_dir = argv[4];
  std::filesystem::remove_all(o.replay_dir);
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  vp::Platform platform("platform", catalog, o);
  sc_core::sc_start();

  SC_CHECK(!platform.finished());  // policy stop: sc_stop() before the firmware ended
  SC_CHECK_EQ(sc_core::sc_report_handler::get_count("tandem/divergence"), 1u);
  SC_CHECK_EQ(g_reports.size(), 1u);
  if (!g_reports.empty()) {
    const std::string& msg = g_reports[0].second;
    SC_CHECK(g_reports[0].first == sc_core::SC_ERROR);
    SC_CHECK(msg.find(kind + " divergence at step") != std::string::npos);
    SC_CHECK(msg.find("register " + reg) != std::string::npos);
    SC_CHECK(msg.find("RTL:") != std::string::npos && msg.find("model:") != std::string::npos);
    SC_CHECK(msg.find("replay: " + o.replay_dir) != std::string::npos);
  }
  const vp::Slot* slot = nullptr;
  for (const vp::Slot& s : platform.slots())
    if (s.device == mutant) slot = &s;
  if (!SC_CHECK(slot && slot->target->first_divergence())) return sctest::finish("vp_mutant_test");
  const tandem::Divergence& d = *slot->target->first_divergence();
  SC_CHECK(tandem::kind_name(d.kind) == kind);
  SC_CHECK(d.reg == reg);
  SC_CHECK(d.rtl != d.model || d.kind == tandem::DivergenceKind::dma);
  SC_CHECK(std::filesystem::exists(d.replay));

  // The reproducer, run by the engine as `tandem replay` runs it: the same divergence.
  const tandem::ReplayFile file = tandem::load_replay(d.replay);
  SC_CHECK(file.device == mutant);
  const tandem::ProgramRun again = tandem::run_program(catalog.get(mutant), file.program);
  SC_CHECK(again.divergence.has_value());
  if (again.divergence) {
    SC_CHECK(tandem::kind_name(again.divergence->kind) == kind);
    SC_CHECK(again.divergence->reg == reg);
  }
  std::printf("replay: %s (%zu steps)\n", d.replay.c_str(), file.program.size());
  return sctest::finish("vp_mutant_test");
}
