// Coverage steering: every bin a bundled device's coverage defines has an aim, the sure aims
// hit their bins, a steered stream is as deterministic as the strategy's own, and a bug behind a
// rarely hit bin is found sooner steered than not.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include <tandem/campaign.h>
#include <tandem/coverage.h>
#include <tandem/error.h>
#include <tandem/steer.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

// The coverage of one run of `job` on `binding`.
DeviceCoverage covered_by(const DeviceBinding& binding, const Job& job) {
  CoverageCollector collector(binding);
  collector.begin_run();
  LockstepOptions options;
  options.observer = &collector;
  run_job(binding, job, options);
  return collector.coverage();
}

uint64_t hits_of(const DeviceCoverage& c, const std::string& group, const std::string& bin) {
  for (const CoverageBin& b : c.bins)
    if (b.group == group && b.name == bin) return b.hits;
  FAIL("no bin " << group << ": " << bin);
  return 0;
}

uint64_t median(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string fingerprint(const Program& p) {
  std::string s;
  for (const Step& step : p)
    s += std::to_string(int(step.kind)) + ":" + std::to_string(step.addr) + "=" + std::to_string(step.data) + "/" +
         std::to_string(step.size) + ";";
  return s;
}

}  // namespace

TEST_CASE("every bin of each bundled device's coverage has an aim but the event-coincidence ones", "[steer]") {
  for (const char* name : {"seldev", "dma", "uart16550", "timer"}) {
    const DeviceBinding& b = test_catalog().get(name);
    const DeviceCoverage plan = coverage_plan(b);
    size_t coincidence = 0;
    for (const CoverageBin& bin : plan.bins) coincidence += bin.name.find("an output edge") != std::string::npos;
    const Steering s = steering_toward(b, plan);
    CHECK(s.unhit == plan.bins.size());
    CHECK(s.aims.size() == plan.bins.size() - coincidence);
    REQUIRE(s.unaimed.size() == coincidence);
    for (const std::string& bin : s.unaimed) {
      INFO(name << ": not aimed: " << bin);
      CHECK(bin.find("an output edge") != std::string::npos);
    }
  }
}

TEST_CASE("a bin already hit gets no aim, and the aims name the bins not hit", "[steer]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  DeviceCoverage c = coverage_plan(b);
  for (CoverageBin& bin : c.bins) bin.hits = 1;
  CHECK(steering_toward(b, c).aims.empty());
  for (CoverageBin& bin : c.bins)
    if (bin.group == "UNIT_SELECT" && bin.name == "select 5 (count + 1)") bin.hits = 0;
  const Steering s = steering_toward(b, c);
  REQUIRE(s.aims.size() == 1);
  CHECK(s.aims[0].kind == AimKind::select);
  CHECK(s.aims[0].value == 5);
  CHECK(s.aims[0].sure);
}

TEST_CASE("steering refuses the coverage of another build of the map", "[steer]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  DeviceCoverage renamed = coverage_plan(b);
  renamed.bins[3].name = "no such bin";
  CHECK_THROWS_WITH(steering_toward(b, renamed), Catch::Contains("bin 3") && Catch::Contains("another build"));
  DeviceCoverage shorter = coverage_plan(b);
  shorter.bins.pop_back();
  CHECK_THROWS_AS(steering_toward(b, shorter), Error);
}

TEST_CASE("a steered stream is the same for the same seed and coverage, and the strategy's own without aims",
          "[steer]") {
  const DeviceBinding& b = test_catalog().get("dma");
  const DeviceCoverage earlier = covered_by(b, Job{"dma", "all", 100, 500});
  Job steered{"dma", "all", 3, 2000};
  steered.steering = std::make_shared<const Steering>(steering_toward(b, earlier));
  REQUIRE(!steered.steering->aims.empty());
  const std::string once = fingerprint(job_program(b, steered, 2000));
  CHECK(once == fingerprint(job_program(b, steered, 2000)));
  CHECK(once != fingerprint(generate_program("all", b, 3, 2000)));
  DeviceCoverage all_hit = earlier;
  for (CoverageBin& bin : all_hit.bins) bin.hits = 1;
  Job unsteered = steered;
  unsteered.steering = std::make_shared<const Steering>(steering_toward(b, all_hit));
  CHECK(fingerprint(job_program(b, unsteered, 2000)) == fingerprint(generate_program("all", b, 3, 2000)));
}

TEST_CASE("steered, every sure aim hits its bin within 1,000 steps", "[steer]") {
  for (const char* name : {"seldev", "dma", "timer"}) {
    const DeviceBinding& b = test_catalog().get(name);
    const DeviceCoverage earlier = covered_by(b, Job{name, "all", 1, 1000});
    Job next{name, "all", 2, 1000};
    next.steering = std::make_shared<const Steering>(steering_toward(b, earlier));
    const DeviceCoverage after = covered_by(b, next);
    size_t sure = 0;
    for (const SteerAim& a : next.steering->aims) {
      if (!a.sure) continue;
      ++sure;
      INFO(name << ": " << a.group << ": " << a.bin);
      CHECK(hits_of(after, a.group, a.bin) > 0);
    }
    CHECK(sure > 0);
  }
}

// dma.max_desc_wraps reads MAX_DESC back as 0 once COUNT is 255: only a read of MAX_DESC after
// all ones were written to it shows it, which `all` does a few times in 20,000 steps. Steered by
// the coverage of a 500-step run of the correct device (whose steps count against it), the
// campaign reaches that bin on purpose.
TEST_CASE("a bug behind a rarely hit bin is found in fewer steps with coverage steering than without", "[steer]") {
  const DeviceBinding& correct = test_catalog().get("dma");
  const DeviceBinding& mutant = test_catalog().get("dma.max_desc_wraps");
  constexpr uint64_t kEarlierSteps = 500;
  const DeviceCoverage earlier = covered_by(correct, Job{"dma", "all", 100, kEarlierSteps});
  REQUIRE(hits_of(earlier, "MAX_DESC", "read after all ones written") == 0);
  const auto steering = std::make_shared<const Steering>(steering_toward(correct, earlier));

  std::vector<uint64_t> plain, steered;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Job job{mutant.name, "all", seed, 20000};
    const RunRecord without = run_job(mutant, job);
    job.steering = steering;
    const RunRecord with = run_job(mutant, job);
    INFO("seed " << seed);
    REQUIRE(without.divergence);
    REQUIRE(with.divergence);
    CHECK(with.divergence->reg == "MAX_DESC");
    CHECK(with.divergence->kind == DivergenceKind::read_data);
    plain.push_back(without.divergence->step + 1);
    steered.push_back(kEarlierSteps + with.divergence->step + 1);
  }
  INFO("steps to the divergence, median of seeds 1-5: unsteered " << median(plain) << ", steered " << median(steered)
                                                                  << " (500 of them the earlier run's)");
  CHECK(median(steered) < median(plain));
  CHECK(*std::max_element(steered.begin(), steered.end()) < median(plain));
}
