// `tandem merge`: shard reports into one.
#include "merge_cmd.h"

#include <algorithm>
#include <iostream>
#include <map>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <tandem/coverage_report.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/report.h>
#include <tandem/waiver.h>

#include "options.h"

namespace tandem {

namespace {

using nlohmann::json;

// 1-based line of byte offset `at` in `text`.
size_t line_of(const std::string& text, size_t at) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + std::min(at, text.size()), '\n'));
}

json parse_report(const std::string& text, const std::string& name) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    const std::string what = e.what();
    throw Error(fmt::format("{}:{}: not JSON ({})", name, line_of(text, e.byte == 0 ? 0 : e.byte - 1),
                            what.substr(what.find(':') + 2)));
  }
  if (!j.is_object() || !j.contains("runs") || !j["runs"].is_array())
    throw Error(fmt::format("{}: not a tandem run report (no \"runs\" list; write one with tandem run --json)", name));
  for (const json& r : j["runs"])
    if (!r.is_object() || !r.contains("device") || (r.contains("job") && !r["job"].is_number_unsigned()))
      throw Error(fmt::format("{}: a run without \"device\" or with a \"job\" that is not a whole number", name));
  return j;
}

// One top-level key other than "runs", combined as merge_reports says.
void combine(json& into, const json& more, const std::string& key, const std::string& name) {
  if (into.is_object() && more.is_object()) {
    for (auto it = more.begin(); it != more.end(); ++it) {
      if (into.contains(it.key()))
        combine(into[it.key()], it.value(), key + "." + it.key(), name);
      else
        into[it.key()] = it.value();
    }
  } else if (into.is_array() && more.is_array()) {
    for (const json& e : more)
      if (std::find(into.begin(), into.end(), e) == into.end()) into.push_back(e);
  } else if (into.is_number_unsigned() && more.is_number_unsigned()) {
    into = into.get<uint64_t>() + more.get<uint64_t>();
  } else if (into.is_number() && more.is_number()) {
    into = into.get<double>() + more.get<double>();
  } else if (into.is_boolean() && more.is_boolean()) {
    into = into.get<bool>() || more.get<bool>();
  } else if (into != more) {
    throw Error(fmt::format("{}: \"{}\" differs from the reports before it ({} against {})", name, key, more.dump(),
                            into.dump()));
  }
}

// "coverage" (run --coverage, an array of devices): each device's hits added up bin by bin, not
// a union of arrays. (Any other shape under that key is combined like other keys.)
void merge_coverage_key(json& merged, const json& more, const std::string& name) {
  std::vector<DeviceCoverage> devices;
  if (merged.contains("coverage") && !merged["coverage"].is_array())
    throw Error(fmt::format("{}: \"coverage\" is an array here but not in the reports before it", name));
  if (merged.contains("coverage"))
    devices = parse_coverage_json(json{{"coverage", merged["coverage"]}}.dump(), "merged report");
  merge_coverage_set(devices, parse_coverage_json(json{{"coverage", more}}.dump(), name), name);
  merged["coverage"] = json::parse(coverage_array_json(devices));
}

DivergenceKind kind_of(const std::string& text, const std::string& name) {
  if (const std::optional<DivergenceKind> k = kind_from_name(text)) return *k;
  throw Error(fmt::format("{}: unknown divergence kind \"{}\"", name, text));
}

Divergence divergence_of(const json& d, const std::string& name) {
  Divergence div;
  div.kind = kind_of(d.value("kind", ""), name);
  div.step = d.value("step", uint64_t(0));
  div.cycle = d.value("cycle", uint64_t(0));
  div.reg = d.value("register", "");
  div.rtl = d.value("rtl", uint64_t(0));
  div.model = d.value("model", uint64_t(0));
  div.detail = d.value("detail", "");
  if (d.contains("replay") && d["replay"].is_string()) div.replay = d["replay"].get<std::string>();
  return div;
}

// A JSON value that is a string or null (the report writes absent optional text as null).
std::string text_or_empty(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}
std::optional<uint64_t> number_or_none(const json& j, const char* key) {
  if (j.contains(key) && j[key].is_number_unsigned()) return j[key].get<uint64_t>();
  return std::nullopt;
}

// A waiver as the report writes it (report.cpp waiver_json): enough to print it again.
Waiver waiver_of(const json& w, const std::string& name) {
  Waiver out;
  out.where = text_or_empty(w, "where");
  out.device = text_or_empty(w, "device");
  out.kind = kind_of(w.value("kind", ""), name);
  out.reg = text_or_empty(w, "register");
  out.field = text_or_empty(w, "field");
  out.bits = number_or_none(w, "bits");
  out.rtl = number_or_none(w, "rtl");
  out.model = number_or_none(w, "model");
  if (w.contains("when") && w["when"].is_string()) out.when = WaiverCondition{"", "", 0, w["when"].get<std::string>()};
  out.reason = text_or_empty(w, "reason");
  out.expires = text_or_empty(w, "expires");
  return out;
}

