// ProgramRunner: one lockstep engine for many programs, as the lockstep fuzzers use it. Each
// program's run must be exactly the run a fresh engine gives it, whatever ran before it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <tandem/fuzz_decode.h>
#include <tandem/program_run.h>
#include <tandem/stimulus.h>

// The harness's context pool, asked directly; Verilator's headers are not warning-clean.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <tandem/verilated_harness.h>
#pragma GCC diagnostic pop

#include "tests/mutants/mutants.h"
#include "tests/test_support.h"

using namespace tandem;

namespace {

// Inputs as a fuzzer makes them (random bytes, decoded) and longer generated programs, which
// reach the driver-manual sequences (DMA chains) that random bytes rarely spell.
std::vector<Program> programs_for(const DeviceBinding& binding, uint64_t seed, size_t count) {
  Rng rng(seed);
  std::vector<Program> out;
  for (size_t i = 0; i < count; ++i) {
    if (i % 2) {
      out.push_back(generate_program("all", binding, seed + i, 20 + rng.below(200)));
      continue;
    }
    std::vector<uint8_t> bytes(rng.below(24 * kFuzzRecordBytes));
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng.next());
    out.push_back(decode_fuzz_input(bytes.data(), bytes.size(), binding));
  }
  return out;
}

void require_same_run(const ProgramRun& fresh, const ProgramRun& reused) {
  REQUIRE(reused.executed == fresh.executed);
  REQUIRE(reused.step_cycles == fresh.step_cycles);
  REQUIRE(reused.last.data == fresh.last.data);
  REQUIRE(reused.last.error == fresh.last.error);
  REQUIRE(reused.stats.steps == fresh.stats.steps);
  REQUIRE(reused.stats.cycles == fresh.stats.cycles);
  REQUIRE(reused.stats.reads == fresh.stats.reads);
  REQUIRE(reused.stats.writes == fresh.stats.writes);
  REQUIRE(reused.stats.irq_checks == fresh.stats.irq_checks);
  REQUIRE(reused.stats.dma_accesses == fresh.stats.dma_accesses);
  REQUIRE(reused.divergence.has_value() == fresh.divergence.has_value());
  if (!fresh.divergence) return;
  const Divergence &a = *fresh.divergence, &b = *reused.divergence;
  REQUIRE(b.kind == a.kind);
  REQUIRE(b.step == a.step);
  REQUIRE(b.cycle == a.cycle);
  REQUIRE(b.reg == a.reg);
  REQUIRE(b.rtl == a.rtl);
  REQUIRE(b.model == a.model);
  REQUIRE(b.detail == a.detail);
  REQUIRE(b.recent.size() == a.recent.size());
  for (size_t i = 0; i < a.recent.size(); ++i) REQUIRE(format_step(b.recent[i]) == format_step(a.recent[i]));
}

}  // namespace

