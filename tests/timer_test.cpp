// timer: the documented corners of the RTL checked in lockstep against the model and against
// the counting formula, the correct model over a million random steps, the mutants, the O(1)
// idle skipping of the model alone, and the C firmware driver on the model and in lockstep.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <optional>

#include <tandem/campaign.h>
#include <tandem/firmware.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/program_run.h>
#include <tandem/stimulus.h>

#include "devices/timer/driver/timer_driver.h"
#include "models/timer/timer_model.h"
#include "tests/test_support.h"

using namespace tandem;
using M = models::TimerModel;

namespace {

const DeviceBinding& timer_binding() { return test_catalog().get("timer"); }

struct Rig {
  Lockstep engine{timer_binding()};
  StepResult run(const Step& s) {
    StepResult r = engine.execute(s);
    if (engine.diverged()) FAIL("unexpected divergence: " << engine.divergence()->detail);
    return r;
  }
  uint64_t read(uint64_t off) { return run(Step::read(off)).data; }
  bool write(uint64_t off, uint64_t v) { return run(Step::write(off, v)).error; }
  void idle(uint64_t n) { run(Step::idle(n)); }
  Cycle now() const { return engine.now(); }
  uint32_t irq() const { return engine.irq(); }
};

uint32_t ctrl_value(unsigned prescale, bool periodic, bool enable = true) {
  return (prescale << M::kPrescaleShift) | (periodic ? M::kPeriodic : 0u) | (enable ? M::kEnable : 0u);
}

// COUNT after edge `e` of a timer enabled at edge `start` with nothing written since.
uint64_t expected_count(Cycle start, unsigned prescale, uint64_t compare, bool periodic, Cycle e) {
  const uint64_t ticks = (e - start) / (prescale + 1);
  return periodic ? ticks % (compare + 1) : std::min<uint64_t>(ticks, compare);
}

// A read completing at edge R shows the state after edge R - 1; from the engine standing at
// `now`, the next read completes at now + 2.
Cycle next_read_sees(Cycle now) { return now + 1; }

}  // namespace

// ------------------------------------------------------------------------- random lockstep

TEST_CASE("correct timer model: 10^6 random steps in lockstep, zero divergences", "[timer][long]") {
  const RunRecord r = run_job(timer_binding(), Job{"timer", "all", 1, 1000000});
  INFO((r.divergence ? r.divergence->detail : std::string("no divergence")));
  REQUIRE_FALSE(r.divergence);
  CHECK(r.failure.empty());
  CHECK(r.stats.steps == 1000000);
  CHECK(r.stats.reads > 300000);
  CHECK(r.stats.writes > 300000);
  CHECK(r.stats.cycles > 10000000);  // the hints' idle gaps let compare matches happen
}

TEST_CASE("random timer runs see compare matches and interrupts", "[timer]") {
  // The same program on the model alone: how often a read of INT_STATUS finds a match.
  const Program p = generate_program("all", timer_binding(), 1, 100000);
  ModelExecutor model(timer_binding());
  uint64_t status_reads = 0, status_set = 0, irq_high = 0;
  for (const Step& s : p) {
    const StepResult r = model.execute(s);
    if (s.kind == StepKind::read && (s.addr & ~3ull) == M::INT_STATUS) {
      ++status_reads;
      status_set += r.data != 0;
      irq_high += model.irq() != 0;
    }
  }
  CHECK(status_reads > 1000);
  CHECK(status_set > status_reads / 10);
  CHECK(irq_high > 0);
}

TEST_CASE("the correct timer model agrees with its RTL on other seeds too", "[timer]") {
  for (uint64_t seed : {2, 3, 4, 5, 6, 7, 8, 9}) {
    const RunRecord r = run_job(timer_binding(), Job{"timer", "all", seed, 50000});
    INFO("seed " << seed << ": " << (r.divergence ? r.divergence->detail : ""));
    CHECK(r.clean());
  }
}

