// Seeded stimulus generators. Same seed, same steps, bit for bit, on every machine: the
// generator uses its own PRNG and no standard-library distribution.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/step.h"

namespace tandem {

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t next();
  uint64_t below(uint64_t n);  // uniform in [0, n), n > 0
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  uint64_t m_s[4];
};

class Stimulus {
 public:
  virtual ~Stimulus() = default;
  virtual Step next() = 0;
};

// Strategies this build knows, for --strategy and its error message ("all" mixes them):
// random, hostile (needs a register map only), ordering (needs driver-manual sequences or DMA
// setups in the hints), race (needs DMA hints), edges (accesses on, just before and just after
// the edges the device's own model says its outputs change at; bridge/search/src/edge_stimulus.cpp).
std::vector<std::string> strategy_names();

// Throws Error for an unknown strategy name.
std::unique_ptr<Stimulus> make_stimulus(const std::string& strategy, const DeviceBinding& binding, uint64_t seed);

// The bus timing a run of `strategy` and `seed` drives (RtlOptions::bus_timing): `hostile`
// also varies the bus manager's timing within the protocol (AXI4-Lite channel order, delays
// and backpressure, Wishbone CYC before STB; docs/buses.md), seeded from the run's seed; the
// other strategies keep the fixed timing (0). APB's manager has one timing only.
uint64_t bus_timing_for(const std::string& strategy, uint64_t seed);

// The first `steps` steps of a strategy: what a run executed, regenerated exactly.
Program generate_program(const std::string& strategy, const DeviceBinding& binding, uint64_t seed, uint64_t steps);

}  // namespace tandem
