// Waivers resolved against a device's register map and matched against divergences.
#include "tandem/waiver.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "tandem/error.h"
#include "tolerance.h"

namespace tandem {

namespace {

constexpr DivergenceKind kAllKinds[] = {
    DivergenceKind::read_data, DivergenceKind::read_error, DivergenceKind::write_error, DivergenceKind::irq,
    DivergenceKind::dma,       DivergenceKind::hang,       DivergenceKind::protocol,    DivergenceKind::sanitizer,
    DivergenceKind::restore,   DivergenceKind::crash,      DivergenceKind::serial};

uint64_t width_mask(unsigned width) { return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1; }
uint64_t field_mask(const Field& f) { return width_mask(f.width) << f.lsb; }

const Field* find_field(const Register& r, const std::string& name) {
  for (const Field& f : r.fields)
    if (f.name == name) return &f;
  return nullptr;
}

// The bit of the irq word a name stands for: one of the binding's interrupt lines, an output
// pin's bit as a divergence names it ("sout", "gpio[2]": they follow the lines, docs/pins.md),
// or "irq[N]".
std::optional<unsigned> irq_line(const DeviceBinding& b, const std::string& name) {
  for (size_t i = 0; i < b.hints.irq_lines.size() && i < 32; ++i)
    if (b.hints.irq_lines[i] == name) return static_cast<unsigned>(i);
  for (unsigned i = static_cast<unsigned>(b.hints.irq_lines.size()); i < 32 && !b.hints.pins.empty(); ++i)
    if (b.irq_line_name(1u << i) == name) return i;
  unsigned n = 0;
  char extra = 0;
  if (std::sscanf(name.c_str(), "irq[%u]%c", &n, &extra) == 1 && n < 32) return n;
  return std::nullopt;
}

bool is_memory(const std::string& reg) { return reg.rfind("memory", 0) == 0; }

// Software's value of a field is exact only when nothing but software writes changes it.
// A volatile register none of whose fields is marked volatile is volatile throughout (regmap.h).
bool plain_rw(const Register& r, const Field* f) {
  if (!f) return !r.is_volatile && r.fields.empty() && r.access == Access::rw && r.reset_mask == ~uint64_t(0);
  const bool volatile_fields =
      std::any_of(r.fields.begin(), r.fields.end(), [](const Field& x) { return x.is_volatile; });
  if (f->is_volatile || (r.is_volatile && !volatile_fields) ||
      (!f->reset.has_value() && (r.reset_mask & field_mask(*f)) != field_mask(*f)))
    return false;
  return f->policy ? *f->policy == AccessPolicy::rw : f->access == Access::rw;
}

}  // namespace

bool covers_device(const Waiver& w, const std::string& device) {
  return device == w.device || (device.size() > w.device.size() && device.compare(0, w.device.size(), w.device) == 0 &&
                                device[w.device.size()] == '.');
}

bool WaiverSet::applies_to(const std::string& device) const {
  for (const Waiver& w : waivers)
    if (covers_device(w, device)) return true;
  return false;
}

bool covers_device(const Tolerance& t, const std::string& device) {
  Waiver w;
  w.device = t.device;
  return covers_device(w, device);
}

bool waivable(DivergenceKind kind) {
  return kind != DivergenceKind::hang && kind != DivergenceKind::sanitizer && kind != DivergenceKind::restore &&
         kind != DivergenceKind::crash;
}

std::optional<DivergenceKind> kind_from_name(const std::string& name) {
  for (DivergenceKind k : kAllKinds)
    if (name == kind_name(k)) return k;
  return std::nullopt;
}

void merge_waiver_uses(std::vector<WaiverUse>& total, const std::vector<WaiverUse>& more) {
  for (const WaiverUse& u : more) {
    const auto it = std::find_if(total.begin(), total.end(), [&](const WaiverUse& t) { return t.waiver == u.waiver; });
    if (it == total.end())
      total.push_back(u);
    else
      it->count += u.count;
  }
}

void check_waivers(const WaiverSet& set, const Catalog& catalog) {
  for (const Waiver& w : set.waivers) {
    try {
      catalog.get(w.device);
    } catch (const Error& e) {
      throw Error(fmt::format("{}: {}", w.where, e.what()));
    }
  }
  for (const Tolerance& t : set.tolerances) {
    try {
      catalog.get(t.device);
    } catch (const Error& e) {
      throw Error(fmt::format("{}: {}", t.where, e.what()));
    }
  }
  for (const DeviceBinding& d : catalog.devices()) {
    const Tolerances check(set, d);  // throws for a tolerance that does not fit the device
  }
  for (const DeviceBinding& d : catalog.devices())
    if (set.applies_to(d.name)) {
      const WaiverMatcher check(set, d);  // throws for a waiver that does not fit the device
    }
}

uint64_t differing_register_bits(const Divergence& d, const DeviceBinding& binding) {
  uint64_t diff = d.rtl ^ d.model;
  const Register* r = binding.regmap.find(d.addr);
  if (!r) return diff;
  const uint64_t shift = 8 * (d.addr - r->offset);
  return shift >= 64 ? 0 : diff << shift;
}

Waiver signature_of(const Divergence& d, const DeviceBinding& binding) {
  Waiver w;
  w.device = binding.name;
  w.kind = d.kind;
  w.reg = d.kind == DivergenceKind::dma && is_memory(d.reg) ? "memory" : d.reg;
  if (d.kind == DivergenceKind::irq) {
    const uint64_t lines = d.rtl ^ d.model;
    if ((lines & (lines - 1)) != 0) {  // several lines: the set of them
      w.reg.clear();
      w.bits = lines;
    }
  } else if (d.kind == DivergenceKind::read_data) {
    const uint64_t diff = differing_register_bits(d, binding);
    const Register* r = binding.regmap.find(d.addr);
    uint64_t bits = 0, in_fields = 0;
    std::vector<const Field*> hit;
    static const std::vector<Field> no_fields;
    for (const Field& f : r ? r->fields : no_fields) {
      in_fields |= field_mask(f);
      if (diff & field_mask(f)) {
        bits |= field_mask(f);
        hit.push_back(&f);
      }
    }
    bits |= diff & ~in_fields;
    if (hit.size() == 1 && (diff & ~in_fields) == 0)
      w.field = hit.front()->name;
    else
      w.bits = bits;
  }
  return w;
}

// ---------------------------------------------------------------------------- matcher

namespace {
constexpr std::string_view kUnmapped = "unmapped ";

bool is_unmapped_name(const std::string& reg) { return reg.compare(0, kUnmapped.size(), kUnmapped) == 0; }

// "unmapped 0xC" -> 0xc; nullopt unless the rest is one hexadecimal number with its 0x.
std::optional<uint64_t> unmapped_offset(const std::string& reg) {
  const std::string_view hex = std::string_view(reg).substr(kUnmapped.size());
  if (hex.size() < 3 || hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) return std::nullopt;
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(hex.data() + 2, hex.data() + hex.size(), v, 16);
  if (ec != std::errc() || end != hex.data() + hex.size()) return std::nullopt;
  return v;
}
}  // namespace

WaiverMatcher::WaiverMatcher(const WaiverSet& set, const DeviceBinding& binding) : m_binding(binding) {
  for (size_t i = 0; i < set.waivers.size(); ++i)
    if (covers_device(set.waivers[i], binding.name)) resolve(i, set.waivers[i]);
}

void WaiverMatcher::resolve(size_t index, const Waiver& w) {
  auto fail = [&](const std::string& why) { return Error(fmt::format("{}: {}", w.where, why)); };
  if (!waivable(w.kind))
    throw fail(fmt::format("a {} divergence cannot be waived: the run cannot go on past it", kind_name(w.kind)));
  Rule rule{index, w, ~uint64_t(0), 0};
  const bool access_kind = w.kind == DivergenceKind::read_data || w.kind == DivergenceKind::read_error ||
                           w.kind == DivergenceKind::write_error || w.kind == DivergenceKind::protocol;
  if (w.field.size() && w.kind != DivergenceKind::read_data)
    throw fail(fmt::format("a {} divergence has no fields: `field` applies to read_data", kind_name(w.kind)));
  if (w.bits && w.kind != DivergenceKind::read_data && w.kind != DivergenceKind::irq &&
      w.kind != DivergenceKind::serial)
    throw fail(
        fmt::format("a {} divergence has no bits: `bits` applies to read_data, irq and serial", kind_name(w.kind)));
  if (access_kind && is_unmapped_name(w.reg)) {
    // An offset no register covers, named as a divergence there names it ("unmapped 0xc"):
    // what --keep-going waives after such a divergence. Matched by that name, whole beat.
    const std::optional<uint64_t> offset = unmapped_offset(w.reg);
    if (!offset) throw fail(fmt::format("'{}' is not an offset: write it as \"unmapped 0x<hex>\"", w.reg));
    if (const Register* r = m_binding.regmap.find(*offset))
      throw fail(fmt::format("offset {:#x} is not unmapped: it is register {}", *offset, r->name));
    if (!w.field.empty()) throw fail(fmt::format("{} has no fields", w.reg));
    rule.waiver.reg = m_binding.regmap.name_at(*offset);  // the divergence's spelling of it
    if (w.bits) {
      if (*w.bits == 0) throw fail("`bits` is 0");
      rule.mask = *w.bits;
    }
  } else if (access_kind && !w.reg.empty()) {
    const Register* r = m_binding.regmap.by_name(w.reg);
    if (!r) throw fail(fmt::format("device '{}' has no register '{}'", m_binding.name, w.reg));
    const uint64_t reg_mask = width_mask(r->width);
    rule.mask = reg_mask;
    if (!w.field.empty()) {
      const Field* f = find_field(*r, w.field);
      if (!f) throw fail(fmt::format("register {} has no field '{}'", w.reg, w.field));
      rule.mask = field_mask(*f);
      rule.lsb = f->lsb;
    }
    if (w.bits) {
      if (*w.bits == 0 || (*w.bits & ~rule.mask))
        throw fail(fmt::format("bits {:#x} are not within {}{}{} ({:#x})", *w.bits, w.reg, w.field.empty() ? "" : ".",
                               w.field, rule.mask));
      if (w.field.empty()) rule.mask = *w.bits;
    }
  } else if (!w.field.empty()) {
    throw fail("`field` needs `register`");
  } else if (w.kind == DivergenceKind::irq) {
    if (!w.reg.empty()) {
      const std::optional<unsigned> line = irq_line(m_binding, w.reg);
      if (!line) throw fail(fmt::format("device '{}' has no interrupt line '{}'", m_binding.name, w.reg));
      rule.mask = uint64_t(1) << *line;
    }
    if (w.bits) rule.mask &= *w.bits;
    if (rule.mask == 0) throw fail("`bits` name no interrupt line of `register`");
  } else if (w.bits) {
    rule.mask = *w.bits;
  }
  if (w.when) resolve_condition(rule, *w.when);
  m_rules.push_back(rule);
}

void WaiverMatcher::resolve_condition(Rule& rule, const WaiverCondition& c) {
  auto fail = [&](const std::string& why) {
    return Error(fmt::format("{}: condition '{}': {}", rule.waiver.where, c.text, why));
  };
  const Register* r = m_binding.regmap.by_name(c.reg);
  if (!r) throw fail(fmt::format("device '{}' has no register '{}'", m_binding.name, c.reg));
  const Field* f = nullptr;
  if (!c.field.empty()) {
    f = find_field(*r, c.field);
    if (!f) throw fail(fmt::format("register {} has no field '{}'", c.reg, c.field));
  } else if (!r->fields.empty()) {
    throw fail(fmt::format("name one field of {} (REG.FIELD=VALUE)", c.reg));
  }
  if (!plain_rw(*r, f))
    throw fail(
        "cannot be evaluated exactly: only a read-write field that the hardware does not change and whose reset "
        "value the map defines has the value software last wrote");
  rule.cond_mask = f ? field_mask(*f) : width_mask(r->width);
  rule.cond_lsb = f ? f->lsb : 0;
  if ((c.value << rule.cond_lsb & rule.cond_mask) >> rule.cond_lsb != c.value)
    throw fail(fmt::format("{:#x} does not fit the field", c.value));
  rule.condition = track(*r);
}

int WaiverMatcher::track(const Register& reg) {
  for (size_t i = 0; i < m_tracked.size(); ++i)
    if (m_tracked[i].offset == reg.offset) return static_cast<int>(i);
  m_tracked.push_back({reg.offset, (reg.width + 7) / 8, reg.reset, reg.reset});
  return static_cast<int>(m_tracked.size() - 1);
}

void WaiverMatcher::on_write(uint64_t addr, uint64_t data, unsigned size) {
  for (Tracked& t : m_tracked) {
    for (unsigned i = 0; i < size; ++i) {
      const uint64_t a = addr + i;
      if (a < t.offset || a >= t.offset + t.bytes || a - t.offset >= 8) continue;
      const unsigned shift = static_cast<unsigned>(8 * (a - t.offset));
      t.value = (t.value & ~(uint64_t(0xff) << shift)) | (((data >> (8 * i)) & 0xff) << shift);
    }
  }
}

void WaiverMatcher::on_reset() {
  for (Tracked& t : m_tracked) t.value = t.reset;
}

bool WaiverMatcher::matches(const Rule& r, const Divergence& d) const {
  const Waiver& w = r.waiver;
  if (w.kind != d.kind) return false;
  if (!w.reg.empty() && w.reg != d.reg && !(w.kind == DivergenceKind::dma && w.reg == "memory" && is_memory(d.reg)))
    return false;
  uint64_t rtl = d.rtl, model = d.model;
  if (d.kind == DivergenceKind::read_data) {
    const uint64_t shift = 8 * register_shift(d);
    rtl = shift >= 64 ? 0 : rtl << shift;
    model = shift >= 64 ? 0 : model << shift;
  }
  if (d.kind == DivergenceKind::read_data || d.kind == DivergenceKind::irq ||
      (d.kind == DivergenceKind::serial && w.bits)) {
    const uint64_t diff = rtl ^ model;
    if (diff == 0 || (diff & ~r.mask) != 0) return false;
    // With a field the values are the field's; otherwise the register's under the mask.
    const uint64_t vmask = r.mask, wshift = w.field.empty() ? 0 : r.lsb;
    if (w.rtl && (rtl & vmask) >> wshift != (w.field.empty() ? *w.rtl & vmask : *w.rtl)) return false;
    if (w.model && (model & vmask) >> wshift != (w.field.empty() ? *w.model & vmask : *w.model)) return false;
  } else {
    if (w.rtl && rtl != *w.rtl) return false;
    if (w.model && model != *w.model) return false;
  }
  if (r.condition >= 0) {
    const Tracked& t = m_tracked[static_cast<size_t>(r.condition)];
    if ((t.value & r.cond_mask) >> r.cond_lsb != w.when->value) return false;
  }
  return true;
}

// Bytes between the register's offset and the diverging beat's.
uint64_t WaiverMatcher::register_shift(const Divergence& d) const {
  const Register* reg = m_binding.regmap.find(d.addr);
  return reg ? d.addr - reg->offset : 0;
}

bool WaiverMatcher::would_match(const Divergence& d, Scope scope) const {
  return std::any_of(m_rules.begin(), m_rules.end(), [&](const Rule& r) {
    const Waiver& w = r.waiver;
    const bool values = w.bits || w.rtl || w.model;
    return (scope == Scope::values ? values : w.when && !values) && matches(r, d);
  });
}

std::optional<size_t> WaiverMatcher::match(const Divergence& d) {
  for (const Rule& r : m_rules) {
    if (!matches(r, d)) continue;
    for (WaiverUse& u : m_uses) {
      if (u.waiver == r.index) {
        ++u.count;
        return r.index;
      }
    }
    m_uses.push_back({r.index, 1, d});
    return r.index;
  }
  return std::nullopt;
}

}  // namespace tandem