namespace {
// Values small enough that matches, W1C clears, CTRL and COMPARE writes keep landing on the
// same edges, with byte-lane writes, narrow reads, holes and resets mixed in.
Program corner_program(uint64_t seed, size_t steps) {
  Rng rng(seed);
  Program p;
  for (size_t i = 0; i < steps; ++i) {
    const unsigned n = static_cast<unsigned>(rng.below(M::kTimers));
    const uint64_t roll = rng.below(100);
    if (roll < 15) {
      p.push_back(Step::idle(rng.below(6)));
    } else if (roll < 30) {
      p.push_back(
          Step::write(M::ctrl(n), ctrl_value(static_cast<unsigned>(rng.below(4)), rng.chance(50), rng.chance(80))));
    } else if (roll < 40) {
      p.push_back(Step::write(M::compare(n), rng.below(6)));
    } else if (roll < 50) {
      p.push_back(Step::write(M::INT_STATUS, rng.below(16)));
    } else if (roll < 55) {
      p.push_back(Step::write(M::INT_ENABLE, rng.below(16)));
    } else if (roll < 60) {
      p.push_back(Step::write(M::T_BASE + n * M::T_STRIDE + 4 * rng.below(3) + rng.below(4), rng.below(4), 1));
    } else if (roll < 62) {
      p.push_back(Step::reset());
    } else if (roll < 64) {
      p.push_back(Step::read(rng.below(0x70) & ~3ull));  // includes the holes
    } else if (roll < 70) {
      p.push_back(Step::read(M::count(n) + rng.below(4), 1));
    } else {
      const uint64_t regs[] = {M::INT_STATUS, M::INT_ENABLE, M::ctrl(n), M::compare(n), M::count(n)};
      p.push_back(Step::read(regs[rng.below(5)]));
    }
  }
  return p;
}

}  // namespace

TEST_CASE("corner-dense programs (tiny prescalers and compares, same-edge collisions) agree", "[timer]") {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const std::optional<Divergence> d = run_program(timer_binding(), corner_program(seed, 20000)).divergence;
    INFO("seed " << seed << ": " << (d ? d->detail : ""));
    CHECK_FALSE(d);
  }
  // The same programs are sharp enough to catch every seeded bug.
  for (const Mutant& m : mutants_of("timer")) {
    INFO(m.name);
    CHECK(run_program(test_catalog().get(m.name), corner_program(1, 20000)).divergence);
  }
}

// ------------------------------------------------------------------------- mutants

TEST_CASE("every timer mutant is caught within 10^4 steps with the kind and register it promises", "[timer][mutants]") {
  const std::vector<Mutant> mutants = mutants_of("timer");
  REQUIRE(mutants.size() == 6);
  for (const Mutant& m : mutants) {
    SECTION(m.name) {
      const DeviceBinding& b = test_catalog().get(m.name);
      const RunRecord r = run_job(b, Job{m.name, "all", 1, 10000});
      REQUIRE(r.divergence);
      CHECK(kind_name(r.divergence->kind) == std::string(kind_name(m.expected_kind)));
      CHECK(r.divergence->reg == m.expected_register);
      CHECK(r.divergence->step < 10000);
      for (uint64_t seed : {2, 3, 4, 5}) {
        INFO("seed " << seed);
        CHECK(run_job(b, Job{m.name, "all", seed, 10000}).divergence);
      }
    }
  }
}

// ------------------------------------------------------------------------- documented corners

TEST_CASE("ID reads the magic and the timer count and every register resets to 0", "[timer]") {
  Rig rig;
  CHECK(rig.read(M::ID) == 0x713E0004u);
  CHECK(rig.read(M::INT_STATUS) == 0);
  CHECK(rig.read(M::INT_ENABLE) == 0);
  for (unsigned n = 0; n < M::kTimers; ++n) {
    CHECK(rig.read(M::ctrl(n)) == 0);
    CHECK(rig.read(M::compare(n)) == 0);
    CHECK(rig.read(M::count(n)) == 0);
  }
  CHECK(rig.irq() == 0);
}

