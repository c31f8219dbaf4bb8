// The AXI4-Lite, Wishbone and APB3 drivers beyond what every bus shares (tests/bus_driver_test.cpp):
// the manager's varied timing (RtlOptions::bus_timing), the protocol checkers, and the error
// responses' names. Each broken completer (tests/rtl/*_testblock.sv, BREAK = n) breaks one rule
// and is reported as that rule; the correct completers are never reported, under any timing.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <tandem/campaign.h>
#include <tandem/error.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/program_run.h>
#include <tandem/replay.h>
#include <tandem/rtl_executor.h>
#include <tandem/shrink.h>
#include <tandem/stimulus.h>

#include "tests/apb_testblock_model.h"
#include "tests/test_support.h"

using namespace tandem;

namespace tandem {
DeviceBinding binding_apb3_test32();
DeviceBinding binding_axi_test32();
DeviceBinding binding_axi_test64();
DeviceBinding binding_wb_test32();
DeviceBinding binding_wbp_test32();
DeviceBinding binding_axi_break1();
DeviceBinding binding_axi_break2();
DeviceBinding binding_axi_break3();
DeviceBinding binding_axi_break4();
DeviceBinding binding_wb_break1();
DeviceBinding binding_wb_break2();
DeviceBinding binding_wbp_break2();
DeviceBinding binding_wbp_break3();
}  // namespace tandem

namespace {

std::vector<DeviceBinding> correct_blocks() {
  return {binding_axi_test32(), binding_axi_test64(), binding_wb_test32(), binding_wbp_test32()};
}

// Every kind of step on the test block but HANG: WAIT 0-3 now and then, DATA at every size and
// lane, ERR, RETRY and unmapped offsets, IRQ, idle gaps and resets.
Program testblock_program(unsigned bus_bytes, uint64_t seed, size_t n) {
  uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
  auto next = [&x](uint64_t below) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % below;
  };
  const uint64_t w = bus_bytes;
  Program p;
  for (size_t i = 0; i < n; ++i) {
    switch (next(9)) {
      case 0: p.push_back(Step::write(w, next(4), 1)); break;
      case 1:
      case 2: {
        const unsigned size = std::min<unsigned>(bus_bytes, 1u << next(4));
        const uint64_t lane = next(w / size) * size;
        p.push_back(next(2) ? Step::write(lane, next(1u << 16), static_cast<uint8_t>(size))
                            : Step::read(lane, static_cast<uint8_t>(size)));
        break;
      }
      case 3: p.push_back(Step::read(2 * w, static_cast<uint8_t>(bus_bytes))); break;      // ERR
      case 4: p.push_back(Step::write(5 * w, 1, static_cast<uint8_t>(bus_bytes))); break;  // RETRY / DECERR
      case 5: p.push_back(Step::read(9 * w, static_cast<uint8_t>(bus_bytes))); break;      // unmapped
      case 6: p.push_back(Step::write(4 * w, next(2), 1)); break;                          // IRQ
      case 7: p.push_back(Step::idle(1 + next(5))); break;
      default: p.push_back(next(20) == 0 ? Step::reset() : Step::read(0, static_cast<uint8_t>(bus_bytes)));
    }
  }
  return p;
}

struct Outcome {
  std::optional<Divergence> divergence;
  Stats stats;
};

Outcome run(const DeviceBinding& b, const Program& p, uint64_t bus_timing) {
  LockstepOptions options;
  options.rtl.bus_timing = bus_timing;
  options.rtl.hang_limit = 64;
  Lockstep engine(b, options);
  for (const Step& s : p) {
    if (engine.diverged()) break;
    engine.execute(s);
  }
  engine.finish();
  return {engine.divergence(), engine.stats()};
}

}  // namespace

TEST_CASE("the new buses' edges and names come from their drivers", "[bus][protocol]") {
  CHECK(binding_axi_test32().bus == "axi4lite");
  CHECK(binding_axi_test32().access_edges == 2);  // a response follows its request's handshake
  CHECK(binding_axi_test64().data_width == 64);
  CHECK(binding_wb_test32().bus == "wishbone");
  CHECK(binding_wb_test32().access_edges == 1);
  CHECK(binding_wbp_test32().bus == "wishbone_pipelined");
  CHECK(binding_wbp_test32().access_edges == 2);
  CHECK(binding_apb3_test32().bus == "apb3");
  CHECK(binding_apb3_test32().access_edges == 2);
}

