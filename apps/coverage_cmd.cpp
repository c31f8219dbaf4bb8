// `--coverage FILE` and `tandem coverage merge`.
#include "coverage_cmd.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <tandem/coverage_report.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/fuzz_decode.h>
#include <tandem/lockstep.h>
#include <tandem/program_run.h>

#include "options.h"

namespace tandem {

void add_coverage_option(CLI::App& cmd, std::string& path) {
  cmd.add_option("--coverage", path,
                 "write register-map coverage (bins from the map and hints, docs/coverage.md) to FILE as JSON; "
                 "the summary shows it per register with the bins never hit");
}

CoverageRecorder::CoverageRecorder(const Catalog& catalog, const std::vector<Job>& jobs, const std::string& path)
    : m_path(path) {
  if (m_path.empty()) return;
  std::vector<DeviceCoverage> empty;
  for (const Job& j : jobs) {
    const DeviceBinding& binding = catalog.get(j.device);
    m_by_job[j.index] = std::make_unique<CoverageCollector>(binding);
    bool known = false;
    for (const DeviceCoverage& d : empty) known = known || d.device == j.device;
    if (!known) empty.push_back(coverage_plan(binding));
  }
  write_text_file(m_path, coverage_json(empty) + "\n");
}

void CoverageRecorder::add_jobs(const Catalog& catalog, const std::vector<Job>& jobs) {
  for (const Job& j : jobs) m_by_job[j.index] = std::make_unique<CoverageCollector>(catalog.get(j.device));
}

CoverageCollector* CoverageRecorder::observer(const Job& job) const {
  const auto it = m_by_job.find(job.index);
  if (it == m_by_job.end()) return nullptr;
  it->second->begin_run();
  return it->second.get();
}

const std::vector<DeviceCoverage>* CoverageRecorder::finish(const std::vector<RunRecord>& runs) {
  if (m_path.empty()) return nullptr;
  m_devices.clear();
  for (const RunRecord& r : runs) {
    const auto it = m_by_job.find(r.job.index);
    if (it == m_by_job.end()) continue;
    merge_coverage_set(m_devices, {it->second->coverage()}, m_path);
  }
  write_text_file(m_path, coverage_json(m_devices) + "\n");
  return &m_devices;
}

void write_coverage_plan(const DeviceBinding& binding, const std::string& path) {
  write_text_file(path, coverage_json({coverage_plan(binding)}) + "\n");
}

DeviceCoverage corpus_coverage(const DeviceBinding& binding, const std::vector<std::string>& corpora,
                               uint64_t max_cycles, const std::string& path) {
  std::vector<std::filesystem::path> inputs;
  for (const std::string& dir : corpora)
    for (const std::filesystem::directory_entry& e : std::filesystem::directory_iterator(dir))
      if (e.is_regular_file()) inputs.push_back(e.path());
  std::sort(inputs.begin(), inputs.end());
  if (inputs.size() > kMaxCorpusInputs) inputs.resize(kMaxCorpusInputs);
  CoverageCollector collector(binding);
  FuzzDecodeOptions decode;
  decode.max_cycles = max_cycles;
  LockstepOptions options;
  options.max_cycles = max_cycles;
  options.observer = &collector;
  for (const std::filesystem::path& f : inputs) {
    const std::string bytes = read_text_file(f.string());
    collector.begin_run();
    run_program(binding,
                decode_fuzz_input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), binding, decode),
                options);
  }
  write_text_file(path, coverage_json({collector.coverage()}) + "\n");
  return collector.coverage();
}

namespace {

size_t bins_hit(const std::vector<DeviceCoverage>& devices) {
  size_t n = 0;
  for (const DeviceCoverage& d : devices) n += d.hit_count();
  return n;
}

// One job per device of `jobs` with `seed`, indexed after the campaign's last job.
std::vector<Job> plateau_round(const std::vector<Job>& jobs, uint64_t seed, size_t first_index) {
  std::vector<Job> round;
  for (const Job& j : jobs) {
    bool seen = false;
    for (const Job& r : round) seen = seen || r.device == j.device;
    if (seen) continue;
    Job next = j;
    next.seed = seed;
    next.checkpoint.clear();
    next.resume.clear();
    next.index = first_index + round.size();
    next.steering = nullptr;
    round.push_back(next);
  }
  return round;
}

}  // namespace

