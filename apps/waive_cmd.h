// `waive FILE.replay... [--reason TEXT] [--expires DATE] [--waivers FILE] [--json]`: run each replay
// file and print a [[waiver]] stub (TOML, docs/waivers.md) for the divergence it reproduces, to
// paste into a waiver file once a person has judged the difference acceptable. Exit 1 when a
// stub was printed (a divergence was reproduced), 0 when no file diverges, 2 on bad input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "command.h"

namespace tandem {

class WaiveCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_cmd = nullptr;
  std::vector<std::string> m_files;
  std::string m_reason;
  std::string m_expires;
  std::string m_waivers;
  bool m_json = false;
};

}  // namespace tandem
