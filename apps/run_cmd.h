// `tandem list`, `tandem run` (campaigns: devices x seeds of one strategy, on threads, sharded,
// time-boxed, interruptible, with checkpoints, waves and reports) and `tandem bench`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tandem/campaign.h>

#include "bench.h"
#include "command.h"
#include "show_cmd.h"

namespace tandem {

class ListCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_cmd = nullptr;
  bool m_json = false;
};

struct RunArgs {
  std::vector<std::string> devices;
  std::string strategy = "all";
  std::vector<uint64_t> seeds;
  uint64_t steps = 20000;
  double seconds = 0;  // > 0: each job's time budget (steps then only an upper bound, when given)
  uint64_t max_cycles = kDefaultMaxCycles;
  unsigned threads = 1;
  std::string shard;
  unsigned shard_count = 0;  // tasks of a scheduler whose index variable gives no count
  bool quiet = false;
  bool json = false;
  std::string out_dir = "tandem-out";
  uint64_t migrate_every = 0;
  std::string checkpoint, resume;
  uint64_t checkpoint_every = 100000;
  ShowOptions show;                                  // --waves, --html, --junit
  std::string waivers;                               // --waivers FILE
  bool keep_going = false;                           // --keep-going
  std::string coverage;                              // --coverage FILE
  uint64_t until_plateau = 0;                        // --until-plateau N (steps)
  std::string steer;                                 // --steer FILE (coverage JSON of an earlier run)
  bool no_steer = false;                             // --no-steer: --until-plateau's rounds unsteered
  bool strategy_given = false, steps_given = false;  // passed on the command line (not defaults)
};

class RunCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_cmd = nullptr;
  CLI::Option* m_strategy = nullptr;
  CLI::Option* m_steps = nullptr;
  RunArgs m_args;
};

class BenchCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_cmd = nullptr;
  std::vector<std::string> m_devices;
  BenchOptions m_options;
  bool m_json = false;
  bool m_quiet = false;
};

}  // namespace tandem
