// The parsed form of a SystemRDL file: component definitions with their property assignments,
// instances, enums and user-defined properties, names already resolved. The elaborator turns it
// into a MapSpec.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tandem/map_spec.h"

namespace tandem::rdl {

enum class CompKind : uint8_t { field, reg, regfile, addrmap };
const char* kind_name(CompKind k);
constexpr unsigned kind_bit(CompKind k) { return 1u << unsigned(k); }

// A property's right-hand side after constant folding.
struct Value {
  enum class Kind : uint8_t { number, boolean, string, word };
  Kind kind = Kind::number;
  uint64_t number = 0;
  bool boolean = false;
  std::string text;  // string contents, or the word (rw, woclr, an enum's name, ...)
  SourceLoc loc;
};

struct EnumDef {
  std::string name;
  std::vector<EnumValueSpec> values;
  SourceLoc loc;
};

struct UserProperty {
  std::string name;
  PropertyValue::Type type = PropertyValue::Type::number;
  unsigned components = 0;  // kind_bit() set
  std::optional<PropertyValue> default_value;
  SourceLoc loc;
};

// `name = value;`, `name;` (value absent) or the same after `default`.
struct PropAssign {
  std::string name;
  std::optional<Value> value;
  const EnumDef* enum_ref = nullptr;  // encode = E
  SourceLoc loc;
};

struct CompDef;

struct Instance {
  const CompDef* def = nullptr;
  std::string name;
  SourceLoc loc;
  std::optional<uint64_t> array;                       // reg/regfile/addrmap: element count
  std::optional<unsigned> width;                       // field: f[4]
  std::optional<std::pair<unsigned, unsigned>> range;  // field: f[msb:lsb]
  std::optional<Value> reset;                          // field: f = v
  std::optional<uint64_t> at;                          // @
  std::optional<uint64_t> stride;                      // +=
  std::optional<uint64_t> align;                       // %=
};

struct CompDef {
  CompKind kind = CompKind::reg;
  std::string name;  // empty for an anonymous definition
  SourceLoc loc;
  std::vector<PropAssign> props;             // assigned in the body, each name once
  std::map<std::string, size_t> prop_index;  // name -> position in props
  // `default` assignments visible where it was defined (shared: most definitions see the same).
  std::shared_ptr<const std::map<std::string, PropAssign>> defaults;
  std::vector<Instance> instances;

  const PropAssign* prop(const std::string& n) const {
    auto it = prop_index.find(n);
    return it == prop_index.end() ? nullptr : &props[it->second];
  }
};

struct Root {
  std::vector<std::unique_ptr<CompDef>> defs;
  std::vector<std::unique_ptr<EnumDef>> enums;
  std::map<std::string, UserProperty> user_properties;
  std::vector<const CompDef*> root_addrmaps;  // named addrmaps defined at the top level
};

// The component kinds a property (built-in or user-defined) applies to; 0 when unknown.
unsigned property_kinds(const Root& root, const std::string& name);

// Parse `text` (tokens from rdl_lexer). Throws Error "FILE:LINE:COL: problem".
Root parse(const std::string& text, const std::string& file);

// Elaborate `top` (or, when empty, the last addrmap defined at the top level) into a MapSpec.
MapSpec elaborate(const Root& root, const std::string& top, const std::string& file);

}  // namespace tandem::rdl