TEST_CASE("a one-shot timer matches (COMPARE+1)*(PRESCALE+1) edges after the enabling write, then stops", "[timer]") {
  Rig rig;
  rig.write(M::compare(0), 4);
  rig.write(M::INT_ENABLE, 0x1);
  rig.write(M::ctrl(0), ctrl_value(2, false));
  const Cycle w = rig.now();
  CHECK(rig.read(M::count(0)) == expected_count(w, 2, 4, false, w + 1));  // 0
  rig.idle(7);
  CHECK(rig.read(M::count(0)) == expected_count(w, 2, 4, false, w + 10));  // 3
  CHECK(rig.read(M::count(0)) == 4);  // after edge w + 12: COUNT == COMPARE, no match yet
  rig.idle(w + 14 - rig.now());
  CHECK(rig.irq() == 0);
  rig.idle(1);  // edge w + 15: the match
  CHECK(rig.irq() == 1);
  CHECK(rig.read(M::INT_STATUS) == 0x1);
  CHECK(rig.read(M::ctrl(0)) == ctrl_value(2, false, false));  // ENABLE cleared
  rig.idle(1000);
  CHECK(rig.read(M::count(0)) == 4);  // stopped at COMPARE
  rig.write(M::INT_STATUS, 0x1);
  CHECK(rig.irq() == 0);
  rig.idle(1000);
  CHECK(rig.read(M::INT_STATUS) == 0);  // a one-shot matches once
}

TEST_CASE("a periodic timer reloads to 0 at each match, every (COMPARE+1)*(PRESCALE+1) edges", "[timer]") {
  Rig rig;
  rig.write(M::compare(1), 9);
  rig.write(M::INT_ENABLE, 0x2);
  rig.write(M::ctrl(1), ctrl_value(1, true));
  const Cycle w = rig.now();
  for (int k = 1; k <= 5; ++k) {
    const Cycle match = w + k * 20;
    rig.idle(match - 1 - rig.now());
    CHECK(rig.irq() == 0);
    rig.idle(1);
    CHECK(rig.irq() == 1);
    CHECK(rig.read(M::count(1)) == expected_count(w, 1, 9, true, match + 1));  // 0: reloaded
    rig.write(M::INT_STATUS, 0x2);
    CHECK(rig.irq() == 0);
  }
  for (int i = 0; i < 40; ++i) {
    const Cycle seen = next_read_sees(rig.now());
    CHECK(rig.read(M::count(1)) == expected_count(w, 1, 9, true, seen));
    rig.idle(i % 3);
  }
}

TEST_CASE("COMPARE 0 matches at the first tick and periodic with COMPARE 0 matches at every tick", "[timer]") {
  Rig rig;
  rig.write(M::ctrl(2), ctrl_value(0, false));  // one-shot, COMPARE 0, PRESCALE 0
  CHECK(rig.read(M::INT_STATUS) == 0x4);        // matched at the next edge
  CHECK(rig.read(M::ctrl(2)) == 0);
  CHECK(rig.read(M::count(2)) == 0);
  rig.write(M::INT_ENABLE, 0x4);
  rig.write(M::INT_STATUS, 0x4);
  rig.write(M::ctrl(2), ctrl_value(3, true));  // periodic: a match every 4 edges
  const Cycle p = rig.now();
  rig.write(M::INT_STATUS, 0x4);  // edge p + 2: no match there
  REQUIRE(rig.now() == p + 2);
  CHECK(rig.irq() == 0);
  rig.idle(1);  // p + 3
  CHECK(rig.irq() == 0);
  rig.idle(1);  // p + 4
  CHECK(rig.irq() == 1);
  CHECK(rig.read(M::count(2)) == 0);
}