TEST_CASE("correct completers are never reported, under the fixed timing and many varied ones", "[bus][protocol]") {
  for (const DeviceBinding& b : correct_blocks()) {
    const Program p = testblock_program(b.data_bytes(), 3, 3000);
    const Outcome fixed = run(b, p, 0);
    INFO(b.name);
    REQUIRE_FALSE(fixed.divergence);
    for (uint64_t seed = 1; seed <= 6; ++seed) {
      CAPTURE(seed);
      const Outcome varied = run(b, p, seed);
      CHECK_FALSE(varied.divergence);
      CHECK(varied.stats.reads == fixed.stats.reads);
      CHECK(varied.stats.writes == fixed.stats.writes);
    }
  }
}

TEST_CASE("varied timing takes more edges than the fixed one, the same ones for the same seed", "[bus][protocol]") {
  for (const DeviceBinding& b : correct_blocks()) {
    INFO(b.name);
    const Program p = testblock_program(b.data_bytes(), 5, 500);
    const Outcome fixed = run(b, p, 0), a = run(b, p, 11), again = run(b, p, 11), other = run(b, p, 12);
    CHECK(a.stats.cycles > fixed.stats.cycles);
    CHECK(again.stats.cycles == a.stats.cycles);
    CHECK(other.stats.cycles != a.stats.cycles);
  }
}

TEST_CASE("the access edge is the request's, whatever the manager's delays: wait states still compare",
          "[bus][protocol]") {
  // The test block's model declares WAIT wait states: a manager delay counted as one would
  // be a protocol divergence on every transfer.
  for (const DeviceBinding& b : correct_blocks()) {
    INFO(b.name);
    Program p;
    p.push_back(Step::write(b.data_bytes(), 2, 1));  // WAIT = 2
    for (int i = 0; i < 50; ++i) {
      p.push_back(Step::write(0, static_cast<uint64_t>(i), 1));
      p.push_back(Step::read(0, 1));
    }
    const Outcome o = run(b, p, 7);
    CHECK_FALSE(o.divergence);
    CHECK(o.stats.reads == 50);
  }
}

namespace {
// Run the broken completer over many programs and timings until it is reported; its report.
Divergence first_report(const DeviceBinding& b) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const Outcome o = run(b, testblock_program(b.data_bytes(), seed, 400), seed);
    if (o.divergence) return *o.divergence;
  }
  FAIL(b.name << ": never reported");
  return {};
}
}  // namespace

TEST_CASE("each broken completer is reported as the rule it breaks, with its channel and edge", "[bus][protocol]") {
  struct Case {
    DeviceBinding binding;
    std::string rule, channel;
  };
  const std::vector<Case> cases = {
      {binding_axi_break1(), "AXI4-Lite: RVALID deasserted before RREADY", "R"},
      {binding_axi_break2(), "AXI4-Lite: RDATA changed while RVALID high and RREADY low", "R"},
      {binding_axi_break3(), "AXI4-Lite: BVALID without a completed AW and W", "B"},
      {binding_axi_break4(), "AXI4-Lite: BVALID deasserted before BREADY", "B"},
      {binding_wb_break1(), "Wishbone: ACK without STB", "ACK"},
      {binding_wb_break2(), "Wishbone: ACK and ERR in the same cycle", "ACK"},
      {binding_wbp_break2(), "Wishbone: ACK and ERR in the same cycle", "ACK"},
      {binding_wbp_break3(), "Wishbone: ACK without an outstanding request", "ACK"},
  };
  for (const Case& c : cases) {
    INFO(c.binding.name);
    const Divergence d = first_report(c.binding);
    INFO(d.detail);
    CHECK(d.kind == DivergenceKind::protocol);
    CHECK(d.detail.rfind(c.rule + " (" + c.channel + " channel, edge " + std::to_string(d.cycle) + ") in the ", 0) ==
          0);
    CHECK(d.cycle > 0);
  }
}

TEST_CASE("a completer that only works with AW and W together passes the fixed timing and fails a varied one",
          "[bus][protocol]") {
  const DeviceBinding b = binding_axi_break3();
  const Program p = testblock_program(4, 1, 2000);
  CHECK_FALSE(run(b, p, 0).divergence);
  const Outcome varied = run(b, p, 1);
  REQUIRE(varied.divergence);
  CHECK(varied.divergence->detail.rfind("AXI4-Lite: BVALID without a completed AW and W", 0) == 0);
}

