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
  std::string mode;     // "model", "rtl" or "lockstep"
  uint64_t steps = 0;
  uint64_t cycles = 0;
  double seconds = 0;
  double steps_per_s() const { return seconds > 0 ? steps / seconds : 0; }
  double cycles_per_s() const { return seconds > 0 ? cycles / seconds : 0; }
};

struct BenchOptions {
  uint64_t steps = 200000;
  uint64_t seed = 1;
  double min_seconds = 0.3;  // each mode repeats the program until it has run this long
  unsigned trials = 3;       // each mode's best of this many turns is reported
  std::vector<std::string> modes;     // "model", "rtl", "lockstep"; empty: all three
  std::vector<std::string> programs;  // "registers", "idle"; empty: both
};

std::vector<BenchRow> bench_device(const DeviceBinding& binding, const BenchOptions& options);

std::string bench_text(const std::vector<BenchRow>& rows);
std::string bench_json(const std::vector<BenchRow>& rows);

}  // namespace tandem