TEST_CASE("a program on a reused engine runs as on a fresh one, in any order of programs", "[runner]") {
  const Catalog catalog(mutant_catalog());
  // Correct devices, and mutants whose programs diverge (a read, an interrupt, a DMA access):
  // a run that diverged mid-step must leave nothing behind for the next program.
  for (const char* name :
       {"seldev", "timer", "dma", "uart16550", "seldev.trust_select", "uart16550.dlab_ignored", "dma.double_fetch"}) {
    CAPTURE(name);
    const DeviceBinding& binding = catalog.get(name);
    const std::vector<Program> programs = programs_for(binding, 11, 24);
    std::vector<ProgramRun> fresh;
    size_t diverged = 0;
    for (const Program& p : programs) {
      fresh.push_back(run_program(binding, p));
      diverged += fresh.back().divergence.has_value();
    }
    if (std::string(name).find('.') != std::string::npos) CHECK(diverged > 0);  // the check bites

    ProgramRunner runner(binding);
    REQUIRE(runner.reuses_engine());
    std::vector<size_t> order(programs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    Rng rng(5);
    for (int pass = 0; pass < 3; ++pass) {  // forward, backward, shuffled
      if (pass == 1) std::reverse(order.begin(), order.end());
      if (pass == 2)
        for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
      for (size_t i : order) {
        CAPTURE(pass, i);
        require_same_run(fresh[i], runner.run(programs[i]));
      }
    }
  }
}

TEST_CASE("an input gives the same result first and after a thousand others", "[runner]") {
  const Catalog catalog(mutant_catalog());
  for (const char* name : {"uart16550.dlab_ignored", "dma"}) {
    CAPTURE(name);
    const DeviceBinding& binding = catalog.get(name);
    const std::vector<Program> others = programs_for(binding, 23, 1000);
    const Program probe = generate_program("all", binding, 99, 300);
    ProgramRunner runner(binding);
    const ProgramRun first = runner.run(probe);
    for (const Program& p : others) runner.run(p);
    require_same_run(first, runner.run(probe));
    require_same_run(first, run_program(binding, probe));
  }
}

// Every engine a fuzzer builds per input (run_program) takes the Verilator context the last one
// left (VerilatedHarness's ContextPool): its run must be the one a context never used before gives.
TEST_CASE("a fresh engine on a kept Verilator context runs as on a new context", "[runner]") {
  const Catalog catalog(mutant_catalog());
  for (const char* name : {"seldev", "timer", "dma", "uart16550", "seldev_axi4lite", "seldev_wishbone",
                           "uart16550.dlab_ignored", "dma.double_fetch", "seldev.trust_select"}) {
    CAPTURE(name);
    const DeviceBinding& binding = catalog.get(name);
    const Program probe = generate_program("all", binding, 77, 300);
    detail::ContextPool::clear();
    const ProgramRun first = run_program(binding, probe);  // on a context built for it
    REQUIRE(detail::ContextPool::kept() == 1);             // given back, for the next engine
    for (const Program& p : programs_for(binding, 31, 1000)) run_program(binding, p);
    REQUIRE(detail::ContextPool::kept() == 1);  // one engine at a time: one context, reused
    require_same_run(first, run_program(binding, probe));
    // An engine alive beside another takes a context of its own.
    Lockstep holder(binding);
    REQUIRE(detail::ContextPool::kept() == 0);
    require_same_run(first, run_program(binding, probe));
  }
}

TEST_CASE("the step path over the model's class runs as the one over Device", "[runner]") {
  const Catalog catalog(mutant_catalog());
  for (const char* name :
       {"seldev", "seldev_axi4lite", "seldev_wishbone", "seldev_wishbone_pipelined", "dma", "timer_c"}) {
    CAPTURE(name);
    const DeviceBinding& binding = catalog.get(name);
    DeviceBinding general = binding;
    general.lockstep_fast = {};
    REQUIRE(Lockstep(binding).runs_model_class_path());
    REQUIRE_FALSE(Lockstep(general).runs_model_class_path());
    // timer_c is a C model, through CDeviceAdapter. Generated programs (driver sequences, DMA
    // chains, races) and fuzz inputs, long enough to take every step kind on both paths; each
    // program's run must be the same on both.
    for (const Program& p : programs_for(binding, 5, 60))
      require_same_run(run_program(general, p), run_program(binding, p));
    for (uint64_t seed = 1; seed <= 3; ++seed) {
      const Program p = generate_program("all", binding, seed, 3000);
      require_same_run(run_program(general, p), run_program(binding, p));
    }
  }
  // A subclass of the binding's model class (a seeded-bug mutant) takes the general path, and
  // diverges there as it always did.
  for (const char* name : {"seldev.trust_select", "dma.double_fetch", "dma.ignores_abort"}) {
    CAPTURE(name);
    const DeviceBinding& binding = catalog.get(name);
    REQUIRE(binding.lockstep_fast.step != nullptr);  // copied from the device's binding
    REQUIRE_FALSE(Lockstep(binding).runs_model_class_path());
  }
}

TEST_CASE("a divergence on the model class's path is reported as on the general one", "[runner]") {
  // The model is given a state the RTL does not have (IRQ_ENABLE set on the model side only):
  // the first read of IRQ_ENABLE, and the interrupt lines once a flag rises, then differ.
  const Catalog catalog(mutant_catalog());
  for (const char* name : {"seldev", "dma"}) {
    CAPTURE(name);
    const DeviceBinding& binding = catalog.get(name);
    DeviceBinding general = binding;
    general.lockstep_fast = {};
    auto run = [&](const DeviceBinding& b) {
      uint64_t irq_enable = 0;
      for (const Register& reg : b.regmap.registers)
        if (reg.name == "IRQ_ENABLE") irq_enable = reg.offset;
      REQUIRE(irq_enable != 0);
      // Both engines write IRQ_ENABLE, with 0 and with all ones; the second one's model state
      // (at the same edge) goes into the first.
      Lockstep engine(b), probe(b);
      engine.execute(Step::write(irq_enable, 0, 4));
      probe.execute(Step::write(irq_enable, 0xffffffff, 4));
      StateWriter state;
      probe.model().save(state);
      REQUIRE(engine.load_model_state(state.bytes).empty());
      // Random traffic that leaves IRQ_ENABLE alone, then a read of it.
      Program program;
      for (const Step& s : generate_program("random", b, 11, 400))
        if (!(s.kind == StepKind::write && s.addr / 4 == irq_enable / 4) && s.kind != StepKind::reset)
          program.push_back(s);
      program.push_back(Step::read(irq_enable, 4));
      ProgramRun r;
      for (const Step& s : program) {
        if (engine.stopped()) break;
        r.last = engine.execute(s);
        ++r.executed;
      }
      engine.finish();
      r.stats = engine.stats();
      r.divergence = engine.divergence();
      REQUIRE(r.divergence.has_value());
      return r;
    };
    require_same_run(run(general), run(binding));
  }
}

TEST_CASE("a walk that jumps between a model's interrupt events runs as one that stops at every event", "[runner]") {
  // dma's lines move only at a result write-back or a drained read (Device::next_irq_event):
  // lockstep brings it from one such edge to the next at once, making the DMA accesses between
  // as edge by edge. With an observer it stops at every event instead. Long idle gaps over
  // running chains (generated programs, races) and the mutants that change when the lines
  // move must give the same runs, divergences included, both ways.
  const Catalog catalog(mutant_catalog());
  NullObserver observer;  // the walk then stops at every event
  LockstepOptions every_edge;
  every_edge.observer = &observer;
  size_t diverged = 0;
  for (const char* name : {"dma", "dma.one_too_many", "dma.ignores_abort", "dma.double_fetch", "dma.trusts_length"}) {
    CAPTURE(name);
    const DeviceBinding& binding = catalog.get(name);
    REQUIRE(binding.make_model()->irq_events_apart());
    for (const char* strategy : {"all", "race"})
      for (uint64_t seed = 1; seed <= 4; ++seed) {
        CAPTURE(strategy, seed);
        const Program p = generate_program(strategy, binding, seed, 1500);
        const ProgramRun walked = run_program(binding, p, every_edge), jumped = run_program(binding, p);
        require_same_run(walked, jumped);
        diverged += jumped.divergence.has_value();
        if (std::string(name) == "dma") {  // the correct model runs the whole program, moving data
          REQUIRE(jumped.executed == p.size());
          REQUIRE(jumped.stats.dma_accesses > 0);
        }
      }
  }
  REQUIRE(diverged > 0);  // the mutants' divergences were compared too
}
