// Running campaign jobs end to end, one at a time or on threads.
#include "tandem/campaign.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "tandem/checkpoint.h"
#include "tandem/error.h"
#include "tandem/files.h"
#include "tandem/snapshot.h"
#include "tandem/steer.h"
#include "tandem/stimulus.h"

namespace tandem {

namespace {

using Clock = std::chrono::steady_clock;

// Steps between looks at the clock (--seconds) and updates of the shared step counter: both
// cost far more than a lockstep step of a register access.
constexpr uint64_t kPollSteps = 256;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void write_checkpoint(const DeviceBinding& binding, const Job& job, const Lockstep& engine, uint64_t step) {
  Checkpoint c;
  c.device = binding.name;
  c.build_id = binding.build_id;
  c.strategy = job.strategy;
  c.regmap_hash = regmap_hash(binding.regmap);
  c.seed = job.seed;
  c.step = step;
  c.budget = job.steps == kUnlimitedSteps ? 0 : job.steps;  // a --seconds run has no step budget to record
  StateWriter w;
  engine.save_checkpoint(w);
  c.engine = std::move(w.bytes);
  write_checkpoint_file(job.checkpoint, c);
}

// Every checkpoint_every steps, except at the budget's last step (the run ends there): true
// when one was written after `done` steps.
bool periodic_checkpoint(const DeviceBinding& binding, const Job& job, const Lockstep& engine, uint64_t done) {
  if (job.checkpoint.empty() || job.checkpoint_every == 0 || done % job.checkpoint_every != 0 || done >= job.steps ||
      engine.diverged())
    return false;
  write_checkpoint(binding, job, engine, done);
  return true;
}

// --resume: the engine and the stimulus where the checkpoint left them; the step it stands at.
uint64_t resume_from(const DeviceBinding& binding, const Job& job, Lockstep& engine, Stimulus& stimulus) {
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
  for (uint64_t i = 0; i < c.step; ++i) stimulus.next();  // the stimulus resumes where it stood
  return c.step;
}

// Between steps: a stop request ends the run here; every kPollSteps steps the shared step
// count is brought up to date and the time budget looked at. `done` steps ran so far, of
// which `reported` are counted. True when the run must end here.
bool must_end(const Job& job, CampaignControl* control, Clock::time_point start, uint64_t done, uint64_t& reported,
              bool& stopped) {
  const bool poll = done % kPollSteps == 0;
  if (control != nullptr) {
    if (poll) {
      control->steps.fetch_add(done - reported, std::memory_order_relaxed);
      reported = done;
    }
    if (control->stop_requested()) {
      stopped = true;
      return true;
    }
  }
  return poll && job.seconds > 0 && seconds_since(start) >= job.seconds;
}

}  // namespace

uint64_t min_cycles(const Step& step, const DeviceBinding& binding) {
  switch (step.kind) {
    case StepKind::idle: return step.data;
    case StepKind::reset: return binding.hints.reset_cycles;
    case StepKind::read:
    case StepKind::write:
      return uint64_t(binding.access_edges) * split_access(step.addr, step.size, binding.data_bytes()).count;
    case StepKind::mem_write: return 0;
  }
  return 0;
}

std::optional<BudgetOverrun> first_step_over_budget(const Program& program, const DeviceBinding& binding,
                                                    uint64_t max_cycles) {
  if (max_cycles == 0) return std::nullopt;
  uint64_t total = binding.hints.reset_cycles;
  for (size_t i = 0; i < program.size(); ++i) {
    const uint64_t n = min_cycles(program[i], binding);
    if (n > max_cycles || total > max_cycles - n)
      return BudgetOverrun{i, n > ~uint64_t(0) - total ? ~uint64_t(0) : total + n};
    total += n;
  }
  return std::nullopt;
}

RunRecord run_job(const DeviceBinding& binding, const Job& job, const LockstepOptions& options,
                  CampaignControl* control, size_t slot) {
  RunRecord rec;
  rec.job = job;
  const auto start = Clock::now();
  std::unique_ptr<Stimulus> stimulus = job_stimulus(binding, job);
  LockstepOptions o = options;
  if (o.rtl.bus_timing == 0) o.rtl.bus_timing = bus_timing_for(job.strategy, job.seed);
  o.savable_rtl = o.savable_rtl || !job.checkpoint.empty() || !job.resume.empty();
  o.max_cycles = job.max_cycles;
  if (control != nullptr && slot < control->idle.size()) o.idle_progress = control->idle[slot].get();
  Lockstep engine(binding, o);
  const uint64_t first = job.resume.empty() ? 0 : resume_from(binding, job, engine, *stimulus);
  uint64_t reported = 0, step = first;
  bool stopped = false, saved = false;
  for (; step < job.steps && !engine.diverged(); ++step) {
    if (must_end(job, control, start, step - first, reported, stopped)) break;
    if (job.max_cycles != 0 && engine.now() > job.max_cycles)  // accesses alone (idle gaps check themselves)
      throw CycleBudgetError(engine.stats().steps, engine.now(), 0, job.max_cycles);
    engine.execute(stimulus->next());
    if (job.migrate_every != 0 && (step + 1) % job.migrate_every == 0) engine.migrate_model();
    saved |= periodic_checkpoint(binding, job, engine, step + 1);
  }
  // Where a run that stopped early (a stop request, --seconds) stands, and the end of a run
  // shorter than checkpoint_every: before finish() compares what is left, so a resume (with
  // more --steps) carries on from here.
  const bool early = step < job.steps && !engine.diverged();
  if (!job.checkpoint.empty() && !engine.diverged() && (early || !saved)) write_checkpoint(binding, job, engine, step);
  engine.finish();  // DMA accesses one side still owes, and the final guest memories
  rec.stats = engine.stats();
  rec.divergence = engine.divergence();
  record_waivers(rec, o.waivers, engine.waived());
  rec.interrupted = stopped;
  if (!rec.divergence && rec.stats.compared_nothing()) rec.failure = "the run compared nothing";
  rec.seconds = seconds_since(start);
  if (control != nullptr) control->steps.fetch_add(step - first - reported, std::memory_order_relaxed);
  return rec;
}

void record_waivers(RunRecord& record, const WaiverSet* set, const std::vector<WaiverUse>& uses) {
  record.waived.clear();
  record.unused_waivers.clear();
  if (!set) return;
  for (size_t i = 0; i < set->waivers.size(); ++i) {
    const Waiver& w = set->waivers[i];
    if (!covers_device(w, record.job.device)) continue;
    const auto use = std::find_if(uses.begin(), uses.end(), [&](const WaiverUse& u) { return u.waiver == i; });
    if (use == uses.end())
      record.unused_waivers.push_back(w);
    else
      record.waived.push_back({w, use->count, use->first});
  }
}

std::vector<Job> shard(const std::vector<Job>& jobs, unsigned k, unsigned n) {
  if (n == 0 || k == 0 || k > n) throw Error("--shard K/N needs 1 <= K <= N");
  std::vector<Job> out;
  for (size_t i = k - 1; i < jobs.size(); i += n) out.push_back(jobs[i]);
  return out;
}

namespace {

// The jobs' outcomes as threads fill them in, and the order they are handed on in.
class Outcomes {
 public:
  explicit Outcomes(size_t n) : m_records(n), m_errors(n), m_finished(n, false) {}

