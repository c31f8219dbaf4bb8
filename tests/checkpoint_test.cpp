// Checkpoint and resume of lockstep runs (RTL through Verilator --savable, model through its
// save()): a run checkpointed halfway and resumed ends exactly like an uninterrupted run.
#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>

#include <tandem/campaign.h>
#include <tandem/checkpoint.h>
#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/report.h>
#include <tandem/snapshot.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {
std::string without_seconds(const RunRecord& r) {
  return std::regex_replace(runs_json({r}), std::regex("\"seconds\": [0-9.e+-]+"), "\"seconds\": 0");
}
}  // namespace

TEST_CASE("a run resumed from its halfway checkpoint ends like the uninterrupted run", "[checkpoint]") {
  for (const DeviceBinding& d : test_catalog().devices()) {
    if (d.name.find('.') != std::string::npos || !d.make_savable_rtl) continue;
    SECTION(d.name) {
      const uint64_t n = 4000;
      const std::string file = "checkpoint_test_" + d.name + ".ckpt";
      const RunRecord whole = run_job(d, Job{d.name, "all", 7, n});
      Job first{d.name, "all", 7, n};
      first.checkpoint = file;
      first.checkpoint_every = n / 2;
      const RunRecord checkpointed = run_job(d, first);
      Job second{d.name, "all", 7, n};
      second.resume = file;
      const RunRecord resumed = run_job(d, second);
      CHECK(without_seconds(checkpointed) == without_seconds(whole));
      CHECK(without_seconds(resumed) == without_seconds(whole));
      const Checkpoint c = decode_checkpoint(read_file_bytes(file), file);
      CHECK(c.step == n / 2);
      CHECK(c.device == d.name);
      std::remove(file.c_str());
    }
  }
}

TEST_CASE("a resumed run that diverges reports the same divergence as the uninterrupted one", "[checkpoint]") {
  // The correct RTL against a mutant model: the divergence lies after the checkpoint.
  const DeviceBinding& d = test_catalog().get("seldev.irq_late");
  const RunRecord whole = run_job(d, Job{d.name, "all", 1, 2000});
  REQUIRE(whole.divergence);
  const uint64_t at = whole.divergence->step / 2;
  REQUIRE(at > 0);
  Job first{d.name, "all", 1, at + 1};
  first.checkpoint = "checkpoint_test_mutant.ckpt";
  first.checkpoint_every = at;
  run_job(d, first);
  Job second{d.name, "all", 1, 2000};
  second.resume = first.checkpoint;
  const RunRecord resumed = run_job(d, second);
  CHECK(without_seconds(resumed) == without_seconds(whole));
  std::remove(first.checkpoint.c_str());
}

TEST_CASE("checkpoints of another device or build, or damaged ones, are refused naming the file", "[checkpoint]") {
  const DeviceBinding& seldev = test_catalog().get("seldev");
  if (!seldev.make_savable_rtl) return;
  Job first{"seldev", "all", 3, 1000};
  first.checkpoint = "checkpoint_test_refused.ckpt";
  first.checkpoint_every = 500;
  run_job(seldev, first);
  const std::vector<uint8_t> good = read_file_bytes(first.checkpoint);
  const Checkpoint c = decode_checkpoint(good, "f.ckpt");
  CHECK_THROWS_WITH(check_checkpoint(c, test_catalog().get("timer"), "f.ckpt"),
                    "f.ckpt: checkpoint of device 'seldev', not 'timer'");
  DeviceBinding other = seldev;
  other.build_id = "0123456789abcdef";
  CHECK_THROWS_WITH(check_checkpoint(c, other, "f.ckpt"),
                    Catch::StartsWith("f.ckpt: checkpoint from another build of 'seldev' (build ") &&
                        Catch::EndsWith(", this build 0123456789abcdef)"));
  std::vector<uint8_t> bad = good;
  bad[bad.size() / 2] ^= 1;
  CHECK_THROWS_WITH(decode_checkpoint(bad, "f.ckpt"), Catch::StartsWith("f.ckpt: checksum mismatch"));
  bad = good;
  bad[0] = 'X';
  CHECK_THROWS_WITH(decode_checkpoint(bad, "f.ckpt"), "f.ckpt: not a tandem checkpoint (bad magic)");
  Job wrong_seed{"seldev", "all", 4, 1000};
  wrong_seed.resume = first.checkpoint;
  CHECK_THROWS_AS(run_job(seldev, wrong_seed), Error);
  std::remove(first.checkpoint.c_str());
}
