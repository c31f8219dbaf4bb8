// Benchmarks. The program is generated before the clock starts, so stimulus costs nothing.
#include "bench.h"

#include <algorithm>
#include <ctime>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <tandem/error.h>
#include <tandem/lockstep.h>
#include <tandem/stimulus.h>

namespace tandem {

namespace {

// The measuring thread's CPU time, not the wall clock: on a shared machine the scheduler
// takes turns away from a run, which wall time would count against it. On a quiet machine
// the two agree to within a percent for this single-threaded loop.
double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

template <class MakeExecutor>
BenchRow measure(const std::string& device, const std::string& program_name, const std::string& mode,
                 const Program& program, double min_seconds, MakeExecutor make) {
  BenchRow row{device, program_name, mode};
  auto executor = make();
  const Cycle start_cycle = executor->now();
  const double start = thread_seconds();
  double elapsed = 0;
  do {
    for (const Step& s : program) executor->execute(s);
    row.steps += program.size();
    elapsed = thread_seconds() - start;
  } while (elapsed < min_seconds);
  row.seconds = elapsed;
  row.cycles = executor->now() - start_cycle;
  return row;
}

}  // namespace

std::vector<BenchRow> bench_device(const DeviceBinding& binding, const BenchOptions& options) {
  auto wanted = [](const std::vector<std::string>& list, const std::string& x) {
    return list.empty() || std::find(list.begin(), list.end(), x) != list.end();
  };
  std::vector<BenchRow> rows;
  // Two programs: the device's own random register traffic, and the same with long idle gaps.
  DeviceBinding idle_binding = binding;
  idle_binding.hints.max_idle = std::max<uint64_t>(binding.hints.max_idle, 100000);
  const std::pair<std::string, const DeviceBinding*> programs[] = {{"registers", &binding}, {"idle", &idle_binding}};
  const char* const modes[3] = {"model", "rtl", "lockstep"};
  for (const auto& entry : programs) {
    // Named copies, not a structured binding: C++17 lambdas cannot capture those (clang says so).
    const std::string& name = entry.first;
    const DeviceBinding* b = entry.second;
    if (!wanted(options.programs, name)) continue;
    const uint64_t steps = name == "idle" ? std::max<uint64_t>(1, options.steps / 100) : options.steps;
    const Program program = generate_program("random", *b, options.seed, steps);
    auto run = [&](int mode) {
      switch (mode) {
        case 0: return measure(binding.name, name, modes[0], program, options.min_seconds,
                               [&] { return std::make_unique<ModelExecutor>(binding); });
        case 1: return measure(binding.name, name, modes[1], program, options.min_seconds,
                               [&] { return std::make_unique<RtlExecutor>(binding); });
        default: return measure(binding.name, name, modes[2], program, options.min_seconds,
                                [&] { return std::make_unique<Lockstep>(binding); });
      }
    };
    // The modes take turns, `trials` times, and each keeps its best rate: a shared machine's
    // noise slows a trial down, never speeds it up.
    BenchRow best[3];
    for (unsigned trial = 0; trial < options.trials; ++trial)
      for (int m = 0; m < 3; ++m) {
        if (!wanted(options.modes, modes[m])) continue;
        const BenchRow r = run(m);
        if (trial == 0 || r.steps_per_s() > best[m].steps_per_s()) best[m] = r;
      }
    for (int m = 0; m < 3; ++m)
      if (wanted(options.modes, modes[m])) rows.push_back(best[m]);
  }
  return rows;
}

std::string bench_text(const std::vector<BenchRow>& rows) {
  std::string out = fmt::format("{:<22} {:<10} {:<9} {:>10} {:>13} {:>8} {:>14} {:>15}\n", "device", "program", "mode",
                                "steps", "cycles", "seconds", "steps/s", "cycles/s");
  for (const BenchRow& r : rows)
    out += fmt::format("{:<22} {:<10} {:<9} {:>10} {:>13} {:>8.3f} {:>14.0f} {:>15.0f}\n", r.device, r.program, r.mode,
                       r.steps, r.cycles, r.seconds, r.steps_per_s(), r.cycles_per_s());
  // Ratios per device and program, when all three modes ran: what the README quotes.
  for (size_t i = 0; i + 2 < rows.size(); ++i) {
    const BenchRow &m = rows[i], &r = rows[i + 1], &l = rows[i + 2];
    if (m.mode != "model" || r.mode != "rtl" || l.mode != "lockstep") continue;
    out += fmt::format("{} {}: model {:.1f}x RTL steps/s; lockstep {:.1f}% of RTL steps/s\n", m.device, m.program,
                       m.steps_per_s() / r.steps_per_s(), 100.0 * l.steps_per_s() / r.steps_per_s());
  }
  return out;
}

std::string bench_json(const std::vector<BenchRow>& rows) {
  nlohmann::json arr = nlohmann::json::array();
  for (const BenchRow& r : rows)
    arr.push_back({{"device", r.device},
                   {"program", r.program},
                   {"mode", r.mode},
                   {"steps", r.steps},
                   {"cycles", r.cycles},
                   {"seconds", r.seconds},
                   {"steps_per_s", r.steps_per_s()},
                   {"cycles_per_s", r.cycles_per_s()}});
  return nlohmann::json{{"bench", arr}}.dump(2);
}

}  // namespace tandem
