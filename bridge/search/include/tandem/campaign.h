// Campaigns: sets of independent (device, strategy, seed) jobs, each a lockstep run that
// stops at its first divergence. Jobs share nothing, so campaigns shard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/lockstep.h"

namespace tandem {

struct Job {
  std::string device;
  std::string strategy = "all";
  uint64_t seed = 1;
  uint64_t steps = 10000;
  uint64_t migrate_every = 0;          // > 0: move the model through save/restore every N steps
  std::string checkpoint = "";         // non-empty: write a checkpoint of the run to this file ...
  uint64_t checkpoint_every = 100000;  // ... every N steps (not at the budget's last step)
  std::string resume = "";             // non-empty: continue the run saved in this checkpoint file
};

struct RunRecord {
  Job job;
  Stats stats;
  double seconds = 0;
  std::optional<Divergence> divergence;
  std::string failure;  // non-empty when the run itself failed (compared nothing)

  bool clean() const { return !divergence && failure.empty(); }
};

RunRecord run_job(const DeviceBinding& binding, const Job& job, const LockstepOptions& options = {});

// Keep every N-th job starting at K (1-based K of N), as `--shard K/N` does.
std::vector<Job> shard(const std::vector<Job>& jobs, unsigned k, unsigned n);

}  // namespace tandem
