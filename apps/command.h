// One subcommand, or one group of subcommands, of the tandem command line. The front end knows
// its commands only through this interface: each registers its options on the CLI11 app, and
// the one the user chose runs. A new command is a new class and one line in standard_commands()
// (or, for a program of its own such as tandem-mutants, one entry of run_cli's `extra`).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tandem/binding.h>

namespace CLI {
class App;
}

namespace tandem {

struct CliContext {
  const Catalog& catalog;  // the devices this program knows
  std::string program;     // "tandem", "tandem-mutants": reports and messages carry it
};

class Command {
 public:
  virtual ~Command() = default;
  // Register the subcommand(s) and their options on `app`.
  virtual void add_to(CLI::App& app) = 0;
  // The exit status when one of this command's subcommands was chosen, nullopt otherwise.
  // Bad input throws Error (run_cli prints it as one line and exits 2).
  virtual std::optional<int> run(const CliContext& context) = 0;
};

using Commands = std::vector<std::unique_ptr<Command>>;

// Every command of `tandem`, in the order --help lists them.
Commands standard_commands();

}  // namespace tandem
