// seldev: the documented corners of the RTL, checked in lockstep against the model, and the
// correct model over a million random steps.
#include <catch2/catch.hpp>

#include <tandem/campaign.h>
#include <tandem/lockstep.h>
#include <tandem/stimulus.h>

#include "models/seldev/seldev_model.h"
#include "tests/test_support.h"

using namespace tandem;
using M = models::SeldevModel;

namespace {
struct Rig {
  Lockstep engine{test_catalog().get("seldev")};
  StepResult run(const Step& s) {
    StepResult r = engine.execute(s);
    if (engine.diverged()) FAIL("unexpected divergence: " << engine.divergence()->detail);
    return r;
  }
  uint64_t read(uint64_t off) { return run(Step::read(off)).data; }
  bool write(uint64_t off, uint64_t v) { return run(Step::write(off, v)).error; }
};
}  // namespace

TEST_CASE("correct seldev model: 10^6 random steps in lockstep, zero divergences", "[seldev][long]") {
  const RunRecord r = run_job(test_catalog().get("seldev"), Job{"seldev", "all", 1, 1000000});
  INFO((r.divergence ? r.divergence->detail : std::string("no divergence")));
  REQUIRE_FALSE(r.divergence);
  CHECK(r.failure.empty());
  CHECK(r.stats.steps == 1000000);
  CHECK(r.stats.reads > 300000);
  CHECK(r.stats.writes > 300000);
  // Interrupt lines are compared at every edge except inside a reset window, where only the
  // release edge is compared.
  uint64_t resets = 0;
  for (const Step& s : generate_program("all", test_catalog().get("seldev"), 1, 1000000))
    resets += s.kind == StepKind::reset;
  CHECK(resets > 100);
  CHECK(r.stats.irq_checks == r.stats.cycles - resets);
}

TEST_CASE("other seeds agree too", "[seldev]") {
  for (uint64_t seed : {2, 3, 4, 5, 6, 7, 8, 9}) {
    const RunRecord r = run_job(test_catalog().get("seldev"), Job{"seldev", "all", seed, 50000});
    INFO("seed " << seed << ": " << (r.divergence ? r.divergence->detail : ""));
    CHECK_FALSE(r.divergence);
  }
}

TEST_CASE("ID reads the magic and the unit count", "[seldev]") {
  Rig rig;
  CHECK(rig.read(M::ID) == 0x5E1D0004u);
}

TEST_CASE("out-of-range unit select: PSLVERR, select unchanged, SEL_ERR set", "[seldev]") {
  Rig rig;
  CHECK_FALSE(rig.write(M::UNIT_SELECT, 2));
  for (uint64_t bad : {4ull, 5ull, 0xffffffffull, 0x100ull}) {
    CHECK(rig.write(M::UNIT_SELECT, bad));
    CHECK(rig.read(M::UNIT_SELECT) == 2);
  }
  CHECK((rig.read(M::STATUS) & M::kSelErr) != 0);
  CHECK_FALSE(rig.write(M::STATUS, M::kSelErr));  // W1C
  CHECK((rig.read(M::STATUS) & M::kSelErr) == 0);
}

TEST_CASE("a byte write to the select register merges with the other lanes", "[seldev]") {
  Rig rig;
  rig.write(M::UNIT_SELECT, 3);
  // Writing 0x01 into byte 1 makes the merged value 0x103: out of range.
  CHECK(rig.run(Step::write(M::UNIT_SELECT + 1, 0x01, 1)).error);
  CHECK(rig.read(M::UNIT_SELECT) == 3);
  CHECK_FALSE(rig.run(Step::write(M::UNIT_SELECT, 0x01, 1)).error);
  CHECK(rig.read(M::UNIT_SELECT) == 1);
}

TEST_CASE("start before enable is ignored and flagged", "[seldev]") {
  Rig rig;
  rig.write(M::U_OPERAND, 5);
  CHECK_FALSE(rig.write(M::U_CMD, 1));
  CHECK((rig.read(M::STATUS) & 0xf0f) == 0);  // not busy, not done
  CHECK((rig.read(M::STATUS) & M::kStartErr) != 0);
  CHECK(rig.read(M::U_ACC) == 0);
}

TEST_CASE("an ADD takes BASE 2 + DELAY edges and DONE raises irq when enabled", "[seldev]") {
  Rig rig;
  rig.write(M::CTRL, 1);
  rig.write(M::IRQ_ENABLE, 0x1);
  rig.write(M::U_CFG, 0x0500);  // ADD, DELAY 5: latency 7 edges after the start edge
  rig.write(M::U_ACC, 40);
  rig.write(M::U_OPERAND, 2);
  rig.write(M::U_CMD, 1);
  CHECK(rig.read(M::STATUS) == 0x100);  // busy (2 edges later)
  CHECK(rig.engine.irq() == 0);
  CHECK(rig.write(M::U_OPERAND, 7));  // write while busy: PSLVERR
  CHECK(rig.read(M::U_ACC) == 40);    // result not yet visible
  rig.run(Step::idle(1));             // now 7 edges after the start edge
  CHECK(rig.read(M::STATUS) == (0x1 | M::kBusyErr));
  CHECK(rig.read(M::U_ACC) == 42);
  CHECK(rig.engine.irq() == 1);
  rig.write(M::STATUS, 0x1);
  CHECK(rig.engine.irq() == 0);
}

