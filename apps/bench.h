// `tandem bench`: the model alone, the RTL alone and lockstep, measured on the same program
// in the same process run.
#pragma once

#include <string>
#include <vector>

#include <tandem/binding.h>

namespace tandem {

struct BenchRow {
  std::string device;
  std::string program;  // "registers" (register traffic) or "idle" (long idle gaps)
  std::string mode;     // "model", "rtl", "lockstep" or "floor" (the model alone with a model that does nothing)
  uint64_t steps = 0;
  uint64_t cycles = 0;
  double seconds = 0;
  double steps_per_s() const { return seconds > 0 ? steps / seconds : 0; }
  double cycles_per_s() const { return seconds > 0 ? cycles / seconds : 0; }
};

// Model and lockstep against the RTL, from turns: each turn runs the modes side by side in
// interleaved slices of a few milliseconds, and a ratio is the median over turns of that turn's
// own ratio. The VM's speed drifts within a fraction of a second; modes measured in alternating
// slices see the same drift, where the ratio of two modes' best turns (taken at different
// moments) does not. A ratio not measured is 0.
struct BenchRatio {
  std::string device;
  std::string program;
  double model_over_rtl = 0;                  // median of the turns' model ÷ RTL steps/s
  double lockstep_over_rtl = 0;               // median of the turns' lockstep ÷ RTL steps/s
  double lockstep_min = 0, lockstep_max = 0;  // the turns' lowest and highest lockstep ÷ RTL
  double floor_over_rtl = 0;                  // median of the turns' floor ÷ RTL (--mode floor)
  unsigned turns = 0;
};

struct BenchReport {
  std::vector<BenchRow> rows;      // each mode's best turn
  std::vector<BenchRatio> ratios;  // when the model, RTL and lockstep ran, or the RTL and the floor
};

struct BenchOptions {
  uint64_t steps = 200000;
  uint64_t seed = 1;
  double min_seconds = 0.3;           // each mode repeats the program until it has run this long
  unsigned trials = 3;                // turns of the modes; each mode's best turn is its row
  std::vector<std::string> modes;     // "model", "rtl", "lockstep", "floor"; empty: the first three
  std::vector<std::string> programs;  // "registers", "idle"; empty: both
};

// Appends the device's rows and ratios to `report`.
void bench_device(const DeviceBinding& binding, const BenchOptions& options, BenchReport& report);

std::string bench_text(const BenchReport& report);
std::string bench_json(const BenchReport& report);

}  // namespace tandem
