// The APB driver: wait states, error responses, a completer that never answers, and every
// data width, on the APB test block (tests/rtl/apb_testblock.sv).
#include <catch2/catch.hpp>

#include <tandem/error.h>
#include <tandem/lockstep.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {
DeviceBinding width(unsigned dw) {
  switch (dw) {
    case 8: return binding_apb_test8();
    case 16: return binding_apb_test16();
    default: return binding_apb_test32();
  }
}
}  // namespace

TEST_CASE("an access without wait states takes two edges: setup and access", "[bus]") {
  const DeviceBinding b = binding_apb_test32();
  RtlExecutor rtl(b);
  const Cycle t0 = rtl.now();
  rtl.execute(Step::write(0, 0x12345678));
  CHECK(rtl.now() - t0 == 2);
  CHECK(rtl.execute(Step::read(0)).data == 0x12345678);
  CHECK(rtl.now() - t0 == 4);
}

TEST_CASE("wait states are honoured: the access completes when PREADY rises", "[bus]") {
  const DeviceBinding b = binding_apb_test32();
  Lockstep engine(b);
  engine.execute(Step::write(4, 3));  // WAIT = 3 for every later access
  const Cycle t0 = engine.now();
  engine.execute(Step::write(0, 0xa5a5a5a5));
  CHECK(engine.now() - t0 == 2 + 3);
  CHECK(engine.execute(Step::read(0)).data == 0xa5a5a5a5);
  CHECK(engine.now() - t0 == 2 * (2 + 3));
  CHECK_FALSE(engine.diverged());
  CHECK(engine.stats().writes == 2);
  CHECK(engine.stats().reads == 1);
}

TEST_CASE("an error response is reported and compared", "[bus]") {
  const DeviceBinding b = binding_apb_test32();
  Lockstep engine(b);
  const StepResult r = engine.execute(Step::read(8));
  CHECK(r.error);
  CHECK_FALSE(engine.diverged());
  CHECK(engine.execute(Step::write(0x40, 1)).error);  // unmapped
  CHECK_FALSE(engine.execute(Step::write(0, 1)).error);
  CHECK_FALSE(engine.diverged());
}

TEST_CASE("a completer that never answers is a hang divergence, not an endless loop", "[bus]") {
  const DeviceBinding b = binding_apb_test32();
  LockstepOptions options;
  options.rtl.hang_limit = 100;
  Lockstep engine(b, options);
  const Cycle t0 = engine.now();
  engine.execute(Step::read(12));
  REQUIRE(engine.diverged());
  CHECK(engine.divergence()->kind == DivergenceKind::hang);
  CHECK(engine.divergence()->reg == "HANG");
  CHECK(engine.now() - t0 == 1 + 101);  // setup edge, then the access edges up to the limit
  CHECK_THROWS_AS(engine.execute(Step::read(0)), Error);  // the first divergence is final

  RtlExecutor rtl(b, options.rtl);
  rtl.execute(Step::read(12));
  CHECK(rtl.hung());
}

TEST_CASE("8-, 16- and 32-bit buses: wide accesses split into beats, narrow ones use lanes", "[bus]") {
  for (unsigned dw : {8u, 16u, 32u}) {
    const DeviceBinding b = width(dw);
    Lockstep engine(b);
    INFO("data width " << dw);
    const unsigned n = dw / 8;
    const uint64_t mask = dw == 32 ? 0xffffffffull : (1ull << dw) - 1;
    // A 32-bit write to DATA on a narrower bus: beats to DATA, WAIT, ... as the addresses say.
    engine.execute(Step::write(0, 0xdeadbeef & mask, static_cast<uint8_t>(n)));
    CHECK(engine.execute(Step::read(0, static_cast<uint8_t>(n))).data == (0xdeadbeef & mask));
    // A byte write changes one lane only.
    engine.execute(Step::write(0, 0x5a, 1));
    CHECK(engine.execute(Step::read(0, 1)).data == 0x5a);
    CHECK(engine.execute(Step::read(0, static_cast<uint8_t>(n))).data == ((0xdeadbeef & mask & ~0xffull) | 0x5a));
    CHECK_FALSE(engine.diverged());
  }
}

TEST_CASE("an access wider than the bus takes one setup+access per beat", "[bus]") {
  const DeviceBinding b = binding_apb_test8();
  Lockstep engine(b);
  const Cycle t0 = engine.now();
  // Four bytes from offset 0: DATA, WAIT, ERR, HANG? No: stop before HANG — two bytes.
  engine.execute(Step::write(0, 0x0011, 2));  // DATA = 0x11, WAIT = 0
  CHECK(engine.now() - t0 == 4);
  CHECK(engine.execute(Step::read(0, 2)).data == 0x0011);
  const StepResult r = engine.execute(Step::read(1, 2));  // WAIT then ERR: the error surfaces
  CHECK(r.error);
  CHECK_FALSE(engine.diverged());
}

TEST_CASE("interrupt lines are compared at every edge", "[bus]") {
  const DeviceBinding b = binding_apb_test32();
  Lockstep engine(b);
  engine.execute(Step::write(16, 1));
  CHECK(engine.irq() == 1);
  engine.execute(Step::idle(100));
  CHECK(engine.stats().irq_checks >= 102);
  CHECK_FALSE(engine.diverged());
}
