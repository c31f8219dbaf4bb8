// SystemRDL elaboration: definitions and instances into registers at byte offsets, fields at
// bit positions, properties resolved (body, then `default`s visible where the component was
// defined), and every layout rule checked.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "rdl_ast.h"
#include "tandem/error.h"

namespace tandem::rdl {

namespace {

constexpr size_t kMaxRegisters = 1u << 16;
constexpr unsigned kMaxDepth = 64;  // regfiles and addrmaps inside each other

uint64_t width_mask(unsigned width) { return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1; }

SwAccess sw_of(const std::string& w) {
  if (w == "r") return SwAccess::r;
  if (w == "w") return SwAccess::w;
  if (w == "rw1") return SwAccess::rw1;
  if (w == "w1") return SwAccess::w1;
  if (w == "na") return SwAccess::na;
  return SwAccess::rw;
}

HwAccess hw_of(const std::string& w) {
  if (w == "r") return HwAccess::r;
  if (w == "w") return HwAccess::w;
  if (w == "na") return HwAccess::na;
  return HwAccess::rw;
}

OnRead onread_of(const std::string& w) {
  if (w == "rclr") return OnRead::rclr;
  if (w == "rset") return OnRead::rset;
  return OnRead::none;
}

OnWrite onwrite_of(const std::string& w) {
  static const std::pair<const char*, OnWrite> kWords[] = {
      {"woset", OnWrite::woset}, {"woclr", OnWrite::woclr}, {"wot", OnWrite::wot},   {"wzs", OnWrite::wzs},
      {"wzc", OnWrite::wzc},     {"wzt", OnWrite::wzt},     {"wclr", OnWrite::wclr}, {"wset", OnWrite::wset}};
  for (const auto& [word, v] : kWords)
    if (w == word) return v;
  return OnWrite::none;
}

// donttest / dontcompare inherited from an enclosing register, regfile or addrmap.
struct Inherited {
  bool donttest = false;
  bool dontcompare = false;
};

struct Placed {
  RegisterSpec reg;
  size_t order = 0;  // declaration order: an overlap is blamed on the later one
};

struct Block {
  std::vector<Placed> regs;  // offsets relative to the block
  uint64_t size = 0;
  uint64_t align = 1;
};

class Elaborator {
 public:
  Elaborator(const Root& root, const std::string& file) : m_root(root), m_file(file) {}

  MapSpec run(const std::string& top_name) {
    const CompDef* top = choose_top(top_name);
    MapSpec spec;
    spec.name = top->name;
    spec.source = m_file;
    spec.format = "rdl";
    spec.display_name = string_prop(*top, "name");
    spec.desc = string_prop(*top, "desc");
    spec.properties = user_properties(*top);
    Block b = build_block(*top, inherited(*top, {}), 0, true);
    check_overlaps(b.regs);
    std::stable_sort(b.regs.begin(), b.regs.end(),
                     [](const Placed& a, const Placed& c) { return a.reg.offset < c.reg.offset; });
    for (Placed& p : b.regs) spec.registers.push_back(std::move(p.reg));
    return spec;
  }

 private:
  [[noreturn]] void fail(const SourceLoc& l, const std::string& what) const {
    throw Error(fmt::format("{}: {}", l.str(), what));
  }

  const CompDef* choose_top(const std::string& name) const {
    if (!name.empty()) {
      for (const CompDef* d : m_root.root_addrmaps)
        if (d->name == name) return d;
      fail({m_file, 1, 1}, fmt::format("no top-level addrmap named '{}'", name));
    }
    std::set<const CompDef*> instantiated;
    for (const auto& d : m_root.defs)
      for (const Instance& i : d->instances) instantiated.insert(i.def);
    const CompDef* chosen = nullptr;
    for (const CompDef* d : m_root.root_addrmaps)
      if (!instantiated.count(d)) chosen = d;
    if (!chosen && !m_root.root_addrmaps.empty()) chosen = m_root.root_addrmaps.back();
    if (!chosen) fail({m_file, 1, 1}, "no addrmap is defined");
    return chosen;
  }

  // ------------------------------------------------------------------ properties
  // The assignment in effect for `name` on `def`: its body's, else a visible default.
  const PropAssign* prop(const CompDef& def, const std::string& name) const {
    if (const PropAssign* p = def.prop(name)) return p;
    auto it = def.defaults->find(name);
    if (it != def.defaults->end() && (property_kinds(m_root, name) & kind_bit(def.kind))) return &it->second;
    return nullptr;
  }

