// tandem regtest: built-in register tests, three-way (map vs RTL vs model). The policy block
// (rtl/policyblock, one field per access policy) is the reference; every bundled device must
// pass; seeded bugs must fail with the register, the field and the side that disagrees.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem/regtest.h>
#include <tandem_regs/policyblock.hpp>

#include "tests/mutants/policyblock_mutants.h"
#include "tests/test_support.h"

namespace tandem {
DeviceBinding binding_policyblock();
}

using namespace tandem;

namespace {

DeviceBinding with_mutant(DeviceBinding b, const std::vector<Mutant>& mutants, const std::string& name) {
  for (const Mutant& m : mutants)
    if (m.name == name) {
      b.name = m.name;
      b.make_model = m.make_model;
      return b;
    }
  FAIL("no mutant " << name);
  return b;
}

const RegtestFailure* find_failure(const RegtestReport& r, const std::string& test, const std::string& reg) {
  for (const RegtestFailure& f : r.failures)
    if (f.test == test && f.reg == reg) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("regtest: the policy block passes every test against RTL and model", "[regtest]") {
  const DeviceBinding b = binding_policyblock();
  const RegtestReport r = run_regtest(b);
  INFO(format_regtest(r));
  CHECK(r.passed());
  REQUIRE(r.tests.size() == 6);
  for (const RegtestTestResult& t : r.tests) {
    CHECK(t.run);
    CHECK(t.checks > 0);
  }
  // Every policy register but the plain RW one gets the access-policy sequence: 22 registers
  // plus three non-RW fields of MIXED (plus ID), each 1 + 4 * 3 checks.
  CHECK(r.tests[5].checks == (22 + 3 + 1) * 13);
}

TEST_CASE("regtest: the generated header states the map the binding loads", "[regtest]") {
  namespace R = tandem_regs::policyblock;
  const DeviceBinding b = binding_policyblock();
  const Register* w1c = b.regmap.by_name("W1C");
  REQUIRE(w1c);
  CHECK(w1c->offset == R::W1C);
  CHECK(w1c->reset == R::W1C_RESET);
  REQUIRE(w1c->fields.size() == 1);
  CHECK(w1c->fields[0].policy == AccessPolicy::w1c);
  CHECK(R::MIXED_B_W1C_MASK == 0xf0);
  CHECK(R::MIXED_D_RC_RESET == 1);
  CHECK(b.regmap.holes == HoleResponse::error);
}

TEST_CASE("regtest: a wrong reset value in the model is named with its field and side", "[regtest]") {
  const DeviceBinding b = with_mutant(binding_policyblock(), policyblock_mutants(), "policyblock.wrong_reset");
  const RegtestReport r = run_regtest(b);
  INFO(format_regtest(r));
  REQUIRE_FALSE(r.passed());
  const RegtestFailure* f = find_failure(r, "hw_reset", "RW");
  REQUIRE(f);
  CHECK(f->field == "P");
  CHECK(f->side == RegtestSide::model);
  CHECK(f->expected == 0x5A);
  CHECK(f->rtl == 0x5A);
  CHECK(f->model == 0x00);
  CHECK_THAT(f->message, Catch::Contains("RW.P after reset") && Catch::Contains("the model disagrees with the map"));
}

TEST_CASE("regtest: a W1C field treated as RW by the model is named with its field and side", "[regtest]") {
  const DeviceBinding b = with_mutant(binding_policyblock(), policyblock_mutants(), "policyblock.w1c_as_rw");
  const RegtestReport r = run_regtest(b);
  INFO(format_regtest(r));
  REQUIRE_FALSE(r.passed());
  for (const char* test : {"rw", "bit_bash", "access"}) {
    const RegtestFailure* f = find_failure(r, test, "W1C");
    REQUIRE(f);
    CHECK(f->field == "P");
    CHECK(f->side == RegtestSide::model);
  }
  for (const RegtestFailure& f : r.failures) CHECK(f.reg == "W1C");  // nothing else is blamed
}

TEST_CASE("regtest: every bundled device passes", "[regtest]") {
  for (const DeviceBinding& b : bundled_devices()) {
    const RegtestReport r = run_regtest(b);
    INFO(format_regtest(r));
    CHECK(r.passed());
    CHECK(r.checks > 100);
  }
}

TEST_CASE("regtest: the bundled wrong-reset and W1C-as-RW mutants fail with the right message", "[regtest]") {
  const Catalog& catalog = test_catalog();
  {
    const RegtestReport r = run_regtest(catalog.get("seldev.wrong_reset"));
    INFO(format_regtest(r));
    const RegtestFailure* f = find_failure(r, "hw_reset", "IRQ_ENABLE");
    REQUIRE(f);
    CHECK(f->field == "DONE_IE");
    CHECK(f->side == RegtestSide::model);
  }
  {
    // INT_STATUS is volatile (matches set it), so the map does not predict it: the failure is
    // RTL against model, on the W1C field.
    const RegtestReport r = run_regtest(catalog.get("timer.status_rw"));
    INFO(format_regtest(r));
    REQUIRE_FALSE(r.passed());
    bool named = false;
    for (const RegtestFailure& f : r.failures) named = named || (f.reg == "INT_STATUS" && f.field == "MATCH");
    CHECK(named);
  }
}

TEST_CASE("regtest: the RTL side is blamed when only the RTL disagrees with the map", "[regtest]") {
  // The same RTL and model under a map whose RW reset says 0x00: the RTL and the model both
  // disagree with it. Then a map that puts W1C's field at RW policy: both disagree again.
  DeviceBinding b = binding_policyblock();
  for (Register& reg : b.regmap.registers)
    if (reg.name == "RW") {
      reg.reset = 0;
      reg.fields[0].reset = 0;
    }
  const RegtestReport r = run_regtest(b);
  const RegtestFailure* f = find_failure(r, "hw_reset", "RW");
  REQUIRE(f);
  CHECK(f->side == RegtestSide::both);
  // The wrong-reset mutant model under that map: the model agrees with the map, the RTL not.
  const DeviceBinding m = with_mutant(b, policyblock_mutants(), "policyblock.wrong_reset");
  const RegtestReport rm = run_regtest(m);
  const RegtestFailure* fm = find_failure(rm, "hw_reset", "RW");
  REQUIRE(fm);
  CHECK(fm->side == RegtestSide::rtl);
  CHECK_THAT(fm->message, Catch::Contains("the RTL disagrees with the map"));
}

TEST_CASE("regtest: exclusions and test selection", "[regtest]") {
  DeviceBinding b = binding_policyblock();
  const DeviceBinding mutant = with_mutant(b, policyblock_mutants(), "policyblock.w1c_as_rw");
  SECTION("a field skipping every test is not checked against the map") {
    DeviceBinding m = mutant;
    for (Register& reg : m.regmap.registers)
      if (reg.name == "W1C") reg.fields[0].skip_tests = kTestAll;
    // The lockstep comparison still sees RTL and model differ once a value is written.
    const RegtestReport r = run_regtest(m);
    for (const RegtestFailure& f : r.failures) CHECK(f.side == RegtestSide::rtl_vs_model);
  }
  SECTION("only the selected tests run") {
    RegtestOptions o;
    o.tests = parse_regtest_list("hw_reset rw");
    CHECK(run_regtest(b, o).passed());
    o.tests = parse_regtest_list("hw_reset");
    const RegtestReport r = run_regtest(mutant, o);
    CHECK(r.passed());  // W1C's random writes are followed by a reset before it is read
    CHECK(r.tests[0].run);
    CHECK_FALSE(r.tests[1].run);
    CHECK_FALSE(r.tests[4].run);
  }
  CHECK_THROWS_WITH(parse_regtest_list("rw, bitbash"), Catch::Contains("unknown register test 'bitbash'"));
}

TEST_CASE("regtest: holes that answer differently from the map's declaration", "[regtest]") {
  DeviceBinding b = binding_policyblock();
  b.regmap.holes = HoleResponse::ignore;  // the RTL answers PSLVERR: both sides disagree
  RegtestOptions o;
  o.tests = kTestUnmapped;
  const RegtestReport r = run_regtest(b, o);
  REQUIRE_FALSE(r.passed());
  CHECK(r.failures[0].test == "unmapped");
  CHECK(r.failures[0].side == RegtestSide::both);
  CHECK(r.failures[0].reg.rfind("unmapped 0x", 0) == 0);
}

TEST_CASE("regtest: tandem_regtest_skip, tandem_action and tandem_holes in SystemRDL", "[regtest][rdl]") {
  const std::string text = R"(
property tandem_regtest_skip { type = string; component = reg | field; };
property tandem_action { type = boolean; component = reg | field; };
property tandem_holes { type = string; component = addrmap; };
addrmap m {
  tandem_holes = "ignore";
  reg { field { tandem_regtest_skip = "rw, bit_bash"; } A[3:0]; field { sw = w; tandem_action = true; } GO[4:4]; } R @0;
  reg { tandem_regtest_skip = "all"; field {} B[7:0]; } S @4;
};)";
  const RegisterMap map = to_register_map(parse_rdl(text, "m.rdl"));
  CHECK(map.holes == HoleResponse::ignore);
  CHECK(map.registers[0].fields[0].skip_tests == (kTestRw | kTestBitBash));
  CHECK(map.registers[0].fields[1].action);
  CHECK(map.registers[1].skip_tests == kTestAll);
  std::string bad = text;
  bad.replace(bad.find("rw, bit_bash"), 12, "rw, bitbash");
  CHECK_THROWS_WITH(to_register_map(parse_rdl(bad, "m.rdl")),
                    Catch::StartsWith("m.rdl:7:") && Catch::Contains("unknown register test 'bitbash'"));
}

namespace tandem {
DeviceBinding binding_seldev_v2();
}

TEST_CASE("regtest: a map and RTL revision the model did not follow is named field and side", "[regtest]") {
  // seldev_v2 = seldev's map and RTL with IRQ_ENABLE.ERR_IE moved from bit 8 to bit 12; the
  // model is seldev's, unchanged.
  const RegtestReport r = run_regtest(binding_seldev_v2());
  INFO(format_regtest(r));
  REQUIRE_FALSE(r.passed());
  for (const RegtestFailure& f : r.failures) {
    INFO(f.message);
    CHECK(f.reg == "IRQ_ENABLE");
    CHECK(f.side == RegtestSide::model);
  }
  const RegtestFailure* rw = find_failure(r, "rw", "IRQ_ENABLE");
  REQUIRE(rw);
  CHECK(rw->field == "ERR_IE");
  CHECK_THAT(rw->message, Catch::Contains("IRQ_ENABLE.ERR_IE") && Catch::Contains("the model disagrees with the map"));
}
