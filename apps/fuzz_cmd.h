// `tandem fuzz`: drive a device's libFuzzer binary (fuzz_<device>, built with -DTANDEM_FUZZ=ON),
// then turn each finding into a minimal replay file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tandem/binding.h>

namespace CLI {
class App;
}

namespace tandem {

class FuzzCommand {
 public:
  void add_to(CLI::App& app);
  // The exit status when `fuzz` was chosen, else nullopt.
  std::optional<int> dispatch(const Catalog& catalog, const std::string& program) const;

 private:
  int run(const Catalog& catalog, const std::string& program) const;

  CLI::App* m_cmd = nullptr;
  std::string m_device;
  double m_seconds = 60;
  std::string m_shard;
  std::string m_out = "tandem-out";
  std::string m_fuzzer;
  uint64_t m_seed = 1;
  bool m_json = false;
};

}  // namespace tandem
