// `tandem --version`: the program's version, the Verilator that verilated its RTL, and each
// device's build id (the hash a checkpoint is bound to), so a report can say what made it.
#pragma once

#include <optional>
#include <string>

#include "command.h"

namespace tandem {

class VersionCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  bool m_version = false;
};

// The text --version prints.
std::string version_text(const CliContext& context);

}  // namespace tandem
