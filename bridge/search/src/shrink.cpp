// Shrinking diverging programs: ddmin over steps, steps that only take time turned into idle
// gaps, then values and idle gaps, to a fixed point.
#include "tandem/shrink.h"
#include "tandem/program_run.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <unordered_set>

#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/replay.h"
#include "tandem/steer.h"
#include "tandem/stimulus.h"

namespace tandem {

namespace {

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 31);
}

// A fingerprint of what a program does (expect values change nothing in a lockstep run).
uint64_t fingerprint(const Program& p) {
  uint64_t h = p.size();
  for (const Step& s : p) {
    h = mix(h, (static_cast<uint64_t>(s.kind) << 8) | s.size);
    h = mix(h, s.addr);
    h = mix(h, s.data);
  }
  return h;
}

class Shrinker {
 public:
  Shrinker(const DeviceBinding& binding, const ShrinkOptions& options)
      : m_binding(binding), m_options(options), m_start(std::chrono::steady_clock::now()) {}

  uint64_t runs() const { return m_runs; }
  bool exhausted() const { return m_exhausted; }
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }
  const ProgramRun& best() const { return m_best; }

  // The first run: sets the target (kind and register). False when the program does not diverge.
  bool start(Program& program) {
    ProgramRun run = execute(program);
    if (!run.divergence) return false;
    m_kind = run.divergence->kind;
    m_reg = run.divergence->reg;
    program.resize(run.executed);
    m_best = std::move(run);
    return true;
  }

  // Does `candidate` give the target divergence? On success it is cut right after its
  // diverging step and becomes the best run.
  bool test(Program& candidate) {
    const uint64_t key = fingerprint(candidate);
    if (m_rejected.count(key)) return false;
    if (out_of_budget()) return false;
    ProgramRun run;
    try {
      run = execute(candidate);
    } catch (const Error&) {
      m_rejected.insert(key);
      return false;
    }
    if (!run.divergence || run.divergence->kind != m_kind || run.divergence->reg != m_reg) {
      m_rejected.insert(key);
      return false;
    }
    candidate.resize(run.executed);
    m_best = std::move(run);
    return true;
  }

  // Classic ddmin: try each of n chunks alone, then each complement; refine n when neither helps.
  void ddmin(Program& cur) {
    size_t n = 2;
    while (cur.size() >= 2 && !m_exhausted) {
      const size_t len = cur.size();
      n = std::min(n, len);
      const size_t chunk = (len + n - 1) / n;
      bool reduced = false;
      if (n > 2) {
        for (size_t start = 0; start < len && !reduced; start += chunk) {
          Program cand(cur.begin() + static_cast<std::ptrdiff_t>(start),
                       cur.begin() + static_cast<std::ptrdiff_t>(std::min(len, start + chunk)));
          if (test(cand)) {
            cur = std::move(cand);
            n = 2;
            reduced = true;
          }
        }
      }
      for (size_t start = 0; start < len && !reduced; start += chunk) {
        Program cand;
        cand.reserve(len);
        cand.insert(cand.end(), cur.begin(), cur.begin() + static_cast<std::ptrdiff_t>(start));
        cand.insert(cand.end(), cur.begin() + static_cast<std::ptrdiff_t>(std::min(len, start + chunk)), cur.end());
        if (test(cand)) {
          cur = std::move(cand);
          n = std::max<size_t>(n - 1, 2);
          reduced = true;
        }
      }
      if (!reduced) {
        if (n >= len) break;
        n = std::min(len, 2 * n);
      }
    }
  }

  // Steps that matter only for the cycles they take (a device whose state moves with time: a
  // character on a serial line, a counter) are not removable one at a time: without any one
  // of them the rest of the program runs earlier and misses the divergence. Replace each run
  // of `chunk` steps by one idle gap of the cycles the run took in the best run so far, from
  // half the program down to single steps; the gap merges with its neighbours and shortens
  // in simplify(). A run of idle gaps only, or one that took no cycles, is left to simplify()
  // and ddmin().
  // The steps before a chunk run as before, so a divergence of an access (data, error) cannot
  // come from a gap standing in for the last step: chunks stop before it then.
  void steps_to_idle(Program& cur) {
    const bool of_access = m_kind == DivergenceKind::read_data || m_kind == DivergenceKind::read_error ||
                           m_kind == DivergenceKind::write_error;
    for (size_t chunk = std::max<size_t>(cur.size() / 2, 1);; chunk /= 2) {
      for (size_t start = 0; start < cur.size() && !m_exhausted;) {
        const size_t limit = of_access ? cur.size() - 1 : cur.size();
        if (start >= limit) break;
        const size_t end = std::min(limit, start + chunk);
        uint64_t cycles = 0;
        bool only_idle = true;
        for (size_t i = start; i < end; ++i) {
          const uint64_t took = i < m_best.step_cycles.size() ? m_best.step_cycles[i] : 0;
          cycles = std::min(cycles + std::min(took, kReplayMaxClockStep), kReplayMaxClockStep + 1);  // no overflow
          only_idle = only_idle && cur[i].kind == StepKind::idle;
        }
        if (only_idle || cycles == 0 || cycles > kReplayMaxClockStep) {
          start = end;
          continue;
        }
        Program cand;
        cand.reserve(cur.size() - (end - start) + 1);
        cand.insert(cand.end(), cur.begin(), cur.begin() + static_cast<std::ptrdiff_t>(start));
        cand.push_back(Step::idle(cycles));
        cand.insert(cand.end(), cur.begin() + static_cast<std::ptrdiff_t>(end), cur.end());
        if (test(cand)) {
          cur = std::move(cand);
          start += 1;  // past the new gap
        } else {
          start = end;
        }
      }
      if (chunk <= 1 || m_exhausted) break;
    }
  }

  // Simpler steps: adjacent idle gaps merged, values with fewer set bits, shorter gaps.
  void simplify(Program& cur) {
    for (size_t i = 0; i + 1 < cur.size() && !m_exhausted;) {
      if (cur[i].kind == StepKind::idle && cur[i + 1].kind == StepKind::idle) {
        Program cand = cur;
        cand[i].data = std::min(kReplayMaxClockStep, cand[i].data + cand[i + 1].data);
        cand.erase(cand.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        if (test(cand)) {
          cur = std::move(cand);
          continue;
        }
      }
      ++i;
    }
    // An idle gap folded into the next one: the steps between them run earlier, everything
    // from the next gap on at the same cycle as before.
    for (size_t i = 0; i < cur.size() && !m_exhausted;) {
      size_t next = i + 1;
      if (cur[i].kind == StepKind::idle)
        while (next < cur.size() && cur[next].kind != StepKind::idle) ++next;
      if (cur[i].kind == StepKind::idle && next < cur.size() && cur[i].data <= kReplayMaxClockStep &&
          cur[next].data <= kReplayMaxClockStep - cur[i].data) {
        Program cand = cur;
        cand[next].data += cand[i].data;
        cand.erase(cand.begin() + static_cast<std::ptrdiff_t>(i));
        if (test(cand)) {
          cur = std::move(cand);
          continue;
        }
      }
      ++i;
    }
    for (size_t i = 0; i < cur.size() && !m_exhausted; ++i) {
      switch (cur[i].kind) {
        case StepKind::write:
        case StepKind::mem_write: simplify_value(cur, i); break;
        case StepKind::idle: simplify_gap(cur, i); break;
        default: break;
      }
    }
  }

 private:
  ProgramRun execute(const Program& p) {
    ++m_runs;
    return run_program(m_binding, p, m_options.lockstep);
  }

  bool out_of_budget() {
    if (m_runs >= m_options.max_runs || seconds() > m_options.max_seconds) m_exhausted = true;
    return m_exhausted;
  }

  // Try `value` for step i's data; keep it when the divergence stays.
  bool try_data(Program& cur, size_t i, uint64_t value) {
    Program cand = cur;
    cand[i].data = value;
    if (!test(cand)) return false;
    cur = std::move(cand);
    return true;
  }

  void simplify_value(Program& cur, size_t i) {
    if (cur[i].data == 0 || try_data(cur, i, 0)) return;
    for (int bit = 63; bit >= 0 && i < cur.size() && !m_exhausted; --bit) {
      const uint64_t v = cur[i].data;
      if (v & (uint64_t(1) << bit)) try_data(cur, i, v & ~(uint64_t(1) << bit));
    }
  }

  // The shortest gap that keeps the divergence, by bisection between 1 and the current gap.
  void simplify_gap(Program& cur, size_t i) {
    uint64_t hi = cur[i].data;
    if (hi <= 1 || try_data(cur, i, 1)) return;
    uint64_t lo = 1;  // known not to reproduce
    while (hi - lo > 1 && i < cur.size() && !m_exhausted) {
      const uint64_t mid = lo + (hi - lo) / 2;
      if (try_data(cur, i, mid))
        hi = mid;
      else
        lo = mid;
    }
  }

  const DeviceBinding& m_binding;
  const ShrinkOptions& m_options;
  std::chrono::steady_clock::time_point m_start;
  uint64_t m_runs = 0;
  bool m_exhausted = false;
  DivergenceKind m_kind = DivergenceKind::read_data;
  std::string m_reg;
  ProgramRun m_best;
  std::unordered_set<uint64_t> m_rejected;
};

}  // namespace

