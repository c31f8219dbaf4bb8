// The bus drivers: wait states, error responses, a completer that never answers, and every
// data width, on the bus-driver test block behind APB (tests/rtl/apb_testblock.sv) and behind
// the handshake test bus (tests/rtl/handshake_testblock.sv, tests/bus/handshake_driver.h), a
// second bus added through the bus seam alone. Edge counts come from the binding's bus
// (DeviceBinding::access_edges: 2 on APB, 1 on the handshake bus), never from a literal.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include <tandem/error.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/rtl_executor.h>

#include "tests/apb_testblock_model.h"
#include "tests/test_support.h"

using namespace tandem;

namespace tandem {
DeviceBinding binding_handshake_test8();
DeviceBinding binding_handshake_test32();
DeviceBinding binding_axi_test8();
DeviceBinding binding_axi_test16();
DeviceBinding binding_axi_test32();
DeviceBinding binding_wb_test8();
DeviceBinding binding_wb_test32();
DeviceBinding binding_wbp_test8();
DeviceBinding binding_wbp_test32();
}  // namespace tandem

namespace {
// The test block at 32 bits on every bus, and at every width up to 32 bits each bus has
// (tests/bus_protocol_test.cpp has AXI4-Lite's 64).
std::vector<DeviceBinding> buses() {
  return {binding_apb_test32(), binding_handshake_test32(), binding_axi_test32(), binding_wb_test32(),
          binding_wbp_test32()};
}
std::vector<DeviceBinding> widths() {
  return {binding_apb_test8(),        binding_apb_test16(), binding_apb_test32(), binding_handshake_test8(),
          binding_handshake_test32(), binding_axi_test8(),  binding_axi_test16(), binding_axi_test32(),
          binding_wb_test8(),         binding_wb_test32(),  binding_wbp_test8(),  binding_wbp_test32()};
}
}  // namespace

TEST_CASE("the bus's edges per transfer come from its driver: APB two, the handshake bus one", "[bus]") {
  CHECK(binding_apb_test32().access_edges == 2);
  CHECK(binding_apb_test32().bus == "apb");
  CHECK(binding_handshake_test32().access_edges == 1);
  CHECK(binding_handshake_test32().bus == "handshake");
  CHECK(binding_handshake_test8().data_width == 8);  // from the verilated top's port, not restated
}

TEST_CASE("an access without wait states takes the bus's own edges", "[bus]") {
  for (const DeviceBinding& b : buses()) {
    CAPTURE(b.bus);
    RtlExecutor rtl(b);
    ModelExecutor model(b);
    const Cycle t0 = rtl.now();
    rtl.execute(Step::write(0, 0x12345678));
    model.execute(Step::write(0, 0x12345678));
    CHECK(rtl.now() - t0 == b.access_edges);
    CHECK(rtl.execute(Step::read(0)).data == 0x12345678);
    CHECK(rtl.now() - t0 == 2 * b.access_edges);
    CHECK(model.execute(Step::read(0)).data == 0x12345678);
    CHECK(model.now() == rtl.now());
  }
}

TEST_CASE("wait states are honoured: the transfer completes when the completer answers", "[bus]") {
  for (const DeviceBinding& b : buses()) {
    CAPTURE(b.bus);
    Lockstep engine(b);
    engine.execute(Step::write(4, 3));  // WAIT = 3 for every later access
    const Cycle t0 = engine.now();
    engine.execute(Step::write(0, 0xa5a5a5a5));
    CHECK(engine.now() - t0 == b.access_edges + 3);
    CHECK(engine.execute(Step::read(0)).data == 0xa5a5a5a5);
    CHECK(engine.now() - t0 == 2 * (b.access_edges + 3));
    CHECK_FALSE(engine.diverged());
    CHECK(engine.stats().writes == 2);
    CHECK(engine.stats().reads == 1);
  }
}

TEST_CASE("an error response is reported and compared", "[bus]") {
  for (const DeviceBinding& b : buses()) {
    CAPTURE(b.bus);
    Lockstep engine(b);
    const StepResult r = engine.execute(Step::read(8));
    CHECK(r.error);
    CHECK_FALSE(engine.diverged());
    CHECK(engine.execute(Step::write(0x40, 1)).error);  // unmapped
    CHECK_FALSE(engine.execute(Step::write(0, 1)).error);
    CHECK_FALSE(engine.diverged());
  }
}

