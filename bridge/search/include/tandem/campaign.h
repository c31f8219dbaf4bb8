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

// The divergences one waiver took in a run: how many, and the first.
struct WaivedDivergences {
  Waiver waiver;
  uint64_t count = 0;
  Divergence first;
};

// With --keep-going: one distinct divergence (its signature), how often it occurred, where first.
struct DistinctDivergence {
  Waiver signature;  // device, kind, register, field / bits (signature_of)
  Divergence first;  // as it first occurred; first.replay is its minimal replay file
  uint64_t count = 1;
  uint64_t first_step = 0;  // step of the job's stimulus it first occurred at
};

struct RunRecord {
  Job job;
  Stats stats;
  double seconds = 0;
  std::optional<Divergence> divergence;   // with --keep-going: the first distinct divergence
  std::string failure;                    // non-empty when the run itself failed (compared nothing)
  std::vector<WaivedDivergences> waived;  // the waivers that matched, in the set's order
  std::vector<Waiver> unused_waivers;     // the device's waivers that matched nothing in this run
  bool keep_going = false;
  std::vector<DistinctDivergence> distinct;  // keep_going: each distinct divergence once

  bool clean() const { return !divergence && failure.empty(); }
};

RunRecord run_job(const DeviceBinding& binding, const Job& job, const LockstepOptions& options = {});

// Fill record.waived and record.unused_waivers from the uses an engine (or several, merged)
// counted against `set`.
void record_waivers(RunRecord& record, const WaiverSet* set, const std::vector<WaiverUse>& uses);

// Keep every N-th job starting at K (1-based K of N), as `--shard K/N` does.
std::vector<Job> shard(const std::vector<Job>& jobs, unsigned k, unsigned n);

}  // namespace tandem
