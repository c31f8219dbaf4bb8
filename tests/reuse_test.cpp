// Reusing a bundled model for another implementation (tandem/reuse.h, tandem_add_device
// MODEL_OF): reset overrides change the map exactly where they say and refuse what the map does
// not have, and the timer's model option changes what its model answers.
#include <catch2/catch.hpp>

#include <tandem/binding.h>
#include <tandem/error.h>
#include <tandem/reuse.h>

namespace tandem {
DeviceBinding describe_timer();
DeviceBinding describe_timer_with(const ModelOptions& options);
}  // namespace tandem

using namespace tandem;

namespace {
const char* const kWhere = "CMakeLists.txt: tandem_add_device(t) RESET_OVERRIDES";

RegisterMap timer_map() { return describe_timer().regmap; }

// The message an override is refused with.
std::string refusal(const std::string& field, const std::string& value) {
  RegisterMap map = timer_map();
  try {
    apply_reset_overrides(map, {{field, value, kWhere}});
  } catch (const Error& e) {
    return e.what();
  }
  return "accepted";
}

uint64_t model_id(const DeviceBinding& b) {
  auto model = b.make_model();
  model->reset(1);
  return model->read(0x0, 4, 2).data;
}
}  // namespace

TEST_CASE("a reset override sets its field's reset and its register's, nothing else", "[reuse]") {
  RegisterMap map = timer_map();
  const Register before = *map.by_name("ID");
  REQUIRE(before.reset == 0x713E0004);
  apply_reset_overrides(map, {{"ID.MAGIC", "0xACE1", kWhere}});
  const Register& id = *map.by_name("ID");
  CHECK(id.reset == 0xACE10004);
  CHECK(id.reset_mask == before.reset_mask);
  for (const Field& f : id.fields) CHECK(*f.reset == (f.name == "MAGIC" ? 0xACE1u : 4u));
  CHECK(map.by_name("INT_ENABLE")->reset == timer_map().by_name("INT_ENABLE")->reset);
}

TEST_CASE("a reset override accepts decimal and the field's full width", "[reuse]") {
  RegisterMap map = timer_map();
  apply_reset_overrides(map, {{"ID.TIMERS", "255", kWhere}, {"INT_ENABLE.IE", "0xF", kWhere}});
  CHECK(map.by_name("ID")->reset == 0x713E00FF);
  CHECK(map.by_name("INT_ENABLE")->reset == 0xF);
}

TEST_CASE("a bad reset override is refused with one line naming the file and the argument", "[reuse]") {
  CHECK(refusal("IDX.MAGIC", "1") ==
        "CMakeLists.txt: tandem_add_device(t) RESET_OVERRIDES IDX.MAGIC=1: the map 'timer' has no register 'IDX'");
  CHECK(refusal("ID.MAGIK", "1") ==
        "CMakeLists.txt: tandem_add_device(t) RESET_OVERRIDES ID.MAGIK=1: register ID has no field 'MAGIK' (its "
        "fields: TIMERS, MAGIC)");
  CHECK(refusal("ID.MAGIC", "0x1ACE1") ==
        "CMakeLists.txt: tandem_add_device(t) RESET_OVERRIDES ID.MAGIC=0x1ACE1: 0x1ACE1 does not fit MAGIC[31:16] "
        "(16 bits)");
  CHECK(refusal("INT_ENABLE.IE", "16") ==
        "CMakeLists.txt: tandem_add_device(t) RESET_OVERRIDES INT_ENABLE.IE=16: 16 does not fit IE[3:0] (4 bits)");
  CHECK(refusal("ID.MAGIC", "12z") ==
        "CMakeLists.txt: tandem_add_device(t) RESET_OVERRIDES ID.MAGIC=12z: '12z' is not a number (decimal or 0x hex)");
  CHECK(refusal("ID.MAGIC", "0x10000000000000000") ==
        "CMakeLists.txt: tandem_add_device(t) RESET_OVERRIDES ID.MAGIC=0x10000000000000000: '0x10000000000000000' is "
        "not a number (decimal or 0x hex)");
  CHECK(refusal("MAGIC", "1") ==
        "CMakeLists.txt: tandem_add_device(t) RESET_OVERRIDES MAGIC=1: expected REGISTER.FIELD=<number>");
}

TEST_CASE("the timer's model option magic sets what ID reads, and without it the bundled ID", "[reuse]") {
  CHECK(model_id(describe_timer_with(ModelOptions({{"magic", "0xACE1", "vendor.toml:3"}}))) == 0xACE10004);
  CHECK(model_id(describe_timer_with(ModelOptions())) == 0x713E0004);
  CHECK(model_id(describe_timer_with(ModelOptions({{"magic", "1", "a"}, {"magic", "2", "b"}}))) == 0x00020004);
}

TEST_CASE("a model option the model lacks, or out of range, is refused naming where it was given", "[reuse]") {
  CHECK_THROWS_WITH(describe_timer_with(ModelOptions({{"magik", "1", "vendor.toml:2"}})),
                    "vendor.toml:2 magik=1: timer's model has no option 'magik' (its options: magic)");
  CHECK_THROWS_WITH(describe_timer_with(ModelOptions({{"magic", "0x10000", "vendor.toml:3"}})),
                    "vendor.toml:3 magic=0x10000: wider than 16 bits");
  CHECK_THROWS_WITH(describe_timer_with(ModelOptions({{"magic", "ace", "vendor.toml:3"}})),
                    "vendor.toml:3 magic=ace: not a number (decimal or 0x hex)");
  CHECK_THROWS_WITH(ModelOptions({{"x", "1", "f:1"}}).check_known("acme", {}),
                    "f:1 x=1: acme's model has no option 'x' (it takes none)");
}