// What a run's waivers and keep-going left in its record: the merged summary prints them as
// the unsharded run's summary does.
void read_waivers_and_distinct(const json& r, const std::string& name, RunRecord& rec) {
  for (const json& w : r.value("waived", json::array()))
    if (w.is_object() && w.contains("waiver") && w.contains("first"))
      rec.waived.push_back(
          {waiver_of(w["waiver"], name), w.value("count", uint64_t(0)), divergence_of(w["first"], name)});
  for (const json& w : r.value("unused_waivers", json::array()))
    if (w.is_object()) rec.unused_waivers.push_back(waiver_of(w, name));
  if (!r.contains("distinct") || !r["distinct"].is_array()) return;
  rec.keep_going = true;
  for (const json& d : r["distinct"]) {
    DistinctDivergence dd;
    dd.first = divergence_of(d, name);
    dd.signature.device = rec.job.device;
    dd.signature.kind = dd.first.kind;
    dd.signature.reg = dd.first.reg;
    dd.signature.field = text_or_empty(d, "field");
    dd.signature.bits = number_or_none(d, "bits");
    dd.count = d.value("count", uint64_t(1));
    dd.first_step = d.value("first_step", uint64_t(0));
    rec.distinct.push_back(std::move(dd));
  }
}

RunRecord record_of(const json& r, const std::string& name) {
  RunRecord rec;
  rec.job.index = r.value("job", size_t(0));
  rec.job.device = r.value("device", "");
  rec.job.strategy = r.value("strategy", "");
  rec.job.seed = r.value("seed", uint64_t(0));
  rec.stats.steps = r.value("steps", uint64_t(0));
  rec.stats.cycles = r.value("cycles", uint64_t(0));
  const json compared = r.value("compared", json::object());
  rec.stats.reads = compared.value("reads", uint64_t(0));
  rec.stats.writes = compared.value("writes", uint64_t(0));
  rec.stats.irq_checks = compared.value("irq_checks", uint64_t(0));
  rec.stats.dma_accesses = compared.value("dma_accesses", uint64_t(0));
  rec.seconds = r.value("seconds", 0.0);
  rec.fuzz_inputs = r.value("fuzz_inputs", uint64_t(0));
  rec.failure = r.value("failure", "");
  rec.interrupted = r.value("interrupted", false);
  if (r.contains("divergence") && r["divergence"].is_object()) rec.divergence = divergence_of(r["divergence"], name);
  read_waivers_and_distinct(r, name, rec);
  return rec;
}

}  // namespace

std::string merge_reports(const std::vector<std::string>& texts, const std::vector<std::string>& names) {
  json merged = json::object();
  std::map<uint64_t, std::pair<json, size_t>> indexed;  // job -> (run, input it came from)
  json unindexed = json::array();
  bool interrupted = false;
  for (size_t f = 0; f < texts.size(); ++f) {
    json report = parse_report(texts[f], names[f]);
    for (json& r : report["runs"]) {
      if (!r.contains("job")) {
        unindexed.push_back(std::move(r));
        continue;
      }
      const uint64_t job = r["job"].get<uint64_t>();
      if (const auto it = indexed.find(job); it != indexed.end())
        throw Error(fmt::format("{}: job {} is also in {} (the same shard given twice?)", names[f], job,
                                names[it->second.second]));
      indexed.emplace(job, std::make_pair(std::move(r), f));
    }
    for (auto it = report.begin(); it != report.end(); ++it) {
      if (it.key() == "runs") continue;
      if (it.key() == "interrupted") {
        interrupted = interrupted || it.value() == true;
      } else if (it.key() == "coverage" && it.value().is_array()) {
        merge_coverage_key(merged, it.value(), names[f]);
      } else if (merged.contains(it.key())) {
        combine(merged[it.key()], it.value(), it.key(), names[f]);
      } else {
        merged[it.key()] = it.value();
      }
    }
  }
  json runs = json::array();
  for (auto& [job, entry] : indexed) runs.push_back(std::move(entry.first));
  for (json& r : unindexed) runs.push_back(std::move(r));
  merged["runs"] = std::move(runs);
  if (interrupted) merged["interrupted"] = true;
  return merged.dump(2);
}

ReportRecords records_of_report(const std::string& json_text, const std::string& name) {
  const json report = parse_report(json_text, name);
  ReportRecords out;
  for (const json& r : report["runs"]) out.runs.push_back(record_of(r, name));
  out.interrupted = report.value("interrupted", false);
  return out;
}

void MergeCommand::add_to(CLI::App& app) {
  m_cmd =
      app.add_subcommand("merge", "combine the JSON reports of a campaign's shards (tandem run --shard K/N --json)");
  m_cmd->add_option("files", m_files, "shard reports (tandem run --json)")->required();
  m_cmd->add_flag("--json", m_json, "print the merged JSON report (the unsharded campaign's)");
  m_cmd->add_option("--out,-o", m_out, "also write the merged JSON report to FILE");
  add_show_options(*m_cmd, m_show);
}

std::optional<int> MergeCommand::run(const CliContext& context) {
  if (m_cmd == nullptr || !*m_cmd) return std::nullopt;
  prepare_show(m_show);
  if (!m_out.empty()) check_writable(m_out);
  std::vector<std::string> texts;
  for (const std::string& f : m_files) texts.push_back(read_text_file(f, uint64_t(1) << 30, "not a run report"));
  const std::string merged = merge_reports(texts, m_files);
  const ReportRecords report = records_of_report(merged, "merged report");
  const std::vector<RunRecord>& runs = report.runs;
  if (!m_out.empty()) write_text_file(m_out, merged + "\n");
  std::cout << (m_json ? merged + "\n" : format_summary(runs));
  show_runs(m_show, context.program, context.catalog, runs, m_json ? std::cerr : std::cout);
  if (report.interrupted) std::cerr << context.program << ": a shard was interrupted: the merged report is partial\n";
  for (const RunRecord& r : runs)
    if (!r.clean()) return kExitDiverged;
  return kExitClean;
}

}  // namespace tandem
