// Register-map lookups used by reports and stimulus.
#include "tandem/regmap.h"

#include <fmt/format.h>

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

}  // namespace tandem
