// `regmap diff`: a corpus of one-edit revisions (tests/data/regmaps/diff), each reported as the
// change it is, compatible or not; the cross-format diff; the text and JSON reports.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <tandem/files.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem/regmap_diff.h>
#include <tandem/svd.h>

using namespace tandem;

namespace {

const std::string kDiffData = std::string(TANDEM_SOURCE_DIR) + "/tests/data/regmaps/diff/";
const std::string kData = std::string(TANDEM_SOURCE_DIR) + "/tests/data/regmaps/";

MapDiff diff_against_base(const std::string& edit) {
  return diff_maps(load_map_spec(kDiffData + "base.rdl"), load_map_spec(kDiffData + edit + ".rdl"));
}

}  // namespace

TEST_CASE("diff: each edit of the corpus is the one change it is", "[diff]") {
  struct Case {
    const char* edit;
    ChangeKind kind;
    const char* path;
    const char* old_value;
    const char* new_value;
    bool compatible;
  };
  const Case cases[] = {
      {"register_added", ChangeKind::register_added, "NEWREG", "", "0x10", true},
      {"register_removed", ChangeKind::register_removed, "DATA", "0xc", "", false},
      {"register_moved", ChangeKind::register_moved, "DATA", "0xc", "0x10", false},
      {"register_renamed", ChangeKind::register_renamed, "PAYLOAD", "DATA", "PAYLOAD", false},
      {"access_width_changed", ChangeKind::access_width_changed, "CTRL", "32", "16", false},
      {"field_added", ChangeKind::field_added, "CTRL.NEW", "", "[5]", true},
      {"field_added_with_reset", ChangeKind::field_added, "CTRL.NEW", "", "[5]", false},
      {"field_removed", ChangeKind::field_removed, "STATUS.ERR", "[1]", "", false},
      {"field_moved", ChangeKind::field_moved, "CTRL.EN", "[4]", "[5]", false},
      {"field_resized", ChangeKind::field_resized, "CTRL.LEVEL", "[11:8]", "[12:8]", false},
      {"field_renamed", ChangeKind::field_renamed, "CTRL.ENABLE", "EN", "ENABLE", false},
      {"reset_changed", ChangeKind::reset_changed, "CTRL.LEVEL", "0x3", "0x4", false},
      {"access_changed", ChangeKind::access_changed, "STATUS.DONE", "W1C", "RW", false},
      {"hw_changed", ChangeKind::access_changed, "STATUS.DONE", "rw", "w", false},
      {"enum_value_added", ChangeKind::enum_value_added, "CTRL.MODE", "", "0x3", true},
      {"enum_value_removed", ChangeKind::enum_value_removed, "CTRL.MODE", "0x2", "", false},
      {"enum_value_changed", ChangeKind::enum_value_changed, "CTRL.MODE", "0x2", "0x3", false},
      {"property_changed", ChangeKind::property_changed, "SELECT", "0x4", "0x8", false},
      {"test_hint_changed", ChangeKind::test_hint_changed, "DATA.VALUE", "0x0", "0xffffffff", true},
  };
  for (const Case& c : cases) {
    INFO(c.edit);
    const MapDiff d = diff_against_base(c.edit);
    REQUIRE(d.changes.size() == 1);
    const MapChange& change = d.changes[0];
    CHECK(change.kind == c.kind);
    CHECK(change.path() == c.path);
    CHECK(change.old_value == c.old_value);
    CHECK(change.new_value == c.new_value);
    CHECK(change.compatible == c.compatible);
    CHECK(d.compatible() == c.compatible);
  }
}

TEST_CASE("diff: documentation changes are compatible and say what changed", "[diff]") {
  const MapDiff d = diff_against_base("doc_changed");
  REQUIRE(d.changes.size() == 2);
  CHECK(d.changes[0].kind == ChangeKind::doc_changed);
  CHECK(d.changes[0].path() == "CTRL");
  CHECK(d.changes[0].item == "desc");
  CHECK(d.changes[0].message == "description changed");
  CHECK(d.changes[1].path() == "CTRL.EN");
  CHECK(d.changes[1].message == "name changed: '' -> 'Enable'");
  CHECK(d.compatible());
}

