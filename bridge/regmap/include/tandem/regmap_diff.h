// The semantic difference between two revisions of a register map. Each change is compatible
// (something added, documentation, a test hint) or incompatible (anything the RTL, the model or
// the firmware would have to follow: removed, moved, resized, reset, access, enum values, hints).
#pragma once

#include <string>
#include <vector>

#include "tandem/map_spec.h"

namespace tandem {

enum class ChangeKind : uint8_t {
  register_added,  // compatible
  register_removed,
  register_renamed,  // same offset and fields, another name
  register_moved,    // offset
  register_resized,  // width
  access_width_changed,
  field_added,  // compatible unless its reset is not zero
  field_removed,
  field_renamed,  // same bits, another name
  field_moved,    // lsb (and maybe width)
  field_resized,  // width, same lsb
  reset_changed,
  access_changed,    // the access policy, or hw access (item "hw")
  enum_value_added,  // compatible
  enum_value_removed,
  enum_value_changed,
  doc_changed,        // compatible: name, desc, enum name (item says which)
  property_changed,   // user-defined property (tandem hints): added, removed or changed
  test_hint_changed,  // compatible: donttest / dontcompare
};

const char* change_kind_name(ChangeKind k);  // "field_moved"

struct MapChange {
  ChangeKind kind = ChangeKind::doc_changed;
  std::string reg;        // register name (the new one when it exists there); empty for the map itself
  std::string field;      // empty for a register-level change
  std::string item;       // what within: "desc", "name", an enum value, a property, "hw"; may be empty
  std::string old_value;  // as text ("0x4", "[3:0]", "W1C"); empty when there is none
  std::string new_value;
  bool compatible = false;
  std::string message;  // one readable sentence: "moved: [3:0] -> [7:4]"

  std::string path() const;  // "STATUS.DONE", "STATUS" or "(map)"
};

struct MapDiff {
  std::vector<MapChange> changes;

  size_t incompatible() const;
  bool compatible() const { return incompatible() == 0; }
};

MapDiff diff_maps(const MapSpec& old_map, const MapSpec& new_map);

// For a person: one line per change, then a summary line.
std::string diff_text(const MapDiff& d, const std::string& old_file, const std::string& new_file);

// For scripts:
// {"old": FILE, "new": FILE, "compatible": bool, "incompatible": N, "changes": [
//   {"kind": "field_moved", "register": "STATUS", "field": "DONE" | null, "item": "..." | null,
//    "old": "[3:0]" | null, "new": "[7:4]" | null, "compatible": false, "message": "..."} ]}
std::string diff_json(const MapDiff& d, const std::string& old_file, const std::string& new_file);

}  // namespace tandem
