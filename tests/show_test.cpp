// Waves and reports of a divergence: the RTL trace (FST), the cosim view (VCD) on the same time
// base with its marker at the divergence, the GTKWave save file, the self-contained HTML
// report and the JUnit XML.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

#include <tandem/cosim.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/program_run.h>
#include <tandem/replay.h>
#include <tandem/report_html.h>
#include <tandem/report_junit.h>
#include <tandem/shrink.h>
#include <tandem/stimulus.h>
#include <tandem/waves.h>

#include "tests/test_support.h"

using namespace tandem;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / fmt::format("tandem-show-test-{}", ::getpid());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The minimal program `tandem run` would write for this mutant (strategy all, seed 1).
Program minimal_program(const DeviceBinding& binding) {
  const RunRecord r = run_job(binding, Job{binding.name, "all", 1, 10000});
  REQUIRE(r.divergence);
  const Program prefix = generate_program("all", binding, 1, r.divergence->step + 1);
  const ShrinkResult s = shrink_program(binding, prefix);
  REQUIRE(s.reproduced);
  return s.program;
}

// A VCD file read back: variables by hierarchical name, and each one's changes.
struct VcdFile {
  std::string timescale;
  std::map<std::string, std::string> id_of;                                      // "tandem.rtl.irq" -> id
  std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> changes;  // id -> (time, value)
  uint64_t last_time = 0;

  // The first time `name` takes `value` ("1", or a vector's binary digits without leading zeros).
  std::optional<uint64_t> first_time(const std::string& name, const std::string& value) const {
    const auto id = id_of.find(name);
    if (id == id_of.end()) return std::nullopt;
    const auto c = changes.find(id->second);
    if (c == changes.end()) return std::nullopt;
    for (const auto& [t, v] : c->second)
      if (v == value) return t;
    return std::nullopt;
  }
};

VcdFile parse_vcd(const std::string& text) {
  VcdFile vcd;
  std::istringstream in(text);
  std::vector<std::string> scope;
  std::string tok;
  bool defs = true;
  uint64_t now = 0;
  while (in >> tok) {
    if (defs) {
      if (tok == "$timescale") {
        in >> vcd.timescale;
      } else if (tok == "$scope") {
        std::string kind, name;
        in >> kind >> name;
        scope.push_back(name);
      } else if (tok == "$upscope") {
        REQUIRE_FALSE(scope.empty());
        scope.pop_back();
      } else if (tok == "$var") {
        std::string type, width, id, name;
        in >> type >> width >> id >> name;
        std::string full;
        for (const std::string& s : scope) full += s + ".";
        vcd.id_of[full + name] = id;
      } else if (tok == "$enddefinitions") {
        REQUIRE(scope.empty());
        defs = false;
      }
      continue;
    }
    if (tok[0] == '#') {
      const uint64_t t = std::stoull(tok.substr(1));
      REQUIRE(t >= now);  // times never go back
      now = t;
      vcd.last_time = t;
    } else if (tok[0] == 'b') {
      std::string id;
      in >> id;
      vcd.changes[id].push_back({now, tok.substr(1)});
    } else if (tok[0] == '$') {
      continue;  // $dumpvars / $end
    } else {
      vcd.changes[tok.substr(1)].push_back({now, tok.substr(0, 1)});
    }
  }
  REQUIRE_FALSE(defs);
  return vcd;
}

uint64_t be64(const std::string& bytes, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

}  // namespace

