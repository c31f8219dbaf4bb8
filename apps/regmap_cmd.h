// `regmap diff OLD NEW [--json]`: the semantic diff of two register-map revisions (SystemRDL or
// CMSIS-SVD, either side). Exit 0: no change or only compatible ones; 1: something incompatible.
#pragma once

#include <optional>
#include <string>

#include "command.h"

namespace tandem {

// The `regmap` group and its `diff` subcommand.
class RegmapCommands final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  int diff() const;

  CLI::App* m_regmap = nullptr;
  CLI::App* m_diff = nullptr;
  std::string m_old;
  std::string m_new;
  bool m_json = false;
};

}  // namespace tandem