TEST_CASE("each operation computes what the map documents", "[seldev]") {
  CHECK(M::op_result(0, 0xffffffff, 2) == 1);
  CHECK(M::op_result(1, 0xf0f0, 0xff00) == 0x0ff0);
  CHECK(M::op_result(3, 0x10000, 0x10000) == 0);
  // CRC-32 of the bytes 31 32 33 34 ("1234") is 0x9BE3E0A3 with init/xorout ~0.
  CHECK((M::op_result(2, 0xffffffff, 0x34333231) ^ 0xffffffffu) == 0x9BE3E0A3u);
  Rig rig;
  rig.write(M::CTRL, 1);
  rig.write(M::U_CFG, 2);  // CRC32, latency 8
  rig.write(M::U_ACC, 0xffffffff);
  rig.write(M::U_OPERAND, 0x34333231);
  rig.write(M::U_CMD, 1);
  rig.run(Step::idle(8));
  CHECK((rig.read(M::U_ACC) ^ 0xffffffffu) == 0x9BE3E0A3u);
}

TEST_CASE("soft reset mid-operation aborts every unit and keeps error flags", "[seldev]") {
  Rig rig;
  rig.write(M::CTRL, 1);
  rig.write(M::U_CFG, 0xff03);  // MUL with DELAY 255
  rig.write(M::U_ACC, 3);
  rig.write(M::U_OPERAND, 3);
  rig.write(M::U_CMD, 1);
  rig.write(M::UNIT_SELECT, 9);  // error flag that must survive
  rig.run(Step::idle(10));
  CHECK(rig.read(M::STATUS) == (0x100 | M::kSelErr));
  rig.write(M::CTRL, 0x3);  // SOFT_RESET, ENABLE stays 1
  CHECK(rig.read(M::STATUS) == M::kSelErr);
  CHECK(rig.read(M::U_ACC) == 0);
  CHECK(rig.read(M::U_CFG) == 0);
  CHECK(rig.read(M::CTRL) == 1);
  rig.run(Step::idle(300));
  CHECK(rig.read(M::STATUS) == M::kSelErr);  // the aborted operation never completes
}

TEST_CASE("a DONE set and its W1C clear on the same edge: the set wins", "[seldev]") {
  Rig rig;
  rig.write(M::CTRL, 1);
  rig.write(M::U_CFG, 0x0001);  // XOR: latency 1 + 1 delay = 2
  rig.write(M::U_CFG, 0x0101);
  rig.write(M::U_CMD, 1);  // starts at edge T, completes at T+2: the next write's edge
  rig.write(M::STATUS, 0x1);
  CHECK((rig.read(M::STATUS) & 1) == 1);
}

TEST_CASE("unmapped offsets answer PSLVERR with data 0", "[seldev]") {
  Rig rig;
  for (uint64_t off : {0x14ull, 0x18ull, 0x30ull, 0x100ull, 0xffcull}) {
    const StepResult r = rig.run(Step::read(off));
    CHECK(r.error);
    CHECK(r.data == 0);
    CHECK(rig.run(Step::write(off, 1)).error);
  }
}

TEST_CASE("bus reset mid-operation returns every register to its reset value", "[seldev]") {
  Rig rig;
  rig.write(M::CTRL, 1);
  rig.write(M::IRQ_ENABLE, 0x10f);
  rig.write(M::U_CFG, 0xff00);
  rig.write(M::U_CMD, 1);
  rig.run(Step::reset());
  CHECK(rig.read(M::CTRL) == 0);
  CHECK(rig.read(M::STATUS) == 0);
  CHECK(rig.read(M::IRQ_ENABLE) == 0);
  CHECK(rig.read(M::U_CFG) == 0);
}

TEST_CASE("model save and restore round-trip, and restore rejects an out-of-range select", "[seldev]") {
  M a;
  a.reset(2);
  a.write(M::CTRL, 1, 4, 4);
  a.write(M::UNIT_SELECT, 2, 4, 6);
  StateWriter w;
  a.save(w);
  M b;
  b.reset(0);
  StateReader r(w.bytes);
  REQUIRE(b.restore(r).empty());
  CHECK(b.read(M::UNIT_SELECT, 4, 10).data == 2);
  std::vector<uint8_t> bad = w.bytes;
  bad[5] = 7;  // the select field (after version u32 and enable u8)
  M c;
  c.reset(0);
  StateReader rb(bad);
  CHECK(c.restore(rb) == "unit_select: out of range");
  CHECK(c.read(M::UNIT_SELECT, 4, 10).data == 0);  // unchanged
}
