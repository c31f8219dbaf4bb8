// `tandem merge FILE...`: the JSON reports of a campaign's shards (`tandem run --shard K/N
// --json`, from GNU parallel, a Kubernetes Indexed Job, a CI matrix) combined into the report
// the unsharded campaign gives, and from it JUnit and HTML.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tandem/campaign.h>

#include "command.h"
#include "show_cmd.h"

namespace tandem {

// The merged report: every input's runs in job order ("job", the position in the unsharded
// campaign), then runs without one in input order; "interrupted" when any input was. Other
// top-level keys (coverage, distinct divergences) are combined key by key: objects merged,
// arrays joined without repeats, numbers added, booleans or-ed; a string or type that
// differs between inputs is an Error naming the file and key. A job in two inputs (a shard
// given twice) is an Error naming both files. `texts` are the inputs' contents, `names` their
// paths (for messages).
std::string merge_reports(const std::vector<std::string>& texts, const std::vector<std::string>& names);

// What a report says: its runs as records (what JUnit and HTML are written from; a
// divergence's last steps are not in the JSON and come back empty) and whether it is partial.
struct ReportRecords {
  std::vector<RunRecord> runs;
  bool interrupted = false;
};
ReportRecords records_of_report(const std::string& json_text, const std::string& name);

class MergeCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_cmd = nullptr;
  std::vector<std::string> m_files;
  std::string m_out;
  bool m_json = false;
  ShowOptions m_show;
};

}  // namespace tandem
