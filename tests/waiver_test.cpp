// Waivers: the file format and its errors, matching in the lockstep engine (what a waiver takes
// and what it leaves), unused waivers, and keep-going campaigns on the vendor-variant timer
// (tests/rtl/timer_vendor.sv: an ID revision byte, INT_STATUS and irq two edges late, no
// INT_ENABLE read-back).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <tandem/campaign.h>
#include <tandem/error.h>
#include <tandem/keep_going.h>
#include <tandem/lockstep.h>
#include <tandem/map_spec.h>
#include <tandem/program_run.h>
#include <tandem/rdl.h>
#include <tandem/report.h>
#include <tandem/report_junit.h>
#include <tandem/triage.h>
#include <tandem/waiver.h>
#include <tandem/waiver_file.h>

#include "tests/test_support.h"

using namespace tandem;

namespace tandem {
DeviceBinding binding_timer_vendor();
}

namespace {

constexpr const char* kToday = "2026-12-04";
constexpr uint64_t kId = 0x0, kIntStatus = 0x4, kIntEnable = 0x8, kT0Ctrl = 0x20, kT0Compare = 0x24;

const DeviceBinding& vendor() {
  static const DeviceBinding b = binding_timer_vendor();
  return b;
}

const Catalog& vendor_catalog() {
  static const Catalog c({binding_timer_vendor()});
  return c;
}

WaiverSet waivers(const std::string& text) { return parse_waivers(text, "w.toml", kToday); }

std::string error_of(const std::string& text) {
  try {
    check_waivers(waivers(text), vendor_catalog());
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

ProgramRun run_with(const WaiverSet& set, const Program& program) {
  LockstepOptions o;
  o.waivers = &set;
  return run_program(vendor(), program, o);
}

// INT_ENABLE written and read back: the vendor RTL reads 0, the model its value.
const Program kEnableReadBack = {Step::write(kIntEnable, 0x4), Step::read(kIntEnable)};
// Timer 0 one-shot at COMPARE 3 with its interrupt enabled, then the match acknowledged: irq
// rises and falls, each two edges late on the vendor RTL.
const Program kIrqRiseAndFall = {Step::write(kIntEnable, 0x1), Step::write(kT0Compare, 3),
                                 Step::write(kT0Ctrl, 0x1),    Step::idle(20),
                                 Step::write(kIntStatus, 0x1), Step::idle(20)};

const char* kEnableWaiver = R"(
[[waiver]]
device = "timer_vendor"
kind = "read_data"
register = "INT_ENABLE"
field = "IE"
reason = "no read-back"
)";

}  // namespace

// ---------------------------------------------------------------------------- the file

TEST_CASE("each [[waiver]] table becomes a waiver that names its file and line", "[waiver]") {
  const WaiverSet set = waivers(R"(# known differences
[[waiver]]
device = "timer_vendor"
kind = "read_data"
register = "ID"
bits = 0xff00
rtl = 0x200
model = 0
reason = "revision byte"
expires = 2027-03-31

[[waiver]]
device = "timer_vendor"
kind = "irq"
register = "irq"
when = "T0_CTRL.PERIODIC = 1"
reason = "late"
expires = "2026-12-04"
)");
  REQUIRE(set.waivers.size() == 2);
  const Waiver& a = set.waivers[0];
  CHECK(a.where == "w.toml:2");
  CHECK(a.device == "timer_vendor");
  CHECK(a.kind == DivergenceKind::read_data);
  CHECK(a.reg == "ID");
  CHECK(a.bits == uint64_t(0xff00));
  CHECK(a.rtl == uint64_t(0x200));
  CHECK(a.model == uint64_t(0));
  CHECK(a.reason == "revision byte");
  CHECK(a.expires == "2027-03-31");
  const Waiver& b = set.waivers[1];
  CHECK(b.where == "w.toml:12");
  CHECK(b.kind == DivergenceKind::irq);
  REQUIRE(b.when.has_value());
  CHECK(b.when->reg == "T0_CTRL");
  CHECK(b.when->field == "PERIODIC");
  CHECK(b.when->value == 1);
  CHECK(b.expires == "2026-12-04");
}

TEST_CASE("a malformed waiver file is an error naming file and line", "[waiver]") {
  auto message = [](const std::string& text) {
    try {
      waivers(text);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  SECTION("TOML syntax") { CHECK(message("[[waiver]]\ndevice = \"x\nkind = 1\n").rfind("w.toml:2: ", 0) == 0); }
  SECTION("an unknown key") {
    CHECK(message("[[waiver]]\ndevice = \"d\"\nkind = \"irq\"\nregster = \"X\"\nreason = \"r\"\n") ==
          "w.toml:4: unknown key 'regster' (known: device, kind, register, field, bits, rtl, model, when, reason, "
          "expires)");
  }
  SECTION("no reason") {
    CHECK(message("\n[[waiver]]\ndevice = \"d\"\nkind = \"irq\"\n") == "w.toml:2: waiver without `reason`");
  }
  SECTION("an empty reason") {
    CHECK(message("[[waiver]]\ndevice = \"d\"\nkind = \"irq\"\nreason = \"\"\n") == "w.toml:4: `reason` is empty");
  }
  SECTION("an unknown kind") {
    CHECK(message("[[waiver]]\ndevice = \"d\"\nkind = \"read\"\nreason = \"r\"\n")
              .rfind("w.toml:3: unknown kind 'read'", 0) == 0);
  }
  SECTION("a kind no run can go on past") {
    CHECK(message("[[waiver]]\ndevice = \"d\"\nkind = \"hang\"\nreason = \"r\"\n") ==
          "w.toml:3: a hang divergence cannot be waived: the run cannot go on past it");
  }
  SECTION("a negative number") {
    CHECK(message("[[waiver]]\ndevice = \"d\"\nkind = \"irq\"\nbits = -1\nreason = \"r\"\n") ==
          "w.toml:4: `bits` must not be negative");
  }
  SECTION("a date that is not one") {
    CHECK(message("[[waiver]]\ndevice = \"d\"\nkind = \"irq\"\nreason = \"r\"\nexpires = \"soon\"\n") ==
          "w.toml:5: `expires` must be a date, YYYY-MM-DD");
  }
  SECTION("a condition without a value") {
    CHECK(message("[[waiver]]\ndevice = \"d\"\nkind = \"irq\"\nreason = \"r\"\nwhen = \"LCR.DLAB\"\n") ==
          "w.toml:5: `when` 'LCR.DLAB': expected REG.FIELD=VALUE");
  }
  SECTION("a table other than [[waiver]]") {
    CHECK(message("[waivers]\ndevice = \"d\"\n") ==
          "w.toml:1: unknown table 'waivers' (known: [[waiver]], [[tolerance]])");
  }
  SECTION("waiver as a plain table") {
    CHECK(message("[waiver]\ndevice = \"d\"\n") == "w.toml:1: `waiver` must be an array of tables: [[waiver]]");
  }
}

TEST_CASE("an expired waiver is an error, one expiring today is still valid", "[waiver]") {
  const std::string head = "[[waiver]]\ndevice = \"timer_vendor\"\nkind = \"irq\"\nreason = \"late irq\"\n";
  CHECK_THROWS_WITH(waivers(head + "expires = 2026-12-03\n"),
                    "w.toml:5: waiver expired on 2026-12-03 (today is 2026-12-04): late irq");
  CHECK(waivers(head + "expires = 2026-12-04\n").waivers.size() == 1);
  CHECK(waivers(head + "expires = 2027-01-01\n").waivers.size() == 1);
}

TEST_CASE("a waiver that does not fit its device is an error naming file and line", "[waiver]") {
  const std::string head = "[[waiver]]\nreason = \"r\"\n";
  CHECK(error_of(head + "device = \"nosuch\"\nkind = \"irq\"\n") ==
        "w.toml:1: unknown device 'nosuch' (known: "
        "timer_vendor)");
  CHECK(error_of(head + "device = \"timer_vendor\"\nkind = \"read_data\"\nregister = \"NOPE\"\n") ==
        "w.toml:1: device 'timer_vendor' has no register 'NOPE'");
  CHECK(error_of(head + "device = \"timer_vendor\"\nkind = \"read_data\"\nregister = \"ID\"\nfield = \"REV\"\n") ==
        "w.toml:1: register ID has no field 'REV'");
  CHECK(error_of(head + "device = \"timer_vendor\"\nkind = \"read_data\"\nregister = \"INT_ENABLE\"\n"
                        "field = \"IE\"\nbits = 0x10\n") == "w.toml:1: bits 0x10 are not within INT_ENABLE.IE (0xf)");
  CHECK(error_of(head + "device = \"timer_vendor\"\nkind = \"irq\"\nregister = \"irq2\"\n") ==
        "w.toml:1: device 'timer_vendor' has no interrupt line 'irq2'");
  CHECK(error_of(head + "device = \"timer_vendor\"\nkind = \"write_error\"\nregister = \"ID\"\nbits = 1\n")
            .rfind("w.toml:1: a write_error divergence has no bits", 0) == 0);
  CHECK(error_of(head + "device = \"timer_vendor\"\nkind = \"read_data\"\nwhen = \"T0_CTRL.MODE=1\"\n") ==
        "w.toml:1: condition 'T0_CTRL.MODE=1': register T0_CTRL has no field 'MODE'");
}

TEST_CASE("a condition on a field the hardware changes cannot be evaluated exactly and is refused", "[waiver]") {
  // T0_CTRL.ENABLE is cleared by a one-shot match: the value software wrote is not the field's.
  CHECK(error_of("[[waiver]]\ndevice = \"timer_vendor\"\nkind = \"irq\"\nreason = \"r\"\nwhen = \"T0_CTRL.ENABLE=1\"\n")
            .rfind("w.toml:1: condition 'T0_CTRL.ENABLE=1': cannot be evaluated exactly", 0) == 0);
  // INT_STATUS is volatile (matches set it).
  CHECK(
      error_of("[[waiver]]\ndevice = \"timer_vendor\"\nkind = \"irq\"\nreason = \"r\"\nwhen = \"INT_STATUS.MATCH=1\"\n")
          .rfind("w.toml:1: condition 'INT_STATUS.MATCH=1': cannot be evaluated exactly", 0) == 0);
}

TEST_CASE("a waiver stub parses back to the same waiver", "[waiver]") {
  Waiver w;
  w.device = "timer_vendor";
  w.kind = DivergenceKind::read_data;
  w.reg = "ID";
  w.bits = 0xffffffffffffff00ULL;  // beyond TOML's signed integers: written as a string
  w.rtl = 0x200;
  w.reason = "quote \" and backslash \\";
  w.expires = "2027-01-31";
  const WaiverSet back = waivers(format_waiver(w, "a comment"));
  REQUIRE(back.waivers.size() == 1);
  const Waiver& b = back.waivers[0];
  CHECK(b.device == w.device);
  CHECK(b.kind == w.kind);
  CHECK(b.reg == w.reg);
  CHECK(b.bits == w.bits);
  CHECK(b.rtl == w.rtl);
  CHECK_FALSE(b.model.has_value());
  CHECK(b.reason == w.reason);
  CHECK(b.expires == w.expires);
}

// ---------------------------------------------------------------------------- matching

TEST_CASE("without a waiver the vendor timer's missing read-back is a divergence", "[waiver]") {
  const ProgramRun run = run_program(vendor(), kEnableReadBack);
  REQUIRE(run.divergence);
  CHECK(run.divergence->kind == DivergenceKind::read_data);
  CHECK(run.divergence->reg == "INT_ENABLE");
  CHECK(run.divergence->rtl == 0);
  CHECK(run.divergence->model == 4);
}

TEST_CASE("a waived divergence is counted and the run goes on with the RTL's answer", "[waiver]") {
  const WaiverSet set = waivers(kEnableWaiver);
  Program p = kEnableReadBack;
  p.push_back(Step::read(kIntEnable));
  const ProgramRun run = run_with(set, p);
  CHECK_FALSE(run.divergence);
  CHECK(run.executed == 3);
  CHECK(run.last.data == 0);  // the RTL's answer
  REQUIRE(run.waived.size() == 1);
  CHECK(run.waived[0].waiver == 0);
  CHECK(run.waived[0].count == 2);
  CHECK(run.waived[0].first.step == 1);
  CHECK(run.waived[0].first.model == 4);
}

TEST_CASE("a waiver takes only the bits, values and register it names", "[waiver]") {
  const Program read_id = {Step::read(kId)};  // RTL 0x713e0204, model 0x713e0004
  const std::string head = "[[waiver]]\ndevice = \"timer_vendor\"\nkind = \"read_data\"\nreason = \"r\"\n";
  CHECK_FALSE(run_with(waivers(head + "register = \"ID\"\nbits = 0xff00\n"), read_id).divergence);
  CHECK(run_with(waivers(head + "register = \"ID\"\nbits = 0x00ff\n"), read_id).divergence);
  CHECK_FALSE(run_with(waivers(head + "register = \"ID\"\nbits = 0xff00\nrtl = 0x200\n"), read_id).divergence);
  CHECK(run_with(waivers(head + "register = \"ID\"\nbits = 0xff00\nrtl = 0x300\n"), read_id).divergence);
  CHECK(run_with(waivers(head + "register = \"INT_ENABLE\"\n"), read_id).divergence);
  SECTION("a narrow read at REG+1 is matched in register bit positions") {
    const Program byte_read = {Step::read(kId + 1, 1)};  // RTL 0x02, model 0x00
    CHECK_FALSE(run_with(waivers(head + "register = \"ID\"\nbits = 0x0200\n"), byte_read).divergence);
    CHECK(run_with(waivers(head + "register = \"ID\"\nbits = 0x0002\n"), byte_read).divergence);
  }
  SECTION("with a field, values are the field's") {
    CHECK_FALSE(run_with(waivers(std::string(kEnableWaiver) + "model = 4\n"), kEnableReadBack).divergence);
    CHECK(run_with(waivers(std::string(kEnableWaiver) + "model = 1\n"), kEnableReadBack).divergence);
  }
}

TEST_CASE("a condition holds on the value software last wrote to the field since reset", "[waiver]") {
  const WaiverSet set = waivers(std::string(kEnableWaiver) + "when = \"T0_CTRL.PERIODIC=1\"\n");
  CHECK(run_with(set, kEnableReadBack).divergence);  // PERIODIC at its reset value 0
  Program periodic = {Step::write(kT0Ctrl, 0x2)};
  periodic.insert(periodic.end(), kEnableReadBack.begin(), kEnableReadBack.end());
  CHECK_FALSE(run_with(set, periodic).divergence);
  Program reset_between = {Step::write(kT0Ctrl, 0x2), Step::reset()};
  reset_between.insert(reset_between.end(), kEnableReadBack.begin(), kEnableReadBack.end());
  CHECK(run_with(set, reset_between).divergence);
  Program byte_write = {Step::write(kT0Ctrl, 0x2, 1)};  // lane 0 only carries PERIODIC
  byte_write.insert(byte_write.end(), kEnableReadBack.begin(), kEnableReadBack.end());
  CHECK_FALSE(run_with(set, byte_write).divergence);
}

TEST_CASE("a waived interrupt mismatch is compared again once both sides agree", "[waiver]") {
  REQUIRE(run_program(vendor(), kIrqRiseAndFall).divergence);
  const WaiverSet set = waivers(
      "[[waiver]]\ndevice = \"timer_vendor\"\nkind = \"irq\"\nregister = \"irq\"\n"
      "reason = \"two edges late\"\n");
  const ProgramRun run = run_with(set, kIrqRiseAndFall);
  CHECK_FALSE(run.divergence);
  REQUIRE(run.waived.size() == 1);
  CHECK(run.waived[0].count == 2);  // the late rise, then (after agreeing again) the late fall
  CHECK(run.waived[0].first.rtl == 0);
  CHECK(run.waived[0].first.model == 1);
}

TEST_CASE("a waiver for a device covers its seeded-bug variants too", "[waiver]") {
  const Waiver w{"w.toml:1", "timer", DivergenceKind::irq, "", "", {}, {}, {}, {}, "r", ""};
  CHECK(covers_device(w, "timer"));
  CHECK(covers_device(w, "timer.status_rw"));
  CHECK_FALSE(covers_device(w, "timer_vendor"));
  CHECK_FALSE(covers_device(w, "time"));
}

TEST_CASE("the report lists waived divergences with their waiver, and waivers that matched nothing", "[waiver]") {
  const WaiverSet set = waivers(
      std::string(kEnableWaiver) +
      "\n[[waiver]]\ndevice = \"timer_vendor\"\nkind = \"read_error\"\nregister = \"ID\"\nreason = \"unused\"\n");
  RunRecord rec;
  rec.job.device = "timer_vendor";
  const ProgramRun run = run_with(set, kEnableReadBack);
  record_waivers(rec, &set, run.waived);
  REQUIRE(rec.waived.size() == 1);
  CHECK(rec.waived[0].count == 1);
  CHECK(rec.waived[0].waiver.where == "w.toml:2");
  REQUIRE(rec.unused_waivers.size() == 1);
  CHECK(rec.unused_waivers[0].where == "w.toml:9");
  const nlohmann::json j = nlohmann::json::parse(runs_json({rec}))["runs"][0];
  CHECK(j["waived"][0]["count"] == 1);
  CHECK(j["waived"][0]["waiver"]["where"] == "w.toml:2");
  CHECK(j["waived"][0]["waiver"]["reason"] == "no read-back");
  CHECK(j["waived"][0]["first"]["register"] == "INT_ENABLE");
  CHECK(j["unused_waivers"][0]["where"] == "w.toml:9");
  const std::string text = format_waived({rec});
  CHECK(text.find("waived: timer_vendor") != std::string::npos);
  CHECK(text.find("unused waiver: w.toml:9: read_error ID") != std::string::npos);
  const std::string xml = junit_xml("tandem", {rec});
  CHECK(xml.find("<skipped message=\"1 divergence waived by w.toml:2: no read-back") != std::string::npos);
  CHECK(xml.find("skipped=\"1\"") != std::string::npos);
}

TEST_CASE("a divergence's signature names the fields it differs in, or its raw bits", "[waiver]") {
  Divergence d;
  d.kind = DivergenceKind::read_data;
  d.reg = "INT_ENABLE";
  d.addr = kIntEnable;
  d.rtl = 0;
  d.model = 4;
  Waiver s = signature_of(d, vendor());
  CHECK(s.field == "IE");
  CHECK_FALSE(s.bits.has_value());
  d.reg = "ID";
  d.addr = kId + 1;  // a byte read of ID's reserved byte
  d.rtl = 0x02;
  d.model = 0;
  s = signature_of(d, vendor());
  CHECK(s.field.empty());
  CHECK(s.bits == uint64_t(0x0200));
}

// ---------------------------------------------------------------------------- keep-going

namespace {
RunRecord keep_going(const DeviceBinding& binding, const WaiverSet* set, const std::string& dir, uint64_t seed = 1) {
  LockstepOptions o;
  o.waivers = set;
  KeepGoingOptions k;
  k.out_dir = dir;
  return run_keep_going(binding, Job{binding.name, "all", seed, 20000}, o, k);
}

std::string scratch_dir(const std::string& name) {
  const std::filesystem::path p = std::filesystem::temp_directory_path() / ("tandem-waiver-test-" + name);
  std::filesystem::remove_all(p);
  return p.string();
}
}  // namespace

TEST_CASE("keep-going reports each of the vendor timer's known differences once, in one run", "[waiver][keep]") {
  const std::string dir = scratch_dir("keep");
  const RunRecord r = keep_going(vendor(), nullptr, dir);
  std::vector<std::string> found;
  for (const DistinctDivergence& d : r.distinct) {
    found.push_back(fmt::format("{} {}{}{}", kind_name(d.signature.kind), d.signature.reg,
                                d.signature.field.empty() ? "" : "." + d.signature.field,
                                d.signature.bits ? fmt::format(" {:#x}", *d.signature.bits) : ""));
    CHECK(d.count >= 1);
    CHECK(std::filesystem::exists(d.first.replay));
  }
  CHECK(found == std::vector<std::string>{"read_data ID 0x200", "read_data INT_ENABLE.IE", "irq irq",
                                          "read_data INT_STATUS.MATCH"});
  REQUIRE(r.divergence);
  CHECK(r.divergence->reg == "ID");
  CHECK(r.distinct[0].first_step == 12);
  CHECK(r.stats.steps + r.distinct.size() == 20000);  // every step of the budget ran; the diverging ones restart
  std::filesystem::remove_all(dir);
}

TEST_CASE("keep-going gives the same distinct divergences for the same seed", "[waiver][keep]") {
  const std::string dir = scratch_dir("same");
  auto without_timing = [&] {
    nlohmann::json j = nlohmann::json::parse(runs_json({keep_going(vendor(), nullptr, dir)}));
    j["runs"][0].erase("seconds");
    return j.dump();
  };
  const std::string a = without_timing();
  CHECK(a == without_timing());
  CHECK(nlohmann::json::parse(a)["runs"][0]["distinct"].size() == 4);
  std::filesystem::remove_all(dir);
}

TEST_CASE("with the vendor's waiver file the vendor timer reports nothing, and a model bug is still found",
          "[waiver][keep]") {
  const WaiverSet set = load_waivers(TANDEM_SOURCE_DIR "/tests/vendor/timer_vendor.waivers.toml");
  const std::string dir = scratch_dir("file");
  const RunRecord clean = keep_going(vendor(), &set, dir);
  CHECK(clean.distinct.empty());
  CHECK(clean.clean());
  CHECK(clean.waived.size() == 2);
  CHECK(clean.unused_waivers.empty());
  // Every timer mutant over the vendor RTL is still found: INT_STATUS as a plain RW register
  // (status_rw) too, because its timing is a tolerance, not a waiver.
  for (const Mutant& m : mutants_of("timer")) {
    DeviceBinding mutant = vendor();
    mutant.name = "timer_vendor" + m.name.substr(m.name.find('.'));
    mutant.make_model = m.make_model;
    const RunRecord found = keep_going(mutant, &set, dir);
    INFO(mutant.name);
    REQUIRE_FALSE(found.distinct.empty());
    const bool counts_wrong = m.name == "timer.compare_off_by_one" || m.name == "timer.prescale_late";
    // A COMPARE write on the match edge shows first in the COUNT of the timer written (its
    // Mutant record names it: the vendor RTL differs only in INT_STATUS timing).
    const std::string expected =
        m.name == "timer.compare_at_own_edge" ? m.expected_register : (counts_wrong ? "T0_COUNT" : "irq");
    CHECK(found.distinct[0].first.reg == expected);
  }
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------------------- tolerances

namespace {
// Timer 2 one-shot at COMPARE 0 with PRESCALE 1: INT_STATUS.MATCH[2] sets two edges before the
// read; the vendor RTL shows it two edges late.
const Program kStatusJustSet = {Step::write(0x40, 0x101), Step::idle(2), Step::read(kIntStatus)};
// Timer 1 matches and its status is cleared two edges later: a two-edge interrupt pulse.
const Program kShortPulse = {Step::write(0x34, 9), Step::write(kIntEnable, 0x2), Step::write(0x30, 0x101),
                             Step::idle(20),       Step::write(kIntStatus, 0x2), Step::idle(10)};

std::string settle(unsigned cycles) {
  return fmt::format(
      "[[tolerance]]\ndevice = \"timer_vendor\"\nregister = \"INT_STATUS\"\nfield = \"MATCH\"\n"
      "cycles = {}\nreason = \"synchroniser\"\n",
      cycles);
}
std::string irq_line(unsigned cycles) {
  return fmt::format("[[tolerance]]\ndevice = \"timer_vendor\"\nirq = \"irq\"\ncycles = {}\nreason = \"late\"\n",
                     cycles);
}
}  // namespace

TEST_CASE("a read that settles within its tolerance is a match, one beyond it says by how much",
          "[waiver][tolerance]") {
  const ProgramRun exact = run_program(vendor(), kStatusJustSet);
  REQUIRE(exact.divergence);
  CHECK(exact.divergence->reg == "INT_STATUS");
  CHECK(exact.divergence->tolerance.empty());
  CHECK_FALSE(run_with(waivers(settle(2)), kStatusJustSet).divergence);
  CHECK_FALSE(run_with(waivers(settle(3)), kStatusJustSet).divergence);
  const ProgramRun tight = run_with(waivers(settle(1)), kStatusJustSet);
  REQUIRE(tight.divergence);
  CHECK(tight.divergence->tolerance ==
        "beyond the 1-edge settling tolerance (w.toml:1) by 1: the RTL's value is the model's 2 edges earlier");
  CHECK(tight.divergence->detail.find("by 1") != std::string::npos);
}

TEST_CASE("a settling tolerance covers only its bits: a wrong value elsewhere is still a divergence",
          "[waiver][tolerance]") {
  // INT_ENABLE is not under the tolerance: its missing read-back still diverges.
  const ProgramRun run = run_with(waivers(settle(2)), kEnableReadBack);
  REQUIRE(run.divergence);
  CHECK(run.divergence->reg == "INT_ENABLE");
}

TEST_CASE("a per-line interrupt tolerance accepts a line two edges late, short pulses included",
          "[waiver][tolerance]") {
  REQUIRE(run_program(vendor(), kShortPulse).divergence);
  CHECK_FALSE(run_with(waivers(irq_line(2)), kIrqRiseAndFall).divergence);
  CHECK_FALSE(run_with(waivers(irq_line(2)), kShortPulse).divergence);
  const ProgramRun tight = run_with(waivers(irq_line(1)), kIrqRiseAndFall);
  REQUIRE(tight.divergence);
  CHECK(tight.divergence->kind == DivergenceKind::irq);
  CHECK(tight.divergence->tolerance == "line irq still differs 1 edges after edge 12: beyond its tolerance");
}

TEST_CASE("a tolerance that does not fit is an error naming file and line", "[waiver][tolerance]") {
  auto message = [](const std::string& text) {
    try {
      check_waivers(waivers(text), vendor_catalog());
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string head = "[[tolerance]]\ndevice = \"timer_vendor\"\nreason = \"r\"\n";
  CHECK(message(head + "cycles = 2\n") ==
        "w.toml:1: a tolerance names either `register` (with `field` or `bits`) or `irq`");
  CHECK(message(head + "irq = \"irq\"\n") == "w.toml:1: tolerance without `cycles`");
  CHECK(message(head + "irq = \"irq\"\ncycles = 5000\n") == "w.toml:5: `cycles` is at most 4096");
  CHECK(message(head + "irq = \"nmi\"\ncycles = 2\n") == "w.toml:1: device 'timer_vendor' has no interrupt line 'nmi'");
  CHECK(message(head + "register = \"INT_STATUS\"\nfield = \"DONE\"\ncycles = 2\n") ==
        "w.toml:1: register INT_STATUS has no field 'DONE'");
  CHECK(message(head + "irq = \"irq\"\ncycles = 2\nkind = \"irq\"\n") ==
        "w.toml:6: unknown key 'kind' (known: device, register, field, bits, irq, cycles, reason)");
}

TEST_CASE("a register's dontcompare bits are not compared in lockstep reads", "[waiver][dontcompare]") {
  DeviceBinding b = vendor();
  for (Register& r : b.regmap.registers)
    if (r.name == "ID") r.dontcompare_mask = 0xff00;
  CHECK_FALSE(run_program(b, {Step::read(kId)}).divergence);
  CHECK_FALSE(run_program(b, {Step::read(kId + 1, 1)}).divergence);  // a narrow read at ID+1: the same bits
  for (Register& r : b.regmap.registers)
    if (r.name == "ID") r.dontcompare_mask = 0x00ff;
  const ProgramRun other_bits = run_program(b, {Step::read(kId)});
  REQUIRE(other_bits.divergence);
  CHECK(other_bits.divergence->reg == "ID");
}

TEST_CASE("the triage view lists each distinct difference once by register and field, with its meaning",
          "[waiver][triage]") {
  const std::string dir = scratch_dir("triage");
  const std::vector<RunRecord> runs{keep_going(vendor(), nullptr, dir, 1), keep_going(vendor(), nullptr, dir, 2)};
  const std::vector<TriageEntry> entries = triage(runs, vendor_catalog());
  std::vector<std::string> where;
  for (const TriageEntry& e : entries) where.push_back(e.where);
  CHECK(where == std::vector<std::string>{"ID bit 9", "INT_ENABLE.IE", "INT_STATUS.MATCH", "irq"});
  const TriageEntry& ie = entries[1];
  CHECK(ie.runs == 2);
  uint64_t ie_count = 0;
  for (const RunRecord& r : runs)
    for (const DistinctDivergence& d : r.distinct)
      if (d.signature.field == "IE") ie_count += d.count;
  CHECK(ie.count == ie_count);
  CHECK(ie.meaning.rfind("INT_ENABLE.IE: RTL 0x0, model 0x", 0) == 0);
  CHECK(entries[0].meaning.rfind("ID bit 9 (no field): RTL 0x1, model 0x0", 0) == 0);
  const std::string text = format_triage(entries);
  CHECK(text.rfind("4 distinct differences (by register and field):", 0) == 0);
  CHECK(triage_html(entries).find("<h3>4 distinct differences</h3>") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a waived DMA mismatch is passed over and the access logs stay in step", "[waiver]") {
  const DeviceBinding& mutant = test_catalog().get("dma.double_fetch");
  const Job job{"dma.double_fetch", "all", 1, 5000};
  const RunRecord plain = run_job(mutant, job);
  REQUIRE(plain.divergence);
  REQUIRE(plain.divergence->kind == DivergenceKind::dma);
  const WaiverSet set =
      waivers("[[waiver]]\ndevice = \"dma\"\nkind = \"dma\"\nregister = \"dma addr\"\nreason = \"r\"\n");
  LockstepOptions o;
  o.waivers = &set;
  const RunRecord again = run_job(mutant, job, o);
  REQUIRE(again.waived.size() == 1);
  CHECK(again.waived[0].first.reg == "dma addr");
  CHECK(again.waived[0].first.step == plain.divergence->step);
  CHECK(again.waived[0].count == 1);
  // The run went on past the waived pair: the pairs after it were compared, and the first of
  // them that differs in another way (the mutant's extra fetch shifts its log) stops it.
  CHECK(again.stats.dma_accesses > plain.stats.dma_accesses);
  REQUIRE(again.divergence);
  CHECK(again.divergence->kind == DivergenceKind::dma);
  CHECK(again.divergence->reg == "dma direction");
}

TEST_CASE("a register map's tandem_settle_cycles is a settling tolerance in lockstep reads", "[waiver][tolerance]") {
  const MapSpec spec = parse_rdl(R"(
property tandem_settle_cycles { type = number; component = reg | field; };
addrmap m {
  reg { field { sw = r; hw = w; tandem_settle_cycles = 2; } MATCH[3:0]; } STATUS @0x4;
  reg { tandem_settle_cycles = 5; field {} V[7:0]; } WHOLE @0x8;
};)",
                                 "m.rdl");
  const RegisterMap map = to_register_map(spec);
  CHECK(map.by_name("STATUS")->fields[0].settle_cycles == 2);
  CHECK(map.by_name("STATUS")->settle_cycles == 0);
  CHECK(map.by_name("WHOLE")->settle_cycles == 5);
  CHECK_THROWS_WITH(to_register_map(parse_rdl(R"(
property tandem_settle_cycles { type = number; component = reg | field; };
addrmap m { reg { tandem_settle_cycles = 5000; field {} V[7:0]; } R @0x0; };)",
                                              "big.rdl")),
                    Catch::Contains("tandem_settle_cycles must be a number of edges, at most 4096"));

  DeviceBinding b = vendor();
  for (Register& r : b.regmap.registers)
    if (r.name == "INT_STATUS") r.fields[0].settle_cycles = 2;
  CHECK_FALSE(run_program(b, kStatusJustSet).divergence);
  for (Register& r : b.regmap.registers)
    if (r.name == "INT_STATUS") r.fields[0].settle_cycles = 1;
  const ProgramRun tight = run_program(b, kStatusJustSet);
  REQUIRE(tight.divergence);
  CHECK(tight.divergence->tolerance.rfind("beyond the 1-edge settling tolerance (map INT_STATUS.MATCH) by 1", 0) == 0);
}

namespace tandem {

// Keep-going runs every mutant on past its divergence, where the emulator-style bug it seeds
// (an index trusted from a register, a restored selector) is live for the rest of the run: the
// model must stay memory-safe there (this test runs under AddressSanitizer in CI), and the
// seeded bug is still reported as a distinct divergence.
TEST_CASE("keep-going runs every mutant past its divergence without leaving the model's memory", "[waiver][keep]") {
  const std::string dir = scratch_dir("every-mutant");
  for (const Mutant& m : all_mutants()) {
    DeviceBinding b = test_catalog().get(m.device);
    b.name = m.name;
    b.make_model = m.make_model;
    KeepGoingOptions k;
    k.out_dir = dir;
    k.max_distinct = 4;
    const RunRecord r = run_keep_going(b, Job{b.name, "all", 1, 3000}, LockstepOptions{}, k);
    INFO(m.name);
    CHECK(r.failure.empty());
  }
}

}  // namespace tandem

// A divergence at an offset no register covers names it "unmapped 0x..": keep-going's signature
// of it must be a waiver the matcher takes (it once refused it, ending keep-going with exit 2).
TEST_CASE("a divergence at an unmapped offset can be waived by the name it carries", "[waiver][keep]") {
  const uint64_t hole = 0xc;
  REQUIRE(vendor().regmap.find(hole) == nullptr);
  Divergence d;
  d.kind = DivergenceKind::read_data;
  d.addr = hole;
  d.reg = vendor().regmap.name_at(hole);
  d.rtl = 0x5a;
  d.model = 0;
  WaiverSet set;
  set.waivers.push_back(signature_of(d, vendor()));
  CHECK(set.waivers[0].reg == "unmapped 0xc");
  set.waivers[0].where = "keep-going";
  WaiverMatcher from_signature(set, vendor());
  CHECK(from_signature.match(d) == size_t(0));
  Divergence elsewhere = d;
  elsewhere.addr = 0x10;
  elsewhere.reg = vendor().regmap.name_at(0x10);
  REQUIRE(vendor().regmap.find(0x10) == nullptr);
  CHECK_FALSE(from_signature.match(elsewhere));

  const std::string head = "[[waiver]]\ndevice = \"timer_vendor\"\nkind = \"read_data\"\nreason = \"r\"\n";
  SECTION("written in a file, in any case of hex digits, with bits") {
    WaiverMatcher m(waivers(head + "register = \"unmapped 0xC\"\nbits = 0xf0\n"), vendor());
    d.rtl = 0x50;  // differs inside the bits only
    CHECK(m.match(d) == size_t(0));
    d.rtl = 0x5;  // differs outside the bits
    CHECK_FALSE(m.match(d));
  }
  SECTION("a name that is no offset, a mapped offset or a field is an error naming file and line") {
    CHECK(error_of(head + "register = \"unmapped twelve\"\n") ==
          "w.toml:1: 'unmapped twelve' is not an offset: write it as \"unmapped 0x<hex>\"");
    CHECK(error_of(head + "register = \"unmapped 0x8\"\n") ==
          "w.toml:1: offset 0x8 is not unmapped: it is register INT_ENABLE");
    CHECK(error_of(head + "register = \"unmapped 0xc\"\nfield = \"IE\"\n") == "w.toml:1: unmapped 0xc has no fields");
  }
}
