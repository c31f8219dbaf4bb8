// The elaborated register map: lookups, and its conversion to the engine's RegisterMap.
#include "tandem/map_spec.h"

#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/rdl.h"
#include "tandem/svd.h"

namespace tandem {

std::string SourceLoc::str() const {
  if (line == 0) return file;
  if (column == 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

const char* hw_name(HwAccess h) {
  switch (h) {
    case HwAccess::rw: return "rw";
    case HwAccess::r: return "r";
    case HwAccess::w: return "w";
    case HwAccess::na: return "na";
  }
  return "?";
}

PropertyValue PropertyValue::of_number(uint64_t n) {
  PropertyValue v;
  v.type = Type::number;
  v.number = n;
  return v;
}

PropertyValue PropertyValue::of_boolean(bool b) {
  PropertyValue v;
  v.type = Type::boolean;
  v.boolean = b;
  return v;
}

PropertyValue PropertyValue::of_string(std::string s) {
  PropertyValue v;
  v.type = Type::string;
  v.text = std::move(s);
  return v;
}

std::string PropertyValue::str() const {
  switch (type) {
    case Type::number: return fmt::format("{:#x}", number);
    case Type::boolean: return boolean ? "true" : "false";
    case Type::string: return fmt::format("\"{}\"", text);
  }
  return "?";
}

bool PropertyValue::operator==(const PropertyValue& o) const {
  if (type != o.type) return false;
  switch (type) {
    case Type::number: return number == o.number;
    case Type::boolean: return boolean == o.boolean;
    case Type::string: return text == o.text;
  }
  return false;
}

uint64_t FieldSpec::mask() const {
  const uint64_t bits = width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
  return lsb >= 64 ? 0 : bits << lsb;
}

uint64_t RegisterSpec::reset() const {
  uint64_t v = 0;
  for (const FieldSpec& f : fields)
    if (f.reset) v |= (*f.reset << f.lsb) & f.mask();
  return v;
}

uint64_t RegisterSpec::reset_mask() const {
  uint64_t m = 0;
  for (const FieldSpec& f : fields)
    if (f.reset) m |= f.mask();
  return m;
}

const FieldSpec* RegisterSpec::field(const std::string& n) const {
  for (const FieldSpec& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

const RegisterSpec* MapSpec::reg(const std::string& n) const {
  for (const RegisterSpec& r : registers)
    if (r.name == n) return &r;
  return nullptr;
}

Access coarse_access(AccessPolicy p) {
  switch (p) {
    case AccessPolicy::ro: return Access::ro;
    case AccessPolicy::wo:
    case AccessPolicy::w1: return Access::wo;
    case AccessPolicy::w1c: return Access::w1c;
    case AccessPolicy::rc: return Access::rc;
    default: return Access::rw;
  }
}

namespace {

bool flag(const Properties& p, const char* name) {
  auto it = p.find(name);
  if (it == p.end()) return false;
  return it->second.type == PropertyValue::Type::boolean ? it->second.boolean : it->second.number != 0;
}

// tandem_settle_cycles, 0 when absent; Error at `loc` beyond kMaxToleranceCycles.
unsigned settle_cycles(const Properties& p, const SourceLoc& loc) {
  auto it = p.find(kSettleProperty);
  if (it == p.end()) return 0;
  if (it->second.type != PropertyValue::Type::number || it->second.number > kMaxToleranceCycles)
    throw Error(
        fmt::format("{}: {} must be a number of edges, at most {}", loc.str(), kSettleProperty, kMaxToleranceCycles));
  return static_cast<unsigned>(it->second.number);
}

// The RegTest bits a tandem_regtest_skip string names; Error at `loc` for an unknown word.
uint32_t skip_bits(const Properties& p, const SourceLoc& loc) {
  auto it = p.find(kRegtestSkipProperty);
  if (it == p.end()) return 0;
  try {
    return parse_regtest_list(it->second.text);
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}: {}", loc.str(), kRegtestSkipProperty, e.what()));
  }
}

// The register's one access class as reports print it: what most of it does, the
// side-effect classes (w1c, rc) winning over plain rw.
Access dominant_access(const RegisterSpec& r) {
  bool all_ro = true, all_wo = true, any_w1c = false, any_rc = false;
  for (const FieldSpec& f : r.fields) {
    const Access a = coarse_access(f.policy);
    all_ro = all_ro && a == Access::ro;
    all_wo = all_wo && a == Access::wo;
    any_w1c = any_w1c || a == Access::w1c;
    any_rc = any_rc || a == Access::rc;
  }
  if (r.fields.empty()) return Access::rw;
  if (all_ro) return Access::ro;
  if (all_wo) return Access::wo;
  if (any_w1c) return Access::w1c;
  if (any_rc) return Access::rc;
  return Access::rw;
}

}  // namespace

RegisterMap to_register_map(const MapSpec& spec) {
  RegisterMap map;
  map.name = spec.name;
  if (auto it = spec.properties.find(kHolesProperty); it != spec.properties.end()) {
    if (it->second.text == "error") {
      map.holes = HoleResponse::error;
    } else if (it->second.text == "ignore") {
      map.holes = HoleResponse::ignore;
    } else {
      throw Error(
          fmt::format("{}: {} must be \"error\" or \"ignore\", not {}", spec.source, kHolesProperty, it->second.str()));
    }
  }
  for (const RegisterSpec& rs : spec.registers) {
    Register r;
    r.name = rs.name;
    r.offset = rs.offset;
    r.width = rs.width;
    r.reset = rs.reset();
    r.reset_mask = rs.reset_mask();
    r.access = dominant_access(rs);
    r.write_mask = 0;
    r.is_volatile = flag(rs.properties, kVolatileProperty);
    r.desc = rs.desc;
    r.skip_tests = skip_bits(rs.properties, rs.loc);
    r.settle_cycles = settle_cycles(rs.properties, rs.loc);
    const bool reg_action = flag(rs.properties, kActionProperty);
    const bool reg_volatile = r.is_volatile;
    for (const FieldSpec& fs : rs.fields) {
      Field f;
      f.name = fs.name;
      f.lsb = fs.lsb;
      f.width = fs.width;
      f.access = coarse_access(fs.policy);
      f.policy = fs.policy;
      f.reset = fs.reset;
      f.is_volatile = reg_volatile || flag(fs.properties, kVolatileProperty);
      f.action = reg_action || flag(fs.properties, kActionProperty);
      f.skip_tests = skip_bits(fs.properties, fs.loc);
      f.settle_cycles = settle_cycles(fs.properties, fs.loc);
      r.fields.push_back(f);
      if (writable(fs.policy)) r.write_mask |= fs.mask();
      r.donttest_mask |= (fs.donttest << fs.lsb) & fs.mask();
      r.dontcompare_mask |= (fs.dontcompare << fs.lsb) & fs.mask();
      r.is_volatile = r.is_volatile || flag(fs.properties, kVolatileProperty);
    }
    if (auto it = rs.properties.find(kStimulusMaskProperty); it != rs.properties.end())
      r.write_mask = it->second.number;
    map.registers.push_back(std::move(r));
  }
  return map;
}

std::vector<SelectorHint> selector_hints(const MapSpec& spec) {
  std::vector<SelectorHint> hints;
  for (const RegisterSpec& r : spec.registers) {
    auto it = r.properties.find(kSelectorProperty);
    if (it != r.properties.end()) {
      hints.push_back({r.name, it->second.number});
      continue;
    }
    for (const FieldSpec& f : r.fields) {
      auto fit = f.properties.find(kSelectorProperty);
      if (fit != f.properties.end()) {
        hints.push_back({r.name, fit->second.number});
        break;
      }
    }
  }
  return hints;
}

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}
}  // namespace

MapSpec load_map_spec(const std::string& path) {
  if (ends_with(path, ".rdl")) return load_rdl(path);
  if (ends_with(path, ".svd") || ends_with(path, ".xml")) return load_svd(path);
  throw Error(fmt::format("{}: unknown register-map format (expected .rdl, .svd or .xml)", path));
}

}  // namespace tandem