TEST_CASE("a completer that never answers is a hang divergence, not an endless loop", "[bus]") {
  for (const DeviceBinding& b : buses()) {
    CAPTURE(b.bus);
    LockstepOptions options;
    options.rtl.hang_limit = 100;
    Lockstep engine(b, options);
    const Cycle t0 = engine.now();
    engine.execute(Step::read(12));
    REQUIRE(engine.diverged());
    CHECK(engine.divergence()->kind == DivergenceKind::hang);
    CHECK(engine.divergence()->reg == "HANG");
    // The bus's own edges, then one more for each of the 100 wait states the limit allows.
    CHECK(engine.now() - t0 == b.access_edges + 100);
    CHECK_THROWS_AS(engine.execute(Step::read(0)), Error);  // the first divergence is final

    RtlExecutor rtl(b, options.rtl);
    rtl.execute(Step::read(12));
    CHECK(rtl.hung());
  }
}

TEST_CASE("8-, 16- and 32-bit buses: wide accesses split into beats, narrow ones use lanes", "[bus]") {
  for (const DeviceBinding& b : widths()) {
    const unsigned dw = b.data_width;
    Lockstep engine(b);
    INFO(b.bus << " data width " << dw);
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

TEST_CASE("an access wider than the bus takes one whole transfer per beat", "[bus]") {
  for (const DeviceBinding& b :
       {binding_apb_test8(), binding_handshake_test8(), binding_axi_test8(), binding_wb_test8(), binding_wbp_test8()}) {
    CAPTURE(b.bus);
    Lockstep engine(b);
    const Cycle t0 = engine.now();
    // Two bytes from offset 0: DATA, then WAIT (not four: the third and fourth are ERR and HANG).
    engine.execute(Step::write(0, 0x0011, 2));  // DATA = 0x11, WAIT = 0
    CHECK(engine.now() - t0 == 2 * b.access_edges);
    CHECK(engine.execute(Step::read(0, 2)).data == 0x0011);
    const StepResult r = engine.execute(Step::read(1, 2));  // WAIT then ERR: the error surfaces
    CHECK(r.error);
    CHECK_FALSE(engine.diverged());
  }
}

TEST_CASE("interrupt lines are compared at every edge", "[bus]") {
  for (const DeviceBinding& b : buses()) {
    CAPTURE(b.bus);
    Lockstep engine(b);
    engine.execute(Step::write(16, 1));
    CHECK(engine.irq() == 1);
    engine.execute(Step::idle(100));
    CHECK(engine.stats().irq_checks >= 100 + b.access_edges);
    CHECK_FALSE(engine.diverged());
  }
}

// ---------------------------------------------------------------------------- declared wait states

namespace {

// The test block's model as it was before it declared its latency: every access two edges.
template <unsigned DW>
class UndeclaredTestblock final : public tests::ApbTestblockModel<DW> {
 public:
  bool declares_wait_states() const override { return false; }
};

// A model that declares wait states but ignores the WAIT register: it says 0 for everything.
template <unsigned DW>
class WrongWaitsTestblock final : public tests::ApbTestblockModel<DW> {
 public:
  unsigned wait_states(uint64_t, bool, unsigned) const override { return 0; }
};

// A program of every kind of step on the test block (no HANG access): WAIT set to 0-5 now and
// then, DATA written and read at every size and lane (and two registers wide, split into transfers),
// ERR and unmapped offsets, IRQ, idle gaps and resets.
Program wait_state_program(unsigned dw, uint64_t seed, size_t n) {
  const uint64_t w = dw / 8;
  uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
  auto next = [&x](uint64_t below) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % below;
  };
  Program p;
  for (size_t i = 0; i < n; ++i) {
    switch (next(10)) {
      case 0: p.push_back(Step::write(1 * w, next(6), static_cast<uint8_t>(std::min<uint64_t>(w, 4)))); break;
      case 1:
      case 2: {
        const unsigned size = 1u << next(3);
        if (size > w) {
          p.push_back(Step::read(0, static_cast<uint8_t>(w)));
          break;
        }
        const uint64_t lane = next(w / size) * size;
        p.push_back(next(2) ? Step::write(lane, next(1u << 16), static_cast<uint8_t>(size))
                            : Step::read(lane, static_cast<uint8_t>(size)));
        break;
      }
      case 3: p.push_back(Step::read(0, static_cast<uint8_t>(2 * w))); break;  // DATA and WAIT: two transfers
      case 4: p.push_back(Step::read(2 * w, static_cast<uint8_t>(std::min<uint64_t>(w, 4)))); break;  // ERR
      case 5: p.push_back(Step::write(5 * w, 1, 1)); break;        // unmapped: PSLVERR
      case 6: p.push_back(Step::write(4 * w, next(2), 1)); break;  // IRQ
      case 7: p.push_back(Step::idle(next(20))); break;
      case 8:
        if (next(8) == 0) p.push_back(Step::reset());
        break;
      default: p.push_back(Step::read(1 * w, 1)); break;
    }
  }
  return p;
}

}  // namespace

TEST_CASE("a model that declares its wait states keeps the RTL's time on its own", "[bus][wait_states]") {
  for (const DeviceBinding& b : widths()) {
    const unsigned dw = b.data_width;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      CAPTURE(b.bus, dw, seed);
      const Program program = wait_state_program(dw, seed, 2000);
      ModelExecutor model(b);
      RtlExecutor rtl(b);
      REQUIRE(model.now() == rtl.now());
      uint64_t waited = 0;
      for (size_t i = 0; i < program.size(); ++i) {
        const Cycle before = rtl.now();
        const StepResult m = model.execute(program[i]);
        const StepResult r = rtl.execute(program[i]);
        INFO("step " << i << ": " << format_step(program[i]));
        REQUIRE(model.now() == rtl.now());
        REQUIRE(m.error == r.error);
        if (!r.error) REQUIRE(m.data == r.data);
        if (program[i].kind == StepKind::read || program[i].kind == StepKind::write)
          waited +=
              (rtl.now() - before) - b.access_edges * split_access(program[i].addr, program[i].size, dw / 8).count;
      }
      CHECK(waited > 1000);  // the program really ran with wait states
      CHECK(model.irq() == rtl.irq());
    }
  }
}