TEST_CASE("waves of a divergence: RTL trace, cosim view with its marker, and the GTKWave save file", "[show]") {
  TempDir tmp;
  const DeviceBinding& binding = test_catalog().get("seldev.trust_select");
  const Program program = {Step::read(0x0), Step::write(0xc, 0x4)};
  const WaveFiles files = wave_files(tmp.path.string(), "trust_select");
  const RecordedRun r = run_with_waves(binding, program, files);
  REQUIRE(r.run.divergence);
  const Divergence& d = *r.run.divergence;
  CHECK(d.kind == DivergenceKind::write_error);
  CHECK(d.step == 1);

  // The RTL trace: an FST file (header block first), 1ps unit, ending at the run's last edge.
  const std::string fst = slurp(files.rtl);
  REQUIRE(fst.size() > 200);
  CHECK(fst[0] == 0);
  CHECK(fst_timescale(files.rtl) == -12);
  CHECK(be64(fst, 17) == 2 * r.record.end);

  // The cosim view: both sides' signals, the marker rising at the divergence's edge.
  const VcdFile vcd = parse_vcd(slurp(files.view));
  CHECK(vcd.timescale == "1ps");
  for (const char* name : {"tandem.clk", "tandem.diverged", "tandem.step", "tandem.bus.addr", "tandem.rtl.rdata",
                           "tandem.model.rdata", "tandem.rtl.error", "tandem.model.error", "tandem.rtl.irq",
                           "tandem.model.irq", "tandem.rtl.dma", "tandem.model.dma", "tandem.rtl.dma_addr"})
    CHECK(vcd.id_of.count(name) == 1);
  CHECK(vcd.first_time("tandem.diverged", "1") == 2 * d.cycle);
  CHECK(vcd.first_time("tandem.rtl.error", "1") == 2 * d.cycle);
  CHECK_FALSE(vcd.first_time("tandem.model.error", "1"));
  const std::optional<uint64_t> addr_at = vcd.first_time("tandem.bus.addr", "1100");  // 0xc on the bus
  REQUIRE(addr_at);
  CHECK(*addr_at < 2 * d.cycle);  // before the completer answers
  CHECK(vcd.last_time <= 2 * r.record.end + 3);

  // The save file loads the view, names the trace, arranges both sides and sets the marker.
  const std::string gtkw = slurp(files.gtkw);
  CHECK(gtkw.find(fmt::format("[dumpfile] \"{}\"", fs::absolute(files.view).string())) != std::string::npos);
  CHECK(gtkw.find(files.rtl) != std::string::npos);
  CHECK(gtkw.find(fmt::format(" {} {} ", 2 * d.cycle, 2 * d.cycle)) != std::string::npos);
  for (const char* sig : {"tandem.rtl.error", "tandem.model.error", "tandem.rtl.rdata[31:0]",
                          "tandem.model.rdata[31:0]", "tandem.diverged", "@800200", "@1000200"})
    CHECK(gtkw.find(sig) != std::string::npos);
  CHECK(gtkw.find("DMA: RTL / model") == std::string::npos);  // seldev is no bus master
  CHECK(gtkwave_command(files) == fmt::format("gtkwave {} {}", files.view, files.gtkw));
}

