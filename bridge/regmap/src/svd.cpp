// CMSIS-SVD reader: device, peripherals, clusters, registers, fields and enumerated values into
// a MapSpec, with derivedFrom, dim arrays and the register-properties group inherited down.
#include "tandem/svd.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "tandem/error.h"
#include "tandem/files.h"
#include "tandem/rdl.h"

namespace tandem {

namespace {

constexpr size_t kMaxRegisters = 1u << 16;
constexpr uint64_t kMaxDim = 1u << 16;
constexpr unsigned kMaxDerivation = 16;
constexpr unsigned kMaxClusterDepth = 32;

uint64_t width_mask(unsigned width) { return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1; }

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::strchr(" \t\r\n", s[a])) ++a;
  while (b > a && std::strchr(" \t\r\n", s[b - 1])) --b;
  return s.substr(a, b - a);
}

// Descriptions are wrapped and indented freely in SVD files; compare them as words.
std::string squeeze(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The register-properties group, inherited device -> peripheral -> cluster -> register.
struct RegProps {
  unsigned size = 32;
  std::optional<SwAccess> access;
  uint64_t reset_value = 0;
  std::optional<uint64_t> reset_mask;
};

// A node and the chain of nodes it derives from (derivedFrom), nearest first.
struct Node {
  pugi::xml_node own;
  std::vector<pugi::xml_node> bases;

  pugi::xml_node child(const char* name) const {
    if (pugi::xml_node c = own.child(name)) return c;
    for (const pugi::xml_node& b : bases)
      if (pugi::xml_node c = b.child(name)) return c;
    return {};
  }
};

class SvdReader {
 public:
  SvdReader(const std::string& text, const std::string& file) : m_text(text), m_file(file) {}

  MapSpec run() {
    const pugi::xml_parse_result ok =
        m_doc.load_buffer(m_text.data(), m_text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!ok) fail_at(size_t(std::max<ptrdiff_t>(ok.offset, 0)), fmt::format("XML: {}", ok.description()));
    const pugi::xml_node device = m_doc.child("device");
    if (!device) {
      const pugi::xml_node first = m_doc.first_child();
      fail_at(first ? size_t(first.offset_debug()) : 0, "not a CMSIS-SVD file (no <device> element)");
    }
    // clang-format off
    check_children(device, "device",
                   {"name", "description", "size", "access", "resetValue", "resetMask", "peripherals",
                    "addressUnitBits", "width", "protection", "vendor", "vendorID", "series", "version",
                    "licenseText", "cpu", "headerSystemFilename", "headerDefinitionsPrefix", "vendorExtensions"});
    // clang-format on
    collect_enum_sets();
    if (pugi::xml_node aub = device.child("addressUnitBits"))
      if (number(aub) != 8) fail(aub, "unsupported construct 'addressUnitBits other than 8'");

    MapSpec spec;
    spec.source = m_file;
    spec.format = "svd";
    spec.name = text_of(device.child("name"));
    spec.desc = squeeze(text_of(device.child("description")));
    const RegProps device_props = reg_props(Node{device, {}}, RegProps{});

    struct PeripheralInstance {
      Node node;
      std::string name;
      uint64_t base = 0;
      std::string desc;
    };
    std::vector<PeripheralInstance> peripherals;
    pugi::xml_node list = device.child("peripherals");
    if (!list) fail(device, "<device> has no <peripherals>");
    check_children(list, "peripherals", {"peripheral"});
    for (pugi::xml_node p : list.children("peripheral")) {
      const Node node = derive(p, [&](const std::string& ref) { return find_peripheral(device, ref); });
      // clang-format off
      check_children(p, "peripheral",
                     {"name", "description", "baseAddress", "size", "access", "resetValue", "resetMask",
                      "registers", "dim", "dimIncrement", "dimIndex", "dimName", "dimArrayIndex", "protection",
                      "version", "alternatePeripheral", "groupName", "prependToName", "appendToName",
                      "headerStructName", "disableCondition", "addressBlock", "interrupt"});
      // clang-format on
      // derivedFrom copies everything but the name: a peripheral without its own would repeat
      // its base's registers under the base's name.
      if (!p.child("name")) fail(p, "<peripheral> has no <name> of its own (derivedFrom does not give one)");
      const pugi::xml_node base_el = required(node, "baseAddress", p);
      const uint64_t base = number(base_el);
      for (const auto& [name, index] : dim_names(node, p)) {
        PeripheralInstance pi;
        pi.node = node;
        pi.name = name;
        pi.base = add(base, mul(index, dim_increment(node, p), p), p);
        pi.desc = squeeze(text_of(node.child("description")));
        peripherals.push_back(std::move(pi));
      }
    }
    if (peripherals.empty()) fail(list, "no peripherals");
    std::set<std::string> peripheral_names;
    for (const PeripheralInstance& pi : peripherals)
      if (!peripheral_names.insert(pi.name).second)
        fail(pi.node.own, fmt::format("peripheral '{}' is defined twice", pi.name));
    const bool single = peripherals.size() == 1;
    if (single) {
      spec.name = peripherals[0].name;
      spec.desc = peripherals[0].desc;
    }
    std::vector<Placed> all;
    for (const PeripheralInstance& pi : peripherals) {
      const RegProps props = reg_props(pi.node, device_props);
      std::vector<Placed> regs;
      const pugi::xml_node registers = pi.node.child("registers");
      if (!registers) fail(pi.node.own, fmt::format("peripheral '{}' has no <registers>", pi.name));
      read_container(registers, "registers", single ? 0 : pi.base, single ? "" : pi.name + ".", props, regs, 0);
      check_overlaps(regs);
      for (Placed& r : regs) all.push_back(std::move(r));
    }
    // The map is flat: peripherals must not overlap each other either.
    check_overlaps(all);
    for (Placed& r : all) spec.registers.push_back(std::move(r.reg));
    std::stable_sort(spec.registers.begin(), spec.registers.end(),
                     [](const RegisterSpec& a, const RegisterSpec& b) { return a.offset < b.offset; });
    return spec;
  }

 private:
  struct Placed {
    RegisterSpec reg;
    bool alternate = false;  // alternateRegister / alternateGroup: allowed to overlap
  };

  // ------------------------------------------------------------------ errors and locations
  // pugixml gives byte offsets; every register and field records its line, so look lines up
  // in an index of newlines rather than counting from the start each time.
  unsigned line_of(size_t offset) const {
    if (!m_newlines_indexed) {
      for (size_t i = 0; i < m_text.size(); ++i)
        if (m_text[i] == '\n') m_newlines.push_back(i);
      m_newlines_indexed = true;
    }
    return unsigned(std::lower_bound(m_newlines.begin(), m_newlines.end(), offset) - m_newlines.begin()) + 1;
  }
  SourceLoc loc(const pugi::xml_node& n) const {
    return {m_file, n ? line_of(size_t(std::max<ptrdiff_t>(n.offset_debug(), 0))) : 1, 0};
  }
  [[noreturn]] void fail_at(size_t offset, const std::string& what) const {
    throw Error(fmt::format("{}:{}: {}", m_file, line_of(offset), what));
  }
  [[noreturn]] void fail(const pugi::xml_node& n, const std::string& what) const {
    throw Error(fmt::format("{}: {}", loc(n).str(), what));
  }

  // Every child element of `n` must be one the reader knows (handled or deliberately ignored).
  void check_children(const pugi::xml_node& n, const char* what, std::initializer_list<const char*> known) const {
    for (pugi::xml_node c : n.children()) {
      if (c.type() != pugi::node_element) {
        if (c.type() == pugi::node_pcdata && !trim(c.value()).empty())
          fail(c, fmt::format("unexpected text in <{}>", what));
        continue;
      }
      bool ok = false;
      for (const char* k : known) ok = ok || std::strcmp(c.name(), k) == 0;
      if (!ok) fail(c, fmt::format("unsupported element <{}> in <{}>", c.name(), what));
    }
  }

  // Every <enumeratedValues> in document order: the targets of their derivedFrom.
  void collect_enum_sets() {
    struct Walker : pugi::xml_tree_walker {
      std::vector<pugi::xml_node>* out = nullptr;
      bool for_each(pugi::xml_node& n) override {
        if (n.type() == pugi::node_element && std::strcmp(n.name(), "enumeratedValues") == 0) out->push_back(n);
        return true;
      }
    } walker;
    std::vector<pugi::xml_node> all;
    walker.out = &all;
    m_doc.traverse(walker);
    for (const pugi::xml_node& ev : all)
      if (!ev.attribute("derivedFrom")) m_enum_by_name.emplace(text_of(ev.child("name")), ev);
  }

  // ------------------------------------------------------------------ values
  static std::string text_of(const pugi::xml_node& n) { return trim(n.child_value()); }

  pugi::xml_node required(const Node& node, const char* name, const pugi::xml_node& at) const {
    pugi::xml_node c = node.child(name);
    if (!c) fail(at, fmt::format("<{}> is missing <{}>", at.name(), name));
    return c;
  }

  // scaledNonNegativeInteger: decimal, 0x hex or # binary, optional k/M/G/T multiplier.
  uint64_t number(const pugi::xml_node& n) const {
    const std::string s = text_of(n);
    return parse_number(s, n);
  }

  uint64_t parse_number(const std::string& text, const pugi::xml_node& at) const {
    std::string s = text;
    if (!s.empty() && s[0] == '+') s = s.substr(1);
    unsigned base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      base = 16;
      s = s.substr(2);
    } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
      base = 2;
      s = s.substr(2);
    } else if (!s.empty() && s[0] == '#') {
      base = 2;
      s = s.substr(1);
    }
    uint64_t scale = 1;
    if (!s.empty() && base != 16) {
      const char last = s.back();
      if (last == 'k' || last == 'K') scale = uint64_t(1) << 10;
      if (last == 'm' || last == 'M') scale = uint64_t(1) << 20;
      if (last == 'g' || last == 'G') scale = uint64_t(1) << 30;
      if (last == 't' || last == 'T') scale = uint64_t(1) << 40;
      if (scale != 1) s.pop_back();
    }
    if (s.empty()) fail(at, fmt::format("<{}>: '{}' is not a number", at.name(), text));
    uint64_t v = 0;
    for (char c : s) {
      int d = 99;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else if ((c == 'x' || c == 'X') && base == 2)
        fail(at, fmt::format("unsupported construct 'don't-care bits in {}'", text));
      if (d >= int(base)) fail(at, fmt::format("<{}>: '{}' is not a number", at.name(), text));
      if (v > (~uint64_t(0) - unsigned(d)) / base)
        fail(at, fmt::format("<{}>: '{}' does not fit 64 bits", at.name(), text));
      v = v * base + unsigned(d);
    }
    return mul(v, scale, at);
  }

  uint64_t add(uint64_t a, uint64_t b, const pugi::xml_node& at) const {
    uint64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) fail(at, "address does not fit 64 bits");
    return out;
  }
  uint64_t mul(uint64_t a, uint64_t b, const pugi::xml_node& at) const {
    uint64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) fail(at, "value does not fit 64 bits");
    return out;
  }

  SwAccess access_of(const pugi::xml_node& n) const {
    const std::string s = text_of(n);
    if (s == "read-only") return SwAccess::r;
    if (s == "write-only") return SwAccess::w;
    if (s == "read-write") return SwAccess::rw;
    if (s == "writeOnce") return SwAccess::w1;
    if (s == "read-writeOnce") return SwAccess::rw1;
    fail(n, fmt::format("<access>: unknown value '{}'", s));
  }

  OnWrite modified_write_of(const pugi::xml_node& n) const {
    const std::string s = text_of(n);
    static const std::pair<const char*, OnWrite> kValues[] = {
        {"oneToClear", OnWrite::woclr}, {"oneToSet", OnWrite::woset}, {"oneToToggle", OnWrite::wot},
        {"zeroToClear", OnWrite::wzc},  {"zeroToSet", OnWrite::wzs},  {"zeroToToggle", OnWrite::wzt},
        {"clear", OnWrite::wclr},       {"set", OnWrite::wset},       {"modify", OnWrite::none}};
    for (const auto& [name, v] : kValues)
      if (s == name) return v;
    fail(n, fmt::format("<modifiedWriteValues>: unknown value '{}'", s));
  }

  // readAction: clear / set are exact; modify means "changes in a way the file does not say",
  // which tandem keeps as a volatile field with no read side effect it could check.
  OnRead read_action_of(const pugi::xml_node& n, bool& modify) const {
    const std::string s = text_of(n);
    if (s == "clear") return OnRead::rclr;
    if (s == "set") return OnRead::rset;
    if (s == "modify") {
      modify = true;
      return OnRead::none;
    }
    if (s == "modifyExternal") fail(n, "unsupported construct 'readAction modifyExternal'");
    fail(n, fmt::format("<readAction>: unknown value '{}'", s));
  }

  RegProps reg_props(const Node& n, RegProps p) const {
    if (pugi::xml_node c = n.child("size")) {
      const uint64_t size = number(c);
      if (size < 8 || size > 64 || (size & (size - 1)) != 0)
        fail(c, fmt::format("<size> {} is not a power of two between 8 and 64", size));
      p.size = unsigned(size);
    }
    if (pugi::xml_node c = n.child("access")) p.access = access_of(c);
    if (pugi::xml_node c = n.child("resetValue")) p.reset_value = number(c);
    if (pugi::xml_node c = n.child("resetMask")) p.reset_mask = number(c);
    return p;
  }

  // ------------------------------------------------------------------ derivedFrom and dim
  template <typename Find>
  Node derive(const pugi::xml_node& n, Find find) const {
    Node out{n, {}};
    pugi::xml_node cur = n;
    std::set<const void*> seen{n.internal_object()};
    while (pugi::xml_attribute a = cur.attribute("derivedFrom")) {
      const std::string ref = trim(a.value());
      pugi::xml_node base = find(ref);
      if (!base) fail(cur, fmt::format("derivedFrom '{}': no such {}", ref, cur.name()));
      if (!seen.insert(base.internal_object()).second) fail(cur, fmt::format("derivedFrom '{}' forms a cycle", ref));
      if (out.bases.size() >= kMaxDerivation)
        fail(cur, fmt::format("derivedFrom chain longer than {}", kMaxDerivation));
      out.bases.push_back(base);
      cur = base;
    }
    return out;
  }

  // The first `element` child of `parent` called `name`; indexed once per parent, since a file
  // may derive thousands of elements from siblings.
  pugi::xml_node named_child(const pugi::xml_node& parent, const char* element, const std::string& name) const {
    auto& index = m_name_index[{parent.internal_object(), element}];
    if (index.empty())
      for (pugi::xml_node c : parent.children(element)) index.emplace(text_of(c.child("name")), c);
    auto it = index.find(name);
    return it == index.end() ? pugi::xml_node() : it->second;
  }

  pugi::xml_node find_peripheral(const pugi::xml_node& device, const std::string& name) const {
    return named_child(device.child("peripherals"), "peripheral", name);
  }

  // "REG" among the siblings, or "PERIPH.CLUSTER.REG" from the device.
  pugi::xml_node find_register_like(const pugi::xml_node& n, const std::string& ref) const {
    if (ref.find('.') == std::string::npos) {
      pugi::xml_node c = named_child(n.parent(), "register", ref);
      return c ? c : named_child(n.parent(), "cluster", ref);
    }
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t dot; (dot = ref.find('.', start)) != std::string::npos; start = dot + 1)
      parts.push_back(ref.substr(start, dot - start));
    parts.push_back(ref.substr(start));
    pugi::xml_node cur = find_peripheral(m_doc.child("device"), parts[0]);
    if (!cur) return {};
    cur = cur.child("registers");
    for (size_t i = 1; i < parts.size() && cur; ++i) {
      pugi::xml_node next = named_child(cur, "cluster", parts[i]);
      if (!next || i + 1 == parts.size()) {
        pugi::xml_node reg = named_child(cur, "register", parts[i]);
        next = reg ? reg : next;
      }
      cur = next;
    }
    return cur;
  }

  pugi::xml_node find_field(const pugi::xml_node& n, const std::string& ref) const {
    const size_t dot = ref.rfind('.');
    if (dot == std::string::npos) return named_child(n.parent(), "field", ref);
    const pugi::xml_node reg = find_register_like(n, ref.substr(0, dot));
    return reg ? named_child(reg.child("fields"), "field", ref.substr(dot + 1)) : pugi::xml_node();
  }

  uint64_t dim_increment(const Node& n, const pugi::xml_node& at) const {
    if (!n.child("dim")) return 0;
    return number(required(n, "dimIncrement", at));
  }

  // The names (with %s substituted) and indices of a possibly dim'ed element.
  std::vector<std::pair<std::string, uint64_t>> dim_names(const Node& n, const pugi::xml_node& at) const {
    const std::string name = text_of(required(n, "name", at));
    if (name.empty()) fail(at, fmt::format("<{}> has an empty <name>", at.name()));
    const pugi::xml_node dim_el = n.child("dim");
    const size_t placeholder = name.find("%s");
    if (!dim_el) {
      if (placeholder != std::string::npos) fail(at, fmt::format("'{}' has %s but no <dim>", name));
      return {{name, 0}};
    }
    const uint64_t dim = number(dim_el);
    if (dim == 0 || dim > kMaxDim) fail(dim_el, fmt::format("<dim> {} is not between 1 and {}", dim, kMaxDim));
    if (placeholder == std::string::npos) fail(at, fmt::format("'{}' has <dim> but no %s in its name", name));
    std::vector<std::string> indices;
    if (pugi::xml_node di = n.child("dimIndex")) {
      const std::string s = text_of(di);
      const size_t dash = s.find('-');
      if (s.find(',') != std::string::npos || dash == std::string::npos) {
        size_t start = 0;
        for (;;) {
          const size_t comma = s.find(',', start);
          indices.push_back(trim(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      } else {
        const std::string a = trim(s.substr(0, dash)), b = trim(s.substr(dash + 1));
        if (a.size() == 1 && b.size() == 1 && std::isupper(static_cast<unsigned char>(a[0])) &&
            std::isupper(static_cast<unsigned char>(b[0])) && a[0] <= b[0]) {
          for (char c = a[0]; c <= b[0]; ++c) indices.push_back(std::string(1, c));
        } else {
          const uint64_t lo = parse_number(a, di), hi = parse_number(b, di);
          if (lo > hi || hi - lo >= kMaxDim) fail(di, fmt::format("<dimIndex> '{}' is not a range", s));
          for (uint64_t i = lo; i <= hi; ++i) indices.push_back(std::to_string(i));
        }
      }
      if (indices.size() != dim)
        fail(di, fmt::format("<dimIndex> '{}' names {} elements, <dim> is {}", s, indices.size(), dim));
    } else {
      for (uint64_t i = 0; i < dim; ++i) indices.push_back(std::to_string(i));
    }
    std::vector<std::pair<std::string, uint64_t>> out;
    for (uint64_t i = 0; i < dim; ++i) {
      std::string full = name;
      full.replace(placeholder, 2, indices[i]);
      out.emplace_back(full, i);
    }
    return out;
  }

  // ------------------------------------------------------------------ registers and clusters
  void read_container(const pugi::xml_node& container, const char* what, uint64_t base, const std::string& prefix,
                      const RegProps& props, std::vector<Placed>& out, unsigned depth) {
    if (depth > kMaxClusterDepth) fail(container, fmt::format("clusters nested deeper than {}", kMaxClusterDepth));
    if (std::strcmp(what, "registers") == 0) check_children(container, what, {"register", "cluster"});
    for (pugi::xml_node c : container.children()) {
      if (c.type() != pugi::node_element) continue;
      const bool is_cluster = std::strcmp(c.name(), "cluster") == 0;
      if (!is_cluster && std::strcmp(c.name(), "register") != 0) continue;
      const Node node = derive(c, [&](const std::string& ref) { return find_register_like(c, ref); });
      if (is_cluster) {
        check_children(c, "cluster",
                       {"name", "description", "addressOffset", "size", "access", "resetValue", "resetMask", "register",
                        "cluster", "dim", "dimIncrement", "dimIndex", "dimName", "dimArrayIndex", "alternateCluster",
                        "headerStructName", "protection"});
        const RegProps cprops = reg_props(node, props);
        const uint64_t offset = add(base, number(required(node, "addressOffset", c)), c);
        const uint64_t step = dim_increment(node, c);
        // A derived cluster without registers of its own takes its base's.
        pugi::xml_node body = c;
        if (!c.child("register") && !c.child("cluster"))
          for (const pugi::xml_node& b : node.bases)
            if (b.child("register") || b.child("cluster")) {
              body = b;
              break;
            }
        for (const auto& [name, index] : dim_names(node, c))
          read_container(body, "cluster", add(offset, mul(index, step, c), c), prefix + name + ".", cprops, out,
                         depth + 1);
      } else {
        read_register(node, c, base, prefix, props, out);
      }
    }
  }

  void read_register(const Node& node, const pugi::xml_node& el, uint64_t base, const std::string& prefix,
                     const RegProps& inherited, std::vector<Placed>& out) {
    check_children(el, "register",
                   {"name",
                    "description",
                    "addressOffset",
                    "size",
                    "access",
                    "resetValue",
                    "resetMask",
                    "modifiedWriteValues",
                    "readAction",
                    "fields",
                    "dim",
                    "dimIncrement",
                    "dimIndex",
                    "dimName",
                    "dimArrayIndex",
                    "displayName",
                    "alternateGroup",
                    "alternateRegister",
                    "protection",
                    "dataType",
                    "writeConstraint"});
    const RegProps props = reg_props(node, inherited);
    const uint64_t offset = add(base, number(required(node, "addressOffset", el)), el);
    const uint64_t step = dim_increment(node, el);
    RegisterSpec tmpl;
    tmpl.width = tmpl.access_width = props.size;
    tmpl.desc = squeeze(text_of(node.child("description")));
    tmpl.display_name = text_of(node.child("displayName"));
    tmpl.loc = loc(el);
    const uint64_t reset_mask = props.reset_mask.value_or(width_mask(props.size)) & width_mask(props.size);
    const uint64_t reset_value = props.reset_value;
    if ((reset_value & ~width_mask(props.size)) != 0)
      fail(el, fmt::format("<resetValue> {:#x} does not fit the {}-bit register", reset_value, props.size));
    const SwAccess access = props.access.value_or(SwAccess::rw);
    OnWrite onwrite = OnWrite::none;
    if (pugi::xml_node m = node.child("modifiedWriteValues")) onwrite = modified_write_of(m);
    bool modify = false;
    OnRead onread = OnRead::none;
    if (pugi::xml_node r = node.child("readAction")) onread = read_action_of(r, modify);

    const pugi::xml_node fields = node.child("fields");
    if (fields) {
      check_children(fields, "fields", {"field"});
      for (pugi::xml_node f : fields.children("field"))
        read_field(f, tmpl, access, onread, onwrite, modify, reset_value, reset_mask);
    } else {
      // A register without fields is one field of its own name covering every bit.
      FieldSpec f;
      f.name = text_of(required(node, "name", el));
      for (const char* placeholder : {"[%s]", "%s"})
        for (size_t at; (at = f.name.find(placeholder)) != std::string::npos;)
          f.name.erase(at, std::strlen(placeholder));
      f.width = props.size;
      f.loc = tmpl.loc;
      set_access(f, {access, onread, onwrite}, modify, el);
      f.reset = reset_of(0, props.size, reset_value, reset_mask, f.name, el);
      tmpl.fields.push_back(std::move(f));
    }
    if (tmpl.fields.empty()) fail(el, "register has an empty <fields>");
    std::sort(tmpl.fields.begin(), tmpl.fields.end(),
              [](const FieldSpec& a, const FieldSpec& b) { return a.lsb < b.lsb; });
    const bool alternate = node.child("alternateRegister") || node.child("alternateGroup");
    const auto names = dim_names(node, el);
    if (out.size() + names.size() > kMaxRegisters) fail(el, fmt::format("more than {} registers", kMaxRegisters));
    for (const auto& [name, index] : names) {
      Placed p;
      p.reg = tmpl;
      p.reg.name = prefix + name;
      p.reg.offset = add(offset, mul(index, step, el), el);
      add(p.reg.offset, p.reg.bytes(), el);
      p.alternate = alternate;
      out.push_back(std::move(p));
    }
  }

  void set_access(FieldSpec& f, const AccessTriple& t, bool modify, const pugi::xml_node& at) const {
    f.access = t;
    const std::optional<AccessPolicy> p = classify(t);
    if (!p) fail(at, fmt::format("field '{}': {} is not an access policy tandem models", f.name, describe(t)));
    f.policy = *p;
    if (modify) f.properties[kVolatileProperty] = PropertyValue::of_boolean(true);
  }

  std::optional<uint64_t> reset_of(unsigned lsb, unsigned width, uint64_t value, uint64_t mask,
                                   const std::string& field, const pugi::xml_node& at) const {
    const uint64_t bits = width_mask(width) << lsb;
    if ((mask & bits) == 0) return std::nullopt;
    if ((mask & bits) != bits) fail(at, fmt::format("<resetMask> covers only part of field '{}'", field));
    return (value >> lsb) & width_mask(width);
  }

  void read_field(const pugi::xml_node& el, RegisterSpec& reg, SwAccess reg_access, OnRead reg_onread,
                  OnWrite reg_onwrite, bool reg_modify, uint64_t reset_value, uint64_t reset_mask) {
    const Node node = derive(el, [&](const std::string& ref) { return find_field(el, ref); });
    check_children(el, "field",
                   {"name", "description", "bitOffset", "bitWidth", "lsb", "msb", "bitRange", "access",
                    "modifiedWriteValues", "readAction", "enumeratedValues", "dim", "dimIncrement", "dimIndex",
                    "dimName", "dimArrayIndex", "writeConstraint"});
    unsigned lsb = 0, width = 0;
    if (pugi::xml_node off = node.child("bitOffset")) {
      const uint64_t o = number(off);
      const uint64_t w = node.child("bitWidth") ? number(node.child("bitWidth")) : 1;
      if (o >= 64 || w == 0 || w > 64)
        fail(el, fmt::format("bit offset {} width {} is not a field of a register", o, w));
      lsb = unsigned(o);
      width = unsigned(w);
    } else if (pugi::xml_node l = node.child("lsb")) {
      const uint64_t lo = number(l), hi = number(required(node, "msb", el));
      if (hi < lo || hi >= 64) fail(el, fmt::format("lsb {} msb {} is not a field of a register", lo, hi));
      lsb = unsigned(lo);
      width = unsigned(hi - lo + 1);
    } else if (pugi::xml_node r = node.child("bitRange")) {
      const std::string s = text_of(r);
      unsigned hi = 0, lo = 0;
      char close = 0;
      if (std::sscanf(s.c_str(), "[%u:%u%c", &hi, &lo, &close) != 3 || close != ']' || hi < lo || hi >= 64 ||
          s.back() != ']')
        fail(r, fmt::format("<bitRange> '{}' is not [msb:lsb]", s));
      lsb = lo;
      width = hi - lo + 1;
    } else {
      fail(el, "field has no bitOffset, lsb/msb or bitRange");
    }

    const SwAccess sw = node.child("access") ? access_of(node.child("access")) : reg_access;
    OnWrite onwrite = reg_onwrite;
    if (pugi::xml_node m = node.child("modifiedWriteValues")) onwrite = modified_write_of(m);
    bool modify = reg_modify;
    OnRead onread = reg_onread;
    if (pugi::xml_node r = node.child("readAction")) {
      modify = false;
      onread = read_action_of(r, modify);
    }
    const std::string desc = squeeze(text_of(node.child("description")));
    std::vector<EnumValueSpec> values;
    std::string enum_name;
    m_enum_seen.clear();
    for (pugi::xml_node ev : node.own.children("enumeratedValues")) read_enum(ev, enum_name, values, width);
    if (!node.own.child("enumeratedValues"))
      for (const pugi::xml_node& b : node.bases)
        if (b.child("enumeratedValues")) {
          for (pugi::xml_node ev : b.children("enumeratedValues")) read_enum(ev, enum_name, values, width);
          break;
        }

    const uint64_t step = dim_increment(node, el);
    for (const auto& [name, index] : dim_names(node, el)) {
      FieldSpec f;
      f.name = name;
      const uint64_t at = uint64_t(lsb) + index * step;
      if (at + width > reg.width)
        fail(el,
             fmt::format("field '{}' [{}:{}] does not fit the {}-bit register", name, at + width - 1, at, reg.width));
      f.lsb = unsigned(at);
      f.width = width;
      f.desc = desc;
      f.loc = loc(el);
      f.enum_name = enum_name;
      f.enum_values = values;
      set_access(f, {sw, onread, onwrite}, modify, el);
      f.reset = reset_of(f.lsb, width, reset_value, reset_mask, name, el);
      for (const FieldSpec& other : reg.fields) {
        if (other.name == f.name) fail(el, fmt::format("field '{}' is defined twice", f.name));
        if (f.lsb <= other.msb() && other.lsb <= f.msb())
          fail(el, fmt::format("field '{}' [{}:{}] overlaps field '{}' [{}:{}]", f.name, f.msb(), f.lsb, other.name,
                               other.msb(), other.lsb));
      }
      reg.fields.push_back(std::move(f));
    }
  }

  void read_enum(const pugi::xml_node& ev_in, std::string& enum_name, std::vector<EnumValueSpec>& values,
                 unsigned width) {
    pugi::xml_node ev = ev_in;
    if (pugi::xml_attribute a = ev.attribute("derivedFrom")) {
      const std::string ref = trim(a.value());
      const std::string last = ref.substr(ref.rfind('.') == std::string::npos ? 0 : ref.rfind('.') + 1);
      auto found = m_enum_by_name.find(last);
      const pugi::xml_node base = found == m_enum_by_name.end() ? pugi::xml_node() : found->second;
      if (!base) fail(ev, fmt::format("derivedFrom '{}': no such enumeratedValues", ref));
      ev = base;
    }
    check_children(ev, "enumeratedValues", {"name", "headerEnumName", "usage", "enumeratedValue"});
    if (enum_name.empty()) enum_name = text_of(ev.child("name"));
    for (pugi::xml_node v : ev.children("enumeratedValue")) {
      check_children(v, "enumeratedValue", {"name", "description", "value", "isDefault"});
      if (!v.child("value")) {
        if (!v.child("isDefault")) fail(v, "<enumeratedValue> has neither <value> nor <isDefault>");
        continue;  // "every other value": nothing to compare
      }
      EnumValueSpec e;
      e.name = text_of(required(Node{v, {}}, "name", v));
      e.desc = squeeze(text_of(v.child("description")));
      e.value = number(v.child("value"));
      if ((e.value & ~width_mask(width)) != 0)
        fail(v, fmt::format("enumerated value {} = {:#x} does not fit the {}-bit field", e.name, e.value, width));
      // The same value under read and under write usage is one value.
      auto [it, fresh] = m_enum_seen.emplace(e.name, e.value);
      if (!fresh && it->second != e.value) fail(v, fmt::format("enumerated value '{}' is defined twice", e.name));
      if (fresh) values.push_back(std::move(e));
    }
  }

  void check_overlaps(std::vector<Placed>& regs) const {
    std::vector<const Placed*> sorted;
    for (const Placed& p : regs)
      if (!p.alternate) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Placed* a, const Placed* b) { return a->reg.offset < b->reg.offset; });
    for (size_t i = 1; i < sorted.size(); ++i) {
      const RegisterSpec& a = sorted[i - 1]->reg;
      const RegisterSpec& b = sorted[i]->reg;
      if (b.offset < a.offset + a.bytes())
        throw Error(fmt::format("{}: register '{}' at {:#x} overlaps register '{}' at {:#x}", b.loc.str(), b.name,
                                b.offset, a.name, a.offset));
    }
    std::set<std::string> names;
    for (const Placed& p : regs)
      if (!names.insert(p.reg.name).second)
        throw Error(fmt::format("{}: register '{}' is defined twice", p.reg.loc.str(), p.reg.name));
  }

  const std::string& m_text;
  const std::string& m_file;
  pugi::xml_document m_doc;
  std::unordered_map<std::string, pugi::xml_node> m_enum_by_name;  // the first of each name
  mutable std::vector<size_t> m_newlines;                          // offsets of every '\n'
  mutable bool m_newlines_indexed = false;
  std::map<std::string, uint64_t> m_enum_seen;  // the enumerated values of the field being read
  mutable std::map<std::pair<const void*, std::string>, std::unordered_map<std::string, pugi::xml_node>> m_name_index;
};

}  // namespace

MapSpec parse_svd(const std::string& text, const std::string& file) { return SvdReader(text, file).run(); }

MapSpec load_svd(const std::string& path) { return parse_svd(read_text_file(path), path); }

}  // namespace tandem
