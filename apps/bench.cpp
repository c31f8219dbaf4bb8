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

// A model that does nothing: no state, every read 0, never an event. The model alone with it
// in the device's place ("floor") is the executor's own cost on the program: no model can run
// the program faster through the executor, so floor ÷ RTL bounds model ÷ RTL.
class NullModel final : public Device {
 public:
  void reset(Cycle) override {}
  BusResponse read(uint64_t, unsigned, Cycle) override { return {}; }
  BusResponse write(uint64_t, uint64_t, unsigned, Cycle) override { return {}; }
  void advance(Cycle) override {}
  Cycle next_event(Cycle) const override { return kNever; }
  uint32_t irq() const override { return 0; }
  void save(StateWriter&) const override {}
  std::string restore(StateReader&) override { return ""; }
};

enum Mode { kModel, kRtl, kLockstep, kFloor, kModes };
const char* const kModeNames[kModes] = {"model", "rtl", "lockstep", "floor"};

// One mode of a turn: its executor, where it stands in the program, and what it has run.
struct Runner {
  std::unique_ptr<Executor> executor;
  size_t pos = 0;      // next step of the program
  uint64_t slice = 0;  // steps a slice of this mode runs
  Cycle start_cycle = 0;
  BenchRow row;
};

// Up to `n` steps of the program from where the runner stands, never past its end (a mode
// runs whole passes of the program: with --min-seconds 0 exactly one, which the callgrind
// method in docs/measurements.md relies on). The same loop over a span of steps for every mode.
void run_steps(Runner& r, const Program& program, uint64_t n) {
  const size_t take = static_cast<size_t>(std::min<uint64_t>(n, program.size() - r.pos));
  Executor& e = *r.executor;
  for (const Step *s = program.data() + r.pos, *end = s + take; s != end; ++s) e.execute(*s);
  r.pos += take;
  if (r.pos == program.size()) r.pos = 0;
  r.row.steps += take;
}

// A mode is done at the end of a pass once it has run `min_seconds`.
bool done(const Runner& r, double min_seconds) { return r.pos == 0 && r.row.steps > 0 && r.row.seconds >= min_seconds; }

// One turn: the wanted modes run the program in interleaved slices of about kSlice seconds
// each, the order rotating from slice to slice, until each is done. The VM's speed drifts
// within a fraction of a second (other tenants, clock changes); modes measured side by side in
// short slices see the same drift, where modes run one after the other for a tenth of a second
// each do not.
constexpr double kSlice = 0.002;

