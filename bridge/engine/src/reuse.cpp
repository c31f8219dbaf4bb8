// Reset overrides and model options of a reused model (reuse.h).
#include "tandem/reuse.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <optional>

#include "tandem/error.h"

namespace tandem {

namespace {

// A decimal or 0x-prefixed hexadecimal number of at most 64 bits; nullopt otherwise.
std::optional<uint64_t> parse_number(const std::string& text) {
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const std::string digits = hex ? text.substr(2) : text;
  if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
    return std::nullopt;
  errno = 0;
  const unsigned long long v = std::strtoull(digits.c_str(), nullptr, hex ? 16 : 10);
  if (errno == ERANGE) return std::nullopt;
  return uint64_t(v);
}

bool fits(uint64_t value, unsigned bits) { return bits >= 64 || (value >> bits) == 0; }

std::string field_names(const Register& r) {
  std::string names;
  for (const Field& f : r.fields) names += (names.empty() ? "" : ", ") + f.name;
  return names.empty() ? "none" : names;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

void apply_one(RegisterMap& map, const ResetOverride& o) {
  const std::string what = fmt::format("{} {}={}", o.where, o.field, o.value);
  const auto dot = o.field.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == o.field.size())
    throw Error(fmt::format("{}: expected REGISTER.FIELD=<number>", what));
  const std::string reg_name = o.field.substr(0, dot), field_name = o.field.substr(dot + 1);
  Register* reg = nullptr;
  for (Register& r : map.registers)
    if (r.name == reg_name) reg = &r;
  if (!reg) throw Error(fmt::format("{}: the map '{}' has no register '{}'", what, map.name, reg_name));
  Field* field = nullptr;
  for (Field& f : reg->fields)
    if (f.name == field_name) field = &f;
  if (!field)
    throw Error(fmt::format("{}: register {} has no field '{}' (its fields: {})", what, reg_name, field_name,
                            field_names(*reg)));
  const std::optional<uint64_t> value = parse_number(o.value);
  if (!value) throw Error(fmt::format("{}: '{}' is not a number (decimal or 0x hex)", what, o.value));
  if (!fits(*value, field->width))
    throw Error(fmt::format("{}: {} does not fit {}[{}:{}] ({} bits)", what, o.value, field_name,
                            field->lsb + field->width - 1, field->lsb, field->width));
  const uint64_t mask = (field->width >= 64 ? ~uint64_t(0) : (uint64_t(1) << field->width) - 1) << field->lsb;
  field->reset = *value;
  reg->reset = (reg->reset & ~mask) | (*value << field->lsb);
  reg->reset_mask |= mask;
}

}  // namespace

void apply_reset_overrides(RegisterMap& map, const std::vector<ResetOverride>& overrides) {
  for (const ResetOverride& o : overrides) apply_one(map, o);
}

void ModelOptions::check_known(const std::string& device, const std::vector<std::string>& known) const {
  for (const ModelOption& o : m_options) {
    bool found = false;
    for (const std::string& k : known) found = found || k == o.key;
    if (!found)
      throw Error(fmt::format("{} {}={}: {}'s model has no option '{}' ({})", o.where, o.key, o.value, device, o.key,
                              known.empty() ? "it takes none" : "its options: " + joined(known)));
  }
}

uint64_t ModelOptions::number(const std::string& key, unsigned bits, uint64_t fallback) const {
  uint64_t result = fallback;
  for (const ModelOption& o : m_options) {
    if (o.key != key) continue;
    const std::optional<uint64_t> v = parse_number(o.value);
    if (!v) throw Error(fmt::format("{} {}={}: not a number (decimal or 0x hex)", o.where, o.key, o.value));
    if (!fits(*v, bits)) throw Error(fmt::format("{} {}={}: wider than {} bits", o.where, o.key, o.value, bits));
    result = *v;
  }
  return result;
}

}  // namespace tandem
