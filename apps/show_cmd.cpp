// Waves, HTML and JUnit reports on the command line.
#include "show_cmd.h"

#include <filesystem>
#include <ostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <tandem/files.h>
#include <tandem/report_html.h>
#include <tandem/report_junit.h>
#include <tandem/triage.h>
#include <tandem/waves.h>

namespace tandem {

namespace {

constexpr const char* kDefaultWavesDir = "waves";

std::string stem_of(const std::string& path) { return std::filesystem::path(path).stem().string(); }

ReportCase make_case(const ShowOptions& options, const DeviceBinding& binding, const ReplayFile& file,
                     std::optional<RecordedRun> recorded) {
  ReportCase c;
  c.binding = &binding;
  c.source = file.source;
  c.lines = file.lines;
  c.notes = file.notes;
  c.program = file.program;
  if (options.waves()) {
    c.waves = wave_files(options.waves_dir, stem_of(file.source));
    c.recorded = recorded ? std::move(*recorded)
                          : run_with_waves(binding, file.program, *c.waves, options.waivers, file.bus_timing);
  } else {
    c.recorded =
        recorded ? std::move(*recorded) : run_recorded(binding, file.program, "", options.waivers, file.bus_timing);
  }
  return c;
}

void note_waves(const ReportCase& c, std::ostream& notes) {
  if (!c.waves) return;
  notes << fmt::format("waves: {} (RTL), {} (cosim view); open with: {}\n", c.waves->rtl, c.waves->view,
                       gtkwave_command(*c.waves));
}

}  // namespace

void add_show_options(CLI::App& cmd, ShowOptions& options) {
  options.waves_option =
      cmd.add_option("--waves", options.waves_dir,
                     "write the RTL trace (FST), a cosim view (VCD) and a GTKWave save file per divergence "
                     "into DIR (default: waves)")
          ->expected(0, 1)
          ->type_name("[DIR]");
  cmd.add_option("--html", options.html, "write a self-contained HTML report of the divergences");
  cmd.add_option("--junit", options.junit, "write a JUnit XML report");
}

void prepare_show(ShowOptions& options) {
  if (options.waves_option && options.waves_option->count() > 0 && options.waves_dir.empty())
    options.waves_dir = kDefaultWavesDir;
  if (options.waves()) make_output_dir(options.waves_dir);
  if (!options.html.empty()) check_writable(options.html);
  if (!options.junit.empty()) check_writable(options.junit);
}

std::optional<RecordedRun> record_replay(const ShowOptions& options, const DeviceBinding& binding,
                                         const ReplayFile& file) {
  if (!options.recording()) return std::nullopt;
  if (options.waves())
    return run_with_waves(binding, file.program, wave_files(options.waves_dir, stem_of(file.source)), options.waivers,
                          file.bus_timing);
  return run_recorded(binding, file.program, "", options.waivers, file.bus_timing);
}

void show_replay(const ShowOptions& options, const std::string& program, const DeviceBinding& binding,
                 const ReplayFile& file, const std::optional<RecordedRun>& recorded, const RunRecord& record,
                 std::ostream& notes) {
  if (recorded) {
    const ReportCase c = make_case(options, binding, file, recorded);
    note_waves(c, notes);
    if (!options.html.empty()) {
      write_text_file(options.html, html_report(fmt::format("{} replay {}", program, file.source), {record}, {c}));
      notes << fmt::format("report: {}\n", options.html);
    }
  }
  if (!options.junit.empty()) {
    write_text_file(options.junit, junit_xml(program, {record}));
    notes << fmt::format("junit: {}\n", options.junit);
  }
}

void show_runs(const ShowOptions& options, const std::string& program, const Catalog& catalog,
               const std::vector<RunRecord>& runs, std::ostream& notes) {
  if (options.recording()) {
    std::vector<ReportCase> cases;
    for (const RunRecord& r : runs) {
      // A --keep-going run: each distinct divergence's own replay file.
      std::vector<Divergence> shown;
      if (r.keep_going)
        for (const DistinctDivergence& d : r.distinct) shown.push_back(d.first);
      else if (r.divergence)
        shown.push_back(*r.divergence);
      for (const Divergence& d : shown) {
        if (d.replay.empty()) continue;
        const DeviceBinding& binding = catalog.get(r.job.device);
        const ReplayFile file = load_replay(d.replay);
        ReportCase c = make_case(options, binding, file, std::nullopt);
        c.found_by = fmt::format("{} strategy {} seed {}: {} divergence at register {}, step {}, cycle {}",
                                 r.job.device, r.job.strategy, r.job.seed, kind_name(d.kind), d.reg, d.step, d.cycle);
        note_waves(c, notes);
        cases.push_back(std::move(c));
      }
    }
    if (!options.html.empty()) {
      write_text_file(options.html, html_report(fmt::format("{} run", program), runs, cases,
                                                triage_html(triage(runs, catalog)) + options.coverage_html));
      notes << fmt::format("report: {}\n", options.html);
    }
  }
  if (!options.junit.empty()) {
    write_text_file(options.junit, junit_xml(program, runs));
    notes << fmt::format("junit: {}\n", options.junit);
  }
}

}  // namespace tandem
