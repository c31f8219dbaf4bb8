// `tandem list`, `tandem run` (campaigns: devices x seeds of one strategy, sharded, with
// checkpoints, waves and reports) and `tandem bench`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  std::string shard;
  bool json = false;
  std::string out_dir = "tandem-out";
  uint64_t migrate_every = 0;
  std::string checkpoint, resume;
  uint64_t checkpoint_every = 100000;
  ShowOptions show;                                  // --waves, --html, --junit
  std::string waivers;                               // --waivers FILE
  bool keep_going = false;                           // --keep-going
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
};

}  // namespace tandem