TEST_CASE("a model that does not declare wait states runs the bus's own edges an access, and drifts",
          "[bus][wait_states]") {
  for (DeviceBinding b : buses()) {
    CAPTURE(b.bus);
    b.make_model = [] { return std::make_unique<UndeclaredTestblock<32>>(); };
    ModelExecutor model(b);
    RtlExecutor rtl(b);
    for (const Step& s : {Step::write(4, 3), Step::write(0, 0x1234), Step::read(0)}) {
      model.execute(s);
      rtl.execute(s);
    }
    CHECK(rtl.now() - model.now() == 2 * 3);  // the two accesses after WAIT = 3
    Lockstep engine(b);                       // in lockstep nothing is compared about it
    for (const Step& s : {Step::write(4, 3), Step::write(0, 0x1234), Step::read(0)}) engine.execute(s);
    CHECK_FALSE(engine.diverged());
  }
}

TEST_CASE("lockstep compares declared wait states with the RTL's", "[bus][wait_states]") {
  SECTION("the right declaration runs clean") {
    const DeviceBinding b = binding_apb_test16();
    Lockstep engine(b);
    for (const Step& s : wait_state_program(16, 7, 3000)) engine.execute(s);
    engine.finish();
    CHECK_FALSE(engine.diverged());
  }
  SECTION("the right declaration runs clean on the handshake bus") {
    const DeviceBinding b = binding_handshake_test8();
    Lockstep engine(b);
    for (const Step& s : wait_state_program(8, 7, 3000)) engine.execute(s);
    engine.finish();
    CHECK_FALSE(engine.diverged());
  }
  SECTION("a wrong declaration is a protocol divergence at the first access that waits") {
    for (DeviceBinding b : buses()) {
      CAPTURE(b.bus);
      b.make_model = [] { return std::make_unique<WrongWaitsTestblock<32>>(); };
      Lockstep engine(b);
      engine.execute(Step::write(0, 0x55));
      engine.execute(Step::write(4, 3));  // WAIT = 3: the write itself still has none
      CHECK_FALSE(engine.diverged());
      const Cycle start = engine.now();
      engine.execute(Step::read(0));
      REQUIRE(engine.diverged());
      const Divergence& d = *engine.divergence();
      CHECK(d.kind == DivergenceKind::protocol);
      CHECK(d.step == 2);
      CHECK(d.reg == "DATA");
      CHECK(d.rtl == 3);
      CHECK(d.model == 0);
      CHECK(d.cycle == start + b.access_edges);  // where the model would have completed, the RTL still waits
      CHECK(d.detail.find("the model says the read of DATA") != std::string::npos);
      CHECK(d.detail.find("takes 0 wait states, the RTL took 3") != std::string::npos);
    }
  }
}
