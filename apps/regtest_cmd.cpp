// `tandem regtest`.
#include "regtest_cmd.h"

#include <atomic>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <tandem/error.h>
#include <tandem/report.h>
#include <tandem/waiver_file.h>

#include "progress.h"

namespace tandem {

void RegtestCommand::add_to(CLI::App& app) {
  m_cmd = app.add_subcommand("regtest",
                             "built-in register tests (hw_reset, rw, bit_bash, aliasing, unmapped, access): "
                             "map vs RTL vs model; exit 1 on a failure");
  m_cmd->add_option("--device,-d", m_devices, "device (repeatable; default: every device)");
  m_cmd->add_option("--test,-t", m_tests, "test to run (repeatable; default: all)");
  m_cmd->add_option("--seed,-s", m_seed, "seed of the random values");
  m_cmd->add_flag("--json", m_json, "print JSON");
  m_cmd->add_option("--waivers", m_waivers,
                    "TOML file of known RTL-vs-model differences to count instead of failing on (docs/waivers.md)");
  m_cmd->add_flag("--quiet,-q", m_quiet, "no progress line on a terminal");
}

namespace {
// The report as a run record, for the waiver lines and keys every command prints alike.
RunRecord waiver_record(const RegtestReport& r, const WaiverSet& waivers) {
  RunRecord rec;
  rec.job.device = r.device;
  rec.job.strategy = "regtest";
  record_waivers(rec, &waivers, r.waived);
  return rec;
}

nlohmann::json to_json(const RegtestReport& r) {
  nlohmann::json tests = nlohmann::json::array();
  for (const RegtestTestResult& t : r.tests)
    if (t.run) tests.push_back({{"name", t.name}, {"checks", t.checks}, {"failures", t.failures}});
  nlohmann::json failures = nlohmann::json::array();
  for (const RegtestFailure& f : r.failures) {
    failures.push_back({{"test", f.test},
                        {"register", f.reg},
                        {"field", f.field.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.field)},
                        {"offset", f.offset},
                        {"side", side_name(f.side)},
                        {"what", f.what},
                        {"map", f.expected},
                        {"rtl", f.rtl},
                        {"model", f.model},
                        {"mask", f.mask},
                        {"step", f.step},
                        {"context", f.context},
                        {"message", f.message}});
  }
  return {{"device", r.device},
          {"passed", r.passed()},
          {"checks", r.checks},
          {"steps", r.steps},
          {"failure_count", r.failure_count},
          {"seconds", r.seconds},
          {"tests", tests},
          {"failures", failures}};
}
}  // namespace

std::optional<int> RegtestCommand::run(const CliContext& context) {
  if (!m_cmd || !*m_cmd) return std::nullopt;
  const Catalog& catalog = context.catalog;
  const WaiverSet waivers = command_waivers(catalog, m_waivers);
  RegtestOptions options;
  options.seed = m_seed;
  options.waivers = &waivers;
  if (!m_tests.empty()) {
    options.tests = 0;
    for (const std::string& t : m_tests) options.tests |= parse_regtest_list(t);
  }
  std::vector<const DeviceBinding*> devices;
  if (m_devices.empty()) {
    for (const DeviceBinding& d : catalog.devices()) devices.push_back(&d);
  } else {
    for (const std::string& n : m_devices) devices.push_back(&catalog.get(n));
  }
  bool passed = true;
  nlohmann::json runs = nlohmann::json::array();
  std::atomic<size_t> done{0}, failed{0};
  ProgressLine progress(progress_wanted(m_quiet), [&](double elapsed) {
    const size_t i = done.load();
    return fmt::format("regtest: {}/{} devices, {} failed{}, {} so far", i, devices.size(), failed.load(),
                       i < devices.size() ? " (testing " + devices[i]->name + ")" : "", format_duration(elapsed));
  });
  for (const DeviceBinding* d : devices) {
    const RegtestReport report = run_regtest(*d, options);
    passed = passed && report.passed();
    const RunRecord waived = waiver_record(report, waivers);
    if (!report.passed()) ++failed;
    ++done;
    if (m_json) {
      nlohmann::json j = to_json(report);
      const nlohmann::json keys = nlohmann::json::parse(runs_json({waived}))["runs"][0];
      j["waived"] = keys["waived"];
      j["unused_waivers"] = keys["unused_waivers"];
      runs.push_back(std::move(j));
    } else {
      progress.above([&] { std::cout << format_regtest(report) << format_waived({waived}) << std::flush; });
    }
  }
  if (m_json) std::cout << nlohmann::json{{"regtest", runs}}.dump() << "\n";
  return passed ? 0 : 1;
}

}  // namespace tandem
