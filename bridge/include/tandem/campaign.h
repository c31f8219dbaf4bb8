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
  uint64_t migrate_every = 0;  // > 0: move the model through save/restore every N steps
  std::string checkpoint = "";   // non-empty: write a checkpoint of the run to this file ...
  uint64_t checkpoint_every = 100000;  // ... every N steps (not at the budget's last step)
  std::string resume = "";       // non-empty: continue the run saved in this checkpoint file
};

// A checkpoint file (TDMCKPT1): device, build id, register-map hash, strategy, seed, the step
// reached, the step budget of the run that wrote it (format version 2; 0 = not recorded, as in
// version 1 files), then Lockstep::save_checkpoint, then an FNV-1a checksum. The stimulus is
// resumed by regenerating it from (strategy, seed) and skipping the steps already run.
struct Checkpoint {
  std::string device, build_id, strategy;
  uint64_t regmap_hash = 0, seed = 0, step = 0;
  uint64_t budget = 0;          // the writing run's --steps; 0 when the file does not say
  std::vector<uint8_t> engine;  // Lockstep::save_checkpoint
};
std::vector<uint8_t> encode_checkpoint(const Checkpoint& c);
// Error "PATH: what is wrong" for a damaged file ...
Checkpoint decode_checkpoint(const std::vector<uint8_t>& bytes, const std::string& path);
// ... and for one of another device, build or register map than `binding`.
void check_checkpoint(const Checkpoint& c, const DeviceBinding& binding, const std::string& path);

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
