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
};

struct Register {
  std::string name;
  uint64_t offset = 0;
  unsigned width = 32;  // bits
  uint64_t reset = 0;
  Access access = Access::rw;   // the register's dominant policy; fields refine it
  uint64_t write_mask = ~uint64_t(0);  // bits that software writes can change (stimulus hint)
  bool is_volatile = false;     // hardware changes it on its own
  std::vector<Field> fields;
  std::string desc;
  uint64_t reset_mask = ~uint64_t(0);  // bits whose reset value the map defines
  uint64_t donttest_mask = 0;          // bits register tests leave alone
  uint64_t dontcompare_mask = 0;       // bits whose read data is not compared
};

struct RegisterMap {
  std::string name;
  std::vector<Register> registers;

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
