// Engine building blocks: beats and lanes, register names, steps as text, the PRNG, the
// catalog, and the rule that a run which compared nothing fails.
#include <catch2/catch.hpp>

#include <set>

#include <fmt/format.h>

#include <tandem/campaign.h>
#include <tandem/error.h>
#include <tandem/lockstep.h>
#include <tandem/lockstep_observer.h>
#include <tandem/model_executor.h>
#include <tandem/rtl_executor.h>
#include <tandem/stimulus.h>

#include "tests/apb_testblock_model.h"
#include "tests/test_support.h"

using namespace tandem;

namespace {
// Runs `program` to its end or its divergence; every step's answer and the edge after it.
std::vector<std::string> trace_run(Lockstep& engine, const Program& program) {
  std::vector<std::string> out;
  for (const Step& s : program) {
    const StepResult r = engine.execute(s);
    out.push_back(fmt::format("{:#x} {} @{}", r.data, r.error, engine.now()));
    if (engine.stopped()) break;
  }
  if (!engine.stopped()) engine.finish();
  return out;
}

// Two runs of the same program ended alike: statistics, and the divergence if any.
void check_same_outcome(const Lockstep& a, const Lockstep& b) {
  CHECK(a.stats().steps == b.stats().steps);
  CHECK(a.stats().cycles == b.stats().cycles);
  CHECK(a.stats().reads == b.stats().reads);
  CHECK(a.stats().writes == b.stats().writes);
  CHECK(a.stats().irq_checks == b.stats().irq_checks);
  CHECK(a.stats().dma_accesses == b.stats().dma_accesses);
  REQUIRE(a.diverged() == b.diverged());
  if (!a.diverged()) return;
  const Divergence &x = *a.divergence(), &y = *b.divergence();
  CHECK(x.kind == y.kind);
  CHECK(x.step == y.step);
  CHECK(x.cycle == y.cycle);
  CHECK(x.reg == y.reg);
  CHECK(x.rtl == y.rtl);
  CHECK(x.model == y.model);
  CHECK(x.detail == y.detail);
  REQUIRE(x.recent.size() == y.recent.size());
  for (size_t i = 0; i < x.recent.size(); ++i) CHECK(format_step(x.recent[i]) == format_step(y.recent[i]));
}
}  // namespace

TEST_CASE("split_access: one beat when the access fits the bus word", "[engine]") {
  const BeatList one = split_access(0x102, 2, 4);
  REQUIRE(one.count == 1);
  CHECK(one.beats[0].addr == 0x102);
  CHECK(one.beats[0].size == 2);
}

TEST_CASE("split_access: an 8-byte access on a 32-bit bus is two aligned beats", "[engine]") {
  const BeatList two = split_access(0x10, 8, 4);
  REQUIRE(two.count == 2);
  CHECK(two.beats[0].addr == 0x10);
  CHECK(two.beats[1].addr == 0x14);
  CHECK(two.beats[1].shift == 32);
}

TEST_CASE("split_access: a misaligned access is cut at the bus-word boundary", "[engine]") {
  const BeatList l = split_access(0x3, 4, 4);
  REQUIRE(l.count == 2);
  CHECK(l.beats[0].addr == 0x3);
  CHECK(l.beats[0].size == 1);
  CHECK(l.beats[1].addr == 0x4);
  CHECK(l.beats[1].size == 3);
  CHECK(l.beats[1].shift == 8);
}

TEST_CASE("lane helpers place and extract bytes little-endian", "[engine]") {
  CHECK(lane_extract(0x11223344, 0x2, 1, 4) == 0x22);
  CHECK(lane_extract(0x11223344, 0x2, 2, 4) == 0x1122);
  CHECK(lane_merge(0x11223344, 0x1, 0xab, 1, 4) == 0x1122ab44);
  CHECK(lane_mask(0x6, 2, 4) == 0xffff0000);
}

TEST_CASE("registers are named by offset, holes say so", "[engine]") {
  const RegisterMap& map = test_catalog().get("seldev").regmap;
  CHECK(map.name_at(0x8) == "STATUS");
  CHECK(map.name_at(0xa) == "STATUS");
  CHECK(map.describe(0xa) == "STATUS+0x2");
  CHECK(map.name_at(0x14) == "unmapped 0x14");
}

