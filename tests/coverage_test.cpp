// Register-map coverage: bins come from the map and hints alone, each is hit by exactly the
// run behaviour it names, coverage files merge and refuse what does not match, and watching a
// run for coverage changes nothing about the run.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <tandem/campaign.h>
#include <tandem/coverage.h>
#include <tandem/coverage_report.h>
#include <tandem/error.h>
#include <tandem/report.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

Field field(const std::string& name, unsigned lsb, unsigned width, AccessPolicy p) {
  Field f;
  f.name = name;
  f.lsb = lsb;
  f.width = width;
  f.policy = p;
  return f;
}

Register reg(const std::string& name, uint64_t offset) {
  Register r;
  r.name = name;
  r.offset = offset;
  return r;
}

// CTRL @0: MODE[3:0] rw, GO[4] wo. STATUS @4: DONE[0] w1c, LEVEL[11:8] ro. DATA @8: rc, no
// fields. KEY @0xC: rw1. SEL @0x10: a selector of 3.
DeviceBinding small_binding() {
  DeviceBinding b;
  b.name = "small";
  Register ctrl = reg("CTRL", 0x0);
  ctrl.fields = {field("MODE", 0, 4, AccessPolicy::rw), field("GO", 4, 1, AccessPolicy::wo)};
  Register status = reg("STATUS", 0x4);
  status.fields = {field("DONE", 0, 1, AccessPolicy::w1c), field("LEVEL", 8, 4, AccessPolicy::ro)};
  Register data = reg("DATA", 0x8);
  data.access = Access::rc;
  Register key = reg("KEY", 0xC);
  key.fields = {field("KEY", 0, 8, AccessPolicy::rw1)};
  Register sel = reg("SEL", 0x10);
  sel.fields = {field("UNIT", 0, 32, AccessPolicy::rw)};
  b.regmap.registers = {ctrl, status, data, key, sel};
  b.hints.selectors = {{"SEL", 3}};
  b.hints.irq_lines = {"irq"};
  return b;
}

BeatObservation write(uint64_t addr, uint64_t value, Cycle done = 10, unsigned size = 4) {
  BeatObservation b;
  b.addr = addr;
  b.size = size;
  b.write = true;
  b.wdata = value;
  b.done = done;
  return b;
}

BeatObservation read(uint64_t addr, uint64_t rtl, Cycle done = 10) {
  BeatObservation b;
  b.addr = addr;
  b.size = 4;
  b.rtl_data = b.model_data = rtl;
  b.done = done;
  return b;
}

uint64_t hits(const DeviceCoverage& c, const std::string& group, const std::string& name) {
  for (const CoverageBin& b : c.bins)
    if (b.group == group && b.name == name) return b.hits;
  FAIL("no bin '" << group << ": " << name << "'");
  return 0;
}

bool has_bin(const DeviceCoverage& c, const std::string& group, const std::string& name) {
  for (const CoverageBin& b : c.bins)
    if (b.group == group && b.name == name) return true;
  return false;
}

}  // namespace

TEST_CASE("coverage bins come from the map's fields, policies and the selector hint", "[coverage]") {
  const DeviceBinding b = small_binding();
  const DeviceCoverage plan = coverage_plan(b);
  CHECK(plan.device == "small");
  CHECK(plan.hit_count() == 0);
  CHECK(has_bin(plan, "CTRL", "MODE written all ones"));
  CHECK(has_bin(plan, "CTRL", "MODE[3] written 0"));
  CHECK(has_bin(plan, "CTRL", "GO read (write-only)"));
  CHECK_FALSE(has_bin(plan, "CTRL", "GO[0] written 1"));  // a one-bit field: written 0 / 1 say it
  CHECK(has_bin(plan, "STATUS", "DONE write 1 clears a set bit"));
  CHECK(has_bin(plan, "STATUS", "LEVEL written (no effect)"));
  CHECK_FALSE(has_bin(plan, "STATUS", "LEVEL written 0"));  // read-only: no write-value bins
  CHECK(has_bin(plan, "DATA", "DATA read clears a set value"));
  CHECK(has_bin(plan, "KEY", "KEY second write after reset"));
  CHECK(has_bin(plan, "SEL", "select 2"));
  CHECK(has_bin(plan, "SEL", "select 3 (count)"));
  CHECK(has_bin(plan, "SEL", "select 4 (count + 1)"));
  CHECK(has_bin(plan, "SEL", "select all ones"));
  CHECK(has_bin(plan, "irq", "irq raised"));
  CHECK(has_bin(plan, "reset", "reset with an interrupt raised"));
  CHECK(has_bin(plan, "CTRL", "access on an output edge"));
  CHECK_FALSE(has_bin(plan, "dma", "access in the descriptor region"));  // not a bus master
}

