// A device's register map as the engine needs it: names for reports, reset values and
// access policies for stimulus and register tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/field_access.h"

namespace tandem {

enum class Access : uint8_t { rw, ro, wo, w1c, rc };

struct Field {
  std::string name;
  unsigned lsb = 0;
  unsigned width = 1;
  Access access = Access::rw;
  // Exact policy and reset when the map was loaded from a description (map_spec.h); a
  // hand-written map leaves them unset and `access` is all there is.
  std::optional<AccessPolicy> policy = std::nullopt;
  std::optional<uint64_t> reset = std::nullopt;
  // Register tests (regtest.h): hardware changes the field on its own; writing it acts beyond
  // the map (start, soft reset, bank switch), so tests write only its reset value; the tests
  // (RegTest bits) whose read checks leave it alone.
  bool is_volatile = false;
  bool action = false;
  uint32_t skip_tests = 0;
  unsigned settle_cycles = 0;  // lockstep reads: settles within N edges (waiver_set.h, Tolerance); 0 exact
};

// The field's exact policy when the map gave one, else the one its coarse `access` names.
inline AccessPolicy policy_of(const Field& f) {
  if (f.policy) return *f.policy;
  switch (f.access) {
    case Access::rw: return AccessPolicy::rw;
    case Access::ro: return AccessPolicy::ro;
    case Access::wo: return AccessPolicy::wo;
    case Access::w1c: return AccessPolicy::w1c;
    case Access::rc: return AccessPolicy::rc;
  }
  return AccessPolicy::rw;
}

// The built-in register tests (regtest.h), as bits of a skip set.
enum RegTest : uint32_t {
  kTestHwReset = 1u << 0,
  kTestRw = 1u << 1,
  kTestBitBash = 1u << 2,
  kTestAliasing = 1u << 3,
  kTestUnmapped = 1u << 4,
  kTestAccess = 1u << 5,
  kTestAll = (1u << 6) - 1,
};
// "hw_reset", "rw", ...; the bit of one name ("all": every bit), 0 for an unknown name.
const char* regtest_name(RegTest t);
uint32_t regtest_bit(const std::string& name);
// A list "rw, bit_bash" (commas and/or blanks) as bits; throws Error naming the unknown word.
uint32_t parse_regtest_list(const std::string& list);

// What an access to an offset no register occupies answers.
enum class HoleResponse : uint8_t {
  error,   // an error response (PSLVERR), read data 0, no effect
  ignore,  // no error, read data 0, no effect
};
const char* hole_response_name(HoleResponse h);

struct Register {
  std::string name;
  uint64_t offset = 0;
  unsigned width = 32;  // bits
  uint64_t reset = 0;
  Access access = Access::rw;          // the register's dominant policy; fields refine it
  uint64_t write_mask = ~uint64_t(0);  // bits that software writes can change (stimulus hint)
  bool is_volatile = false;            // hardware changes it on its own
  std::vector<Field> fields;
  std::string desc;
  uint64_t reset_mask = ~uint64_t(0);  // bits whose reset value the map defines
  uint64_t donttest_mask = 0;          // bits register tests leave alone
  uint64_t dontcompare_mask = 0;       // bits whose read data is not compared
  uint32_t skip_tests = 0;             // RegTest bits: register tests that leave it alone
  unsigned settle_cycles = 0;          // lockstep reads of the whole register settle within N edges; 0 exact
};

struct RegisterMap {
  std::string name;
  std::vector<Register> registers;
  HoleResponse holes = HoleResponse::error;

  // The register whose bytes contain `offset`, or nullptr for a hole.
  const Register* find(uint64_t offset) const;
  const Register* by_name(const std::string& name) const;
  // "CTRL", "CTRL+0x2" or "unmapped 0x44": an offset as a report's detail line prints it.
  std::string describe(uint64_t offset) const;
  // "CTRL" or "unmapped 0x44": the register a divergence names (JSON "register").
  std::string name_at(uint64_t offset) const;
};

const char* access_name(Access a);

}  // namespace tandem
