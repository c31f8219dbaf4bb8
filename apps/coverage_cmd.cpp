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
