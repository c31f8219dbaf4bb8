// Register-map coverage on the command line: `--coverage FILE` of `run` and `fuzz`, and
// `tandem coverage merge A.json B.json ... -o OUT.json`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <tandem/campaign.h>
#include <tandem/coverage.h>
#include <tandem/steer.h>

#include "command.h"

namespace tandem {

// `--coverage FILE` on `cmd`.
void add_coverage_option(CLI::App& cmd, std::string& path);

// One collector per job of a campaign, made before it runs (worker threads only look them up),
// and the coverage file. Without a path it does nothing and hands out no observer.
class CoverageRecorder {
 public:
  // Writes the campaign's devices' empty coverage to `path` at once: an unwritable path is bad
  // input before any run, not after.
  CoverageRecorder(const Catalog& catalog, const std::vector<Job>& jobs, const std::string& path);
  CoverageCollector* observer(const Job& job) const;
  // Collectors for jobs added after construction (--until-plateau).
  void add_jobs(const Catalog& catalog, const std::vector<Job>& jobs);
  bool enabled() const { return !m_path.empty(); }
  // Each device's coverage over `runs` (devices in the order they first ran), written to the
  // file; nullptr without --coverage.
  const std::vector<DeviceCoverage>* finish(const std::vector<RunRecord>& runs);

 private:
  std::string m_path;
  std::map<size_t, std::unique_ptr<CoverageCollector>> m_by_job;  // Job::index
  std::vector<DeviceCoverage> m_devices;
};

// `tandem fuzz --coverage`: the device's bins, none hit, written to `path` (bad path: Error).
void write_coverage_plan(const DeviceBinding& binding, const std::string& path);
// The coverage of every input in `corpora` (files in name order, at most kMaxCorpusInputs),
// each decoded as the fuzz target decodes it and run in lockstep; written to `path`.
constexpr size_t kMaxCorpusInputs = 20000;
DeviceCoverage corpus_coverage(const DeviceBinding& binding, const std::vector<std::string>& corpora,
                               uint64_t max_cycles, const std::string& path);

// --until-plateau: at most this many rounds of new seeds are added to a campaign.
constexpr unsigned kMaxPlateauRounds = 32;

// How the rounds --until-plateau adds are steered (tandem/steer.h): each round's jobs toward
// the bins that neither `earlier` (a --steer file; may be null) nor the runs before it hit.
struct PlateauSteering {
  bool steer = true;
  const std::vector<DeviceCoverage>* earlier = nullptr;
};

// Adds rounds of jobs to `result` (each round: every device of `jobs` with the next unused seed,
// run by `run_more`) until the bins hit stop growing for `plateau_steps` steps, or for
// kMaxPlateauRounds rounds; says on `notes` what each round reached and which end it met.
// Needs coverage (Error otherwise).
void extend_until_plateau(const Catalog& catalog, const std::vector<Job>& jobs, uint64_t plateau_steps,
                          CoverageRecorder& coverage, CampaignResult& result,
                          const std::function<CampaignResult(const std::vector<Job>&)>& run_more, std::ostream& notes,
                          const PlateauSteering& steering = {});

// The bins of `binding` that none of `covered` (coverage sets: a file, a campaign's runs) hit,
// as steering; the sets' other devices are ignored. Throws Error when a set's bins for this
// device are another build's.
std::shared_ptr<const Steering> steering_after(const DeviceBinding& binding,
                                               const std::vector<const std::vector<DeviceCoverage>*>& covered);

// `runs_json` (a report object) with "coverage": the array of coverage_json(); unchanged
// without coverage.
std::string with_coverage_json(const std::string& runs_json, const std::vector<DeviceCoverage>* coverage);

class CoverageCommands final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  CLI::App* m_cmd = nullptr;
  CLI::App* m_merge = nullptr;
  std::vector<std::string> m_files;
  std::string m_out;
  bool m_json = false;
};

}  // namespace tandem