void extend_until_plateau(const Catalog& catalog, const std::vector<Job>& jobs, uint64_t plateau_steps,
                          CoverageRecorder& coverage, CampaignResult& result,
                          const std::function<CampaignResult(const std::vector<Job>&)>& run_more, std::ostream& notes,
                          const PlateauSteering& steering) {
  if (!coverage.enabled()) throw Error("--until-plateau needs --coverage FILE");
  uint64_t seed = 0;
  size_t next_index = 0;
  for (const Job& j : jobs) {
    seed = std::max(seed, j.seed);
    next_index = std::max(next_index, j.index + 1);
  }
  const std::vector<DeviceCoverage>* so_far = coverage.finish(result.runs);
  size_t hit = bins_hit(*so_far);
  uint64_t flat = 0;   // steps run since the last new bin
  uint64_t total = 0;  // steps of every run so far
  for (const RunRecord& r : result.runs) total += r.stats.steps;
  notes << fmt::format("plateau round 0: the campaign's {} runs, {} bins hit after {} steps\n", result.runs.size(), hit,
                       total);
  for (unsigned round = 1; round <= kMaxPlateauRounds; ++round) {
    std::vector<Job> more = plateau_round(jobs, seed + round, next_index);
    size_t aims = 0;
    if (steering.steer)
      for (Job& j : more) {
        j.steering = steering_after(catalog.get(j.device), {steering.earlier, so_far});
        aims += j.steering->aims.size();
      }
    next_index += more.size();
    coverage.add_jobs(catalog, more);
    const CampaignResult added = run_more(more);
    for (const RunRecord& r : added.runs) {
      flat += r.stats.steps;
      total += r.stats.steps;
      result.runs.push_back(r);
    }
    so_far = coverage.finish(result.runs);
    const size_t now = bins_hit(*so_far);
    if (now > hit) flat = 0;
    hit = now;
    notes << fmt::format("plateau round {}: seed {}{}, {} bins hit after {} steps\n", round, seed + round,
                         steering.steer ? fmt::format(", steered toward {} bins", aims) : "", hit, total);
    if (added.interrupted) {
      result.interrupted = true;
      return;
    }
    if (flat >= plateau_steps) {
      notes << fmt::format("plateau: no new bin in the last {} steps; {} rounds of new seeds added, {} bins hit\n",
                           flat, round, hit);
      return;
    }
  }
  notes << fmt::format(
      "plateau not reached: coverage still grew within the last {} steps after the maximum of {} "
      "rounds of new seeds; {} bins hit\n",
      plateau_steps, kMaxPlateauRounds, hit);
}

std::shared_ptr<const Steering> steering_after(const DeviceBinding& binding,
                                               const std::vector<const std::vector<DeviceCoverage>*>& covered) {
  DeviceCoverage all = coverage_plan(binding);
  for (const std::vector<DeviceCoverage>* set : covered)
    if (set != nullptr)
      for (const DeviceCoverage& d : *set)
        if (d.device == binding.name) merge_coverage(all, d);
  return std::make_shared<const Steering>(steering_toward(binding, all));
}

std::string with_coverage_json(const std::string& runs_json, const std::vector<DeviceCoverage>* coverage) {
  if (coverage == nullptr) return runs_json;
  nlohmann::json j = nlohmann::json::parse(runs_json);
  j["coverage"] = nlohmann::json::parse(coverage_array_json(*coverage));
  return j.dump(2);
}

void CoverageCommands::add_to(CLI::App& app) {
  m_cmd = app.add_subcommand("coverage", "register-map coverage files (tandem run --coverage FILE)");
  m_cmd->require_subcommand(1);
  m_merge = m_cmd->add_subcommand("merge", "add up the coverage files of a campaign's shards or runs");
  m_merge->add_option("files", m_files, "coverage JSON files")->required();
  m_merge->add_option("--out,-o", m_out, "write the merged coverage JSON to FILE")->required();
  m_merge->add_flag("--json", m_json, "print the merged coverage JSON instead of the summary");
}

std::optional<int> CoverageCommands::run(const CliContext&) {
  if (m_cmd == nullptr || !*m_cmd) return std::nullopt;
  std::vector<DeviceCoverage> merged;
  for (const std::string& f : m_files) merge_coverage_set(merged, parse_coverage_json(read_text_file(f), f), f);
  const std::string json = coverage_json(merged);
  write_text_file(m_out, json + "\n");
  std::cout << (m_json ? json + "\n" : format_coverage(merged));
  return kExitClean;
}

}  // namespace tandem