TEST_CASE("the cosim view of a divergence after a long idle gap keeps clock, steps and marker on time", "[show]") {
  TempDir tmp;
  const ReplayFile file =
      parse_replay("# tandem replay v1 device=seldev.wrong_reset\nclock_step 300000\nreadl 0x10\n", "long_idle.replay");
  const DeviceBinding& binding = test_catalog().get("seldev.wrong_reset");
  const WaveFiles files = wave_files(tmp.path.string(), "long_idle");
  const RecordedRun r = run_with_waves(binding, file.program, files);
  REQUIRE(r.run.divergence);
  const Divergence& d = *r.run.divergence;
  CHECK(d.kind == DivergenceKind::read_data);
  CHECK(d.reg == "IRQ_ENABLE");
  REQUIRE(d.step == 1);
  REQUIRE(d.cycle > 300000);  // edge 2 x 300000 and more in the view: beyond the old 200,000-edge clock
  REQUIRE(r.record.steps.size() == 2);
  const Cycle idle_from = r.record.steps[0].from, read_from = r.record.steps[1].from;
  CHECK(read_from == idle_from + 300000);
  CHECK(d.cycle == read_from + 2);  // APB setup and access edge, no wait states

  const std::string text = slurp(files.view);
  CHECK(text.size() < 64 * 1024);  // 300,000 idle edges are not drawn one by one
  const VcdFile vcd = parse_vcd(text);
  CHECK(vcd.first_time("tandem.diverged", "1") == 2 * d.cycle);
  CHECK(vcd.first_time("tandem.step", "1") == 2 * read_from + 1);  // binary 1: the read begins
  CHECK(vcd.first_time("tandem.bus.access", "1") == 2 * read_from + 1);
  CHECK(vcd.first_time("tandem.bus.addr", "10000") == 2 * read_from + 1);  // 0x10
  CHECK(vcd.first_time("tandem.rtl.rdata", "0") == 2 * d.cycle);

  // The clock: toggling at the edges around the read (rising at edge N = time 2N, falling at
  // 2N + 1), held at z in the middle of the idle gap, never changing there.
  REQUIRE(vcd.id_of.count("tandem.clk") == 1);
  const auto& clk = vcd.changes.at(vcd.id_of.at("tandem.clk"));
  auto clk_at = [&](uint64_t t) {  // the clock's value at time t
    std::string v = "x";
    for (const auto& [when, value] : clk)
      if (when <= t) v = value;
    return v;
  };
  for (Cycle c = read_from - 10; c <= d.cycle + 1; ++c) {
    CHECK(clk_at(2 * c) == "1");
    CHECK(clk_at(2 * c + 1) == "0");
  }
  CHECK(clk_at(2 * (idle_from + 150000)) == "z");
  size_t changes_in_gap = 0;
  for (const auto& [when, value] : clk)
    if (when > 2 * (idle_from + 1000) && when < 2 * (read_from - 1000)) ++changes_in_gap;
  CHECK(changes_in_gap == 0);
  CHECK(vcd.last_time <= 2 * r.record.end + 3);
}

TEST_CASE("the cosim view of an interrupt divergence shows both sides' lines apart at the marker", "[show]") {
  TempDir tmp;
  const DeviceBinding& binding = test_catalog().get("seldev.irq_late");
  const WaveFiles files = wave_files(tmp.path.string(), "irq_late");
  const RecordedRun r = run_with_waves(binding, minimal_program(binding), files);
  REQUIRE(r.run.divergence);
  const Divergence& d = *r.run.divergence;
  REQUIRE(d.kind == DivergenceKind::irq);
  const CosimIrq at = r.record.irq_at(d.cycle);
  CHECK(at.rtl == d.rtl);
  CHECK(at.model == d.model);
  const VcdFile vcd = parse_vcd(slurp(files.view));
  CHECK(vcd.first_time("tandem.diverged", "1") == 2 * d.cycle);
  CHECK(vcd.first_time(d.rtl ? "tandem.rtl.irq" : "tandem.model.irq", "1") == 2 * d.cycle);
}

TEST_CASE("the cosim view of a DMA divergence carries both sides' accesses", "[show]") {
  TempDir tmp;
  const DeviceBinding& binding = test_catalog().get("dma.double_fetch");
  const WaveFiles files = wave_files(tmp.path.string(), "double_fetch");
  const RecordedRun r = run_with_waves(binding, minimal_program(binding), files);
  REQUIRE(r.run.divergence);
  CHECK(r.run.divergence->kind == DivergenceKind::dma);
  size_t rtl = 0, model = 0;
  for (const CosimDma& m : r.record.dma) (m.rtl_side ? rtl : model)++;
  CHECK(rtl > 0);
  CHECK(model > 0);
  const VcdFile vcd = parse_vcd(slurp(files.view));
  CHECK(vcd.first_time("tandem.rtl.dma", "1"));
  CHECK(vcd.first_time("tandem.model.dma", "1"));
  CHECK(vcd.id_of.count("tandem.rtl.irq_done") == 1);  // named lines of a device with several
  CHECK(vcd.first_time("tandem.diverged", "1") == 2 * r.run.divergence->cycle);
  CHECK(slurp(files.gtkw).find("tandem.model.dma_addr[63:0]") != std::string::npos);
}

