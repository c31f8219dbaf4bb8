// `tandem-mutants table`: every mutant against every strategy (and the fuzzer), the steps and
// seconds to its first divergence and the length of its shrunk reproducer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "command.h"

namespace tandem {

class MutantTableCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_cmd = nullptr;
  uint64_t m_steps = 100000, m_seed = 1;
  double m_fuzz_seconds = 60;
  std::string m_fuzz_dir, m_out = "tandem-out/table";
  bool m_no_fuzz = false, m_json = false;
  std::vector<std::string> m_only;
};

}  // namespace tandem
