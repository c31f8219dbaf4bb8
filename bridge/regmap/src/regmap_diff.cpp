// Semantic register-map diff: registers matched by name (then by offset and layout for a
// rename), fields by name (then by bits), and every property compared.
#include "tandem/regmap_diff.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tandem {

const char* change_kind_name(ChangeKind k) {
  switch (k) {
    case ChangeKind::register_added: return "register_added";
    case ChangeKind::register_removed: return "register_removed";
    case ChangeKind::register_renamed: return "register_renamed";
    case ChangeKind::register_moved: return "register_moved";
    case ChangeKind::register_resized: return "register_resized";
    case ChangeKind::access_width_changed: return "access_width_changed";
    case ChangeKind::field_added: return "field_added";
    case ChangeKind::field_removed: return "field_removed";
    case ChangeKind::field_renamed: return "field_renamed";
    case ChangeKind::field_moved: return "field_moved";
    case ChangeKind::field_resized: return "field_resized";
    case ChangeKind::reset_changed: return "reset_changed";
    case ChangeKind::access_changed: return "access_changed";
    case ChangeKind::enum_value_added: return "enum_value_added";
    case ChangeKind::enum_value_removed: return "enum_value_removed";
    case ChangeKind::enum_value_changed: return "enum_value_changed";
    case ChangeKind::doc_changed: return "doc_changed";
    case ChangeKind::property_changed: return "property_changed";
    case ChangeKind::test_hint_changed: return "test_hint_changed";
  }
  return "?";
}

std::string MapChange::path() const {
  if (reg.empty()) return "(map)";
  return field.empty() ? reg : reg + "." + field;
}

size_t MapDiff::incompatible() const {
  return size_t(std::count_if(changes.begin(), changes.end(), [](const MapChange& c) { return !c.compatible; }));
}

namespace {

std::string hex(uint64_t v) { return fmt::format("{:#x}", v); }
std::string bits(const FieldSpec& f) {
  return f.width == 1 ? fmt::format("[{}]", f.lsb) : fmt::format("[{}:{}]", f.msb(), f.lsb);
}
std::string reset_text(const std::optional<uint64_t>& r) { return r ? hex(*r) : "undefined"; }
std::string quoted(const std::string& s) { return "'" + s + "'"; }

class Differ {
 public:
  explicit Differ(MapDiff& out) : m_out(out) {}

  void maps(const MapSpec& a, const MapSpec& b) {
    m_same_format = a.format == b.format;
    doc("", "", "name", a.display_name, b.display_name);
    doc("", "", "desc", a.desc, b.desc);
    properties("", "", a.properties, b.properties);

    // Maps can hold tens of thousands of registers: match by hash, not by scanning.
    std::unordered_map<std::string, const RegisterSpec*> old_by_name;
    for (const RegisterSpec& ra : a.registers) old_by_name.emplace(ra.name, &ra);
    std::unordered_set<std::string> matched;
    std::vector<const RegisterSpec*> added, removed;
    for (const RegisterSpec& rb : b.registers) {
      auto it = old_by_name.find(rb.name);
      if (it != old_by_name.end()) {
        matched.insert(rb.name);
        registers(*it->second, rb);
      } else {
        added.push_back(&rb);
      }
    }
    for (const RegisterSpec& ra : a.registers)
      if (!matched.count(ra.name)) removed.push_back(&ra);

    // A register that disappeared and one that appeared at the same offset with the same
    // fields is a rename.
    std::unordered_multimap<uint64_t, size_t> added_at;
    for (size_t i = 0; i < added.size(); ++i) added_at.emplace(added[i]->offset, i);
    std::vector<bool> renamed(added.size(), false);
    std::vector<const RegisterSpec*> still_removed;
    for (const RegisterSpec* r : removed) {
      const RegisterSpec* twin = nullptr;
      auto range = added_at.equal_range(r->offset);
      for (auto it = range.first; it != range.second; ++it) {
        if (renamed[it->second] || !same_layout(*r, *added[it->second])) continue;
        renamed[it->second] = true;
        twin = added[it->second];
        break;
      }
      if (!twin) {
        still_removed.push_back(r);
        continue;
      }
      add(ChangeKind::register_renamed, twin->name, "", "", r->name, twin->name, false,
          fmt::format("register renamed from {} (at {})", r->name, hex(r->offset)));
      registers(*r, *twin);
    }
    removed = still_removed;
    std::vector<const RegisterSpec*> still_added;
    for (size_t i = 0; i < added.size(); ++i)
      if (!renamed[i]) still_added.push_back(added[i]);
    added = still_added;
    for (const RegisterSpec* r : added)
      add(ChangeKind::register_added, r->name, "", "", "", hex(r->offset), true,
          fmt::format("register added at {}", hex(r->offset)));
    for (const RegisterSpec* r : removed)
      add(ChangeKind::register_removed, r->name, "", "", hex(r->offset), "", false,
          fmt::format("register removed (was at {})", hex(r->offset)));
  }

