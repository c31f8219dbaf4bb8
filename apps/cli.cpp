// Command-line front end: the commands register themselves, the chosen one runs. Every error a
// user can cause ends in exit status 2 and one line.
#include "cli.h"

#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>

#include <tandem/error.h>

#include "coverage_cmd.h"
#include "fuzz_cmd.h"
#include "merge_cmd.h"
#include "options.h"
#include "regmap_cmd.h"
#include "regtest_cmd.h"
#include "replay_cmd.h"
#include "run_cmd.h"
#include "snapshot_cmd.h"
#include "version_cmd.h"
#include "waive_cmd.h"

namespace tandem {

Commands standard_commands() {
  Commands c;
  c.push_back(std::make_unique<VersionCommand>());
  c.push_back(std::make_unique<ListCommand>());
  c.push_back(std::make_unique<RunCommand>());
  c.push_back(std::make_unique<BenchCommand>());
  c.push_back(std::make_unique<ReplayCommands>());
  c.push_back(std::make_unique<RegmapCommands>());
  c.push_back(std::make_unique<RegtestCommand>());
  c.push_back(std::make_unique<SnapshotCommands>());
  c.push_back(std::make_unique<FuzzCommand>());
  c.push_back(std::make_unique<WaiveCommand>());
  c.push_back(std::make_unique<MergeCommand>());
  c.push_back(std::make_unique<CoverageCommands>());
  return c;
}

int run_cli(int argc, char** argv, const Catalog& catalog, const std::string& program, Commands extra) {
  CLI::App app{program + ": cross-check C++ device models against their RTL, cycle by cycle", program};
  app.require_subcommand(0, 1);
  Commands commands = standard_commands();
  for (std::unique_ptr<Command>& c : extra) commands.push_back(std::move(c));
  for (const std::unique_ptr<Command>& c : commands) c->add_to(app);

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

  const CliContext context{catalog, program};
  try {
    for (const std::unique_ptr<Command>& c : commands)
      if (const std::optional<int> status = c->run(context)) return *status;
    std::cout << app.help();  // no subcommand: what there is to choose from
    return kExitClean;
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
