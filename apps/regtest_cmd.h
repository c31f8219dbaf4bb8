// `regtest [--device D]... [--test T]... [--seed S] [--json]`: the built-in register tests
// (bridge/search/include/tandem/regtest.h), three-way: map vs RTL vs model. Exit 0: every test passed
// on every device; 1: a failure; 2: bad input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tandem/binding.h>
#include <tandem/regtest.h>

namespace CLI {
class App;
}

namespace tandem {

class RegtestCommand {
 public:
  void add_to(CLI::App& app);
  // The exit status, or nullopt when `regtest` was not chosen. Bad input throws Error.
  std::optional<int> dispatch(const Catalog& catalog) const;

 private:
  CLI::App* m_cmd = nullptr;
  std::vector<std::string> m_devices;
  std::vector<std::string> m_tests;
  uint64_t m_seed = 1;
  bool m_json = false;
};

}  // namespace tandem
