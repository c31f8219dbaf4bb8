// `regtest [--device D]... [--test T]... [--seed S] [--json]`: the built-in register tests
// (bridge/search/include/tandem/regtest.h), three-way: map vs RTL vs model. Exit 0: every test passed
// on every device; 1: a failure; 2: bad input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tandem/binding.h>
#include <tandem/regtest.h>

#include "command.h"

namespace tandem {

class RegtestCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_cmd = nullptr;
  std::vector<std::string> m_devices;
  std::vector<std::string> m_tests;
  uint64_t m_seed = 1;
  bool m_json = false;
  std::string m_waivers;
  bool m_quiet = false;
};

}  // namespace tandem
