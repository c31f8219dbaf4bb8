// Campaigns: sets of independent (device, strategy, seed) jobs, each a lockstep run that
// stops at its first divergence. Jobs share nothing, so campaigns shard and run on threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/lockstep.h"
#include "tandem/step.h"

namespace tandem {

// The default RTL time one run may spend. 10^9 cycles take the bundled devices' verilated RTL
// about 95 s (10^8 take ~9.5 s); the default campaign of 20,000 steps needs ~10^5. An input
// that asks for more (a replay file's `clock_step 1000000000000`, a fuzz input, a run of
// 10^9 steps) is refused before it runs for hours; a long soak run raises it explicitly.
constexpr uint64_t kDefaultMaxCycles = 1000000000;
constexpr uint64_t kUnlimitedSteps = std::numeric_limits<uint64_t>::max();

// The RTL cycles `step` takes at least on `binding`: an idle gap its length, a reset the
// binding's reset cycles, an access the bus's edges for each beat (wait states only add).
uint64_t min_cycles(const Step& step, const DeviceBinding& binding);

// Where `program` must pass `max_cycles` RTL cycles (counting the reset every run begins
// with): the index of the first step by which its min_cycles add up to more, and that sum;
// nullopt when it fits. Tells a replay file or fuzz input that is over budget before it runs.
struct BudgetOverrun {
  size_t step = 0;
  uint64_t cycles = 0;  // at least this many by the end of that step
};
std::optional<BudgetOverrun> first_step_over_budget(const Program& program, const DeviceBinding& binding,
                                                    uint64_t max_cycles);

struct Steering;  // tandem/steer.h

struct Job {
  std::string device;
  std::string strategy = "all";
  uint64_t seed = 1;
  uint64_t steps = 10000;
  uint64_t migrate_every = 0;               // > 0: move the model through save/restore every N steps
  std::string checkpoint = "";              // non-empty: write a checkpoint of the run to this file ...
  uint64_t checkpoint_every = 100000;       // ... every N steps (not at the budget's last step), and where
                                            // a run stops early or ends before its first N steps
  std::string resume = "";                  // non-empty: continue the run saved in this checkpoint file
  size_t index = 0;                         // position in the campaign before sharding: reports keep that order
  double seconds = 0;                       // > 0: a time budget; the run ends at the first step boundary after it
  uint64_t max_cycles = kDefaultMaxCycles;  // RTL edges the run may reach (CycleBudgetError); 0: no limit
  std::shared_ptr<const Steering> steering = nullptr;  // set: the stimulus favours these bins not yet hit (steer.h)
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
  bool interrupted = false;               // a stop request ended it before its budget
  std::vector<WaivedDivergences> waived;  // the waivers that matched, in the set's order
  std::vector<Waiver> unused_waivers;     // the device's waivers that matched nothing in this run
  bool keep_going = false;
  std::vector<DistinctDivergence> distinct;  // keep_going: each distinct divergence once
  // A fuzz run (strategy "fuzz"): the inputs libFuzzer ran, by its own count. Its steps and
  // compared counts are 0: the fuzzer's engine does not report them.
  uint64_t fuzz_inputs = 0;

  bool clean() const { return !divergence && failure.empty(); }
};

// What a running campaign shares with its caller: a stop request it reads between steps, and
// counters a progress display reads. Everything is atomic (lock-free), so a signal handler may
// set `stop` and other threads may read the counters while jobs run.
struct CampaignControl {
  // The campaign runs on `threads` threads; their IdleProgress slots exist from here on, so a
  // display may read them while the campaign runs.
  explicit CampaignControl(unsigned threads = 1) {
    for (unsigned t = 0; t < std::max(1u, threads); ++t) idle.push_back(std::make_unique<IdleProgress>());
  }
  const std::atomic<int>* stop = nullptr;  // non-zero: end every job at its next step boundary
  std::atomic<uint64_t> steps{0};          // steps run by every job so far
  std::atomic<uint64_t> jobs_done{0};
  std::atomic<uint64_t> divergences{0};
  // One slot per thread: where a long idle gap of that thread's job stands. Not resized.
  std::vector<std::unique_ptr<IdleProgress>> idle;

  bool stop_requested() const { return stop != nullptr && stop->load(std::memory_order_relaxed) != 0; }
};

// One job. `control` (optional) is read between steps and counts what the job did; `slot` is
// the thread's IdleProgress in it. Throws CycleBudgetError when the run demands more RTL time
// than job.max_cycles.
RunRecord run_job(const DeviceBinding& binding, const Job& job, const LockstepOptions& options = {},
                  CampaignControl* control = nullptr, size_t slot = 0);

// Fill record.waived and record.unused_waivers from the uses an engine (or several, merged)
// counted against `set`.
void record_waivers(RunRecord& record, const WaiverSet* set, const std::vector<WaiverUse>& uses);

// Keep every N-th job starting at K (1-based K of N), as `--shard K/N` does.
std::vector<Job> shard(const std::vector<Job>& jobs, unsigned k, unsigned n);

// Runs `jobs` on control.idle.size() threads (at most one per job), each job with its own
// engine (and Verilator context).
// hooks.finish runs on the job's thread right after it (shrinking a divergence, say);
// hooks.done on the calling thread, for jobs in job order, each as soon as it and every job
// before it have finished: the output never depends on the thread count. After a stop request
// the jobs not yet started are skipped (no record). The first exception a job threw (in job
// order) is rethrown once every thread has stopped; a job's exception also stops the others.
struct CampaignHooks {
  // How a job runs (a worker thread; `slot` is its IdleProgress in the control). Unset:
  // run_job(binding, job, {}, &control, slot). Set, e.g. for waivers or keep-going.
  std::function<RunRecord(const DeviceBinding&, const Job&, CampaignControl&, size_t slot)> run;
  std::function<void(const DeviceBinding&, RunRecord&)> finish;
  std::function<void(const RunRecord&)> done;
};
struct CampaignResult {
  std::vector<RunRecord> runs;  // job order
  bool interrupted = false;     // a stop request ended it early
};
CampaignResult run_campaign(const Catalog& catalog, const std::vector<Job>& jobs, CampaignControl& control,
                            const CampaignHooks& hooks = {});

}  // namespace tandem
