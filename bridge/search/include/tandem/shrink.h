// Shrinking: from a program that diverges to a minimal one that gives the same divergence
// kind at the same register. Delta debugging over steps; then runs of steps that matter only
// for the cycles they take replaced by one idle gap as long; then simpler values and shorter
// idle gaps; repeated to a fixed point. Every candidate is a fresh lockstep run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/campaign.h"
#include "tandem/lockstep.h"
#include "tandem/program_run.h"
#include "tandem/step.h"

namespace tandem {

struct ShrinkOptions {
  uint64_t max_runs = 4000;  // lockstep runs at most (candidates, the first run included)
  double max_seconds = 60;   // wall-clock budget; the result is deterministic unless it is hit
  LockstepOptions lockstep;
};

struct ShrinkResult {
  bool reproduced = false;               // the input program diverged at all
  Program program;                       // minimal program (the input itself when it did not reproduce)
  std::optional<Divergence> divergence;  // the minimal program's divergence
  size_t original_steps = 0;
  uint64_t runs = 0;  // lockstep runs spent
  double seconds = 0;
  bool exhausted = false;  // a budget stopped it: a smaller program may exist
};

// Shrink a diverging program. The target is the divergence of `program` itself: the same kind
// at the same register. A read that diverges on data ends with `expect` pinned to the RTL's answer.
ShrinkResult shrink_program(const DeviceBinding& binding, const Program& program, const ShrinkOptions& options = {});

// The default reproducer path of a run: DIR/<device>-<strategy>-<seed>.replay.
std::string reproducer_path(const std::string& dir, const Job& job);

struct Reproducer {
  std::string path;
  ShrinkResult shrink;
};

// What `tandem run` does on a divergence: regenerate the steps up to the diverging one (the
// stimulus is open-loop and deterministic), shrink them and write the replay file into `dir`
// (created when missing). When the regenerated steps do not diverge again, they are written
// unshrunk with a warning note, and `shrink.reproduced` is false.
Reproducer save_reproducer(const DeviceBinding& binding, const Job& job, const Divergence& divergence,
                           const std::string& dir, const ShrinkOptions& options = {});

// The informational lines a reproducer's header carries.
std::vector<std::string> reproducer_notes(const ShrinkResult& shrink, const std::string& origin);

}  // namespace tandem
