// `tandem snapshot save` and `tandem snapshot check`: device state files, validated on load.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include <tandem/binding.h>

namespace tandem {

// Adds the `snapshot` subcommand group to `app`; after parsing, run_snapshot_command()
// executes whichever was chosen and returns the exit status (-1 when none was).
struct SnapshotArgs {
  CLI::App* save = nullptr;
  CLI::App* check = nullptr;
  std::string device;
  uint64_t seed = 1;
  uint64_t steps = 1000;
  std::string file;
};
void add_snapshot_commands(CLI::App& app, SnapshotArgs& args);
int run_snapshot_command(const Catalog& catalog, const SnapshotArgs& args);

}  // namespace tandem