TEST_CASE("a field's value bins are hit by the bits a write carries", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  c.on_beat(write(0x0, 0x5));
  const DeviceCoverage& cov = c.coverage();
  CHECK(hits(cov, "CTRL", "MODE[0] written 1") == 1);
  CHECK(hits(cov, "CTRL", "MODE[1] written 0") == 1);
  CHECK(hits(cov, "CTRL", "MODE written 0") == 0);
  CHECK(hits(cov, "CTRL", "GO written 0") == 1);
  c.on_beat(write(0x0, 0x1f));
  CHECK(hits(cov, "CTRL", "MODE written all ones") == 1);
  CHECK(hits(cov, "CTRL", "GO written 1") == 1);
  SECTION("a byte write covers only the bytes it carries") {
    c.on_beat(write(0x11, 0x00, 10, 1));  // SEL byte 1: UNIT bits 8..15
    CHECK(hits(cov, "SEL", "UNIT[8] written 0") == 1);
    CHECK(hits(cov, "SEL", "UNIT[0] written 0") == 0);
    CHECK(hits(cov, "SEL", "UNIT written 0") == 0);  // the field was not written whole
  }
}

TEST_CASE("reads count after the kind of write before them", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  c.on_beat(read(0x0, 0));
  c.on_beat(write(0x0, 0));
  c.on_beat(read(0x0, 0));
  c.on_beat(write(0x0, 0x3));
  c.on_beat(read(0x0, 3));
  const DeviceCoverage& cov = c.coverage();
  CHECK(hits(cov, "CTRL", "read after reset") == 1);
  CHECK(hits(cov, "CTRL", "read after 0 written") == 1);
  CHECK(hits(cov, "CTRL", "read after another value written") == 1);
  CHECK(hits(cov, "CTRL", "read after all ones written") == 0);
  CHECK(hits(cov, "CTRL", "GO read (write-only)") == 3);
}

TEST_CASE("W1C needs a set bit seen before the clearing write", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  c.on_beat(write(0x4, 0x1));
  CHECK(hits(c.coverage(), "STATUS", "DONE write 1 clears a set bit") == 0);
  c.on_beat(read(0x4, 0x1));
  c.on_beat(write(0x4, 0x1));
  CHECK(hits(c.coverage(), "STATUS", "DONE write 1 clears a set bit") == 1);
  CHECK(hits(c.coverage(), "STATUS", "LEVEL written (no effect)") == 2);
}

TEST_CASE("read-to-clear counts only reads that return a set value", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  c.on_beat(read(0x8, 0));
  CHECK(hits(c.coverage(), "DATA", "DATA read clears a set value") == 0);
  c.on_beat(read(0x8, 0x40));
  CHECK(hits(c.coverage(), "DATA", "DATA read clears a set value") == 1);
}

TEST_CASE("write-once counts the second write after reset, not across a reset", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  c.on_beat(write(0xC, 0x12));
  c.on_step(1, Step::reset(), 20, 22);
  c.on_beat(write(0xC, 0x34));
  CHECK(hits(c.coverage(), "KEY", "KEY second write after reset") == 0);
  CHECK(hits(c.coverage(), "reset", "reset after a write (mid-operation)") == 1);
  c.on_beat(write(0xC, 0x56));
  CHECK(hits(c.coverage(), "KEY", "KEY second write after reset") == 1);
}

TEST_CASE("selector bins: each legal value, count, count + 1 and all ones", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  for (uint64_t v : {0ull, 2ull, 3ull, 4ull, 5ull, 0xffffffffull}) c.on_beat(write(0x10, v));
  const DeviceCoverage& cov = c.coverage();
  CHECK(hits(cov, "SEL", "select 0") == 1);
  CHECK(hits(cov, "SEL", "select 1") == 0);
  CHECK(hits(cov, "SEL", "select 2") == 1);
  CHECK(hits(cov, "SEL", "select 3 (count)") == 1);
  CHECK(hits(cov, "SEL", "select 4 (count + 1)") == 1);
  CHECK(hits(cov, "SEL", "select all ones") == 1);
}

TEST_CASE("interrupt lines count rising and falling edges of the RTL's lines", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  c.on_irq(5, 1, 1);
  c.on_irq(6, 1, 1);
  c.on_irq(12, 0, 0);
  CHECK(hits(c.coverage(), "irq", "irq raised") == 1);
  CHECK(hits(c.coverage(), "irq", "irq cleared") == 1);
  c.on_irq(13, 1, 1);
  CHECK(hits(c.coverage(), "irq", "irq raised") == 2);
}

TEST_CASE("a reset counts the interrupt lines as they were when it began", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  c.on_irq(5, 1, 1);
  // the engine reports the reset step after its edges: the lines are already low
  c.on_irq(8, 0, 0);
  c.on_step(0, Step::reset(), 7, 9);
  CHECK(hits(c.coverage(), "reset", "reset with an interrupt raised") == 1);
  c.on_irq(20, 0, 0);
  c.on_step(1, Step::reset(), 21, 23);
  CHECK(hits(c.coverage(), "reset", "reset with an interrupt raised") == 1);
}

