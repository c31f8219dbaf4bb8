// `regmap diff OLD NEW [--json]`: the semantic diff of two register-map revisions (SystemRDL or
// CMSIS-SVD, either side). Exit 0: no change or only compatible ones; 1: something incompatible.
#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace tandem {

class RegmapCommands {
 public:
  // Register the `regmap` group and its `diff` subcommand on `app`.
  void add_to(CLI::App& app);
  // The exit status of the chosen subcommand, or nullopt when `regmap` was not chosen.
  // Bad input throws Error (the caller prints it and exits 2).
  std::optional<int> dispatch() const;

 private:
  int diff() const;

  CLI::App* m_regmap = nullptr;
  CLI::App* m_diff = nullptr;
  std::string m_old;
  std::string m_new;
  bool m_json = false;
};

}  // namespace tandem
