// `--waves [DIR]`, `--html FILE` and `--junit FILE` on `tandem run` and `tandem replay`: what
// is shown of a divergence besides the text report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tandem/binding.h>
#include <tandem/campaign.h>
#include <tandem/cosim.h>
#include <tandem/replay.h>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace tandem {

struct ShowOptions {
  std::string waves_dir;  // set when --waves was given ("waves" without a value)
  std::string html;
  std::string junit;
  CLI::Option* waves_option = nullptr;
  const WaiverSet* waivers = nullptr;  // the command's (--waivers and the bindings'), set before any run
  std::string coverage_html;           // --coverage: a section the HTML report shows after the runs

  bool waves() const { return !waves_dir.empty(); }
  bool recording() const { return waves() || !html.empty(); }
};

// Add the three options to `cmd` (a `run` or `replay` subcommand).
void add_show_options(CLI::App& cmd, ShowOptions& options);

// After parsing, before any work: the waves directory is created, the report files must be
// writable. Error naming the path otherwise.
void prepare_show(ShowOptions& options);

// `tandem replay FILE`: run the file's program recorded (and traced with --waves) instead of
// plainly; nullopt without --waves and --html.
std::optional<RecordedRun> record_replay(const ShowOptions& options, const DeviceBinding& binding,
                                         const ReplayFile& file);

// Write what was asked for. `recorded` is the replay's recorded run (replay), `runs` the
// records (their divergences carry the replay file paths `tandem run` wrote and they are
// recorded again from those). Lines saying where things went go to `notes`.
void show_replay(const ShowOptions& options, const std::string& program, const DeviceBinding& binding,
                 const ReplayFile& file, const std::optional<RecordedRun>& recorded, const RunRecord& record,
                 std::ostream& notes);
void show_runs(const ShowOptions& options, const std::string& program, const Catalog& catalog,
               const std::vector<RunRecord>& runs, std::ostream& notes);

}  // namespace tandem