TEST_CASE("diff: a resized register reports the register and its field", "[diff]") {
  const MapDiff d = diff_against_base("register_resized");
  REQUIRE(d.changes.size() == 2);
  CHECK(d.changes[0].kind == ChangeKind::register_resized);
  CHECK(d.changes[0].message == "register width 32 -> 16 bits");
  CHECK(d.changes[1].kind == ChangeKind::field_resized);
  CHECK(d.changes[1].path() == "DATA.VALUE");
  CHECK_FALSE(d.compatible());
}

TEST_CASE("diff: a map against itself has no changes", "[diff]") {
  const MapSpec base = load_map_spec(kDiffData + "base.rdl");
  CHECK(diff_maps(base, base).changes.empty());
  const MapSpec demo = load_map_spec(kData + "demo.svd");
  CHECK(diff_maps(demo, demo).changes.empty());
}

TEST_CASE("diff: seldev in SystemRDL and in SVD differ only in what SVD cannot say", "[diff]") {
  const MapSpec rdl = load_rdl(std::string(TANDEM_SOURCE_DIR) + "/devices/seldev/seldev.rdl");
  const MapSpec svd = load_svd(kData + "seldev.svd");
  const MapDiff d = diff_maps(rdl, svd);
  // hw access and user-defined properties exist only in SystemRDL: not compared across formats.
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].kind == ChangeKind::doc_changed);
  CHECK(d.changes[0].path() == "(map)");
  CHECK(d.compatible());
}

TEST_CASE("diff: an SVD revision against another", "[diff]") {
  const std::string text = read_text_file(kData + "seldev.svd");
  std::string moved = text;
  const std::string from = "<name>ERR_IE</name><description>error interrupt enable</description><bitRange>[8:8]";
  REQUIRE(moved.find(from) != std::string::npos);
  moved.replace(moved.find(from), from.size(),
                "<name>ERR_IE</name><description>error interrupt enable</description><bitRange>[9:9]");
  const MapDiff d = diff_maps(parse_svd(text, "old.svd"), parse_svd(moved, "new.svd"));
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].message == "field moved: [8] -> [9]");
  CHECK(d.changes[0].path() == "IRQ_ENABLE.ERR_IE");
}

TEST_CASE("diff: the text report lists each change and a summary", "[diff]") {
  const MapDiff d = diff_maps(load_map_spec(kDiffData + "base.rdl"), load_map_spec(kDiffData + "field_moved.rdl"));
  CHECK(diff_text(d, "old.rdl", "new.rdl") ==
        "regmap diff old.rdl -> new.rdl\n"
        "  INCOMPATIBLE  CTRL.EN  field moved: [4] -> [5]\n"
        "1 change: 1 incompatible, 0 compatible\n");
  CHECK(diff_text(MapDiff{}, "a", "b") == "regmap diff a -> b\nno changes\n");
}

TEST_CASE("diff: the JSON report has the documented shape", "[diff]") {
  const MapDiff d = diff_against_base("register_added");
  const nlohmann::json j = nlohmann::json::parse(diff_json(d, "old.rdl", "new.rdl"));
  CHECK(j["old"] == "old.rdl");
  CHECK(j["new"] == "new.rdl");
  CHECK(j["compatible"] == true);
  CHECK(j["incompatible"] == 0);
  REQUIRE(j["changes"].size() == 1);
  const nlohmann::json& c = j["changes"][0];
  CHECK(c["kind"] == "register_added");
  CHECK(c["register"] == "NEWREG");
  CHECK(c["field"].is_null());
  CHECK(c["item"].is_null());
  CHECK(c["old"].is_null());
  CHECK(c["new"] == "0x10");
  CHECK(c["compatible"] == true);
  CHECK(c["message"] == "register added at 0x10");
}