TEST_CASE("event coincidence: accesses one edge before, on and after a model output edge", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  SECTION("an access before the edge is counted when the edge comes") {
    c.on_beat(read(0x0, 0, 99));
    c.on_irq(100, 1, 1);
    CHECK(hits(c.coverage(), "CTRL", "access one edge before an output edge") == 1);
    CHECK(hits(c.coverage(), "CTRL", "access on an output edge") == 0);
  }
  SECTION("accesses on and after an edge already seen") {
    c.on_irq(100, 1, 1);
    c.on_beat(read(0x4, 0, 100));
    c.on_beat(read(0x8, 0, 101));
    c.on_beat(read(0x0, 0, 102));
    CHECK(hits(c.coverage(), "STATUS", "access on an output edge") == 1);
    CHECK(hits(c.coverage(), "DATA", "access one edge after an output edge") == 1);
    CHECK(hits(c.coverage(), "CTRL", "access one edge after an output edge") == 0);
  }
  SECTION("an edge only the RTL has is not the model's output edge") {
    c.on_beat(read(0x0, 0, 99));
    c.on_irq(100, 1, 0);
    CHECK(hits(c.coverage(), "CTRL", "access one edge before an output edge") == 0);
  }
}

TEST_CASE("coverage of the same device adds up, another device or map is refused", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector one(b), two(b);
  one.begin_run();
  two.begin_run();
  one.on_beat(write(0x0, 0x5));
  two.on_beat(write(0x0, 0x5));
  two.on_beat(write(0x0, 0x0));
  DeviceCoverage sum = one.coverage();
  merge_coverage(sum, two.coverage());
  CHECK(hits(sum, "CTRL", "MODE[0] written 1") == 2);
  CHECK(hits(sum, "CTRL", "MODE written 0") == 1);
  CHECK(sum.runs == 2);

  DeviceBinding other = small_binding();
  other.name = "other";
  CHECK_THROWS_WITH(merge_coverage(sum, coverage_plan(other)),
                    "coverage of device other cannot be merged with device small");
  DeviceBinding changed = small_binding();
  changed.regmap.registers[0].fields[0].width = 3;
  CHECK_THROWS_WITH(merge_coverage(sum, coverage_plan(changed)), Catch::Contains("another build of its map"));
}

TEST_CASE("coverage JSON reads back what it wrote and names the file for what it cannot", "[coverage]") {
  const DeviceBinding b = small_binding();
  CoverageCollector c(b);
  c.begin_run();
  c.on_beat(write(0x10, 2));
  const std::string text = coverage_json({c.coverage()});
  const std::vector<DeviceCoverage> back = parse_coverage_json(text, "a.json");
  REQUIRE(back.size() == 1);
  CHECK(back[0].bins.size() == c.coverage().bins.size());
  CHECK(hits(back[0], "SEL", "select 2") == 1);
  CHECK(back[0].hit_count() == c.coverage().hit_count());

  CHECK_THROWS_WITH(parse_coverage_json("{", "a.json"), Catch::StartsWith("a.json: not JSON"));
  CHECK_THROWS_WITH(parse_coverage_json("{\"runs\": []}", "a.json"), "a.json: no \"coverage\"");
  nlohmann::json j = nlohmann::json::parse(text);
  j["coverage"][0]["bins_hit"] = 7;
  const std::string lying = j.dump();
  CHECK_THROWS_WITH(parse_coverage_json(lying, "a.json"), Catch::Contains("bins_hit 7"));
}

TEST_CASE("watching a run for coverage leaves its result unchanged", "[coverage]") {
  const Catalog& catalog = test_catalog();
  for (const char* device : {"seldev", "seldev.trust_select", "dma", "uart16550"}) {
    const DeviceBinding& b = catalog.get(device);
    const Job job{b.name, "all", 3, 3000};
    const RunRecord plain = run_job(b, job);
    CoverageCollector collector(b);
    collector.begin_run();
    LockstepOptions watched;
    watched.observer = &collector;
    const RunRecord covered = run_job(b, job, watched);
    INFO(device);
    CHECK(covered.stats.steps == plain.stats.steps);
    CHECK(covered.stats.cycles == plain.stats.cycles);
    CHECK(covered.stats.reads == plain.stats.reads);
    CHECK(covered.divergence.has_value() == plain.divergence.has_value());
    if (plain.divergence) {
      CHECK(covered.divergence->step == plain.divergence->step);
      CHECK(covered.divergence->cycle == plain.divergence->cycle);
    }
    // the diverging step ran too, though the statistics do not count it
    CHECK(collector.coverage().steps == covered.stats.steps + (covered.divergence ? 1 : 0));
    CHECK(collector.coverage().hit_count() > 0);
  }
}