namespace {
// The test block's model with every error response turned into none: the error's name shows.
class NoErrorsTestblock final : public tests::ApbTestblockModel<32> {
 public:
  BusResponse read(uint64_t offset, unsigned size, Cycle at) override {
    return {ApbTestblockModel::read(offset, size, at).data, false};
  }
  BusResponse write(uint64_t offset, uint64_t value, unsigned size, Cycle at) override {
    ApbTestblockModel::write(offset, value, size, at);
    return {};
  }
};

std::string error_detail(DeviceBinding b, const Step& step) {
  b.make_model = [] { return std::make_unique<NoErrorsTestblock>(); };
  Lockstep engine(b);
  engine.execute(step);
  REQUIRE(engine.diverged());
  return engine.divergence()->detail;
}
}  // namespace

TEST_CASE("the report names the bus's error response: SLVERR, DECERR, ERR, RTY, PSLVERR", "[bus][protocol]") {
  using Catch::Matchers::Contains;
  CHECK_THAT(error_detail(binding_axi_test32(), Step::read(8)), Contains("RTL answers an error (SLVERR)"));
  CHECK_THAT(error_detail(binding_axi_test32(), Step::read(0x40)), Contains("RTL answers an error (DECERR)"));
  CHECK_THAT(error_detail(binding_axi_test32(), Step::write(0x40, 1)), Contains("RTL answers an error (DECERR)"));
  CHECK_THAT(error_detail(binding_wb_test32(), Step::read(8)), Contains("RTL answers an error (ERR)"));
  CHECK_THAT(error_detail(binding_wb_test32(), Step::write(20, 1)), Contains("RTL answers an error (RTY)"));
  CHECK_THAT(error_detail(binding_wbp_test32(), Step::read(20)), Contains("RTL answers an error (RTY)"));
  CHECK_THAT(error_detail(binding_apb3_test32(), Step::read(8)), Contains("RTL answers an error (PSLVERR)"));
}

TEST_CASE("a hang names the bus's response rule and the channel it waited on", "[bus][protocol]") {
  using Catch::Matchers::Contains;
  for (const auto& [b, channel] : {std::pair{binding_axi_test32(), "B"}, std::pair{binding_wb_test32(), "ACK"},
                                   std::pair{binding_wbp_test32(), "STALL"}}) {
    INFO(b.name);
    const Outcome o = run(b, {Step::write(12, 1)}, 0);
    REQUIRE(o.divergence);
    CHECK(o.divergence->kind == DivergenceKind::hang);
    CHECK_THAT(o.divergence->detail, Contains(std::string(": ") + channel + " channel)"));
  }
}

TEST_CASE("64-bit AXI4-Lite: whole-word and lane accesses", "[bus][protocol]") {
  Lockstep engine(binding_axi_test64());
  engine.execute(Step::write(0, 0x0123456789abcdefULL, 8));
  CHECK(engine.execute(Step::read(0, 8)).data == 0x0123456789abcdefULL);
  engine.execute(Step::write(6, 0xbeef, 2));
  CHECK(engine.execute(Step::read(0, 8)).data == 0xbeef456789abcdefULL);
  CHECK(engine.execute(Step::read(4, 4)).data == 0xbeef4567);
  CHECK_FALSE(engine.diverged());
}

TEST_CASE("APB3 carries whole-word writes and refuses narrower ones by name", "[bus][protocol]") {
  Lockstep engine(binding_apb3_test32());
  engine.execute(Step::write(0, 0xcafef00d));
  CHECK(engine.execute(Step::read(0)).data == 0xcafef00d);
  CHECK(engine.execute(Step::read(1, 1)).data == 0xf0);  // reads of any size: the engine takes the lanes
  CHECK_FALSE(engine.diverged());
  CHECK_THROWS_WITH(engine.execute(Step::write(2, 0x12, 1)),
                    "apb3: the write of byte lanes 0x4 at 0x2 needs PSTRB, which APB3 does not have: APB3 carries "
                    "whole 4-byte writes only (bind the device with BUS apb4)");
}

// ---------------------------------------------------------------------------- hostile bus timing

TEST_CASE("the hostile strategy varies the bus timing, seeded from the run, the others keep it fixed",
          "[bus][protocol][strategy]") {
  CHECK(bus_timing_for("hostile", 1) != 0);
  CHECK(bus_timing_for("hostile", 1) == bus_timing_for("hostile", 1));
  CHECK(bus_timing_for("hostile", 1) != bus_timing_for("hostile", 2));
  for (const char* s : {"random", "ordering", "race", "all"}) CHECK(bus_timing_for(s, 1) == 0);
}

