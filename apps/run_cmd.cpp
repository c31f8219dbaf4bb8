// `tandem list`, `tandem run` and `tandem bench`.
#include "run_cmd.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <tandem/campaign.h>
#include <tandem/checkpoint.h>
#include <tandem/coverage_report.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/keep_going.h>
#include <tandem/report.h>
#include <tandem/restore_attack.h>
#include <tandem/steer.h>
#include <tandem/stimulus.h>
#include <tandem/triage.h>
#include <tandem/waiver_file.h>

#include "coverage_cmd.h"
#include "interrupt.h"
#include "options.h"
#include "progress.h"
#include "replay_cmd.h"
#include "shard.h"

namespace tandem {

namespace {

// --resume: the checkpoint names device, strategy and seed, and the step it stands at. An
// option given on the command line must agree with it; an absent one takes the checkpoint's
// value (--steps: the budget of the run that wrote it, when the file records one).
Job resume_job(const Catalog& catalog, const RunArgs& args) {
  const std::string& path = args.resume;
  const Checkpoint c = decode_checkpoint(read_file_bytes(path), path);
  if (args.devices.size() > 1 || args.seeds.size() > 1)
    throw Error("--checkpoint and --resume take one run: give one --device and at most one --seed");
  auto conflict = [&](const char* option, const auto& given, const std::string& saved) {
    return Error(fmt::format("{}: {} {} contradicts the checkpoint, {}", path, option, given, saved));
  };
  if (!args.devices.empty() && args.devices.front() != c.device)
    throw conflict("--device", args.devices.front(), "a run of device " + c.device);
  if (args.strategy_given && args.strategy != c.strategy)
    throw conflict("--strategy", args.strategy, "a run of strategy " + c.strategy);
  if (!args.seeds.empty() && args.seeds.front() != c.seed)
    throw conflict("--seed", args.seeds.front(), fmt::format("a run of seed {}", c.seed));
  if (args.steps_given && args.steps < c.step)
    throw conflict("--steps", args.steps, fmt::format("which stands at step {}", c.step));
  check_checkpoint(c, catalog.get(c.device), path);
  uint64_t steps = args.steps_given || c.budget == 0 ? args.steps : c.budget;
  if (!args.steps_given && args.seconds > 0) steps = kUnlimitedSteps;  // --seconds alone: only the time budget
  return Job{c.device, c.strategy, c.seed, steps, args.migrate_every};
}

// The summary (or JSON), the resumed line, the triage view, and waves/HTML/JUnit; an
// interrupted campaign also says on stderr what it is a part of.
void report_campaign(const Catalog& catalog, const RunArgs& args, const std::string& program, size_t planned,
                     const CampaignResult& result, const std::vector<DeviceCoverage>* coverage,
                     const std::vector<DeviceAttack>& attacks) {
  const std::vector<RunRecord>& runs = result.runs;
  if (!args.json && !args.resume.empty() && !runs.empty()) {
    const Job& j = runs.front().job;
    const std::string until =
        j.steps == kUnlimitedSteps ? fmt::format("for {} s", j.seconds) : fmt::format("up to step {}", j.steps);
    std::cout << fmt::format("resumed {}: device {}, strategy {}, seed {}, {}\n", args.resume, j.device, j.strategy,
                             j.seed, until);
  }
  const std::string json = args.json ? runs_json(runs, result.interrupted, attacks) : "";
  std::cout << (args.json ? with_coverage_json(json, coverage) + "\n" : format_summary(runs));
  if (!args.json)
    for (const DeviceAttack& a : attacks) std::cout << format_attack(a);
  if (!args.json && (args.keep_going || runs.size() > 1)) std::cout << format_triage(triage(runs, catalog));
  if (!args.json && coverage != nullptr) std::cout << format_coverage(*coverage);
  std::cout.flush();
  show_runs(args.show, program, catalog, runs, args.json ? std::cerr : std::cout);
  if (result.interrupted) {
    const int signal = InterruptScope::flag().load();
    std::cerr << fmt::format("{}: interrupted by {}: a partial report of {} of {} jobs{}\n", program,
                             InterruptScope::name(signal), runs.size(), planned,
                             args.checkpoint.empty() ? "" : "; checkpoint: " + args.checkpoint);
  }
}

std::vector<Job> campaign_jobs(const Catalog& catalog, const RunArgs& args) {
  std::vector<const DeviceBinding*> devices;
  if (args.devices.empty()) {
    for (const DeviceBinding& d : catalog.devices()) devices.push_back(&d);
  } else {
    for (const std::string& name : args.devices) devices.push_back(&catalog.get(name));
  }
  make_stimulus(args.strategy, *devices.front(), 1);  // reject an unknown strategy before any work
  const std::vector<uint64_t> seeds = args.seeds.empty() ? std::vector<uint64_t>{1} : args.seeds;
  // --seconds alone: the time budget is the only one.
  const uint64_t steps = args.seconds > 0 && !args.steps_given ? kUnlimitedSteps : args.steps;
  std::vector<Job> jobs;
  if (!args.resume.empty()) {
    jobs.push_back(resume_job(catalog, args));
  } else {
    for (const DeviceBinding* d : devices)
      for (uint64_t seed : seeds) jobs.push_back({d->name, args.strategy, seed, steps, args.migrate_every});
  }
  if ((!args.checkpoint.empty() || !args.resume.empty()) && (jobs.size() != 1 || args.devices.size() > 1))
    throw Error("--checkpoint and --resume take one run: give one --device and at most one --seed");
  for (size_t i = 0; i < jobs.size(); ++i) {
    Job& j = jobs[i];
    j.checkpoint = args.checkpoint;
    j.checkpoint_every = args.checkpoint_every;
    j.resume = args.resume;
    j.index = i;
    j.seconds = args.seconds;
    j.max_cycles = args.max_cycles;
  }
  return jobs;
}

// --steer FILE: each job toward the bins its device's coverage in the file shows not hit. A
// device the file lacks, or has from another build of its map, is bad input. Returns the file's
// coverage (empty without --steer).
std::vector<DeviceCoverage> steer_jobs(const Catalog& catalog, const std::string& path, std::vector<Job>& jobs) {
  if (path.empty()) return {};
  const std::vector<DeviceCoverage> file = parse_coverage_json(read_text_file(path), path);
  std::map<std::string, std::shared_ptr<const Steering>> by_device;
  for (Job& j : jobs) {
    std::shared_ptr<const Steering>& s = by_device[j.device];
    if (!s) {
      const bool present =
          std::any_of(file.begin(), file.end(), [&](const DeviceCoverage& d) { return d.device == j.device; });
      if (!present) throw Error(fmt::format("{}: no coverage of device {} to steer by", path, j.device));
      try {
        s = steering_after(catalog.get(j.device), {&file});
      } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", path, e.what()));
      }
    }
    j.steering = s;
  }
  return file;
}

int run_command(const Catalog& catalog, RunArgs& args, const std::string& program) {
  prepare_show(args.show);
  std::vector<Job> jobs = campaign_jobs(catalog, args);
  const ShardSpec s = resolve_shard(args.shard, args.shard_count, process_environment());
  if (s.n > 1) {
    jobs = shard(jobs, s.k, s.n);
    if (s.source != "--shard") std::cerr << fmt::format("shard {}/{} (from {})\n", s.k, s.n, s.source);
  }

  if (args.until_plateau > 0 && (s.n > 1 || !args.checkpoint.empty() || !args.resume.empty() || args.coverage.empty()))
    throw Error(
        "--until-plateau needs --coverage FILE, and adds seeds of its own: not with --shard, --checkpoint or "
        "--resume");
  if (args.no_steer && args.until_plateau == 0) throw Error("--no-steer goes with --until-plateau");
  if (!args.steer.empty() && (!args.checkpoint.empty() || !args.resume.empty()))
    throw Error("--steer: a checkpoint does not record the steering; not with --checkpoint or --resume");
  const std::vector<DeviceCoverage> earlier = steer_jobs(catalog, args.steer, jobs);
  const WaiverSet waivers = command_waivers(catalog, args.waivers);
  if ((args.keep_going || !args.waivers.empty()) && (!args.checkpoint.empty() || !args.resume.empty()))
    throw Error("--checkpoint and --resume do not carry waiver state: not with --waivers or --keep-going");
  args.show.waivers = &waivers;
  const InterruptScope interrupt;
  CampaignControl control(args.threads);
  control.stop = &InterruptScope::flag();
  const CampaignPlan plan{jobs.size(), jobs.empty() ? 0 : jobs.front().steps, args.seconds, args.threads};
  ProgressLine progress(progress_wanted(args.quiet),
                        [&](double elapsed) { return campaign_progress(control, plan, elapsed); });
  CoverageRecorder coverage(catalog, jobs, args.coverage);
  CampaignHooks hooks;
  // A job runs to its first divergence, shrunk in `finish` (attach_reproducer), or with
  // --keep-going to the end of its budget with each distinct divergence shrunk.
  hooks.run = [&](const DeviceBinding& binding, const Job& job, CampaignControl& c, size_t slot) {
    LockstepOptions options;
    options.waivers = &waivers;
    options.observer = coverage.observer(job);
    if (!args.keep_going) return run_job(binding, job, options, &c, slot);
    KeepGoingOptions keep_going;
    keep_going.out_dir = args.out_dir;
    return run_keep_going(binding, job, options, keep_going);
  };
  hooks.finish = [&](const DeviceBinding& binding, RunRecord& r) {
    // a stop skips shrinking; keep-going shrank each distinct divergence already
    if (!control.stop_requested() && !args.keep_going) attach_reproducer(binding, r, args.out_dir, &waivers);
  };
  hooks.done = [&](const RunRecord& r) {
    if (args.json) return;
    const DeviceBinding& binding = catalog.get(r.job.device);
    progress.above([&] {
      if (r.keep_going) {
        for (const DistinctDivergence& d : r.distinct) std::cout << format_divergence(d.first, binding) << "\n";
      } else if (r.divergence) {
        std::cout << format_divergence(*r.divergence, binding) << "\n";
      }
    });
  };
  CampaignResult result = run_campaign(catalog, jobs, control, hooks);
  if (args.until_plateau > 0 && !result.interrupted)
    extend_until_plateau(
        catalog, jobs, args.until_plateau, coverage, result,
        [&](const std::vector<Job>& more) { return run_campaign(catalog, more, control, hooks); }, std::cerr,
        PlateauSteering{!args.no_steer, args.steer.empty() ? nullptr : &earlier});
  const std::vector<DeviceCoverage>* covered = coverage.finish(result.runs);
  if (covered != nullptr) args.show.coverage_html = coverage_html(*covered);
  // The default campaign (every device, not resumed) also attacks each model's restore: a
  // campaign only ever restores states it saved itself. Sharded, the first shard attacks, so the
  // merged report equals the unsharded one.
  std::vector<DeviceAttack> attacks;
  if (args.devices.empty() && args.resume.empty() && s.k == 1 && !result.interrupted)
    for (const DeviceBinding& d : catalog.devices())
      attacks.push_back(
          attack_device(catalog, d.name, campaign_attack_options(args.seeds.empty() ? 1 : args.seeds.front())));
  progress.above([&] { report_campaign(catalog, args, program, jobs.size(), result, covered, attacks); });
  if (result.interrupted) return InterruptScope::exit_status(InterruptScope::flag().load());
  for (const RunRecord& r : result.runs)
    if (!r.clean()) return kExitDiverged;
  for (const DeviceAttack& a : attacks)
    if (a.report.divergence) return kExitDiverged;
  return kExitClean;
}

}  // namespace

