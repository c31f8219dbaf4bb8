// tandem-driver-bench: how close tandem's APB driver comes to a minimal hand-written C++ loop
// around the same tiny verilated register block (tests/rtl/apb_testblock.sv at 32 bits, no
// wait states) — the yardstick the lockstep-core issue gives: ~7.5 M transactions/s for such a
// loop on this kind of machine.
//
// Both drivers run the same program: `--steps` accesses, each a 32-bit read or write (even odds)
// of DATA or IRQ with a random value. "hand" is the loop a person writes around a verilated top:
// setup edge, access edge, sample PRDATA while PREADY is high. "tandem" is RtlExecutor::execute,
// the RTL-alone path of `tandem bench` (the harness and ApbDriver: wait states, PSLVERR, the hang limit, the
// interrupt log). Both must read the same values (a checksum), or the run fails with exit 1.
//
//   tandem-driver-bench [--steps N] [--trials T] [--min-seconds S] [--json]
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "Vapb_test32.h"
#include "tandem/binding.h"
#include "tandem/lockstep.h"
#include "tandem/rtl_executor.h"
#include "tandem/stimulus.h"

namespace tandem {
DeviceBinding binding_apb_test32();
}

namespace {

using tandem::Step;

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

std::vector<Step> make_program(uint64_t steps, uint64_t seed) {
  tandem::Rng rng(seed);
  std::vector<Step> p;
  p.reserve(steps);
  constexpr uint64_t kDataAt = 0x0, kIrqAt = 0x10;  // DATA and IRQ of the 32-bit block
  for (uint64_t i = 0; i < steps; ++i) {
    const uint64_t addr = rng.chance(50) ? kDataAt : kIrqAt;
    if (rng.chance(50))
      p.push_back(Step::write(addr, rng.next() & 0xffffffffu));
    else
      p.push_back(Step::read(addr));
  }
  return p;
}

// The loop a person writes around a verilated APB completer: one edge with PSEL, then PENABLE
// until PREADY; the context and model made as tandem makes them (one thread, own context).
class HandLoop {
 public:
  HandLoop() {
    m_ctx.threads(1);
    m_top = std::make_unique<Vapb_test32>(&m_ctx, "top");
    m_top->presetn = 0;
    for (int i = 0; i < 4; ++i) edge();
    m_top->presetn = 1;
  }
  uint64_t run(const std::vector<Step>& program) {
    uint64_t sum = 0;
    for (const Step& s : program) {
      const bool write = s.kind == tandem::StepKind::write;
      m_top->psel = 1;
      m_top->penable = 0;
      m_top->paddr = static_cast<uint8_t>(s.addr);
      m_top->pwrite = write;
      m_top->pwdata = static_cast<uint32_t>(s.data);
      m_top->pstrb = write ? 0xf : 0;
      edge();
      m_top->penable = 1;
      for (;;) {
        m_top->pclk = 0;
        m_top->eval();
        const bool ready = m_top->pready;
        const uint32_t rdata = m_top->prdata;
        m_top->pclk = 1;
        m_top->eval();
        if (ready) {
          if (!write) sum = sum * 31 + rdata;
          break;
        }
      }
      m_top->psel = 0;
      m_top->penable = 0;
    }
    return sum;
  }

 private:
  void edge() {
    m_top->pclk = 0;
    m_top->eval();
    m_top->pclk = 1;
    m_top->eval();
  }
  VerilatedContext m_ctx;
  std::unique_ptr<Vapb_test32> m_top;
};

uint64_t run_tandem(const tandem::DeviceBinding& binding, const std::vector<Step>& program) {
  tandem::RtlExecutor exec(binding);
  uint64_t sum = 0;
  for (const Step& s : program) {
    const tandem::StepResult r = exec.execute(s);
    if (s.kind == tandem::StepKind::read) sum = sum * 31 + r.data;
  }
  return sum;
}

struct Rate {
  double steps_per_s = 0;
  uint64_t checksum = 0;
};

// Best rate over `trials` turns of at least `min_seconds` each (whole programs; thread CPU time).
template <class Fn>
Rate measure(const std::vector<Step>& program, unsigned trials, double min_seconds, Fn run_once) {
  Rate best;
  for (unsigned t = 0; t < trials; ++t) {
    uint64_t steps = 0;
    const double t0 = thread_seconds();
    double elapsed = 0;
    do {
      best.checksum = run_once();
      steps += program.size();
      elapsed = thread_seconds() - t0;
    } while (elapsed < min_seconds);
    best.steps_per_s = std::max(best.steps_per_s, double(steps) / elapsed);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tandem's APB driver against a minimal hand-written loop on the same verilated block"};
  uint64_t steps = 200000, seed = 1;
  unsigned trials = 5;
  double min_seconds = 0.3;
  bool json = false;
  std::string only;
  app.add_option("--steps", steps, "accesses in the program")->check(CLI::Range(uint64_t(1), uint64_t(1) << 32));
  app.add_option("--seed", seed, "program seed");
  app.add_option("--trials", trials, "turns per driver; each keeps its best")->check(CLI::Range(1u, 1000u));
  app.add_option("--min-seconds", min_seconds, "CPU seconds per turn at least")->check(CLI::Range(0.0, 600.0));
  app.add_flag("--json", json, "one JSON object");
  app.add_option("--driver", only, "run one driver only (for a profiler)")->check(CLI::IsMember({"hand", "tandem"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "tandem-driver-bench: %s\n", e.what());
    return 2;
  }
  const std::vector<Step> program = make_program(steps, seed);
  const tandem::DeviceBinding binding = tandem::binding_apb_test32();
  Rate hand, ours;
  for (unsigned t = 0; t < trials; ++t) {  // the drivers take turns, as in tandem bench
    const Rate h = only == "tandem" ? hand : measure(program, 1, min_seconds, [&] { return HandLoop().run(program); });
    const Rate o =
        only == "hand" ? ours : measure(program, 1, min_seconds, [&] { return run_tandem(binding, program); });
    if (h.steps_per_s > hand.steps_per_s) hand = h;
    if (o.steps_per_s > ours.steps_per_s) ours = o;
  }
  const bool same = !only.empty() || hand.checksum == ours.checksum;
  if (json) {
    nlohmann::json j;
    j["driver_bench"] = {{"device", "apb_test32"},
                         {"steps", steps},
                         {"hand_steps_per_s", hand.steps_per_s},
                         {"tandem_steps_per_s", ours.steps_per_s},
                         {"tandem_of_hand", ours.steps_per_s / hand.steps_per_s},
                         {"same_reads", same}};
    std::puts(j.dump().c_str());
  } else {
    std::puts(fmt::format("apb_test32, {} accesses, best of {} turns (thread CPU time):", steps, trials).c_str());
    std::puts(fmt::format("  hand-written loop  {:>12.0f} accesses/s", hand.steps_per_s).c_str());
    std::puts(fmt::format("  tandem RtlExecutor {:>12.0f} accesses/s  ({:.0f}% of the hand loop)", ours.steps_per_s,
                          100.0 * ours.steps_per_s / hand.steps_per_s)
                  .c_str());
    if (!same) std::puts("  the two drivers read different values: the comparison is void");
  }
  return same ? 0 : 1;
}