 private:
  void add(ChangeKind kind, const std::string& reg, const std::string& field, const std::string& item,
           const std::string& old_value, const std::string& new_value, bool compatible, const std::string& message) {
    m_out.changes.push_back({kind, reg, field, item, old_value, new_value, compatible, message});
  }

  static bool same_layout(const RegisterSpec& a, const RegisterSpec& b) {
    if (a.width != b.width || a.fields.size() != b.fields.size()) return false;
    for (size_t i = 0; i < a.fields.size(); ++i)
      if (a.fields[i].name != b.fields[i].name || a.fields[i].lsb != b.fields[i].lsb ||
          a.fields[i].width != b.fields[i].width)
        return false;
    return true;
  }

  void doc(const std::string& reg, const std::string& field, const char* item, const std::string& a,
           const std::string& b) {
    if (a == b) return;
    const std::string what = std::string(item) == "desc" ? "description" : item;
    std::string message = fmt::format("{} changed", what);
    if (std::string(item) != "desc") message += fmt::format(": {} -> {}", quoted(a), quoted(b));
    add(ChangeKind::doc_changed, reg, field, item, a, b, true, message);
  }

  void properties(const std::string& reg, const std::string& field, const Properties& a, const Properties& b) {
    if (!m_same_format) return;  // SVD has no user-defined properties to compare with
    std::set<std::string> names;
    for (const auto& p : a) names.insert(p.first);
    for (const auto& p : b) names.insert(p.first);
    for (const std::string& n : names) {
      auto ia = a.find(n);
      auto ib = b.find(n);
      const std::string va = ia == a.end() ? "" : ia->second.str();
      const std::string vb = ib == b.end() ? "" : ib->second.str();
      if (ia != a.end() && ib != b.end() && ia->second == ib->second) continue;
      std::string message;
      if (ia == a.end())
        message = fmt::format("property {} added: {}", n, vb);
      else if (ib == b.end())
        message = fmt::format("property {} removed (was {})", n, va);
      else
        message = fmt::format("property {} {} -> {}", n, va, vb);
      add(ChangeKind::property_changed, reg, field, n, va, vb, false, message);
    }
  }