  std::string string_prop(const CompDef& def, const char* name) const {
    const PropAssign* p = prop(def, name);
    return p ? p->value->text : std::string();
  }

  bool bool_prop(const CompDef& def, const char* name, bool fallback) const {
    const PropAssign* p = prop(def, name);
    if (!p) return fallback;
    return p->value->kind == Value::Kind::boolean ? p->value->boolean : p->value->number != 0;
  }

  bool present(const CompDef& def) const { return bool_prop(def, "ispresent", true); }

  // A register's donttest = 0xF0 is a bit mask (applied by build_reg), not "all of it".
  Inherited inherited(const CompDef& def, Inherited outer) const {
    auto all = [&](const char* name) {
      const PropAssign* p = prop(def, name);
      if (!p) return false;
      if (p->value->kind == Value::Kind::boolean) return p->value->boolean;
      return def.kind != CompKind::reg && p->value->number != 0;
    };
    outer.donttest = outer.donttest || all("donttest");
    outer.dontcompare = outer.dontcompare || all("dontcompare");
    return outer;
  }

  Properties user_properties(const CompDef& def) const {
    Properties out;
    std::vector<const std::string*> names;  // the user properties assigned here or by default
    for (const PropAssign& p : def.props)
      if (m_root.user_properties.count(p.name)) names.push_back(&p.name);
    for (const auto& entry : *def.defaults)
      if (m_root.user_properties.count(entry.first) && !def.prop(entry.first)) names.push_back(&entry.first);
    for (const std::string* n : names) {
      const std::string& name = *n;
      const UserProperty& u = m_root.user_properties.at(name);
      const PropAssign* p = prop(def, name);
      if (!p) continue;
      PropertyValue v;
      v.type = u.type;
      v.number = p->value->number;
      v.boolean = p->value->boolean;
      v.text = p->value->text;
      out[name] = v;
    }
    return out;
  }

  // One of a group of properties that set the same thing (onread, rclr, rset): the body's
  // assignments if it has any, else the defaults'. Two that disagree are an error.
  template <typename T>
  T resolve_group(const CompDef& def, const std::vector<std::pair<const char*, T>>& setters, const char* group, T none,
                  T (*convert)(const std::string&)) const {
    bool any_in_body = false;
    for (const auto& s : setters) any_in_body = any_in_body || def.prop(s.first) != nullptr;
    T result = none;
    const PropAssign* chosen = nullptr;
    for (const auto& [name, value] : setters) {
      const PropAssign* p = any_in_body ? def.prop(name) : prop(def, name);
      if (!p) continue;
      T v = value;
      if (std::string(name) == group) {
        v = convert(p->value->text);
      } else if (!p->value->boolean) {
        continue;  // rclr = false: sets nothing
      }
      if (chosen && v != result)
        fail(p->loc, fmt::format("'{}' conflicts with '{}' at {}", name, chosen->name, chosen->loc.str()));
      result = v;
      chosen = p;
    }
    return result;
  }

  // ------------------------------------------------------------------ fields and registers
  FieldSpec build_field(const CompDef& def, const Instance& inst, unsigned lsb, unsigned width, Inherited inh) const {
    FieldSpec f;
    f.name = inst.name;
    f.hw = HwAccess::rw;
    f.lsb = lsb;
    f.width = width;
    f.loc = inst.loc;
    f.display_name = string_prop(def, "name");
    f.desc = string_prop(def, "desc");
    if (const PropAssign* p = prop(def, "sw")) f.access.sw = sw_of(p->value->text);
    if (const PropAssign* p = prop(def, "hw")) f.hw = hw_of(p->value->text);
    f.access.onread =
        resolve_group<OnRead>(def, {{"onread", OnRead::none}, {"rclr", OnRead::rclr}, {"rset", OnRead::rset}}, "onread",
                              OnRead::none, onread_of);
    f.access.onwrite =
        resolve_group<OnWrite>(def, {{"onwrite", OnWrite::none}, {"woclr", OnWrite::woclr}, {"woset", OnWrite::woset}},
                               "onwrite", OnWrite::none, onwrite_of);
    const std::optional<AccessPolicy> policy = classify(f.access);
    if (!policy)
      fail(inst.loc, fmt::format("field '{}': {} is not an access policy tandem models", f.name, describe(f.access)));
    f.policy = *policy;

    const Value* reset = inst.reset ? &*inst.reset : nullptr;
    if (!reset)
      if (const PropAssign* p = prop(def, "reset")) reset = &*p->value;
    if (reset) {
      if ((reset->number & ~width_mask(width)) != 0)
        fail(reset->loc, fmt::format("reset {:#x} does not fit field '{}' ({} bits)", reset->number, f.name, width));
      f.reset = reset->number;
    }

    if (const PropAssign* p = prop(def, "encode")) {
      f.enum_name = p->enum_ref->name;
      f.enum_values = p->enum_ref->values;
      for (const EnumValueSpec& v : f.enum_values)
        if ((v.value & ~width_mask(width)) != 0)
          fail(p->loc, fmt::format("enum '{}' value {} = {:#x} does not fit field '{}' ({} bits)", f.enum_name, v.name,
                                   v.value, f.name, width));
    }
    f.donttest = test_mask(def, "donttest", width, inh.donttest, f.name);
    f.dontcompare = test_mask(def, "dontcompare", width, inh.dontcompare, f.name);
    f.properties = user_properties(def);
    return f;
  }

