// `tandem list`, `tandem run` and `tandem bench`.
#include "run_cmd.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <tandem/campaign.h>
#include <tandem/checkpoint.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/report.h>
#include <tandem/stimulus.h>

#include "options.h"
#include "replay_cmd.h"

namespace tandem {

namespace {

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

int run_campaign(const Catalog& catalog, RunArgs& args, const std::string& program) {
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
  m_cmd = app.add_subcommand("run", "run model and RTL in lockstep on generated stimulus");
  m_cmd->add_option("--device,-d", a.devices, "device to run (repeatable; default: every device)");
  m_strategy =
      m_cmd->add_option("--strategy", a.strategy,
                        "stimulus strategy: random, hostile, ordering, race or all (default: all: its first "
                        "8000 steps random, with race for bus masters; then 3/5 of that, 1/5 hostile, 1/5 "
                        "ordering); hostile also varies the bus timing on AXI4-Lite and Wishbone (docs/buses.md)");
  m_cmd->add_option("--seed,-s", a.seeds, "seed (repeatable; default: 1)");
  m_steps = m_cmd->add_option("--steps,-n", a.steps, "steps per run (default: 20000)")->check(positive_whole_number());
  m_cmd->add_option("--shard", a.shard, "run every N-th job starting at K: K/N");
  m_cmd->add_flag("--json", a.json, "print the JSON report");
  m_cmd->add_option("--migrate-every", a.migrate_every,
                    "every N steps, move the model through save/restore into a fresh instance");
  m_cmd->add_option("--checkpoint", a.checkpoint,
                    "write a checkpoint of both sides to FILE every --checkpoint-every steps (one device, one seed)");
  m_cmd->add_option("--checkpoint-every", a.checkpoint_every, "steps between checkpoints (default: 100000)")
      ->check(positive_whole_number());
  m_cmd->add_option("--resume", a.resume,
                    "continue the run saved in a checkpoint FILE up to --steps (default: the saved run's budget); "
                    "--device, --strategy and --seed, when given, must match the checkpoint");
  add_show_options(*m_cmd, a.show);
  m_cmd->add_option("--out", a.out_dir, "directory for the replay files of divergences (default: tandem-out)");
}

std::optional<int> RunCommand::run(const CliContext& context) {
  if (!*m_cmd) return std::nullopt;
  m_args.strategy_given = m_strategy->count() > 0;
  m_args.steps_given = m_steps->count() > 0;
  return run_campaign(context.catalog, m_args, context.program);
}

// ---------------------------------------------------------------------------- bench

void BenchCommand::add_to(CLI::App& app) {
  m_cmd = app.add_subcommand("bench", "measure model alone, RTL alone and lockstep on the same program");
  m_cmd->add_option("--device,-d", m_devices, "device (repeatable; default: every device)");
  m_cmd->add_option("--steps,-n", m_options.steps, "steps in the register-traffic program")
      ->check(positive_whole_number());
  m_cmd->add_option("--seed,-s", m_options.seed, "seed of the program");
  m_cmd->add_option("--min-seconds", m_options.min_seconds, "repeat each mode at least this long");
  m_cmd
      ->add_option("--trials", m_options.trials,
                   "turns of the three modes: each mode's best turn is its row, ratios are medians over turns")
      ->check(CLI::Range(1u, 1000u));
  m_cmd->add_option("--mode", m_options.modes, "model, rtl or lockstep (repeatable; default: all three)")
      ->check(CLI::IsMember({"model", "rtl", "lockstep"}));
  m_cmd->add_option("--program", m_options.programs, "registers or idle (repeatable; default: both)")
      ->check(CLI::IsMember({"registers", "idle"}));
  m_cmd->add_flag("--json", m_json, "print JSON");
}

std::optional<int> BenchCommand::run(const CliContext& context) {
  if (!*m_cmd) return std::nullopt;
  BenchReport report;
  if (m_devices.empty()) {
    for (const DeviceBinding& d : context.catalog.devices()) bench_device(d, m_options, report);
  } else {
    for (const std::string& n : m_devices) bench_device(context.catalog.get(n), m_options, report);
  }
  std::cout << (m_json ? bench_json(report) + "\n" : bench_text(report));
  return kExitClean;
}

}  // namespace tandem