void run_turn(const DeviceBinding& binding, const Program& program, double min_seconds, const bool want[kModes],
              BenchRow rows[kModes], const std::string& program_name) {
  Runner runners[kModes];
  for (int m = 0; m < kModes; ++m) {
    if (!want[m]) continue;
    Runner& r = runners[m];
    switch (m) {
      case kModel: r.executor = std::make_unique<ModelExecutor>(binding); break;
      case kRtl: r.executor = std::make_unique<RtlExecutor>(binding); break;
      case kLockstep: r.executor = std::make_unique<Lockstep>(binding); break;
      default: {
        DeviceBinding null_binding = binding;
        null_binding.make_model = [] { return std::make_unique<NullModel>(); };
        null_binding.lockstep_fast = {};
        r.executor = std::make_unique<ModelExecutor>(null_binding);
      }
    }
    r.start_cycle = r.executor->now();
    r.row = BenchRow{binding.name, program_name, kModeNames[m]};
    // The slice: a whole pass with --min-seconds 0 (one piece, no clock read between steps:
    // what a profiler wants); otherwise from first runs of 1, 4, 16 ... steps (counted), the
    // last of which took an eighth of a slice, so that a slow first step does not set it.
    if (min_seconds <= 0) {
      r.slice = program.size();
      continue;
    }
    double last = 0;
    uint64_t ran = 0;
    for (uint64_t n = 1;; n *= 4) {
      const uint64_t before = r.row.steps;
      const double t0 = thread_seconds();
      run_steps(r, program, n);
      last = thread_seconds() - t0;
      r.row.seconds += last;
      ran = r.row.steps - before;
      if (last >= kSlice / 8 || r.pos == 0 || n >= (uint64_t(1) << 30)) break;
    }
    const double per_step = last / static_cast<double>(ran);
    r.slice = per_step > 0 ? static_cast<uint64_t>(std::clamp(kSlice / per_step, 1.0, 1e9)) : uint64_t(1) << 30;
  }
  for (unsigned round = 0;; ++round) {
    bool more = false;
    for (unsigned i = 0; i < kModes; ++i) {
      Runner& r = runners[(round + i) % kModes];
      if (!r.executor || done(r, min_seconds)) continue;
      const double t0 = thread_seconds();
      run_steps(r, program, r.slice);
      r.row.seconds += thread_seconds() - t0;
      more = true;
    }
    if (!more) break;
  }
  for (int m = 0; m < kModes; ++m) {
    if (!want[m]) continue;
    rows[m] = runners[m].row;
    rows[m].cycles = runners[m].executor->now() - runners[m].start_cycle;
  }
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
  // No --mode: the model, the RTL and lockstep (the floor only when named).
  static const std::vector<std::string> kDefaultModes = {"model", "rtl", "lockstep"};
  const std::vector<std::string>& modes = options.modes.empty() ? kDefaultModes : options.modes;
  bool want[kModes];
  for (int m = 0; m < kModes; ++m) want[m] = std::find(modes.begin(), modes.end(), kModeNames[m]) != modes.end();
  for (const auto& entry : programs) {
    const std::string& name = entry.first;
    const DeviceBinding* b = entry.second;
    if (!wanted(options.programs, name)) continue;
    const uint64_t steps = name == "idle" ? std::max<uint64_t>(1, options.steps / 100) : options.steps;
    const Program program = generate_program("random", *b, options.seed, steps);
    // `trials` turns. Each mode's row is its best turn (a shared machine's noise slows a turn
    // down, never speeds it up); the ratios pair the modes of each turn (BenchRatio).
    BenchRow best[kModes];
    std::vector<double> model_x, lockstep_x, floor_x;
    for (unsigned trial = 0; trial < options.trials; ++trial) {
      BenchRow turn[kModes];
      run_turn(binding, program, options.min_seconds, want, turn, name);
      for (int m = 0; m < kModes; ++m)
        if (want[m] && (trial == 0 || turn[m].steps_per_s() > best[m].steps_per_s())) best[m] = turn[m];
      const double rtl = turn[kRtl].steps_per_s();
      if (want[kRtl] && rtl > 0) {
        if (want[kModel]) model_x.push_back(turn[kModel].steps_per_s() / rtl);
        if (want[kLockstep]) lockstep_x.push_back(turn[kLockstep].steps_per_s() / rtl);
        if (want[kFloor]) floor_x.push_back(turn[kFloor].steps_per_s() / rtl);
      }
    }
    for (int m = 0; m < kModes; ++m)
      if (want[m]) report.rows.push_back(best[m]);
    if ((!model_x.empty() && !lockstep_x.empty()) || !floor_x.empty()) {
      BenchRatio ratio{binding.name, name};
      if (!model_x.empty() && !lockstep_x.empty()) {
        ratio.model_over_rtl = median(model_x);
        ratio.lockstep_over_rtl = median(lockstep_x);
        ratio.lockstep_min = *std::min_element(lockstep_x.begin(), lockstep_x.end());
        ratio.lockstep_max = *std::max_element(lockstep_x.begin(), lockstep_x.end());
      }
      ratio.floor_over_rtl = median(floor_x);
      ratio.turns = static_cast<unsigned>(std::max(lockstep_x.size(), floor_x.size()));
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
  // Ratios per device and program: model and lockstep when the first three modes ran (what the
  // README quotes), the floor when it ran beside the RTL.
  for (const BenchRatio& r : report.ratios) {
    if (r.lockstep_over_rtl > 0)
      out += fmt::format(
          "{} {}: model {:.1f}x RTL steps/s; lockstep {:.1f}% of RTL steps/s (medians of {} paired turn{}; lockstep "
          "{:.1f}-{:.1f}%)\n",
          r.device, r.program, r.model_over_rtl, 100.0 * r.lockstep_over_rtl, r.turns, r.turns == 1 ? "" : "s",
          100.0 * r.lockstep_min, 100.0 * r.lockstep_max);
    if (r.floor_over_rtl > 0)
      out += fmt::format(
          "{} {}: floor {:.1f}x RTL steps/s (the model alone with a model that does nothing: no model runs this "
          "program faster through the executor; median of {} paired turn{})\n",
          r.device, r.program, r.floor_over_rtl, r.turns, r.turns == 1 ? "" : "s");
  }
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
  for (const BenchRatio& r : report.ratios) {
    nlohmann::json j{{"device", r.device}, {"program", r.program}, {"turns", r.turns}};
    if (r.lockstep_over_rtl > 0) {
      j["model_over_rtl"] = r.model_over_rtl;
      j["lockstep_over_rtl"] = r.lockstep_over_rtl;
      j["lockstep_over_rtl_min"] = r.lockstep_min;
      j["lockstep_over_rtl_max"] = r.lockstep_max;
    }
    if (r.floor_over_rtl > 0) j["floor_over_rtl"] = r.floor_over_rtl;
    ratios.push_back(std::move(j));
  }
  return nlohmann::json{{"bench", arr}, {"ratios", ratios}}.dump(2);
}

}  // namespace tandem