TEST_CASE("a CTRL write to a running timer keeps COUNT, restarts the prescaler and loses the tick at its edge",
          "[timer]") {
  Rig rig;
  rig.write(M::compare(0), 100);
  rig.write(M::ctrl(0), ctrl_value(3, true));
  const Cycle w = rig.now();
  rig.idle(10);                                // ticks at w+4, w+8
  rig.write(M::ctrl(0), ctrl_value(1, true));  // edge w+12, where a tick was due: lost
  const Cycle w2 = rig.now();
  REQUIRE(w2 == w + 12);
  CHECK(rig.read(M::count(0)) == 2);  // after w2+1: still 2
  CHECK(rig.read(M::count(0)) == 3);  // after w2+3: the new prescaler ticked at w2+2
  rig.idle(w2 + 20 - rig.now());
  CHECK(rig.read(M::count(0)) == 2 + 10);  // after w2+21: ticks at w2+2..w2+20
  // Mode change while running: same rule, COUNT kept (ticks up to w2+22: 13; none at w2+24).
  rig.write(M::ctrl(0), ctrl_value(1, false));
  CHECK(rig.read(M::count(0)) == 13);
  CHECK(rig.read(M::ctrl(0)) == ctrl_value(1, false));
}

TEST_CASE("a CTRL write on the match edge wins: the match comes at the next tick", "[timer]") {
  Rig rig;
  rig.write(M::INT_ENABLE, 0x1);
  rig.write(M::compare(0), 2);
  rig.write(M::ctrl(0), ctrl_value(0, false));  // ticks at w+1, w+2; match due at w+3
  const Cycle w = rig.now();
  rig.idle(1);
  rig.write(M::ctrl(0), ctrl_value(0, false));  // edge w+3
  REQUIRE(rig.now() == w + 3);
  CHECK(rig.irq() == 0);
  rig.idle(1);  // w+4: COUNT was still 2 == COMPARE, so the first tick matches
  CHECK(rig.irq() == 1);
  CHECK(rig.read(M::count(0)) == 2);
  CHECK(rig.read(M::ctrl(0)) == 0);
}

TEST_CASE("disabling freezes COUNT and enabling again restarts from 0", "[timer]") {
  Rig rig;
  rig.write(M::compare(3), 1000);
  rig.write(M::ctrl(3), ctrl_value(0, true));
  rig.idle(50);
  rig.write(M::ctrl(3), ctrl_value(0, true, false));
  const uint64_t frozen = rig.read(M::count(3));
  CHECK(frozen == 51);  // ticks at w+1 .. w+51; the disabling write's edge w+52 does not tick
  rig.idle(500);
  CHECK(rig.read(M::count(3)) == frozen);
  rig.write(M::ctrl(3), ctrl_value(0, true));
  CHECK(rig.read(M::count(3)) == 1);  // restarted from 0, one tick since
}

TEST_CASE("a COMPARE write applies from the next tick while a tick at its edge uses the old value", "[timer]") {
  Rig rig;
  rig.write(M::INT_ENABLE, 0x2);
  rig.write(M::compare(1), 5);
  rig.write(M::ctrl(1), ctrl_value(0, true));  // matches due at w+6, w+12, ...
  const Cycle w = rig.now();
  rig.idle(4);
  rig.write(M::compare(1), 10);  // edge w+6: still matches against 5, then COMPARE = 10
  REQUIRE(rig.now() == w + 6);
  CHECK(rig.irq() == 1);
  rig.write(M::INT_STATUS, 0x2);
  rig.idle(w + 16 - rig.now());
  CHECK(rig.irq() == 0);
  rig.idle(1);  // w + 6 + 11
  CHECK(rig.irq() == 1);
}

TEST_CASE("a COMPARE below COUNT is no match: COUNT runs on towards the 2^32 wrap", "[timer]") {
  Rig rig;
  rig.write(M::INT_ENABLE, 0x1);
  rig.write(M::compare(0), 100);
  rig.write(M::ctrl(0), ctrl_value(0, true));
  rig.idle(48);
  rig.write(M::compare(0), 10);  // COUNT is about 50
  rig.idle(10000);
  CHECK(rig.irq() == 0);
  CHECK(rig.read(M::INT_STATUS) == 0);
  CHECK(rig.read(M::count(0)) > 10000);
}