TEST_CASE("a plain lockstep run records and traces nothing", "[show]") {
  const DeviceBinding& binding = test_catalog().get("seldev");
  const LockstepOptions options;
  CHECK(options.observer == nullptr);
  CHECK(options.rtl.fst_path.empty());
  const RecordedRun r = run_recorded(binding, generate_program("all", binding, 1, 500));
  const ProgramRun plain = run_program(binding, generate_program("all", binding, 1, 500));
  CHECK_FALSE(r.run.divergence);
  CHECK(r.run.stats.reads == plain.stats.reads);
  CHECK(r.run.stats.irq_checks == plain.stats.irq_checks);
  CHECK(r.record.steps.size() == 500);
}

TEST_CASE("decode_fields splits a value into the register's fields", "[show]") {
  const RegisterMap& map = test_catalog().get("seldev").regmap;
  const std::vector<FieldValue> f = decode_fields(map, 0x8, 4, 0x10003, 0x00003);  // STATUS
  REQUIRE(f.size() == 5);
  CHECK(f[0].name == "STATUS.DONE");
  CHECK(f[0].rtl == 3);
  CHECK_FALSE(f[0].differs());
  CHECK(f[2].name == "STATUS.SEL_ERR");
  CHECK(f[2].differs());
  // A byte access covers only the fields in its byte.
  const std::vector<FieldValue> b = decode_fields(map, 0xa, 1, 0x1, 0x0);
  REQUIRE(b.size() == 3);
  CHECK(b[0].name == "STATUS.SEL_ERR");
  CHECK(b[0].rtl == 1);
  CHECK(decode_fields(map, 0x44, 4, 1, 2).empty());
}

TEST_CASE("the HTML report is self-contained, highlights the diverging step and names the fields", "[show]") {
  const DeviceBinding& binding = test_catalog().get("seldev.wrong_reset");
  ReportCase c;
  c.binding = &binding;
  c.source = "wrong_reset.replay";
  c.program = minimal_program(binding);
  c.lines.resize(c.program.size());
  for (size_t i = 0; i < c.lines.size(); ++i) c.lines[i] = i + 3;
  c.recorded = run_recorded(binding, c.program);
  REQUIRE(c.recorded.run.divergence);
  const Divergence& d = *c.recorded.run.divergence;
  REQUIRE(d.kind == DivergenceKind::read_data);
  REQUIRE(d.reg == "IRQ_ENABLE");
  const std::string html = html_report("tandem replay wrong_reset.replay", {}, {c});
  for (const char* external : {"http://", "https://", "src=", "<script", "<link", "@import", "url("})
    CHECK(html.find(external) == std::string::npos);
  CHECK(html.find("<style>") != std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("diverged at edge " + std::to_string(d.cycle)) != std::string::npos);
  // The diverging step's row is highlighted and shows the step.
  const size_t row = html.find("<tr class=\"diverging\">");
  REQUIRE(row != std::string::npos);
  const std::string tr = html.substr(row, html.find("</tr>", row) - row);
  CHECK(tr.find(format_step(c.program[d.step])) != std::string::npos);
  CHECK(tr.find(">" + std::to_string(d.step) + "<") != std::string::npos);
  // Register and the fields of the differing value.
  CHECK(html.find("IRQ_ENABLE.DONE_IE") != std::string::npos);
  CHECK(html.find("IRQ_ENABLE.ERR_IE") != std::string::npos);
  CHECK(html.find("read_data") != std::string::npos);
}

