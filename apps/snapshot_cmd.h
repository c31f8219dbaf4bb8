// `tandem snapshot save` and `tandem snapshot check`: device state files, validated on load.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include <tandem/binding.h>

#include "command.h"

namespace tandem {

// Adds the `snapshot` subcommand group to `app`; after parsing, run_snapshot_command()
// executes whichever was chosen and returns the exit status (-1 when none was).
// The `snapshot` group: `save`, `check` and `attack`.
class SnapshotCommands final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_save = nullptr;
  CLI::App* m_check = nullptr;
  CLI::App* m_attack = nullptr;
  bool m_json = false;
  std::string m_device;
  uint64_t m_seed = 1;
  uint64_t m_steps = 1000;
  std::string m_file;
};

}  // namespace tandem