TEST_CASE("a hostile campaign finds the completer that only works with AW and W together, random does not",
          "[bus][protocol][strategy]") {
  const DeviceBinding b = binding_axi_break3();
  const RunRecord hostile = run_job(b, Job{b.name, "hostile", 1, 3000});
  REQUIRE(hostile.divergence);
  CHECK(hostile.divergence->kind == DivergenceKind::protocol);
  CHECK(hostile.divergence->detail.rfind("AXI4-Lite: BVALID without a completed AW and W", 0) == 0);
  const RunRecord fixed = run_job(b, Job{b.name, "random", 1, 3000});
  CHECK_FALSE(fixed.divergence);
}

TEST_CASE("a reproducer records its bus timing in the replay header, and replays and shrinks under it",
          "[bus][protocol][replay]") {
  const DeviceBinding b = binding_axi_break3();
  const Job job{b.name, "hostile", 1, 3000};
  const RunRecord run = run_job(b, job);
  REQUIRE(run.divergence);
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("tandem_bus_protocol_test_" + std::to_string(::getpid()))).string();
  const Reproducer rep = save_reproducer(b, job, *run.divergence, dir);
  CHECK(rep.shrink.reproduced);
  const ReplayFile file = load_replay(rep.path);
  std::filesystem::remove_all(dir);
  CHECK(file.bus_timing == bus_timing_for("hostile", 1));
  LockstepOptions timed;
  timed.rtl.bus_timing = file.bus_timing;
  const ProgramRun again = run_program(b, file.program, timed);
  REQUIRE(again.divergence);
  CHECK(again.divergence->kind == DivergenceKind::protocol);
  CHECK_FALSE(run_program(b, file.program).divergence);  // the fixed timing hides the broken rule
}

TEST_CASE("the replay header's bus_timing: written only when not 0, read back exactly, checked", "[replay]") {
  const Program p = {Step::write(0, 1), Step::read(0)};
  CHECK(format_replay("d", p, {}).rfind("# tandem replay v1 device=d\n", 0) == 0);  // files as before
  CHECK(parse_replay(format_replay("d", p, {}), "t.replay").bus_timing == 0);
  const std::string timed = format_replay("d", p, {}, 18446744073709551615ull);
  CHECK(timed.rfind("# tandem replay v1 device=d bus_timing=18446744073709551615\n", 0) == 0);
  CHECK(parse_replay(timed, "t.replay").bus_timing == 18446744073709551615ull);
  CHECK(parse_replay("# tandem replay v1 bus_timing=7 device=d\n", "t.replay").bus_timing == 7);
  struct Case {
    std::string text, message;
  };
  for (const Case& c : std::vector<Case>{
           {"# tandem replay v1 device=d bus_timing=\n", "t.replay:1: replay header: bus_timing= has no number"},
           {"# tandem replay v1 device=d bus_timing=0x7\n", "t.replay:1: replay header: bad bus_timing '0x7'"},
           {"# tandem replay v1 device=d bus_timing=18446744073709551616\n",
            "t.replay:1: replay header: bus_timing '18446744073709551616' does not fit in 64 bits"},
           {"# tandem replay v1 device=d bus_timing=1 bus_timing=2\n",
            "t.replay:1: replay header: bus_timing= given twice"},
       }) {
    INFO(c.text);
    CHECK_THROWS_WITH(parse_replay(c.text, "t.replay"), Catch::StartsWith(c.message));
  }
}

TEST_CASE("the model alone is asked at the access edge, the response's edge after it", "[bus][protocol]") {
  // A device that records the edge each access reaches it at.
  struct Edges : tests::ApbTestblockModel<32> {
    std::vector<Cycle>* at;
    explicit Edges(std::vector<Cycle>* log) : at(log) {}
    BusResponse write(uint64_t offset, uint64_t value, unsigned size, Cycle now) override {
      at->push_back(now);
      return ApbTestblockModel::write(offset, value, size, now);
    }
  };
  for (DeviceBinding b : {binding_axi_test32(), binding_wbp_test32(), binding_wb_test32()}) {
    INFO(b.name);
    std::vector<Cycle> model_at, rtl_at;
    b.make_model = [&model_at] { return std::make_unique<Edges>(&model_at); };
    ModelExecutor model(b);
    {
      DeviceBinding r = b;
      r.make_model = [&rtl_at] { return std::make_unique<Edges>(&rtl_at); };
      Lockstep engine(r);  // the model in lockstep is asked at the RTL's access edge
      engine.execute(Step::write(0, 1));
      engine.execute(Step::write(0, 2));
    }
    model.execute(Step::write(0, 1));
    model.execute(Step::write(0, 2));
    CHECK(model_at == rtl_at);
    CHECK(b.trailing_edges == (b.bus == "wishbone" ? 0u : 1u));
  }
}
