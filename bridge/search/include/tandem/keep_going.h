// Keep-going campaigns: a job that does not end at its first divergence. Each new divergence
// is shrunk to a replay file, its signature (device, kind, register, field, bits) joins an
// in-memory waiver set, and the job restarts from reset on the next step of its stimulus until
// its step budget is spent; later occurrences of a known signature are counted, not re-reported.
#pragma once

#include <cstddef>
#include <string>

#include "tandem/campaign.h"
#include "tandem/shrink.h"

namespace tandem {

struct KeepGoingOptions {
  std::string out_dir = "tandem-out";  // replay files: <device>-<strategy>-<seed>-<N>.replay
  ShrinkOptions shrink;                // its lockstep options are replaced by the run's
  size_t max_distinct = 64;            // a job stops early once it has found this many
};

// `options.waivers` (may be null) are the user's; the record's `distinct` lists each new
// divergence once, in the order found, and `divergence` is the first of them.
RunRecord run_keep_going(const DeviceBinding& binding, const Job& job, const LockstepOptions& options,
                         const KeepGoingOptions& keep_going);

// The replay file of the n-th (1-based) distinct divergence of a job.
std::string distinct_replay_path(const std::string& dir, const Job& job, size_t n);

}  // namespace tandem