// ---------------------------------------------------------------------------- list

void ListCommand::add_to(CLI::App& app) {
  m_cmd = app.add_subcommand("list", "list the devices this program knows");
  m_cmd->add_flag("--json", m_json, "print JSON");
}

std::optional<int> ListCommand::run(const CliContext& context) {
  if (!*m_cmd) return std::nullopt;
  if (m_json) {
    std::cout << devices_json(context.catalog.devices()) << "\n";
    return kExitClean;
  }
  // Columns as wide as their longest entry (bus names run from "apb" to "wishbone_pipelined").
  size_t name_width = 28, bus_width = 4;
  for (const DeviceBinding& d : context.catalog.devices()) {
    name_width = std::max(name_width, d.name.size());
    bus_width = std::max(bus_width, d.bus.size());
  }
  for (const DeviceBinding& d : context.catalog.devices()) {
    std::cout << fmt::format("{:<{}} {:<{}} {:>2}-bit  {:>2} registers  {}\n", d.name, name_width, d.bus, bus_width,
                             d.data_width, d.regmap.registers.size(), d.description);
  }
  return kExitClean;
}

// ---------------------------------------------------------------------------- run

void RunCommand::add_to(CLI::App& app) {
  RunArgs& a = m_args;
  m_cmd = app.add_subcommand("run",
                             "run model and RTL in lockstep on generated stimulus (Ctrl-C or SIGTERM: the partial "
                             "report, exit 130 or 143)");
  m_cmd->add_option("--device,-d", a.devices, "device to run (repeatable; default: every device)");
  m_strategy =
      m_cmd->add_option("--strategy", a.strategy,
                        "stimulus strategy: random, hostile, ordering, race, edges or all (default: all: its first "
                        "8000 steps random, with race for bus masters; then 3000 edges; then 3/6 of that, 1/6 "
                        "hostile, 1/6 ordering, 1/6 edges); hostile also varies the bus timing on AXI4-Lite and "
                        "Wishbone (docs/buses.md)");
  m_cmd->add_option("--seed,-s", a.seeds, "seed (repeatable; default: 1)");
  m_steps = m_cmd->add_option("--steps,-n", a.steps, "steps per run (default: 20000; with --seconds: no limit)")
                ->check(positive_whole_number());
  m_cmd
      ->add_option("--seconds", a.seconds,
                   "time budget of each job (not of the whole campaign, so a job's result does not depend on -j "
                   "or the shard): it ends at the first step boundary after S seconds and reports the steps reached")
      ->check(CLI::PositiveNumber);
  m_cmd->add_option("--jobs,-j", a.threads, "run the jobs on N threads (default: 1); the report is the same")
      ->check(CLI::Range(1u, 256u));
  add_max_cycles_option(*m_cmd, a.max_cycles);
  m_cmd->add_option("--shard", a.shard,
                    "run every N-th job starting at K: K/N (default: from TANDEM_SHARD, or a scheduler's task index "
                    "when set: JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, SGE_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX, "
                    "CI_NODE_INDEX, ...; see docs/scale-out.md)");
  m_cmd
      ->add_option("--shard-count", a.shard_count,
                   "how many shards a scheduler's task index counts (JOB_COMPLETION_INDEX, AWS Batch); default: "
                   "TANDEM_SHARD_COUNT")
      ->check(positive_whole_number());
  m_cmd->add_flag("--quiet,-q", a.quiet, "no progress line on a terminal");
  m_cmd->add_flag("--json", a.json, "print the JSON report");
  m_cmd->add_option("--migrate-every", a.migrate_every,
                    "every N steps, move the model through save/restore into a fresh instance");
  m_cmd->add_option("--checkpoint", a.checkpoint,
                    "write a checkpoint of both sides to FILE every --checkpoint-every steps, where the run stops "
                    "early (--seconds, Ctrl-C) and at the end of a run shorter than that (one device, one seed)");
  m_cmd->add_option("--checkpoint-every", a.checkpoint_every, "steps between checkpoints (default: 100000)")
      ->check(positive_whole_number());
  m_cmd->add_option("--resume", a.resume,
                    "continue the run saved in a checkpoint FILE up to --steps (default: the saved run's budget); "
                    "--device, --strategy and --seed, when given, must match the checkpoint");
  add_show_options(*m_cmd, a.show);
  m_cmd->add_option("--out", a.out_dir, "directory for the replay files of divergences (default: tandem-out)");
  m_cmd->add_option("--waivers", a.waivers, "TOML file of known differences to count and go on past (docs/waivers.md)");
  add_coverage_option(*m_cmd, a.coverage);
  m_cmd->add_option("--steer", a.steer,
                    "favour the bins a coverage FILE (--coverage of an earlier run) shows not hit: the stimulus "
                    "spends some of its steps on the accesses that hit them (docs/coverage.md)");
  m_cmd->add_flag("--no-steer", a.no_steer,
                  "with --until-plateau: add rounds of plain new seeds, not steered toward the bins not yet hit");
  m_cmd
      ->add_option("--until-plateau", a.until_plateau,
                   "with --coverage: add rounds of jobs with new seeds until no new bin is hit for N steps (at most "
                   "32 rounds; docs/coverage.md)")
      ->check(positive_whole_number());
  m_cmd->add_flag("--keep-going", a.keep_going,
                  "do not stop at a divergence: shrink it, waive its signature, restart from reset and go on to the "
                  "end of the budget; report each distinct divergence once");
}

