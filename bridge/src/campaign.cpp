// Running one campaign job end to end.
#include "tandem/campaign.h"

#include <chrono>
#include <memory>

#include "tandem/error.h"
#include "tandem/stimulus.h"

namespace tandem {

RunRecord run_job(const DeviceBinding& binding, const Job& job, const LockstepOptions& options) {
  RunRecord rec;
  rec.job = job;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Stimulus> stimulus = make_stimulus(job.strategy, binding, job.seed);
  Lockstep engine(binding, options);
  for (uint64_t i = 0; i < job.steps && !engine.diverged(); ++i) {
    engine.execute(stimulus->next());
    if (job.migrate_every != 0 && (i + 1) % job.migrate_every == 0) engine.migrate_model();
  }
  engine.finish();  // DMA accesses one side still owes, and the final guest memories
  rec.stats = engine.stats();
  rec.divergence = engine.divergence();
  if (!rec.divergence && rec.stats.compared_nothing()) rec.failure = "the run compared nothing";
  rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rec;
}

std::vector<Job> shard(const std::vector<Job>& jobs, unsigned k, unsigned n) {
  if (n == 0 || k == 0 || k > n) throw Error("--shard K/N needs 1 <= K <= N");
  std::vector<Job> out;
  for (size_t i = k - 1; i < jobs.size(); i += n) out.push_back(jobs[i]);
  return out;
}

}  // namespace tandem