  void finish(size_t i, std::optional<RunRecord> record, std::exception_ptr error) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_records[i] = std::move(record);
    m_errors[i] = error;
    m_finished[i] = true;
    m_changed.notify_all();
  }
  // Blocks until job i has finished; its record (none when it was skipped) or its exception.
  std::optional<RunRecord> wait(size_t i) {
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [&] { return m_finished[i]; });
    if (m_errors[i]) std::rethrow_exception(m_errors[i]);
    return m_records[i];
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::vector<std::optional<RunRecord>> m_records;
  std::vector<std::exception_ptr> m_errors;
  std::vector<bool> m_finished;
};

}  // namespace

CampaignResult run_campaign(const Catalog& catalog, const std::vector<Job>& jobs, CampaignControl& control,
                            const CampaignHooks& hooks) {
  const size_t threads = std::max<size_t>(1, std::min(control.idle.size(), jobs.size()));
  Outcomes outcomes(jobs.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&](size_t slot) {
    for (size_t i; (i = next.fetch_add(1)) < jobs.size();) {
      if (control.stop_requested() || failed.load()) {
        outcomes.finish(i, std::nullopt, nullptr);
        continue;
      }
      try {
        const DeviceBinding& binding = catalog.get(jobs[i].device);
        RunRecord r =
            hooks.run ? hooks.run(binding, jobs[i], control, slot) : run_job(binding, jobs[i], {}, &control, slot);
        if (hooks.finish) hooks.finish(binding, r);
        control.jobs_done.fetch_add(1);
        if (!r.clean()) control.divergences.fetch_add(1);
        outcomes.finish(i, std::move(r), nullptr);
      } catch (const CycleBudgetError& e) {  // which job asked for so much RTL time
        failed = true;
        const Job& j = jobs[i];
        outcomes.finish(i, std::nullopt,
                        std::make_exception_ptr(
                            Error(fmt::format("{} strategy {} seed {}: {}", j.device, j.strategy, j.seed, e.what()))));
      } catch (...) {
        failed = true;
        outcomes.finish(i, std::nullopt, std::current_exception());
      }
    }
  };
  // Workers run the jobs; this thread hands the records on in job order as they complete.
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker, t);
  CampaignResult result;
  std::exception_ptr error;
  for (size_t i = 0; i < jobs.size() && !error; ++i) {
    try {
      std::optional<RunRecord> r = outcomes.wait(i);
      if (!r) continue;
      result.interrupted = result.interrupted || r->interrupted;
      result.runs.push_back(std::move(*r));
      if (hooks.done) hooks.done(result.runs.back());
    } catch (...) {
      error = std::current_exception();
      failed = true;
    }
  }
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  result.interrupted = result.interrupted || control.stop_requested();
  return result;
}

}  // namespace tandem
