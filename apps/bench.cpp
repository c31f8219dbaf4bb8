// Benchmarks. The program is generated before the clock starts, so stimulus costs nothing.
#include "bench.h"

#include <algorithm>
#include <ctime>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <tandem/error.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/rtl_executor.h>
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

namespace {
double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
}  // namespace

void bench_device(const DeviceBinding& binding, const BenchOptions& options, BenchReport& report) {
  auto wanted = [](const std::vector<std::string>& list, const std::string& x) {
    return list.empty() || std::find(list.begin(), list.end(), x) != list.end();
  };
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
        case 0:
          return measure(binding.name, name, modes[0], program, options.min_seconds,
                         [&] { return std::make_unique<ModelExecutor>(binding); });
        case 1:
          return measure(binding.name, name, modes[1], program, options.min_seconds,
                         [&] { return std::make_unique<RtlExecutor>(binding); });
        default:
          return measure(binding.name, name, modes[2], program, options.min_seconds,
                         [&] { return std::make_unique<Lockstep>(binding); });
      }
    };
    // The modes take turns, `trials` times. Each mode's row is its best turn (a shared
    // machine's noise slows a turn down, never speeds it up); the ratios pair the modes of
    // each turn (BenchRatio).
    BenchRow best[3];
    std::vector<double> model_x, lockstep_x;
    const bool all_modes =
        wanted(options.modes, modes[0]) && wanted(options.modes, modes[1]) && wanted(options.modes, modes[2]);
    for (unsigned trial = 0; trial < options.trials; ++trial) {
      BenchRow turn[3];
      for (int m = 0; m < 3; ++m) {
        if (!wanted(options.modes, modes[m])) continue;
        turn[m] = run(m);
        if (trial == 0 || turn[m].steps_per_s() > best[m].steps_per_s()) best[m] = turn[m];
      }
      if (all_modes && turn[1].steps_per_s() > 0) {
        model_x.push_back(turn[0].steps_per_s() / turn[1].steps_per_s());
        lockstep_x.push_back(turn[2].steps_per_s() / turn[1].steps_per_s());
      }
    }
    for (int m = 0; m < 3; ++m)
      if (wanted(options.modes, modes[m])) report.rows.push_back(best[m]);
    if (!lockstep_x.empty()) {
      BenchRatio ratio{binding.name, name};
      ratio.model_over_rtl = median(model_x);
      ratio.lockstep_over_rtl = median(lockstep_x);
      ratio.lockstep_min = *std::min_element(lockstep_x.begin(), lockstep_x.end());
      ratio.lockstep_max = *std::max_element(lockstep_x.begin(), lockstep_x.end());
      ratio.turns = static_cast<unsigned>(lockstep_x.size());
      report.ratios.push_back(ratio);
    }
  }
}

std::string bench_text(const BenchReport& report) {
  const std::vector<BenchRow>& rows = report.rows;
  std::string out = fmt::format("{:<22} {:<10} {:<9} {:>10} {:>13} {:>8} {:>14} {:>15}\n", "device", "program", "mode",
                                "steps", "cycles", "seconds", "steps/s", "cycles/s");
  for (const BenchRow& r : rows)
    out += fmt::format("{:<22} {:<10} {:<9} {:>10} {:>13} {:>8.3f} {:>14.0f} {:>15.0f}\n", r.device, r.program, r.mode,
                       r.steps, r.cycles, r.seconds, r.steps_per_s(), r.cycles_per_s());
  // Ratios per device and program, when all three modes ran: what the README quotes.
  for (const BenchRatio& r : report.ratios)
    out += fmt::format(
        "{} {}: model {:.1f}x RTL steps/s; lockstep {:.1f}% of RTL steps/s (medians of {} paired turn{}; lockstep "
        "{:.1f}-{:.1f}%)\n",
        r.device, r.program, r.model_over_rtl, 100.0 * r.lockstep_over_rtl, r.turns, r.turns == 1 ? "" : "s",
        100.0 * r.lockstep_min, 100.0 * r.lockstep_max);
  return out;
}

std::string bench_json(const BenchReport& report) {
  nlohmann::json arr = nlohmann::json::array();
  for (const BenchRow& r : report.rows)
    arr.push_back({{"device", r.device},
                   {"program", r.program},
                   {"mode", r.mode},
                   {"steps", r.steps},
                   {"cycles", r.cycles},
                   {"seconds", r.seconds},
                   {"steps_per_s", r.steps_per_s()},
                   {"cycles_per_s", r.cycles_per_s()}});
  nlohmann::json ratios = nlohmann::json::array();
  for (const BenchRatio& r : report.ratios)
    ratios.push_back({{"device", r.device},
                      {"program", r.program},
                      {"model_over_rtl", r.model_over_rtl},
                      {"lockstep_over_rtl", r.lockstep_over_rtl},
                      {"lockstep_over_rtl_min", r.lockstep_min},
                      {"lockstep_over_rtl_max", r.lockstep_max},
                      {"turns", r.turns}});
  return nlohmann::json{{"bench", arr}, {"ratios", ratios}}.dump(2);
}

}  // namespace tandem
