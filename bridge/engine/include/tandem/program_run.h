// Running a whole program in lockstep: the answer of every step, where it diverged, and the
// reads whose pinned values (a replay file's `expect`) the RTL did not give. Shrinking, replay,
// waves and reports all run programs this way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "tandem/binding.h"
#include "tandem/divergence.h"
#include "tandem/lockstep.h"
#include "tandem/step.h"

namespace tandem {

// A read whose pinned value (`expect` in a replay file) is not what the RTL answered.
struct ExpectMismatch {
  size_t step = 0;
  uint64_t expected = 0;
  uint64_t rtl = 0;
};

struct ProgramRun {
  Stats stats;
  std::optional<Divergence> divergence;
  size_t executed = 0;             // steps executed, the diverging one included
  StepResult last;                 // the RTL's answer to the last executed step
  std::vector<Cycle> step_cycles;  // clock edges each executed step took, in program order
  std::vector<ExpectMismatch> expect_mismatches;
  std::vector<WaiverUse> waived;  // with options.waivers: the waivers that matched
};

// Run `program` in a fresh lockstep engine until it ends or diverges, then finish() it.
ProgramRun run_program(const DeviceBinding& binding, const Program& program, const LockstepOptions& options = {});

// Many programs on one engine, as a fuzzer runs its inputs: each program starts from the state
// the engine had right after it was built and reset (a checkpoint taken then, restored before
// each program), so a program's run is the one run_program() gives it, whatever ran before.
// That needs the device's --savable RTL (DeviceBinding::make_savable_rtl); without one every
// program gets a fresh engine, which gives the same runs more slowly.
class ProgramRunner {
 public:
  explicit ProgramRunner(const DeviceBinding& binding);
  ProgramRun run(const Program& program);
  bool reuses_engine() const { return m_engine != nullptr; }

 private:
  const DeviceBinding& m_binding;
  std::unique_ptr<Lockstep> m_engine;  // null: no --savable RTL
  std::vector<uint8_t> m_start;        // the engine's checkpoint after construction
};

}  // namespace tandem