  void registers(const RegisterSpec& a, const RegisterSpec& b) {
    const std::string& r = b.name;
    if (a.offset != b.offset)
      add(ChangeKind::register_moved, r, "", "", hex(a.offset), hex(b.offset), false,
          fmt::format("register moved: offset {} -> {}", hex(a.offset), hex(b.offset)));
    if (a.width != b.width)
      add(ChangeKind::register_resized, r, "", "", std::to_string(a.width), std::to_string(b.width), false,
          fmt::format("register width {} -> {} bits", a.width, b.width));
    // An access width that only follows the register width is not a change of its own.
    if (a.access_width != b.access_width && !(a.access_width == a.width && b.access_width == b.width))
      add(ChangeKind::access_width_changed, r, "", "", std::to_string(a.access_width), std::to_string(b.access_width),
          false, fmt::format("access width {} -> {} bits", a.access_width, b.access_width));
    doc(r, "", "name", a.display_name, b.display_name);
    doc(r, "", "desc", a.desc, b.desc);
    properties(r, "", a.properties, b.properties);

    std::set<std::string> matched;
    std::vector<const FieldSpec*> added, removed;
    for (const FieldSpec& fb : b.fields) {
      if (const FieldSpec* fa = a.field(fb.name)) {
        matched.insert(fb.name);
        fields(r, *fa, fb);
      } else {
        added.push_back(&fb);
      }
    }
    for (const FieldSpec& fa : a.fields)
      if (!matched.count(fa.name)) removed.push_back(&fa);
    for (auto f = removed.begin(); f != removed.end();) {
      auto twin = std::find_if(added.begin(), added.end(),
                               [&](const FieldSpec* n) { return n->lsb == (*f)->lsb && n->width == (*f)->width; });
      if (twin == added.end()) {
        ++f;
        continue;
      }
      add(ChangeKind::field_renamed, r, (*twin)->name, "", (*f)->name, (*twin)->name, false,
          fmt::format("field renamed from {} ({})", (*f)->name, bits(**f)));
      fields(r, **f, **twin);
      added.erase(twin);
      f = removed.erase(f);
    }
    for (const FieldSpec* f : added) {
      const bool zero_reset = !f->reset || *f->reset == 0;
      std::string message = fmt::format("field added at {}", bits(*f));
      if (!zero_reset) message += fmt::format(" with reset {}: the register's reset value changes", hex(*f->reset));
      add(ChangeKind::field_added, r, f->name, "", "", bits(*f), zero_reset, message);
    }
    for (const FieldSpec* f : removed)
      add(ChangeKind::field_removed, r, f->name, "", bits(*f), "", false,
          fmt::format("field removed (was {})", bits(*f)));
  }

  void fields(const std::string& r, const FieldSpec& a, const FieldSpec& b) {
    const std::string& f = b.name;
    if (a.lsb != b.lsb)
      add(ChangeKind::field_moved, r, f, "", bits(a), bits(b), false,
          fmt::format("field moved: {} -> {}", bits(a), bits(b)));
    else if (a.width != b.width)
      add(ChangeKind::field_resized, r, f, "", bits(a), bits(b), false,
          fmt::format("field width {} -> {} bits: {} -> {}", a.width, b.width, bits(a), bits(b)));
    if (a.reset != b.reset)
      add(ChangeKind::reset_changed, r, f, "", reset_text(a.reset), reset_text(b.reset), false,
          fmt::format("reset {} -> {}", reset_text(a.reset), reset_text(b.reset)));
    if (a.policy != b.policy || a.access != b.access)
      add(ChangeKind::access_changed, r, f, "", policy_name(a.policy), policy_name(b.policy), false,
          fmt::format("access {} -> {} ({} -> {})", policy_name(a.policy), policy_name(b.policy), describe(a.access),
                      describe(b.access)));
    if (a.hw && b.hw && *a.hw != *b.hw)
      add(ChangeKind::access_changed, r, f, "hw", hw_name(*a.hw), hw_name(*b.hw), false,
          fmt::format("hardware access {} -> {}", hw_name(*a.hw), hw_name(*b.hw)));
    doc(r, f, "name", a.display_name, b.display_name);
    doc(r, f, "desc", a.desc, b.desc);
    doc(r, f, "enum", a.enum_name, b.enum_name);
    enums(r, f, a, b);
    if (a.donttest != b.donttest)
      add(ChangeKind::test_hint_changed, r, f, "donttest", hex(a.donttest), hex(b.donttest), true,
          fmt::format("donttest {} -> {}", hex(a.donttest), hex(b.donttest)));
    if (a.dontcompare != b.dontcompare)
      add(ChangeKind::test_hint_changed, r, f, "dontcompare", hex(a.dontcompare), hex(b.dontcompare), true,
          fmt::format("dontcompare {} -> {}", hex(a.dontcompare), hex(b.dontcompare)));
    properties(r, f, a.properties, b.properties);
  }

