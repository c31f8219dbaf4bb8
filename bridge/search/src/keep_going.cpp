// Keep-going campaigns: restart from reset after each new divergence, with its signature waived.
#include "tandem/keep_going.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "tandem/files.h"
#include "tandem/program_run.h"
#include "tandem/replay.h"
#include "tandem/steer.h"
#include "tandem/stimulus.h"
#include "tandem/waiver.h"

namespace tandem {

namespace {

void add_stats(Stats& total, const Stats& s) {
  total.steps += s.steps;
  total.cycles += s.cycles;
  total.reads += s.reads;
  total.writes += s.writes;
  total.irq_checks += s.irq_checks;
  total.dma_accesses += s.dma_accesses;
}

class KeepGoingJob {
 public:
  KeepGoingJob(const DeviceBinding& binding, const Job& job, const LockstepOptions& options,
               const KeepGoingOptions& keep_going)
      : m_binding(binding), m_job(job), m_options(options), m_keep_going(keep_going) {
    if (options.waivers) m_known = *options.waivers;
    m_user_waivers = m_known.waivers.size();
  }

  RunRecord run() {
    const auto start = std::chrono::steady_clock::now();
    RunRecord rec;
    rec.job = m_job;
    rec.keep_going = true;
    std::unique_ptr<Stimulus> stimulus = job_stimulus(m_binding, m_job);
    uint64_t next = 0;  // the stimulus's next step
    std::vector<WaiverUse> uses;
    for (;;) {
      const uint64_t segment_start = next;
      LockstepOptions o = m_options;
      o.waivers = &m_known;
      Lockstep engine(m_binding, o);
      while (next < m_job.steps && !engine.diverged()) {
        engine.execute(stimulus->next());
        ++next;
      }
      engine.finish();
      add_stats(rec.stats, engine.stats());
      merge_waiver_uses(uses, engine.waived());
      if (!engine.diverged()) break;
      add_distinct(rec, *engine.divergence(), segment_start);
      // After a hang or a crash nothing is left to compare: the run ends at that finding.
      if (!waivable(engine.divergence()->kind)) break;
      if (rec.distinct.size() >= m_keep_going.max_distinct || next >= m_job.steps) break;
    }
    for (size_t k = 0; k < rec.distinct.size(); ++k) {
      const auto it =
          std::find_if(uses.begin(), uses.end(), [&](const WaiverUse& u) { return u.waiver == m_user_waivers + k; });
      if (it != uses.end()) rec.distinct[k].count += it->count;
    }
    record_waivers(rec, m_options.waivers, uses);
    if (!rec.distinct.empty()) rec.divergence = rec.distinct.front().first;
    if (!rec.divergence && rec.stats.compared_nothing()) rec.failure = "the run compared nothing";
    rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return rec;
  }

 private:
  // The new divergence `d` of the segment that began at stimulus step `segment_start`:
  // shrunk with the known ones waived, written out, and from now on waived itself.
  void add_distinct(RunRecord& rec, const Divergence& d, uint64_t segment_start) {
    DistinctDivergence dd;
    dd.signature = signature_of(d, m_binding);
    dd.first = d;
    dd.first_step = segment_start + d.step;
    dd.first.step = dd.first_step;
    dd.first.replay = write_reproducer(d, segment_start, rec.distinct.size() + 1);
    Waiver known = dd.signature;
    known.where = fmt::format("keep-going #{}", rec.distinct.size() + 1);
    known.reason = fmt::format("distinct divergence #{} of this run", rec.distinct.size() + 1);
    if (waivable(d.kind)) m_known.waivers.push_back(known);
    rec.distinct.push_back(std::move(dd));
  }

  std::string write_reproducer(const Divergence& d, uint64_t segment_start, size_t n) {
    make_output_dir(m_keep_going.out_dir.empty() ? "." : m_keep_going.out_dir);
    const std::string path = distinct_replay_path(m_keep_going.out_dir, m_job, n);
    const uint64_t end = std::min(segment_start + d.step + 1, m_job.steps);
    const Program all = job_program(m_binding, m_job, end);
    const Program segment(all.begin() + static_cast<std::ptrdiff_t>(std::min<uint64_t>(segment_start, end)), all.end());
    ShrinkOptions so = m_keep_going.shrink;
    so.lockstep = m_options;
    so.lockstep.observer = nullptr;  // shrinking's trial runs are not the run's (coverage)
    so.lockstep.waivers = &m_known;
    const ShrinkResult shrunk = shrink_program(m_binding, segment, so);
    std::vector<std::string> notes = reproducer_notes(
        shrunk, fmt::format("found by: {} strategy {} seed {} --keep-going: distinct divergence #{}, {} at register "
                            "{}, step {} (after a reset at step {})",
                            m_job.device, m_job.strategy, m_job.seed, n, kind_name(d.kind), d.reg,
                            segment_start + d.step, segment_start));
    if (shrunk.reproduced && !reproduces_alone(shrunk)) notes.push_back(needs_known_note(n));
    write_replay(path, m_binding.name, shrunk.program, notes);
    return path;
  }

  // Does the minimal program give the same divergence with only the user's waivers?
  bool reproduces_alone(const ShrinkResult& shrunk) const {
    LockstepOptions o = m_options;
    const ProgramRun run = run_program(m_binding, shrunk.program, o);
    return run.divergence && shrunk.divergence && run.divergence->kind == shrunk.divergence->kind &&
           run.divergence->reg == shrunk.divergence->reg;
  }

  static std::string needs_known_note(size_t n) {
    return fmt::format(
        "note: run alone these steps diverge first on one of distinct divergences #1..#{}: "
        "replay with a waiver file holding those (tandem waive)",
        n - 1);
  }

  const DeviceBinding& m_binding;
  const Job& m_job;
  const LockstepOptions& m_options;
  const KeepGoingOptions& m_keep_going;
  WaiverSet m_known;  // the user's waivers, then one per distinct divergence found
  size_t m_user_waivers = 0;
};

}  // namespace

RunRecord run_keep_going(const DeviceBinding& binding, const Job& job, const LockstepOptions& options,
                         const KeepGoingOptions& keep_going) {
  return KeepGoingJob(binding, job, options, keep_going).run();
}

std::string distinct_replay_path(const std::string& dir, const Job& job, size_t n) {
  const std::string name = fmt::format("{}-{}-{}-{}.replay", job.device, job.strategy, job.seed, n);
  return (std::filesystem::path(dir.empty() ? "." : dir) / name).string();
}

}  // namespace tandem
