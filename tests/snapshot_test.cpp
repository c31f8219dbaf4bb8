// Snapshot files: round trip, and every way a crafted or damaged file is refused.
#include <catch2/catch.hpp>

#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/snapshot.h>
#include <tandem/stimulus.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {
// A seldev model after some random traffic, as a snapshot file's bytes.
std::vector<uint8_t> seldev_snapshot_bytes() {
  const DeviceBinding& b = test_catalog().get("seldev");
  ModelExecutor model(b);
  for (const Step& s : generate_program("random", b, 5, 500)) model.execute(s);
  return encode_snapshot(take_snapshot(b, model.model()));
}
}  // namespace

TEST_CASE("a snapshot round-trips through its encoding", "[snapshot]") {
  const std::vector<uint8_t> bytes = seldev_snapshot_bytes();
  const Snapshot s = decode_snapshot(bytes, "mem");
  CHECK(s.device == "seldev");
  CHECK(s.regmap_hash == regmap_hash(test_catalog().get("seldev").regmap));
  CHECK(encode_snapshot(s) == bytes);
  auto fresh = test_catalog().get("seldev").make_model();
  CHECK(restore_snapshot(test_catalog().get("seldev"), s, *fresh).empty());
}

TEST_CASE("damaged snapshot files are refused with the byte that is wrong", "[snapshot]") {
  const std::vector<uint8_t> good = seldev_snapshot_bytes();
  std::vector<uint8_t> b = good;
  b[0] = 'X';
  CHECK_THROWS_WITH(decode_snapshot(b, "f.snap"), "f.snap: not a tandem snapshot (bad magic)");
  b = good;
  b.resize(20);
  CHECK_THROWS_WITH(decode_snapshot(b, "f.snap"), Catch::StartsWith("f.snap: truncated"));
  b = good;
  b[8] = 3;
  CHECK_THROWS_WITH(decode_snapshot(b, "f.snap"), Catch::Contains("format version 3 (this build reads 1 to 2)"));
  b = good;
  b[b.size() - 12] ^= 1;  // a state byte
  CHECK_THROWS_WITH(decode_snapshot(b, "f.snap"), Catch::Contains("checksum mismatch"));
  b = good;
  b.push_back(0);
  CHECK_THROWS_WITH(decode_snapshot(b, "f.snap"), Catch::Contains("trailing bytes"));
  CHECK_THROWS_AS(decode_snapshot({}, "empty"), Error);
}

TEST_CASE("a snapshot of another device or another register map is refused", "[snapshot]") {
  Snapshot s = decode_snapshot(seldev_snapshot_bytes(), "mem");
  auto model = test_catalog().get("seldev").make_model();
  Snapshot other = s;
  other.device = "timer";
  CHECK(restore_snapshot(test_catalog().get("seldev"), other, *model) == "snapshot is of device 'timer', not 'seldev'");
  other = s;
  other.regmap_hash ^= 1;
  CHECK_THAT(restore_snapshot(test_catalog().get("seldev"), other, *model),
             Catch::StartsWith("snapshot was taken under another register map"));
}

TEST_CASE("unwritable and unreadable paths are errors naming the path", "[snapshot]") {
  CHECK_THROWS_WITH(read_file_bytes("/nonexistent/x.snap"),
                    "/nonexistent/x.snap: cannot read: No such file or directory");
  CHECK_THROWS_WITH(write_file_bytes("/nonexistent/x.snap", {1}),
                    "/nonexistent/x.snap: cannot write: No such file or directory");
}

TEST_CASE("continuity: every bundled model survives save and restore into a fresh instance", "[snapshot]") {
  // Every 1 to 200 steps (seeded), the model is saved, restored into a new instance and the
  // run continues on that one; 10^5 steps per device, zero divergences.
  for (const DeviceBinding& d : test_catalog().devices()) {
    if (d.name.find('.') != std::string::npos) continue;  // mutants
    SECTION(d.name) {
      std::unique_ptr<Stimulus> stimulus = make_stimulus("all", d, 11);
      Lockstep engine(d);
      Rng rng(11);
      uint64_t next_migration = 1 + rng.below(200), migrations = 0;
      for (uint64_t i = 0; i < 100000 && !engine.diverged(); ++i) {
        engine.execute(stimulus->next());
        if (i + 1 == next_migration) {
          CHECK(engine.migrate_model());
          ++migrations;
          next_migration += 1 + rng.below(200);
        }
      }
      engine.finish();
      INFO(d.name << ": " << (engine.divergence() ? engine.divergence()->detail : ""));
      CHECK_FALSE(engine.diverged());
      CHECK(migrations > 400);
    }
  }
}