std::optional<int> RunCommand::run(const CliContext& context) {
  if (!*m_cmd) return std::nullopt;
  m_args.strategy_given = m_strategy->count() > 0;
  m_args.steps_given = m_steps->count() > 0;
  return run_command(context.catalog, m_args, context.program);
}

// ---------------------------------------------------------------------------- bench

void BenchCommand::add_to(CLI::App& app) {
  m_cmd = app.add_subcommand("bench", "measure model alone, RTL alone and lockstep on the same program");
  m_cmd->add_option("--device,-d", m_devices, "device (repeatable; default: every device)");
  m_cmd->add_option("--steps,-n", m_options.steps, "steps in the register-traffic program")
      ->check(positive_whole_number());
  m_cmd->add_option("--seed,-s", m_options.seed, "seed of the program");
  m_cmd
      ->add_option("--min-seconds", m_options.min_seconds,
                   "repeat each mode at least this long in each turn (0 to 3600; 0: one pass of the program)")
      ->check(seconds_up_to(3600));
  m_cmd
      ->add_option("--trials", m_options.trials,
                   "turns of the modes, each run side by side in slices of milliseconds: each mode's best turn is its "
                   "row, ratios are medians over turns")
      ->check(CLI::Range(1u, 1000u));
  m_cmd
      ->add_option("--mode", m_options.modes,
                   "model, rtl, lockstep or floor (the model alone with a model that does nothing: the executor's "
                   "own cost) (repeatable; default: the first three)")
      ->check(CLI::IsMember({"model", "rtl", "lockstep", "floor"}));
  m_cmd->add_option("--program", m_options.programs, "registers or idle (repeatable; default: both)")
      ->check(CLI::IsMember({"registers", "idle"}));
  m_cmd->add_flag("--json", m_json, "print JSON");
  m_cmd->add_flag("--quiet,-q", m_quiet, "no progress line on a terminal");
}

std::optional<int> BenchCommand::run(const CliContext& context) {
  if (!*m_cmd) return std::nullopt;
  std::vector<const DeviceBinding*> devices;
  if (m_devices.empty()) {
    for (const DeviceBinding& d : context.catalog.devices()) devices.push_back(&d);
  } else {
    for (const std::string& n : m_devices) devices.push_back(&context.catalog.get(n));
  }
  BenchReport report;
  std::atomic<size_t> done{0};
  {
    ProgressLine progress(progress_wanted(m_quiet), [&](double elapsed) {
      const size_t i = done.load();
      return fmt::format("bench: {}/{} devices{}, {} so far", i, devices.size(),
                         i < devices.size() ? " (measuring " + devices[i]->name + ")" : "", format_duration(elapsed));
    });
    for (const DeviceBinding* d : devices) {
      bench_device(*d, m_options, report);
      ++done;
    }
  }
  std::cout << (m_json ? bench_json(report) + "\n" : bench_text(report));
  return kExitClean;
}

}  // namespace tandem