TEST_CASE("steps print as qtest lines", "[engine]") {
  CHECK(format_step(Step::write(0xc, 5)) == "writel 0xc 0x5");
  CHECK(format_step(Step::read(0x8, 1)) == "readb 0x8");
  CHECK(format_step(Step::idle(40)) == "clock_step 40");
  CHECK(format_step(Step::reset()) == "reset");
  CHECK(format_step(Step::mem_write(0x1000, 0x0201, 2)) == "write 0x1000 2 0x0102");
}

TEST_CASE("the PRNG is the same on every machine", "[engine]") {
  Rng a(42), b(42), c(43);
  const uint64_t first = a.next();
  CHECK(first == b.next());
  CHECK(first != c.next());
  for (int i = 0; i < 1000; ++i) CHECK(a.below(7) < 7);
}

TEST_CASE("stimulus hits every selector boundary: 0, N-1, N, N+1 and all ones", "[engine]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  const Program p = generate_program("random", b, 1, 20000);
  std::set<uint64_t> seen;
  for (const Step& s : p)
    if (s.kind == StepKind::write && s.addr == 0xc && s.size == 4) seen.insert(s.data);
  for (uint64_t v : {0ull, 3ull, 4ull, 5ull, 0xffffffffull}) CHECK(seen.count(v) == 1);
}

TEST_CASE("unknown devices and strategies are errors that name the choices", "[engine]") {
  CHECK_THROWS_WITH(test_catalog().get("nosuch"),
                    Catch::Contains("unknown device 'nosuch'") && Catch::Contains("seldev"));
  CHECK_THROWS_WITH(make_stimulus("nosuch", test_catalog().get("seldev"), 1),
                    Catch::Contains("unknown strategy 'nosuch'"));
}

TEST_CASE("a run that compared nothing fails", "[engine]") {
  const RunRecord r = run_job(test_catalog().get("seldev"), Job{"seldev", "all", 1, 0});
  CHECK_FALSE(r.divergence);
  CHECK(r.failure == "the run compared nothing");
  CHECK_FALSE(r.clean());
}

TEST_CASE("a model whose interrupt differs is caught at the first differing edge", "[engine]") {
  DeviceBinding b = binding_apb_test32();
  // This model never raises its interrupt line.
  struct Deaf final : tests::ApbTestblockModel<32> {
    uint32_t irq() const override { return 0; }
  };
  b.make_model = [] { return std::make_unique<Deaf>(); };
  Lockstep engine(b);
  engine.execute(Step::write(0, 1));
  const Cycle before = engine.now();
  engine.execute(Step::write(16, 1));
  REQUIRE(engine.diverged());
  CHECK(engine.divergence()->kind == DivergenceKind::irq);
  CHECK(engine.divergence()->reg == "irq");
  CHECK(engine.divergence()->cycle == before + 2);
  CHECK(engine.divergence()->step == 1);
  REQUIRE(engine.divergence()->recent.size() == 2);
  CHECK(format_step(engine.divergence()->recent.back()) == "writel 0x10 0x1");
}

TEST_CASE("an interrupt tolerance lets an edge differ by that many cycles", "[engine]") {
  DeviceBinding b = binding_apb_test32();
  struct Late final : tests::ApbTestblockModel<32> {  // the line follows the register 3 edges late
    tandem::BusResponse write(uint64_t o, uint64_t v, unsigned s, Cycle now) override {
      if (o == 16) m_rise = now + 3;
      return ApbTestblockModel<32>::write(o, v, s, now);
    }
    void advance(Cycle now) override { m_now = now; }
    Cycle next_event(Cycle now) const override { return m_rise > now ? m_rise : kNever; }
    uint32_t irq() const override { return m_now >= m_rise ? ApbTestblockModel<32>::irq() : 0; }
    Cycle m_rise = 0, m_now = 0;
  };
  b.make_model = [] { return std::make_unique<Late>(); };
  b.hints.irq_tolerance = 3;
  {
    Lockstep engine(b);
    engine.execute(Step::write(16, 1));
    engine.execute(Step::idle(10));
    CHECK_FALSE(engine.diverged());
  }
  b.hints.irq_tolerance = 2;
  Lockstep engine(b);
  engine.execute(Step::write(16, 1));
  engine.execute(Step::idle(10));
  REQUIRE(engine.diverged());
  CHECK(engine.divergence()->kind == DivergenceKind::irq);
}

