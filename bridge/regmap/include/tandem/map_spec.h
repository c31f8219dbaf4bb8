// A register map as its description states it (SystemRDL or CMSIS-SVD), elaborated: every
// register at its byte offset with its fields, access triples, resets, enums and tandem's hints.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/field_access.h"
#include "tandem/regmap.h"

namespace tandem {

// Where a construct was written: "file:line:column" (column 0: the format gives none).
struct SourceLoc {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;

  std::string str() const;
};

// What hardware may do with a field (SystemRDL `hw`); kept for hints, not part of the policy.
enum class HwAccess : uint8_t { rw, r, w, na };
const char* hw_name(HwAccess h);

// A value of a user-defined property (SystemRDL `property`): tandem's hints live here.
struct PropertyValue {
  enum class Type : uint8_t { number, boolean, string };
  Type type = Type::number;
  uint64_t number = 0;
  bool boolean = false;
  std::string text;

  static PropertyValue of_number(uint64_t n);
  static PropertyValue of_boolean(bool b);
  static PropertyValue of_string(std::string s);
  std::string str() const;  // "4", "true", "\"text\""
  bool operator==(const PropertyValue& o) const;
  bool operator!=(const PropertyValue& o) const { return !(*this == o); }
};

using Properties = std::map<std::string, PropertyValue>;

struct EnumValueSpec {
  std::string name;
  uint64_t value = 0;
  std::string display_name;
  std::string desc;
};

struct FieldSpec {
  std::string name;
  unsigned lsb = 0;
  unsigned width = 1;
  AccessTriple access;
  AccessPolicy policy = AccessPolicy::rw;  // classify(access), always defined
  std::optional<HwAccess> hw;              // nullopt: the format does not say (SVD)
  std::optional<uint64_t> reset;           // nullopt: the description leaves it undefined
  std::string display_name;                // SystemRDL `name`
  std::string desc;
  std::string enum_name;  // SystemRDL `encode` / SVD enumeratedValues name
  std::vector<EnumValueSpec> enum_values;
  uint64_t donttest = 0;     // bits of the field (bit 0 = its lsb) register tests skip
  uint64_t dontcompare = 0;  // bits whose read data tests do not compare
  Properties properties;     // user-defined
  SourceLoc loc;

  uint64_t mask() const;  // the field's bits within its register
  unsigned msb() const { return lsb + width - 1; }
};

struct RegisterSpec {
  std::string name;  // path below the map: "CTRL", "CH[2]", "rf[1].CTRL"
  uint64_t offset = 0;
  unsigned width = 32;         // bits
  unsigned access_width = 32;  // bits
  std::string display_name;
  std::string desc;
  std::vector<FieldSpec> fields;  // ascending lsb, never overlapping
  Properties properties;          // user-defined
  SourceLoc loc;

  uint64_t bytes() const { return width / 8; }
  uint64_t reset() const;       // the fields' resets in place (undefined bits 0)
  uint64_t reset_mask() const;  // bits whose reset the description defines
  const FieldSpec* field(const std::string& name) const;
};

struct MapSpec {
  std::string name;
  std::string display_name;
  std::string desc;
  std::string source;                   // the file it was read from
  std::string format;                   // "rdl" or "svd"
  std::vector<RegisterSpec> registers;  // ascending offset, never overlapping
  Properties properties;                // user-defined, of the top addrmap

  const RegisterSpec* reg(const std::string& name) const;
};

// tandem's user-defined properties, as a description declares and assigns them:
//   property tandem_selector { type = number; component = reg | field; };  legal count
//   property tandem_volatile { type = boolean; component = reg | field; };  hardware changes it
inline constexpr const char* kSelectorProperty = "tandem_selector";
inline constexpr const char* kVolatileProperty = "tandem_volatile";
// Register tests (regtest.h):
//   property tandem_action { type = boolean; component = reg | field; };
//     writing it acts beyond the map (start, soft reset, bank switch): tests write only its reset value
//   property tandem_regtest_skip { type = string; component = reg | field; };
//     "rw, bit_bash" or "all": the tests whose read checks leave it alone
//   property tandem_holes { type = string; component = addrmap; };
//     "error" (default: PSLVERR, read 0, no effect) or "ignore" (no error, read 0, no effect)
// Stimulus:
//   property tandem_stimulus_mask { type = number; component = reg; };
//     the bits random stimulus writes (Register::write_mask; default: every writable field)
inline constexpr const char* kStimulusMaskProperty = "tandem_stimulus_mask";
inline constexpr const char* kActionProperty = "tandem_action";
inline constexpr const char* kRegtestSkipProperty = "tandem_regtest_skip";
inline constexpr const char* kHolesProperty = "tandem_holes";
// Lockstep (docs/waivers.md, timing tolerances):
//   property tandem_settle_cycles { type = number; component = reg | field; };
//     a read's value may settle up to N edges earlier or later on one side than on the other
inline constexpr const char* kSettleProperty = "tandem_settle_cycles";

// The engine's view: names, offsets, resets, write masks, dominant access per register,
// exact policy per field, volatile flags.
RegisterMap to_register_map(const MapSpec& spec);
// Registers carrying tandem_selector (on the register or one of its fields).
std::vector<SelectorHint> selector_hints(const MapSpec& spec);
// The engine's coarse access class of an exact policy (W1S, W1T, ... count as rw).
Access coarse_access(AccessPolicy p);

// Read a description, its format chosen by extension: .rdl SystemRDL, .svd/.xml CMSIS-SVD.
// Throws Error "FILE:LINE:COL: problem" (or "FILE: problem" when it cannot be read).
MapSpec load_map_spec(const std::string& path);

}  // namespace tandem