  void enums(const std::string& r, const std::string& f, const FieldSpec& a, const FieldSpec& b) {
    std::unordered_map<std::string, const EnumValueSpec*> old_by_name, new_by_name;
    for (const EnumValueSpec& e : a.enum_values) old_by_name.emplace(e.name, &e);
    for (const EnumValueSpec& e : b.enum_values) new_by_name.emplace(e.name, &e);
    for (const EnumValueSpec& eb : b.enum_values) {
      auto found = old_by_name.find(eb.name);
      const EnumValueSpec* ea = found == old_by_name.end() ? nullptr : found->second;
      if (!ea) {
        add(ChangeKind::enum_value_added, r, f, eb.name, "", hex(eb.value), true,
            fmt::format("enum value {} = {} added", eb.name, hex(eb.value)));
        continue;
      }
      if (ea->value != eb.value)
        add(ChangeKind::enum_value_changed, r, f, eb.name, hex(ea->value), hex(eb.value), false,
            fmt::format("enum value {} {} -> {}", eb.name, hex(ea->value), hex(eb.value)));
      if (ea->display_name != eb.display_name)
        add(ChangeKind::doc_changed, r, f, eb.name, ea->display_name, eb.display_name, true,
            fmt::format("enum value {} name changed: {} -> {}", eb.name, quoted(ea->display_name),
                        quoted(eb.display_name)));
      if (ea->desc != eb.desc)
        add(ChangeKind::doc_changed, r, f, eb.name, ea->desc, eb.desc, true,
            fmt::format("enum value {} description changed", eb.name));
    }
    for (const EnumValueSpec& ea : a.enum_values)
      if (!new_by_name.count(ea.name))
        add(ChangeKind::enum_value_removed, r, f, ea.name, hex(ea.value), "", false,
            fmt::format("enum value {} = {} removed", ea.name, hex(ea.value)));
  }

  MapDiff& m_out;
  bool m_same_format = true;
};

}  // namespace

MapDiff diff_maps(const MapSpec& old_map, const MapSpec& new_map) {
  MapDiff d;
  Differ(d).maps(old_map, new_map);
  return d;
}

std::string diff_text(const MapDiff& d, const std::string& old_file, const std::string& new_file) {
  std::string out = fmt::format("regmap diff {} -> {}\n", old_file, new_file);
  size_t path_width = 0;
  for (const MapChange& c : d.changes) path_width = std::max(path_width, c.path().size());
  for (const MapChange& c : d.changes)
    out += fmt::format("  {:<12}  {:<{}}  {}\n", c.compatible ? "compatible" : "INCOMPATIBLE", c.path(), path_width,
                       c.message);
  const size_t bad = d.incompatible();
  if (d.changes.empty())
    out += "no changes\n";
  else
    out += fmt::format("{} change{}: {} incompatible, {} compatible\n", d.changes.size(),
                       d.changes.size() == 1 ? "" : "s", bad, d.changes.size() - bad);
  return out;
}

std::string diff_json(const MapDiff& d, const std::string& old_file, const std::string& new_file) {
  using json = nlohmann::ordered_json;
  auto text_or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json changes = json::array();
  for (const MapChange& c : d.changes) {
    changes.push_back({{"kind", change_kind_name(c.kind)},
                       {"register", text_or_null(c.reg)},
                       {"field", text_or_null(c.field)},
                       {"item", text_or_null(c.item)},
                       {"old", text_or_null(c.old_value)},
                       {"new", text_or_null(c.new_value)},
                       {"compatible", c.compatible},
                       {"message", c.message}});
  }
  const json out = {{"old", old_file},
                    {"new", new_file},
                    {"compatible", d.compatible()},
                    {"incompatible", d.incompatible()},
                    {"changes", changes}};
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace tandem
