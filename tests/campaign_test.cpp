// Campaigns as teams run them: bounded RTL time, time budgets, stop requests, checkpoints at
// the end, jobs on threads, long idle gaps in chunks for a progress display.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <regex>
#include <thread>

#include <tandem/campaign.h>
#include <tandem/checkpoint.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/fuzz_decode.h>
#include <tandem/program_run.h>
#include <tandem/report.h>
#include <tandem/stimulus.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

std::string without_seconds(const std::vector<RunRecord>& runs) {
  return std::regex_replace(runs_json(runs), std::regex("\"seconds\": [0-9.e+-]+"), "\"seconds\": 0");
}

Program generated(const DeviceBinding& d, uint64_t seed, size_t n) {
  std::unique_ptr<Stimulus> s = make_stimulus("all", d, seed);
  Program p;
  for (size_t i = 0; i < n; ++i) p.push_back(s->next());
  return p;
}

// Same outcome: statistics, and the divergence's kind, step, cycle, register and values.
void check_same_outcome(const ProgramRun& a, const ProgramRun& b) {
  CHECK(a.stats.steps == b.stats.steps);
  CHECK(a.stats.cycles == b.stats.cycles);
  CHECK(a.stats.reads == b.stats.reads);
  CHECK(a.stats.writes == b.stats.writes);
  CHECK(a.stats.irq_checks == b.stats.irq_checks);
  CHECK(a.stats.dma_accesses == b.stats.dma_accesses);
  REQUIRE(a.divergence.has_value() == b.divergence.has_value());
  if (a.divergence) {
    CHECK(a.divergence->kind == b.divergence->kind);
    CHECK(a.divergence->step == b.divergence->step);
    CHECK(a.divergence->cycle == b.divergence->cycle);
    CHECK(a.divergence->reg == b.divergence->reg);
    CHECK(a.divergence->rtl == b.divergence->rtl);
    CHECK(a.divergence->model == b.divergence->model);
  }
}

}  // namespace

TEST_CASE("an idle gap that would pass the cycle budget is refused before any of its cycles run", "[campaign]") {
  const DeviceBinding& d = test_catalog().get("seldev");
  LockstepOptions o;
  o.max_cycles = 1000;
  Lockstep engine(d, o);
  engine.execute(Step::idle(500));
  const Cycle before = engine.now();
  try {
    engine.execute(Step::idle(1000000000000));
    FAIL("the gap was run");
  } catch (const CycleBudgetError& e) {
    CHECK(e.step == 1);
    CHECK(e.now == before);
    CHECK(e.budget == 1000);
    CHECK(std::string(e.what()) ==
          fmt::format("step 1: 1000000000000 cycles from cycle {} would pass the budget of 1000 RTL cycles "
                      "(--max-cycles)",
                      before));
  }
  CHECK(engine.now() == before);  // not one edge of it ran
}

TEST_CASE("a reset that would pass the cycle budget is refused too", "[campaign]") {
  const DeviceBinding& d = test_catalog().get("seldev");
  LockstepOptions o;
  o.max_cycles = 100;
  Lockstep engine(d, o);
  engine.execute(Step::idle(100 - engine.now()));
  CHECK_THROWS_AS(engine.execute(Step::reset()), CycleBudgetError);
}

TEST_CASE("a program's cycle demand is bounded below before it runs, at the step that passes the budget",
          "[campaign]") {
  const DeviceBinding& d = test_catalog().get("seldev");  // 2 reset cycles, 2 edges per APB transfer
  const Program p = {Step::write(0xc, 1), Step::idle(100), Step::read(0x0), Step::idle(1000000000000)};
  CHECK(min_cycles(p[0], d) == 2);
  CHECK(min_cycles(p[1], d) == 100);
  CHECK(min_cycles(Step::read(0x0, 8), d) == 4);  // two beats on a 32-bit bus
  CHECK_FALSE(first_step_over_budget(p, d, 0));   // 0: no budget
  const std::optional<BudgetOverrun> o = first_step_over_budget(p, d, 1000000);
  REQUIRE(o);
  CHECK(o->step == 3);
  CHECK(o->cycles == 2 + 2 + 100 + 2 + 1000000000000);
  CHECK(first_step_over_budget(p, d, 105)->step == 2);
  CHECK_FALSE(first_step_over_budget(Program(p.begin(), p.begin() + 3), d, 106));
}

