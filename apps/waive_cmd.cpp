// `tandem waive`: the waiver stub of the divergence a replay file reproduces.
#include "waive_cmd.h"

#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <tandem/error.h>
#include <tandem/program_run.h>
#include <tandem/replay.h>
#include <tandem/waiver.h>
#include <tandem/waiver_file.h>

#include "options.h"

namespace tandem {

void WaiveCommand::add_to(CLI::App& app) {
  m_cmd = app.add_subcommand("waive", "print a waiver stub (TOML) for the divergence each replay file reproduces");
  m_cmd->add_option("file", m_files, "replay file(s)")->required();
  m_cmd->add_option("--reason", m_reason, "the stub's reason (default: a TODO a person must replace)");
  m_cmd->add_option("--expires", m_expires, "the stub's expiry date, YYYY-MM-DD");
  m_cmd->add_option("--waivers", m_waivers, "known differences already waived: the stub is for the next one");
  m_cmd->add_flag("--json", m_json, "print JSON: {\"waivers\": [{\"replay\", \"toml\"}]}");
}

std::optional<int> WaiveCommand::run(const CliContext& context) {
  if (!m_cmd || !*m_cmd) return std::nullopt;
  if (!m_expires.empty() && !parse_date(m_expires))
    throw Error(fmt::format("--expires '{}': expected a date, YYYY-MM-DD", m_expires));
  const WaiverSet waivers = command_waivers(context.catalog, m_waivers);
  LockstepOptions options;
  options.waivers = &waivers;
  nlohmann::json list = nlohmann::json::array();
  bool any = false;
  for (const std::string& path : m_files) {
    const ReplayFile file = load_replay(path);
    const DeviceBinding& binding = replay_binding(file, "", context.catalog);
    check_replay_steps(file, binding);
    const ProgramRun run = run_program(binding, file.program, options);
    if (!run.divergence) {
      if (!m_json) std::cout << fmt::format("# {}: no divergence: nothing to waive\n", path);
      continue;
    }
    any = true;
    const Divergence& d = *run.divergence;
    Waiver w = signature_of(d, binding);
    w.reason = m_reason;
    w.expires = m_expires;
    const std::string comment = fmt::format("from {}: {} divergence at step {}, cycle {}\n# {}", path,
                                            kind_name(d.kind), d.step, d.cycle, d.detail);
    const std::string toml = format_waiver(w, comment);
    if (m_json)
      list.push_back({{"replay", path}, {"toml", toml}});
    else
      std::cout << toml << "\n";
  }
  if (m_json) std::cout << nlohmann::json{{"waivers", list}}.dump(2) << "\n";
  return any ? kExitDiverged : kExitClean;
}

}  // namespace tandem
