// `replay` and `shrink` subcommands, and what `run` does with a divergence: shrink it and
// write its replay file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tandem/binding.h>
#include <tandem/campaign.h>

#include "command.h"
#include "show_cmd.h"

namespace CLI {
class App;
}

namespace tandem {

// `replay FILE` and `shrink FILE`.
class ReplayCommands final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  int replay(const Catalog& catalog, const std::string& program) const;
  int shrink(const Catalog& catalog) const;

  CLI::App* m_replay = nullptr;
  CLI::App* m_shrink = nullptr;
  std::string m_file;
  std::string m_device;
  std::string m_emit_test;
  std::string m_out;
  bool m_json = false;
  bool m_quiet = false;
  uint64_t m_max_cycles = kDefaultMaxCycles;
  ShowOptions m_show;     // replay: --waves, --html, --junit
  std::string m_waivers;  // replay: --waivers FILE
};

// `tandem run` on a divergence: regenerate the steps, shrink them, write
// OUT_DIR/<device>-<strategy>-<seed>.replay and record its path in the divergence.
// The shrinking runs with `waivers` (may be null) as the run did.
void attach_reproducer(const DeviceBinding& binding, RunRecord& record, const std::string& out_dir,
                       const WaiverSet* waivers = nullptr);

// A Catch2 v2 test source that replays `program` on `device` and requires no divergence.
std::string emit_regression_test(const std::string& device, const Program& program, const std::string& source,
                                 const std::vector<std::string>& notes, uint64_t bus_timing = 0);

}  // namespace tandem