TEST_CASE("a match and a W1C clear of its bit on the same edge: the match wins", "[timer]") {
  Rig rig;
  rig.write(M::compare(2), 9);
  rig.write(M::ctrl(2), ctrl_value(0, true));  // matches at w+10, w+20
  const Cycle w = rig.now();
  rig.idle(8);
  rig.write(M::INT_STATUS, 0x4);  // edge w+10: the first match
  REQUIRE(rig.now() == w + 10);
  CHECK(rig.read(M::INT_STATUS) == 0x4);
  rig.write(M::INT_STATUS, 0x4);  // edge w+14: no match, clears
  CHECK(rig.read(M::INT_STATUS) == 0);
}

TEST_CASE("a match with its interrupt masked sets INT_STATUS and unmasking raises irq at that write", "[timer]") {
  Rig rig;
  rig.write(M::ctrl(1), ctrl_value(0, false));  // COMPARE 0: matches at the next edge
  rig.idle(5);
  CHECK(rig.irq() == 0);
  CHECK(rig.read(M::INT_STATUS) == 0x2);
  rig.write(M::INT_ENABLE, 0xd);  // other timers only
  CHECK(rig.irq() == 0);
  rig.write(M::INT_ENABLE, 0x2);
  CHECK(rig.irq() == 1);
  rig.write(M::INT_STATUS, 0xd);  // W1C of other bits: no effect
  CHECK(rig.irq() == 1);
  rig.write(M::INT_STATUS, 0x2);
  CHECK(rig.irq() == 0);
}

TEST_CASE("writes merge per byte lane and narrow reads return their lanes", "[timer]") {
  Rig rig;
  rig.write(M::compare(0), 0x11223344);
  CHECK_FALSE(rig.run(Step::write(M::compare(0) + 2, 0xab, 1)).error);
  CHECK(rig.read(M::compare(0)) == 0x11ab3344);
  CHECK_FALSE(rig.run(Step::write(M::ctrl(0) + 1, 0x07, 1)).error);  // PRESCALE only
  CHECK(rig.read(M::ctrl(0)) == 0x700);
  CHECK_FALSE(rig.run(Step::write(M::ctrl(0) + 2, 0xffff, 2)).error);  // reserved lanes: nothing changes
  CHECK(rig.read(M::ctrl(0)) == 0x700);
  CHECK(rig.run(Step::read(M::compare(0) + 1, 1)).data == 0x33);
  CHECK(rig.run(Step::read(M::compare(0) + 2, 2)).data == 0x11ab);
  rig.write(M::ctrl(1), ctrl_value(0, false));  // INT_STATUS bit 1 sets
  rig.idle(2);
  CHECK_FALSE(rig.run(Step::write(M::INT_STATUS + 1, 0xff, 1)).error);  // no status bits in that lane
  CHECK(rig.read(M::INT_STATUS) == 0x2);
}

TEST_CASE("unmapped offsets answer PSLVERR with data 0 while ID and COUNT ignore writes", "[timer]") {
  Rig rig;
  for (uint64_t off : {0x0cull, 0x10ull, 0x1cull, 0x2cull, 0x3cull, 0x5cull, 0x60ull, 0x64ull, 0x100ull, 0xffcull}) {
    const StepResult r = rig.run(Step::read(off));
    CHECK(r.error);
    CHECK(r.data == 0);
    CHECK(rig.run(Step::write(off, 0xffffffff)).error);
  }
  CHECK_FALSE(rig.write(M::ID, 0));
  CHECK(rig.read(M::ID) == M::kId);
  CHECK_FALSE(rig.write(M::count(0), 1234));
  CHECK(rig.read(M::count(0)) == 0);
  for (unsigned n = 0; n < M::kTimers; ++n) CHECK(rig.read(M::ctrl(n)) == 0);  // no effect
}

