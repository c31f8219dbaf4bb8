// Register-map lookups used by reports and stimulus.
#include "tandem/regmap.h"

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

const Register* RegisterMap::find(uint64_t offset) const {
  for (const Register& r : registers) {
    if (offset >= r.offset && offset < r.offset + (r.width + 7) / 8) return &r;
  }
  return nullptr;
}

const Register* RegisterMap::by_name(const std::string& n) const {
  for (const Register& r : registers)
    if (r.name == n) return &r;
  return nullptr;
}

std::string RegisterMap::describe(uint64_t offset) const {
  const Register* r = find(offset);
  if (!r) return fmt::format("unmapped {:#x}", offset);
  if (offset == r->offset) return r->name;
  return fmt::format("{}+{:#x}", r->name, offset - r->offset);
}

std::string RegisterMap::name_at(uint64_t offset) const {
  const Register* r = find(offset);
  return r ? r->name : fmt::format("unmapped {:#x}", offset);
}

const char* access_name(Access a) {
  switch (a) {
    case Access::rw: return "rw";
    case Access::ro: return "ro";
    case Access::wo: return "wo";
    case Access::w1c: return "w1c";
    case Access::rc: return "rc";
  }
  return "?";
}

const char* regtest_name(RegTest t) {
  switch (t) {
    case kTestHwReset: return "hw_reset";
    case kTestRw: return "rw";
    case kTestBitBash: return "bit_bash";
    case kTestAliasing: return "aliasing";
    case kTestUnmapped: return "unmapped";
    case kTestAccess: return "access";
    case kTestAll: return "all";
  }
  return "?";
}

uint32_t regtest_bit(const std::string& name) {
  if (name == "all") return kTestAll;
  for (uint32_t b = 1; b < kTestAll; b <<= 1)
    if (name == regtest_name(static_cast<RegTest>(b))) return b;
  return 0;
}

uint32_t parse_regtest_list(const std::string& list) {
  uint32_t bits = 0;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    const uint32_t b = regtest_bit(word);
    if (!b)
      throw Error(fmt::format(
          "unknown register test '{}' (known: hw_reset, rw, bit_bash, aliasing, unmapped, access, all)", word));
    bits |= b;
    word.clear();
  };
  for (char c : list) {
    if (c == ',' || c == ' ' || c == '\t' || c == '|') {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return bits;
}

const char* hole_response_name(HoleResponse h) { return h == HoleResponse::error ? "error" : "ignore"; }

}  // namespace tandem
