// Running one campaign job end to end.
#include "tandem/campaign.h"

#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "tandem/checkpoint.h"
#include "tandem/error.h"
#include "tandem/files.h"
#include "tandem/snapshot.h"
#include "tandem/stimulus.h"

namespace tandem {

RunRecord run_job(const DeviceBinding& binding, const Job& job, const LockstepOptions& options) {
  RunRecord rec;
  rec.job = job;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Stimulus> stimulus = make_stimulus(job.strategy, binding, job.seed);
  LockstepOptions o = options;
  if (o.rtl.bus_timing == 0) o.rtl.bus_timing = bus_timing_for(job.strategy, job.seed);
  o.savable_rtl = o.savable_rtl || !job.checkpoint.empty() || !job.resume.empty();
  Lockstep engine(binding, o);
  uint64_t first = 0;
  if (!job.resume.empty()) {
    const Checkpoint c = decode_checkpoint(read_file_bytes(job.resume), job.resume);
    check_checkpoint(c, binding, job.resume);
    if (c.strategy != job.strategy || c.seed != job.seed)
      throw Error(fmt::format("{}: checkpoint of strategy {} seed {}, not strategy {} seed {}", job.resume, c.strategy,
                              c.seed, job.strategy, job.seed));
    if (c.step > job.steps)
      throw Error(fmt::format("{}: checkpoint at step {}, beyond the run's {} steps", job.resume, c.step, job.steps));
    StateReader in(c.engine);
    if (const std::string why = engine.restore_checkpoint(in); !why.empty())
      throw Error(fmt::format("{}: checkpoint refused: {}", job.resume, why));
    for (uint64_t i = 0; i < c.step; ++i) stimulus->next();  // the stimulus resumes where it stood
    first = c.step;
  }
  for (uint64_t i = first; i < job.steps && !engine.diverged(); ++i) {
    engine.execute(stimulus->next());
    if (job.migrate_every != 0 && (i + 1) % job.migrate_every == 0) engine.migrate_model();
    if (!job.checkpoint.empty() && job.checkpoint_every != 0 && (i + 1) % job.checkpoint_every == 0 &&
        i + 1 < job.steps && !engine.diverged()) {
      Checkpoint c;
      c.device = binding.name;
      c.build_id = binding.build_id;
      c.strategy = job.strategy;
      c.regmap_hash = regmap_hash(binding.regmap);
      c.seed = job.seed;
      c.step = i + 1;
      c.budget = job.steps;
      StateWriter w;
      engine.save_checkpoint(w);
      c.engine = std::move(w.bytes);
      write_checkpoint_file(job.checkpoint, c);
    }
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