ShrinkResult shrink_program(const DeviceBinding& binding, const Program& program, const ShrinkOptions& options) {
  ShrinkResult result;
  result.original_steps = program.size();
  Shrinker shrinker(binding, options);
  Program cur = program;
  for (Step& s : cur) s.expect.reset();  // pins change nothing in lockstep; the last read gets its own
  if (!shrinker.start(cur)) {
    result.program = program;
    result.runs = shrinker.runs();
    result.seconds = shrinker.seconds();
    return result;
  }
  result.reproduced = true;
  for (;;) {
    const uint64_t before = fingerprint(cur);
    shrinker.ddmin(cur);
    shrinker.steps_to_idle(cur);
    shrinker.simplify(cur);
    if (shrinker.exhausted() || fingerprint(cur) == before) break;
  }
  const ProgramRun& best = shrinker.best();
  result.divergence = best.divergence;
  if (!cur.empty() && cur.back().kind == StepKind::read && best.divergence &&
      best.divergence->kind == DivergenceKind::read_data)
    cur.back().expect = best.last.data;
  result.program = std::move(cur);
  result.runs = shrinker.runs();
  result.seconds = shrinker.seconds();
  result.exhausted = shrinker.exhausted();
  return result;
}

std::string reproducer_path(const std::string& dir, const Job& job) {
  const std::string name = fmt::format("{}-{}-{}.replay", job.device, job.strategy, job.seed);
  return (std::filesystem::path(dir.empty() ? "." : dir) / name).string();
}

