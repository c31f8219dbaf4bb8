// Command-line front end. Every error a user can cause ends in exit status 2 and one line.
#include "cli.h"

#include <cstdio>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <tandem/campaign.h>
#include <tandem/checkpoint.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/report.h>
#include <tandem/snapshot.h>
#include <tandem/stimulus.h>

#include "bench.h"
#include "fuzz_cmd.h"
#include "regmap_cmd.h"
#include "regtest_cmd.h"
#include "replay_cmd.h"
#include "show_cmd.h"
#include "snapshot_cmd.h"

namespace tandem {

namespace {

constexpr int kExitClean = 0, kExitDiverged = 1, kExitUsage = 2;

// A whole number >= 1, with a message that says so (CLI11's own range text is unreadable).
const CLI::Validator kPositive(
    [](std::string& text) -> std::string {
      try {
        size_t used = 0;
        if (!text.empty() && text[0] != '-' && std::stoull(text, &used, 0) > 0 && used == text.size()) return "";
      } catch (const std::exception&) {
      }
      return "'" + text + "' is not a whole number of at least 1";
    },
    "POSITIVE");

struct ShardSpec {
  unsigned k = 1, n = 1;
};

ShardSpec parse_shard(const std::string& text) {
  ShardSpec s;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%u/%u%c", &s.k, &s.n, &extra) != 2 || s.n == 0 || s.k == 0 || s.k > s.n)
    throw Error(fmt::format("--shard '{}': expected K/N with 1 <= K <= N", text));
  return s;
}

int cmd_list(const Catalog& catalog, bool json) {
  if (json) {
    std::cout << devices_json(catalog.devices()) << "\n";
    return kExitClean;
  }
  for (const DeviceBinding& d : catalog.devices()) {
    std::cout << fmt::format("{:<28} {:<4} {:>2}-bit  {:>2} registers  {}\n", d.name, d.bus, d.data_width,
                             d.regmap.registers.size(), d.description);
  }
  return kExitClean;
}

struct RunArgs {
  std::vector<std::string> devices;
  std::string strategy = "all";
  std::vector<uint64_t> seeds;
  uint64_t steps = 20000;
  std::string shard;
  bool json = false;
  std::string out_dir = "tandem-out";
  uint64_t migrate_every = 0;
  std::string checkpoint, resume;
  uint64_t checkpoint_every = 100000;
  ShowOptions show;                                  // --waves, --html, --junit
  bool strategy_given = false, steps_given = false;  // passed on the command line (not defaults)
};

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
  const uint64_t steps = args.steps_given || c.budget == 0 ? args.steps : c.budget;
  return Job{c.device, c.strategy, c.seed, steps, args.migrate_every};
}

int cmd_run(const Catalog& catalog, RunArgs& args, const std::string& program) {
  prepare_show(args.show);
  std::vector<const DeviceBinding*> devices;
  if (args.devices.empty()) {
    for (const DeviceBinding& d : catalog.devices()) devices.push_back(&d);
  } else {
    for (const std::string& name : args.devices) devices.push_back(&catalog.get(name));
  }
  make_stimulus(args.strategy, *devices.front(), 1);  // reject an unknown strategy before any work
  const std::vector<uint64_t> seeds = args.seeds.empty() ? std::vector<uint64_t>{1} : args.seeds;
  std::vector<Job> jobs;
  if (!args.resume.empty()) {
    jobs.push_back(resume_job(catalog, args));
  } else {
    for (const DeviceBinding* d : devices)
      for (uint64_t seed : seeds) jobs.push_back({d->name, args.strategy, seed, args.steps, args.migrate_every});
  }
  if ((!args.checkpoint.empty() || !args.resume.empty()) && (jobs.size() != 1 || args.devices.size() > 1))
    throw Error("--checkpoint and --resume take one run: give one --device and at most one --seed");
  for (Job& j : jobs) {
    j.checkpoint = args.checkpoint;
    j.checkpoint_every = args.checkpoint_every;
    j.resume = args.resume;
  }
  if (!args.shard.empty()) {
    const ShardSpec s = parse_shard(args.shard);
    jobs = shard(jobs, s.k, s.n);
  }

  std::vector<RunRecord> runs;
  for (const Job& job : jobs) {
    const DeviceBinding& binding = catalog.get(job.device);
    runs.push_back(run_job(binding, job));
    attach_reproducer(binding, runs.back(), args.out_dir);
    if (!args.json && runs.back().divergence) std::cout << format_divergence(*runs.back().divergence, binding) << "\n";
  }
  if (!args.json && !args.resume.empty() && !runs.empty()) {
    const Job& j = runs.front().job;
    std::cout << fmt::format("resumed {}: device {}, strategy {}, seed {}, up to step {}\n", args.resume, j.device,
                             j.strategy, j.seed, j.steps);
  }
  std::cout << (args.json ? runs_json(runs) + "\n" : format_summary(runs));
  show_runs(args.show, program, catalog, runs, args.json ? std::cerr : std::cout);
  for (const RunRecord& r : runs)
    if (!r.clean()) return kExitDiverged;
  return kExitClean;
}

int cmd_bench(const Catalog& catalog, const std::vector<std::string>& names, const BenchOptions& options, bool json) {
  BenchReport report;
  if (names.empty()) {
    for (const DeviceBinding& d : catalog.devices()) bench_device(d, options, report);
  } else {
    for (const std::string& n : names) bench_device(catalog.get(n), options, report);
  }
  std::cout << (json ? bench_json(report) + "\n" : bench_text(report));
  return kExitClean;
}

}  // namespace