TEST_CASE("bus reset returns every register to 0 and stops every timer", "[timer]") {
  Rig rig;
  rig.write(M::INT_ENABLE, 0xf);
  for (unsigned n = 0; n < M::kTimers; ++n) {
    rig.write(M::compare(n), 3);
    rig.write(M::ctrl(n), ctrl_value(n, true));
  }
  rig.idle(100);
  CHECK(rig.irq() == 1);
  rig.run(Step::reset());
  CHECK(rig.irq() == 0);
  CHECK(rig.read(M::INT_STATUS) == 0);
  CHECK(rig.read(M::INT_ENABLE) == 0);
  for (unsigned n = 0; n < M::kTimers; ++n) {
    CHECK(rig.read(M::ctrl(n)) == 0);
    CHECK(rig.read(M::compare(n)) == 0);
    CHECK(rig.read(M::count(n)) == 0);
  }
}

// ------------------------------------------------------------------------- long idle

TEST_CASE("a 10^9-cycle idle on the model alone costs O(1) and lands exactly on the formula", "[timer][idle]") {
  ModelExecutor model(timer_binding());
  const auto start = std::chrono::steady_clock::now();
  model.execute(Step::write(M::INT_ENABLE, 0x6));
  model.execute(Step::write(M::compare(0), 999));
  model.execute(Step::write(M::ctrl(0), ctrl_value(9, true)));  // period 10^4
  const Cycle w0 = model.now();
  model.execute(Step::write(M::compare(1), 0xfffffffe));
  model.execute(Step::write(M::ctrl(1), ctrl_value(255, false)));  // match 2^32 * 256 edges away
  const Cycle w1 = model.now();
  model.execute(Step::write(M::compare(2), 123456));
  model.execute(Step::write(M::ctrl(2), ctrl_value(7, false)));  // match 987656 edges on

  model.execute(Step::idle(1000000000));
  const Cycle seen0 = next_read_sees(model.now());
  CHECK(model.execute(Step::read(M::count(0))).data == expected_count(w0, 9, 999, true, seen0));
  const Cycle seen1 = next_read_sees(model.now());
  CHECK(model.execute(Step::read(M::count(1))).data == expected_count(w1, 255, 0xfffffffe, false, seen1));
  CHECK(model.execute(Step::read(M::count(2))).data == 123456);
  CHECK(model.execute(Step::read(M::INT_STATUS)).data == 0x5);  // T0 periodic, T2 one-shot
  CHECK(model.irq() == 1);                                      // T2 is enabled
  CHECK(model.execute(Step::read(M::ctrl(2))).data == ctrl_value(7, false, false));

  // T1: 2^32 - 1 ticks of 256 edges (about 1.1 * 10^12) — land one edge before and on it.
  model.execute(Step::write(M::ctrl(0), 0));
  model.execute(Step::write(M::INT_STATUS, 0x7));
  const Cycle match1 = w1 + (uint64_t(0xfffffffe) + 1) * 256;
  model.execute(Step::idle(match1 - 2 - model.now()));  // the next read sees match1 - 1
  CHECK(model.execute(Step::read(M::INT_STATUS)).data == 0x0);
  CHECK(model.execute(Step::read(M::INT_STATUS)).data == 0x2);
  CHECK(model.irq() == 1);
  CHECK(model.execute(Step::read(M::count(1))).data == 0xfffffffe);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 0.05);
}