  uint64_t test_mask(const CompDef& def, const char* name, unsigned width, bool inherited_all,
                     const std::string& field) const {
    if (inherited_all) return width_mask(width);
    const PropAssign* p = prop(def, name);
    if (!p) return 0;
    if (p->value->kind == Value::Kind::boolean) return p->value->boolean ? width_mask(width) : 0;
    if ((p->value->number & ~width_mask(width)) != 0)
      fail(p->value->loc,
           fmt::format("{} mask {:#x} does not fit field '{}' ({} bits)", name, p->value->number, field, width));
    return p->value->number;
  }

  unsigned width_prop(const CompDef& def, const char* name, unsigned fallback, unsigned max) const {
    const PropAssign* p = prop(def, name);
    if (!p) return fallback;
    const uint64_t w = p->value->number;
    if (w < 8 || w > 64 || (w & (w - 1)) != 0)
      fail(p->value->loc, fmt::format("{} {} is not a power of two between 8 and 64", name, w));
    if (w > max) fail(p->value->loc, fmt::format("{} {} is above the regwidth {}", name, w, max));
    return unsigned(w);
  }

  RegisterSpec build_reg(const CompDef& def, const Instance& inst, Inherited outer) const {
    RegisterSpec r;
    r.name = inst.name;
    r.loc = inst.loc;
    r.width = width_prop(def, "regwidth", 32, 64);
    r.access_width = width_prop(def, "accesswidth", r.width, r.width);
    r.display_name = string_prop(def, "name");
    r.desc = string_prop(def, "desc");
    r.properties = user_properties(def);
    const Inherited inh = inherited(def, outer);
    // A register's donttest/dontcompare bit mask lands on the fields under it.
    auto reg_mask = [&](const char* name) -> uint64_t {
      const PropAssign* p = prop(def, name);
      if (!p || p->value->kind != Value::Kind::number) return 0;
      if ((p->value->number & ~width_mask(r.width)) != 0)
        fail(p->value->loc,
             fmt::format("{} mask {:#x} does not fit the {}-bit register", name, p->value->number, r.width));
      return p->value->number;
    };
    const uint64_t donttest = reg_mask("donttest"), dontcompare = reg_mask("dontcompare");
    unsigned next_lsb = 0;
    for (const Instance& fi : def.instances) {
      if (!present(*fi.def)) continue;
      unsigned lsb = next_lsb, width = 1;
      if (fi.range) {
        lsb = fi.range->second;
        width = fi.range->first - fi.range->second + 1;
      } else if (fi.width) {
        width = *fi.width;
      }
      const unsigned msb = lsb + width - 1;
      if (lsb >= r.width || msb >= r.width)
        fail(fi.loc, fmt::format("field '{}' [{}:{}] does not fit the {}-bit register", fi.name, msb, lsb, r.width));
      for (const FieldSpec& other : r.fields)
        if (lsb <= other.msb() && other.lsb <= msb)
          fail(fi.loc, fmt::format("field '{}' [{}:{}] overlaps field '{}' [{}:{}]", fi.name, msb, lsb, other.name,
                                   other.msb(), other.lsb));
      FieldSpec f = build_field(*fi.def, fi, lsb, width, inh);
      f.donttest |= (donttest >> lsb) & width_mask(width);
      f.dontcompare |= (dontcompare >> lsb) & width_mask(width);
      r.fields.push_back(std::move(f));
      next_lsb = msb + 1;
    }
    if (r.fields.empty()) fail(inst.loc, fmt::format("register '{}' has no fields", inst.name));
    std::sort(r.fields.begin(), r.fields.end(), [](const FieldSpec& a, const FieldSpec& b) { return a.lsb < b.lsb; });
    return r;
  }

