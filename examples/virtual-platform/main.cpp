// tandem-vp: the example virtual platform. Runs the bundled firmware drivers on every bundled
// device behind TLM-2.0 sockets, in the mode given, and prints what the firmware saw.
//   tandem-vp [--mode model|rtl|lockstep] [--policy stop|follow_rtl] [--device NAME]...
//             [--quantum-ns N] [--replay-dir DIR] [--waivers FILE]
// Exit status: 0 no divergence, 1 a divergence was reported, 2 bad usage.
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "examples/virtual-platform/platform.h"
#include "tandem/error.h"
#include "tandem/waiver.h"
#include "tandem/waiver_file.h"
#include "tests/mutants/mutants.h"

namespace {

struct Args {
  std::string mode = "model", policy = "stop", replay_dir = "tandem-replays", waivers;
  std::vector<std::string> swaps;
  uint64_t quantum_ns = 1000;
};

int run(const Args& a) {
  vp::PlatformOptions o;
  const auto mode = tandem::parse_tlm_mode(a.mode);
  const auto policy = tandem::parse_policy(a.policy);
  if (!mode) throw tandem::Error(fmt::format("--mode: '{}' is not model, rtl or lockstep", a.mode));
  if (!policy) throw tandem::Error(fmt::format("--policy: '{}' is not stop or follow_rtl", a.policy));
  if (a.quantum_ns == 0) throw tandem::Error("--quantum-ns: must be at least 1");
  o.mode = *mode;
  o.policy = *policy;
  o.swaps = a.swaps;
  o.replay_dir = a.replay_dir;
  o.quantum = sc_core::sc_time(static_cast<double>(a.quantum_ns), sc_core::SC_NS);
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  if (!a.waivers.empty()) {
    o.waivers = tandem::load_waivers(a.waivers);
    tandem::check_waivers(o.waivers, catalog);
  }
  vp::Platform platform("platform", catalog, o);
  sc_core::sc_start();
  for (const auto& [name, value] : platform.results())
    std::printf("%-28s %#llx\n", name.c_str(), (unsigned long long)value);
  std::printf("firmware %s at %s, mode %s\n", platform.finished() ? "finished" : "stopped",
              sc_core::sc_time_stamp().to_string().c_str(), a.mode.c_str());
  for (const vp::Slot& s : platform.slots()) {
    for (const tandem::WaiverUse& u : s.target->waived()) {
      const tandem::Waiver& w = s.target->waivers().waivers[u.waiver];
      std::printf("%s (%s): %llu waived by %s (%s %s): %s\n", s.role.c_str(), s.device.c_str(),
                  (unsigned long long)u.count, w.where.c_str(), tandem::kind_name(u.first.kind), u.first.reg.c_str(),
                  w.reason.c_str());
    }
    if (s.target->divergences() == 0) continue;
    const tandem::Divergence& d = *s.target->first_divergence();
    std::printf("%s (%s): %llu divergence(s), first %s at %s; replay: %s\n", s.role.c_str(), s.device.c_str(),
                (unsigned long long)s.target->divergences(), tandem::kind_name(d.kind), d.reg.c_str(),
                d.replay.c_str());
  }
  return platform.divergences() ? 1 : 0;
}

}  // namespace

int sc_main(int argc, char** argv) {
  Args a;
  CLI::App app{"tandem-vp: the bundled firmware drivers on every bundled device behind TLM-2.0 sockets"};
  app.add_option("--mode", a.mode, "model, rtl or lockstep");
  app.add_option("--policy", a.policy, "after a lockstep divergence: stop or follow_rtl");
  app.add_option("--device", a.swaps, "a catalog name that replaces its device (seldev.trust_select)");
  app.add_option("--quantum-ns", a.quantum_ns, "the CPU's global quantum in ns");
  app.add_option("--replay-dir", a.replay_dir, "where a divergence's reproducer is written");
  app.add_option("--waivers", a.waivers, "TOML file of known differences lockstep counts and goes on past");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "tandem-vp: %s\n", e.what());
    return 2;
  }
  try {
    return run(a);
  } catch (const tandem::Error& e) {
    std::fprintf(stderr, "tandem-vp: %s\n", e.what());
    return 2;
  }
}