TEST_CASE("the fuzz decoder cuts an input before the step that passes the cycle budget", "[campaign][fuzz]") {
  const DeviceBinding& d = test_catalog().get("timer");
  // Idle commands of the longest gap the decoder makes (value 0xff.. modulo the idle range).
  std::string input;
  for (int i = 0; i < 64; ++i) {
    if (i > 0) input += kFuzzSeparator;
    input += std::string(1, static_cast<char>(FuzzOp::idle)) + std::string(3, '\0') + std::string(8, '\xff');
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(input.data());
  const Program whole = decode_fuzz_input(bytes, input.size(), d);
  REQUIRE(whole.size() == 64);
  FuzzDecodeOptions o;
  o.max_cycles = 5 * whole[0].data;
  const Program cut = decode_fuzz_input(bytes, input.size(), d, o);
  CHECK(cut.size() == 4);  // the reset's cycles and four gaps fit, a fifth would not
  CHECK_FALSE(first_step_over_budget(cut, d, o.max_cycles));
}

TEST_CASE("a long idle gap run in chunks for a progress display gives the same run", "[campaign]") {
  const uint64_t gap = 3 * IdleProgress::kIdleChunk + 17;
  // Where the gap goes: for the mutant, just before the step its late compare match is seen
  // at, so the divergence falls inside the gap (in its first chunk).
  for (const auto& [name, at] :
       {std::pair<const char*, size_t>{"timer", 60}, {"uart16550", 60}, {"timer.compare_off_by_one", 0}}) {
    SECTION(name) {
      const DeviceBinding& d = test_catalog().get(name);
      Program p = generated(d, 3, 400);
      size_t where = at;
      if (where == 0) {
        const ProgramRun before = run_program(d, p);
        REQUIRE(before.divergence);
        where = before.divergence->step;
      }
      p.insert(p.begin() + static_cast<std::ptrdiff_t>(where), Step::idle(gap));
      const ProgramRun plain = run_program(d, p);
      IdleProgress progress;
      LockstepOptions o;
      o.idle_progress = &progress;
      const ProgramRun chunked = run_program(d, p, o);
      check_same_outcome(plain, chunked);
      CHECK(plain.step_cycles == chunked.step_cycles);
      CHECK(progress.total.load() == 0);  // no gap running any more
      CHECK(progress.done.load() == gap);
      if (at == 0) {
        REQUIRE(plain.divergence);
        CHECK(plain.divergence->step == where);
      }
    }
  }
}

TEST_CASE("a job with a time budget ends at a step boundary after it and reports the steps reached", "[campaign]") {
  const DeviceBinding& d = test_catalog().get("seldev");
  Job job{d.name, "all", 1, kUnlimitedSteps};
  job.seconds = 0.2;
  const RunRecord r = run_job(d, job);
  CHECK(r.clean());
  CHECK_FALSE(r.interrupted);
  CHECK(r.stats.steps > 0);
  CHECK(r.seconds >= 0.2);
  // The steps it reached are a run of their own: the same numbers.
  const RunRecord again = run_job(d, Job{d.name, "all", 1, r.stats.steps});
  CHECK(again.stats.cycles == r.stats.cycles);
  CHECK(again.stats.reads == r.stats.reads);
}

TEST_CASE("a stop request ends a job at the next step boundary, marked interrupted, like a shorter run", "[campaign]") {
  const DeviceBinding& d = test_catalog().get("seldev");
  std::atomic<int> stop{0};
  CampaignControl control;
  control.stop = &stop;
  std::thread requester([&] {
    while (control.steps.load() < 2000) std::this_thread::yield();
    stop = 2;  // as SIGINT's handler does
  });
  const RunRecord r = run_job(d, Job{d.name, "all", 1, kUnlimitedSteps}, {}, &control);
  requester.join();
  CHECK(r.interrupted);
  CHECK(r.stats.steps >= 2000);
  CHECK(control.steps.load() == r.stats.steps);
  RunRecord shorter = run_job(d, Job{d.name, "all", 1, r.stats.steps});
  shorter.interrupted = true;
  shorter.job.steps = kUnlimitedSteps;
  CHECK(without_seconds({shorter}) == without_seconds({r}));
}

TEST_CASE("a checkpointed run shorter than checkpoint_every leaves its checkpoint at the end", "[campaign]") {
  const DeviceBinding& d = test_catalog().get("seldev");
  const std::string file = "campaign_test_short.ckpt";
  std::remove(file.c_str());
  Job first{d.name, "all", 4, 700};
  first.checkpoint = file;
  first.checkpoint_every = 100000;
  run_job(d, first);
  const Checkpoint c = decode_checkpoint(read_file_bytes(file), file);
  CHECK(c.step == 700);
  Job second{d.name, "all", 4, 1500};
  second.resume = file;
  CHECK(without_seconds({run_job(d, second)}) == without_seconds({run_job(d, Job{d.name, "all", 4, 1500})}));
  std::remove(file.c_str());
}

TEST_CASE("a campaign on three threads gives the records of one thread, in job order", "[campaign]") {
  std::vector<Job> jobs;
  for (const char* name : {"seldev", "timer", "dma", "seldev.irq_late", "uart16550"})
    for (uint64_t seed : {1, 2}) jobs.push_back(Job{name, "all", seed, 1500});
  for (size_t i = 0; i < jobs.size(); ++i) jobs[i].index = i;
  CampaignControl one(1), three(3);
  std::vector<size_t> order;
  CampaignHooks hooks;
  hooks.done = [&](const RunRecord& r) { order.push_back(r.job.index); };
  const CampaignResult a = run_campaign(test_catalog(), jobs, one);
  const CampaignResult b = run_campaign(test_catalog(), jobs, three, hooks);
  CHECK(without_seconds(a.runs) == without_seconds(b.runs));
  CHECK(order == std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(three.jobs_done.load() == 10);
  CHECK(three.divergences.load() == 2);  // seldev.irq_late, both seeds
  CHECK_FALSE(b.interrupted);
}

TEST_CASE("a campaign stopped before it starts runs no job and says it was interrupted", "[campaign]") {
  std::atomic<int> stop{15};
  CampaignControl control(2);
  control.stop = &stop;
  const CampaignResult r =
      run_campaign(test_catalog(), {Job{"seldev", "all", 1, 100}, Job{"timer", "all", 1, 100}}, control);
  CHECK(r.runs.empty());
  CHECK(r.interrupted);
}

TEST_CASE("a campaign whose job passes the cycle budget fails naming the job", "[campaign]") {
  Job job{"timer", "all", 1, 100000};
  job.max_cycles = 2000;
  CampaignControl control(2);
  try {
    run_campaign(test_catalog(), {Job{"seldev", "all", 1, 100}, job}, control);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("timer strategy all seed 1: step "));
    CHECK_THAT(e.what(), Catch::Contains("budget of 2000 RTL cycles (--max-cycles)"));
  }
}