  // ------------------------------------------------------------------ blocks and addresses
  uint64_t checked_add(uint64_t a, uint64_t b, const SourceLoc& at) const {
    uint64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) fail(at, "address does not fit 64 bits");
    return out;
  }
  uint64_t checked_mul(uint64_t a, uint64_t b, const SourceLoc& at) const {
    uint64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) fail(at, "address does not fit 64 bits");
    return out;
  }
  uint64_t round_up(uint64_t v, uint64_t align, const SourceLoc& at) const {
    const uint64_t r = v % align;
    return r == 0 ? v : checked_add(v, align - r, at);
  }

  Block build_block(const CompDef& def, Inherited inh, unsigned depth, bool is_top) {
    if (depth > kMaxDepth) fail(def.loc, fmt::format("hierarchy deeper than {} levels", kMaxDepth));
    if (!is_top) {
      for (const PropAssign& p : def.props)
        if (m_root.user_properties.count(p.name))
          fail(p.loc, fmt::format("unsupported construct 'user property on a nested {}'", kind_name(def.kind)));
    }
    Block out;
    uint64_t next = 0;
    for (const Instance& inst : def.instances) {
      const CompDef& child = *inst.def;
      if (!present(child)) continue;
      std::vector<Placed> elem;
      uint64_t elem_size = 0, elem_align = 1;
      if (child.kind == CompKind::reg) {
        Placed p;
        p.reg = build_reg(child, inst, inh);
        elem_size = elem_align = p.reg.bytes();
        elem.push_back(std::move(p));
      } else {
        Block b = build_block(child, inherited(child, inh), depth + 1, false);
        if (b.regs.empty())
          fail(inst.loc, fmt::format("{} '{}' contains no registers", kind_name(child.kind), inst.name));
        elem_align = b.align;
        elem_size = round_up(b.size, b.align, inst.loc);
        elem = std::move(b.regs);
      }
      uint64_t addr = 0;
      if (inst.at)
        addr = *inst.at;
      else if (inst.align)
        addr = round_up(next, *inst.align, inst.loc);
      else
        addr = round_up(next, elem_align, inst.loc);
      const uint64_t count = inst.array.value_or(1);
      const uint64_t stride = inst.stride.value_or(elem_size);
      if (m_placed + count * elem.size() > kMaxRegisters)
        fail(inst.loc, fmt::format("more than {} registers", kMaxRegisters));
      for (uint64_t i = 0; i < count; ++i) {
        const uint64_t base = checked_add(addr, checked_mul(i, stride, inst.loc), inst.loc);
        const std::string prefix = inst.array ? fmt::format("{}[{}]", inst.name, i) : inst.name;
        for (const Placed& e : elem) {
          Placed p = e;
          p.reg.offset = checked_add(base, e.reg.offset, inst.loc);
          checked_add(p.reg.offset, p.reg.bytes(), inst.loc);
          p.reg.name = child.kind == CompKind::reg ? prefix : prefix + "." + e.reg.name;
          p.order = m_placed++;
          out.regs.push_back(std::move(p));
        }
      }
      const uint64_t end =
          checked_add(checked_add(addr, checked_mul(count - 1, stride, inst.loc), inst.loc), elem_size, inst.loc);
      next = end;
      out.size = std::max(out.size, end);
      out.align = std::max(out.align, elem_align);
    }
    return out;
  }

  void check_overlaps(std::vector<Placed>& regs) const {
    std::vector<const Placed*> sorted;
    for (const Placed& p : regs) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Placed* a, const Placed* b) { return a->reg.offset < b->reg.offset; });
    for (size_t i = 1; i < sorted.size(); ++i) {
      const Placed* a = sorted[i - 1];
      const Placed* b = sorted[i];
      if (b->reg.offset >= a->reg.offset + a->reg.bytes()) continue;
      const Placed* later = a->order > b->order ? a : b;
      const Placed* earlier = later == a ? b : a;
      fail(later->reg.loc,
           fmt::format("register '{}' at {:#x}..{:#x} overlaps register '{}' at {:#x}..{:#x}", later->reg.name,
                       later->reg.offset, later->reg.offset + later->reg.bytes() - 1, earlier->reg.name,
                       earlier->reg.offset, earlier->reg.offset + earlier->reg.bytes() - 1));
    }
  }

  const Root& m_root;
  const std::string& m_file;
  size_t m_placed = 0;
};

}  // namespace

MapSpec elaborate(const Root& root, const std::string& top, const std::string& file) {
  return Elaborator(root, file).run(top);
}

}  // namespace tandem::rdl