int run_cli(int argc, char** argv, const Catalog& catalog, const std::string& program) {
  CLI::App app{program + ": cross-check C++ device models against their RTL, cycle by cycle", program};
  app.require_subcommand(1);

  bool json = false;
  CLI::App* list = app.add_subcommand("list", "list the devices this program knows");
  list->add_flag("--json", json, "print JSON");

  RunArgs run_args;
  CLI::App* run = app.add_subcommand("run", "run model and RTL in lockstep on generated stimulus");
  run->add_option("--device,-d", run_args.devices, "device to run (repeatable; default: every device)");
  CLI::Option* strategy_option =
      run->add_option("--strategy", run_args.strategy,
                      "stimulus strategy: random, hostile, ordering, race or all (default: all: its first 8000 "
                      "steps random, with race for bus masters; then 3/5 of that, 1/5 hostile, 1/5 ordering)");
  run->add_option("--seed,-s", run_args.seeds, "seed (repeatable; default: 1)");
  CLI::Option* steps_option =
      run->add_option("--steps,-n", run_args.steps, "steps per run (default: 20000)")->check(kPositive);
  run->add_option("--shard", run_args.shard, "run every N-th job starting at K: K/N");
  run->add_flag("--json", run_args.json, "print the JSON report");
  run->add_option("--migrate-every", run_args.migrate_every,
                  "every N steps, move the model through save/restore into a fresh instance");
  run->add_option("--checkpoint", run_args.checkpoint,
                  "write a checkpoint of both sides to FILE every --checkpoint-every steps (one device, one seed)");
  run->add_option("--checkpoint-every", run_args.checkpoint_every, "steps between checkpoints (default: 100000)")
      ->check(kPositive);
  run->add_option("--resume", run_args.resume,
                  "continue the run saved in a checkpoint FILE up to --steps (default: the saved run's budget); "
                  "--device, --strategy and --seed, when given, must match the checkpoint");
  add_show_options(*run, run_args.show);
  run->add_option("--out", run_args.out_dir, "directory for the replay files of divergences (default: tandem-out)");

  std::vector<std::string> bench_devices;
  BenchOptions bench_options;
  bool bench_json_flag = false;
  CLI::App* bench = app.add_subcommand("bench", "measure model alone, RTL alone and lockstep on the same program");
  bench->add_option("--device,-d", bench_devices, "device (repeatable; default: every device)");
  bench->add_option("--steps,-n", bench_options.steps, "steps in the register-traffic program")->check(kPositive);
  bench->add_option("--seed,-s", bench_options.seed, "seed of the program");
  bench->add_option("--min-seconds", bench_options.min_seconds, "repeat each mode at least this long");
  bench
      ->add_option("--trials", bench_options.trials,
                   "turns of the three modes: each mode's best turn is its row, ratios are medians over turns")
      ->check(CLI::Range(1u, 1000u));
  bench->add_option("--mode", bench_options.modes, "model, rtl or lockstep (repeatable; default: all three)")
      ->check(CLI::IsMember({"model", "rtl", "lockstep"}));
  bench->add_option("--program", bench_options.programs, "registers or idle (repeatable; default: both)")
      ->check(CLI::IsMember({"registers", "idle"}));
  bench->add_flag("--json", bench_json_flag, "print JSON");

  ReplayCommands replay_commands;
  replay_commands.add_to(app);
  RegmapCommands regmap_commands;
  regmap_commands.add_to(app);
  RegtestCommand regtest_command;
  regtest_command.add_to(app);
  SnapshotArgs snapshot_args;
  add_snapshot_commands(app, snapshot_args);
  FuzzCommand fuzz_command;
  fuzz_command.add_to(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << program << ": " << e.what() << " (see " << program << " --help)\n";
    return kExitUsage;
  }

  run_args.strategy_given = strategy_option->count() > 0;
  run_args.steps_given = steps_option->count() > 0;

  try {
    if (*list) return cmd_list(catalog, json);
    if (*run) return cmd_run(catalog, run_args, program);
    if (*bench) return cmd_bench(catalog, bench_devices, bench_options, bench_json_flag);
    if (const std::optional<int> status = replay_commands.dispatch(catalog, program)) return *status;
    if (const std::optional<int> status = regmap_commands.dispatch()) return *status;
    if (const std::optional<int> status = regtest_command.dispatch(catalog)) return *status;
    if (const int status = run_snapshot_command(catalog, snapshot_args); status >= 0) return status;
    if (const std::optional<int> status = fuzz_command.dispatch(catalog, program)) return *status;
  } catch (const Error& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << program << ": internal error: " << e.what() << "\n";
    return kExitUsage;
  }
  return kExitUsage;
}

}  // namespace tandem