TEST_CASE("the model alone skips 10^5 random steps with idle gaps up to 10^9 in well under a second", "[timer][idle]") {
  DeviceBinding b = timer_binding();
  b.hints.max_idle = 1000000000;
  const Program p = generate_program("random", b, 7, 100000);  // (what `all` was before it mixed in hostile traffic)
  ModelExecutor model(b);
  const auto start = std::chrono::steady_clock::now();
  for (const Step& s : p) model.execute(s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(model.now() > 1000000000000ull);  // more than 10^12 edges
  CHECK(seconds < 1.0);
}

TEST_CASE("a COMPARE below COUNT matches after the 2^32 wrap, exactly (model alone)", "[timer][idle]") {
  ModelExecutor model(timer_binding());
  model.execute(Step::write(M::compare(3), 1000));
  model.execute(Step::write(M::ctrl(3), ctrl_value(0, true)));
  const Cycle w = model.now();
  model.execute(Step::idle(98));
  model.execute(Step::write(M::compare(3), 10));  // edge w + 100: COUNT 99 -> 100 at that tick
  REQUIRE(model.now() == w + 100);
  // From COUNT 100 the match is the tick at which COUNT is 10 again: 2^32 - 90 ticks later.
  const Cycle match = w + 100 + (uint64_t(1) << 32) - 90 + 1;
  model.execute(Step::idle(match - 2 - model.now()));
  CHECK(model.execute(Step::read(M::count(3))).data == 10);  // sees match - 1
  CHECK(model.execute(Step::read(M::INT_STATUS)).data == 0x8);
  CHECK(model.execute(Step::read(M::count(3))).data == 3);  // reloaded at match, 3 ticks since
}

TEST_CASE("lockstep through idle gaps of 10^6 cycles: the RTL ticks through, the model skips", "[timer][idle]") {
  Rig rig;
  rig.write(M::INT_ENABLE, 0xf);
  rig.write(M::compare(0), 999);
  rig.write(M::ctrl(0), ctrl_value(0, true));  // every 1000 edges
  const Cycle w0 = rig.now();
  rig.write(M::compare(1), 99);
  rig.write(M::ctrl(1), ctrl_value(255, true));  // every 25600 edges
  rig.write(M::compare(2), 49999);
  rig.write(M::ctrl(2), ctrl_value(15, false));  // once, 800000 edges on
  rig.write(M::compare(3), 7999);
  rig.write(M::ctrl(3), ctrl_value(255, false));  // once, 2048000 edges on
  uint32_t seen = 0;
  for (int i = 0; i < 16; ++i) {
    rig.idle(1000000 + 7919 * i);
    CHECK(rig.irq() == 1);
    const uint32_t status = static_cast<uint32_t>(rig.read(M::INT_STATUS));
    seen |= status;
    CHECK(rig.read(M::count(0)) == expected_count(w0, 0, 999, true, next_read_sees(rig.now())));
    rig.write(M::INT_STATUS, status);
  }
  CHECK(seen == 0xf);
  CHECK(rig.read(M::count(2)) == 49999);
  CHECK(rig.read(M::count(3)) == 7999);
  CHECK(rig.engine.stats().cycles > 16000000);
  CHECK(rig.engine.stats().irq_checks > 16000000);
}

// ------------------------------------------------------------------------- firmware driver

namespace {
struct DriverTrace {
  unsigned timers = 0;
  int fired_oneshot = -2, fired_periodic = -2, sleep_rc = -2;
  uint32_t count_after_oneshot = 0, ctrl_after_oneshot = 0, count_after_idle = 0, expected_after_idle = 0;
  Cycle oneshot_start = 0, oneshot_acked = 0, sleep_cycles = 0;
};

DriverTrace drive(Executor& e) {
  tandem_mmio io = mmio_for(e);
  DriverTrace t;
  t.timers = timer_probe(&io);
  timer_start_oneshot(&io, 2, 3, 99);  // fires 400 edges after the start write
  t.oneshot_start = e.now();
  t.fired_oneshot = timer_wait_and_ack(&io, 100000);
  t.oneshot_acked = e.now();
  t.count_after_oneshot = timer_read_count(&io, 2);
  t.ctrl_after_oneshot = io.read32(io.ctx, TIMER_CTRL(2));
  timer_start_periodic(&io, 1, 4, 49);  // every 250 edges
  const Cycle w = e.now();
  e.execute(Step::idle(10007));
  t.expected_after_idle = static_cast<uint32_t>(expected_count(w, 4, 49, true, next_read_sees(e.now())));
  t.count_after_idle = timer_read_count(&io, 1);
  t.fired_periodic = timer_wait_and_ack(&io, 1000);
  timer_stop(&io, 1);
  io.write32(io.ctx, TIMER_INT_STATUS, 0xf);
  const Cycle before = e.now();
  t.sleep_rc = timer_sleep(&io, 0, 300000);
  t.sleep_cycles = e.now() - before;
  return t;
}

void check_trace(const DriverTrace& t) {
  CHECK(t.timers == 4);
  CHECK(t.fired_oneshot == 2);
  CHECK(t.oneshot_acked >= t.oneshot_start + 400);
  CHECK(t.oneshot_acked < t.oneshot_start + 400 + 2 * TIMER_POLL_SLICE);
  CHECK(t.count_after_oneshot == 99);
  CHECK(t.ctrl_after_oneshot == (TIMER_CTRL_PRESCALE(3) | 0u));  // ENABLE cleared by the match
  CHECK(t.count_after_idle == t.expected_after_idle);
  CHECK(t.fired_periodic == 1);
  CHECK(t.sleep_rc == 0);
  CHECK(t.sleep_cycles >= 300000);
  CHECK(t.sleep_cycles < 300000 + 3 * TIMER_POLL_SLICE);
}
}  // namespace

TEST_CASE("the C driver runs on the model alone: the right timer fires, COUNT follows the formula",
          "[timer][firmware]") {
  ModelExecutor model(timer_binding());
  check_trace(drive(model));
}

TEST_CASE("the C driver runs in lockstep with no divergence and the same answers", "[timer][firmware]") {
  Lockstep engine(timer_binding());
  const DriverTrace t = drive(engine);
  INFO((engine.diverged() ? engine.divergence()->detail : std::string("no divergence")));
  REQUIRE_FALSE(engine.diverged());
  check_trace(t);
  // In lockstep the line itself ends the wait: the acknowledgement follows the match closely.
  CHECK(t.oneshot_acked < t.oneshot_start + 400 + 64);
  CHECK(engine.stats().reads > 10);
}

// ------------------------------------------------------------------------- save / restore

TEST_CASE("model save and restore round-trip a running timer and restore rejects impossible state", "[timer]") {
  M a;
  a.reset(2);
  a.write(M::compare(1), 9, 4, 4);
  a.write(M::INT_ENABLE, 0x2, 4, 6);
  a.write(M::ctrl(1), ctrl_value(2, true), 4, 8);
  a.advance(50);
  StateWriter w;
  a.save(w);
  M b;
  b.reset(0);
  StateReader r(w.bytes);
  REQUIRE(b.restore(r).empty());
  for (Cycle at = 52; at < 400; at += 7) {
    CHECK(b.read(M::count(1), 4, at).data == a.read(M::count(1), 4, at).data);
    CHECK(b.read(M::INT_STATUS, 4, at + 1).data == a.read(M::INT_STATUS, 4, at + 1).data);
    CHECK(b.irq() == a.irq());
    CHECK(b.next_event(at + 1) == a.next_event(at + 1));
  }

  // Layout: version u32, status u32, enable u32, now u64, then per timer
  // enabled u8, periodic u8, prescale u32, compare u32, count u32, base u64, first u64 (30 bytes).
  auto rejected = [&](std::vector<uint8_t> bytes) {
    M c;
    c.reset(0);
    c.write(M::compare(0), 77, 4, 2);
    StateReader rb(bytes);
    const std::string why = c.restore(rb);
    CHECK(c.read(M::compare(0), 4, 10).data == 77);  // unchanged
    return why;
  };
  const size_t t1 = 20 + 30;  // timer 1's record
  std::vector<uint8_t> bad = w.bytes;
  bad[4] = 0x10;  // INT_STATUS bit 4: no such timer
  CHECK(rejected(bad) == "int_status: bits beyond the timers");
  bad = w.bytes;
  bad[t1 + 3] = 0x01;  // prescale 256
  CHECK(rejected(bad) == "timer.prescale: out of range (0..255)");
  bad = w.bytes;
  bad[t1] = 2;
  CHECK(rejected(bad) == "timer.enabled: not boolean");
  bad = w.bytes;
  bad[t1 + 6] = 0;  // COMPARE 9 -> 0: from its base at edge 38 it matches at 41, before 50
  CHECK(rejected(bad) == "timer.base: a match before the saved cycle was not applied");
  bad = w.bytes;
  bad.pop_back();
  CHECK(rejected(bad) == "timer: truncated");
  bad = w.bytes;
  bad.push_back(0);
  CHECK(rejected(bad) == "trailing bytes");
}