TEST_CASE("a tolerated interrupt mismatch is reported when its tolerance runs out inside an idle gap", "[engine]") {
  // The model never raises its line and has no events; the RTL's line rises at the write and
  // stays. Nothing but the waiting mismatch calls for a walk of the idle gap's edges.
  DeviceBinding b = binding_apb_test32();
  struct Deaf final : tests::ApbTestblockModel<32> {
    uint32_t irq() const override { return 0; }
  };
  b.make_model = [] { return std::make_unique<Deaf>(); };
  b.hints.irq_tolerance = 2;
  Lockstep engine(b);
  engine.execute(Step::write(0, 1));
  engine.execute(Step::write(16, 1));
  const Cycle rose = engine.now();
  REQUIRE_FALSE(engine.diverged());  // tolerated at the write's own edge
  engine.execute(Step::idle(10));
  REQUIRE(engine.diverged());
  CHECK(engine.divergence()->kind == DivergenceKind::irq);
  CHECK(engine.divergence()->cycle == rose);
  CHECK(engine.divergence()->step == 2);
}

TEST_CASE("an interrupt mismatch waiting out its tolerance across accesses: short and general path agree", "[engine]") {
  // The line follows the register 3 edges late, and the model declares no wait states, so a
  // plain run takes the short path through the accesses inside the tolerance window (an
  // observer sends them through the general one).
  DeviceBinding b = binding_apb_test32();
  struct Late final : tests::ApbTestblockModel<32> {
    tandem::BusResponse write(uint64_t o, uint64_t v, unsigned s, Cycle now) override {
      if (o == 16) m_rise = now + 3;
      return ApbTestblockModel<32>::write(o, v, s, now);
    }
    bool declares_wait_states() const override { return false; }
    void advance(Cycle now) override { m_now = now; }
    Cycle next_event(Cycle now) const override { return m_rise > now ? m_rise : kNever; }
    uint32_t irq() const override { return m_now >= m_rise ? ApbTestblockModel<32>::irq() : 0; }
    Cycle m_rise = 0, m_now = 0;
  };
  b.make_model = [] { return std::make_unique<Late>(); };
  const Program p = {Step::write(16, 1), Step::read(0), Step::read(0), Step::read(4), Step::read(0), Step::read(0)};
  // Tolerance 1 ends the wait at the setup edge of the first read, before its access edge:
  // the short path must walk that edge too.
  for (unsigned tolerance : {3u, 2u, 1u}) {
    b.hints.irq_tolerance = tolerance;
    Lockstep plain(b);
    NullObserver null;
    LockstepOptions observed_options;
    observed_options.observer = &null;
    Lockstep observed(b, observed_options);
    INFO("tolerance " << tolerance);
    CHECK(trace_run(plain, p) == trace_run(observed, p));
    check_same_outcome(plain, observed);
    REQUIRE(plain.diverged() == (tolerance < 3));
    if (plain.diverged()) CHECK(plain.divergence()->kind == DivergenceKind::irq);
  }
}

TEST_CASE("a step beyond the address window is bad input, not a divergence", "[engine]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  REQUIRE(b.addr_width == 12);
  Lockstep engine(b);
  CHECK_THROWS_WITH(engine.execute(Step::read(0x1004)),
                    "step 'readl 0x1004': offset beyond the device's address window 0x0-0xfff");
  CHECK_THROWS_AS(engine.execute(Step::read(0xffe)), Error);  // 4 bytes from 0xffe cross the end
  CHECK_FALSE(engine.diverged());
  ModelExecutor model(b);
  CHECK_THROWS_AS(model.execute(Step::write(0x1000, 1)), Error);
  RtlExecutor rtl(b);
  CHECK_THROWS_AS(rtl.execute(Step::write(0x1000, 1)), Error);
}

TEST_CASE("the lockstep short path and the general path agree on every device and mutant", "[engine]") {
  // A plain run takes the short path for one-beat accesses; an observer sends every access
  // through the general one. Both must answer, count and diverge identically.
  size_t diverged = 0;
  for (const DeviceBinding& d : test_catalog().devices()) {
    for (const char* strategy : {"all", "hostile"}) {
      const Program p = generate_program(strategy, d, 7, 3000);
      Lockstep plain(d);
      NullObserver null;
      LockstepOptions observed_options;
      observed_options.observer = &null;
      Lockstep observed(d, observed_options);
      INFO(d.name << " " << strategy);
      CHECK(trace_run(plain, p) == trace_run(observed, p));
      check_same_outcome(plain, observed);
      if (plain.diverged()) ++diverged;
    }
  }
  CHECK(diverged >= 10);  // the mutants' divergences were compared, not only clean runs
}