TEST_CASE("JUnit XML: one suite per device, one case per job, a failure per divergence", "[show]") {
  const Catalog& catalog = test_catalog();
  std::vector<RunRecord> runs;
  for (const char* dev : {"seldev", "seldev.trust_select", "timer"})
    for (uint64_t seed : {1, 2}) runs.push_back(run_job(catalog.get(dev), Job{dev, "all", seed, 300}));
  for (RunRecord& r : runs)
    if (r.divergence) r.divergence->replay = "out/" + r.job.device + ".replay";
  RunRecord failed;
  failed.job = Job{"timer", "all", 3, 0};
  failed.failure = "the run compared nothing";
  runs.push_back(failed);
  const std::string xml = junit_xml("tandem-mutants", runs);

  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  const pugi::xml_node suites = doc.child("testsuites");
  REQUIRE(suites);
  // Named after the program that ran the jobs, and so is every test case's class.
  CHECK(std::string(suites.attribute("name").as_string()) == "tandem-mutants");
  for (pugi::xml_node s : suites.children("testsuite"))
    for (pugi::xml_node tc : s.children("testcase"))
      CHECK(std::string(tc.attribute("classname").as_string()) ==
            "tandem-mutants." + std::string(s.attribute("name").as_string()));
  {
    pugi::xml_document other;
    REQUIRE(other.load_string(junit_xml("tandem", {runs.front()}).c_str()));
    CHECK(std::string(other.child("testsuites").attribute("name").as_string()) == "tandem");
    CHECK(std::string(
              other.child("testsuites").child("testsuite").child("testcase").attribute("classname").as_string()) ==
          "tandem.seldev");
  }
  std::map<std::string, int> want_cases, want_failures;
  int want_total_failures = 0;
  for (const RunRecord& r : runs) {
    ++want_cases[r.job.device];
    want_failures[r.job.device] += r.clean() ? 0 : 1;
    want_total_failures += r.clean() ? 0 : 1;
  }
  CHECK(want_failures["seldev.trust_select"] >= 1);
  CHECK(want_failures["timer"] >= 1);
  CHECK(suites.attribute("tests").as_int() == 7);
  CHECK(suites.attribute("failures").as_int() == want_total_failures);
  std::map<std::string, int> cases, failures;
  for (pugi::xml_node s : suites.children("testsuite")) {
    int n = 0, f = 0;
    for (pugi::xml_node tc : s.children("testcase")) {
      ++n;
      if (pugi::xml_node fail = tc.child("failure")) {
        ++f;
        const std::string msg = fail.attribute("message").as_string();
        if (std::string(s.attribute("name").as_string()) == "seldev.trust_select") {
          CHECK(std::string(fail.attribute("type").as_string()) == "write_error");
          CHECK(msg.find("UNIT_SELECT") != std::string::npos);
          CHECK(msg.find("out/seldev.trust_select.replay") != std::string::npos);
          CHECK(std::string(fail.text().as_string()).find("replay: out/seldev.trust_select.replay") !=
                std::string::npos);
        }
      }
    }
    CHECK(s.attribute("tests").as_int() == n);
    CHECK(s.attribute("failures").as_int() == f);
    cases[s.attribute("name").as_string()] = n;
    failures[s.attribute("name").as_string()] = f;
  }
  CHECK(cases == std::map<std::string, int>{{"seldev", 2}, {"seldev.trust_select", 2}, {"timer", 3}});
  CHECK(failures == want_failures);
}

TEST_CASE("an output path that cannot be written is an Error naming it", "[show]") {
  TempDir tmp;
  const std::string missing = tmp / "no/such/dir/report.html";
  try {
    check_writable(missing);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find(missing) != std::string::npos);
  }
  CHECK_THROWS_AS(check_writable(tmp.path.string()), Error);
  CHECK_THROWS_AS(write_text_file(missing, "x"), Error);
  std::ofstream(tmp / "file") << "x";
  CHECK_THROWS_AS(make_output_dir(tmp / "file/waves"), Error);
  check_writable(tmp / "ok.html");
  CHECK_FALSE(fs::exists(tmp / "ok.html"));  // checking creates nothing
}
