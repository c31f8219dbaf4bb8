// Same seed, same program, same result, bit for bit.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <tandem/campaign.h>
#include <tandem/report.h>
#include <tandem/stimulus.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {
nlohmann::json run_without_timing(const std::string& device, uint64_t seed, uint64_t steps) {
  std::vector<RunRecord> runs{run_job(test_catalog().get(device), Job{device, "all", seed, steps})};
  nlohmann::json j = nlohmann::json::parse(runs_json(runs));
  for (auto& r : j["runs"]) r.erase("seconds");
  return j;
}
}  // namespace

TEST_CASE("the same seed twice gives identical JSON apart from timing", "[determinism]") {
  const nlohmann::json a = run_without_timing("seldev", 7, 20000);
  const nlohmann::json b = run_without_timing("seldev", 7, 20000);
  CHECK(a.dump() == b.dump());
  CHECK(a["runs"][0]["steps"] == 20000);
}

TEST_CASE("a divergence is reproduced identically too", "[determinism]") {
  const nlohmann::json a = run_without_timing("seldev.wrong_reset", 3, 10000);
  const nlohmann::json b = run_without_timing("seldev.wrong_reset", 3, 10000);
  REQUIRE_FALSE(a["runs"][0]["divergence"].is_null());
  CHECK(a.dump() == b.dump());
}

TEST_CASE("different seeds give different programs", "[determinism]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  const Program p1 = generate_program("random", b, 1, 100);
  const Program p2 = generate_program("random", b, 2, 100);
  std::string t1, t2;
  for (const Step& s : p1) t1 += format_step(s) + "\n";
  for (const Step& s : p2) t2 += format_step(s) + "\n";
  CHECK(t1 != t2);
  std::string t1again;
  for (const Step& s : generate_program("random", b, 1, 100)) t1again += format_step(s) + "\n";
  CHECK(t1 == t1again);
}