std::vector<std::string> reproducer_notes(const ShrinkResult& shrink, const std::string& origin) {
  std::vector<std::string> notes;
  if (shrink.divergence) {
    const Divergence& d = *shrink.divergence;
    notes.push_back(fmt::format("reproduces: {} divergence at register {}, step {}, cycle {} (RTL {:#x}, model {:#x})",
                                kind_name(d.kind), d.reg, d.step, d.cycle, d.rtl, d.model));
    if (!d.tolerance.empty()) notes.push_back("timing: " + d.tolerance);
  }
  if (!origin.empty()) notes.push_back(origin);
  if (shrink.reproduced) {
    notes.push_back(fmt::format("shrunk: {} -> {} steps in {} lockstep runs{}", shrink.original_steps,
                                shrink.program.size(), shrink.runs,
                                shrink.exhausted ? " (budget reached: a shorter program may exist)" : ""));
  } else {
    notes.push_back("warning: these steps did not diverge when run again; written unshrunk");
  }
  return notes;
}

Reproducer save_reproducer(const DeviceBinding& binding, const Job& job, const Divergence& divergence,
                           const std::string& dir, const ShrinkOptions& options) {
  const std::string out_dir = dir.empty() ? "." : dir;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec || !std::filesystem::is_directory(out_dir, ec))
    throw Error(fmt::format("{}: cannot create the output directory: {}", out_dir,
                            ec ? ec.message() : "a file of that name exists"));
  Reproducer rep;
  rep.path = reproducer_path(out_dir, job);
  // Up to the diverging step; all of the run's steps when the divergence came from finish().
  const Program prefix = job_program(binding, job, std::min<uint64_t>(divergence.step + 1, job.steps));
  ShrinkOptions timed = options;  // the run's bus timing, as run_job drove it
  if (timed.lockstep.rtl.bus_timing == 0) timed.lockstep.rtl.bus_timing = bus_timing_for(job.strategy, job.seed);
  rep.shrink = shrink_program(binding, prefix, timed);
  const std::string steered =
      job.steering ? fmt::format(" (steered toward {} bins not yet hit)", job.steering->aims.size()) : "";
  std::string origin = fmt::format(
      "found by: {} strategy {} seed {}{}: {} divergence at register {}, step {}, cycle {}", job.device, job.strategy,
      job.seed, steered, kind_name(divergence.kind), divergence.reg, divergence.step, divergence.cycle);
  std::vector<std::string> notes = reproducer_notes(rep.shrink, origin);
  const std::optional<Divergence>& again = rep.shrink.divergence;
  if (again && (again->kind != divergence.kind || again->reg != divergence.reg))
    notes.push_back(fmt::format("warning: run again, the steps gave a {} divergence at {} instead",
                                kind_name(again->kind), again->reg));
  write_replay(rep.path, binding.name, rep.shrink.program, notes, timed.lockstep.rtl.bus_timing);
  return rep;
}

}  // namespace tandem
