// SystemRDL parser: the documented subset, every name resolved and every property value
// checked where it is written. Anything else is refused with its file:line:col.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "rdl_ast.h"
#include "rdl_lexer.h"
#include "tandem/error.h"

namespace tandem::rdl {

const char* kind_name(CompKind k) {
  switch (k) {
    case CompKind::field: return "field";
    case CompKind::reg: return "reg";
    case CompKind::regfile: return "regfile";
    case CompKind::addrmap: return "addrmap";
  }
  return "?";
}

namespace {

constexpr unsigned kField = kind_bit(CompKind::field), kReg = kind_bit(CompKind::reg),
                   kRegfile = kind_bit(CompKind::regfile), kAddrmap = kind_bit(CompKind::addrmap);
constexpr unsigned kAllKinds = kField | kReg | kRegfile | kAddrmap;

constexpr unsigned kMaxNesting = 32;      // component definitions inside definitions
constexpr unsigned kMaxExprDepth = 64;    // parentheses and unary operators
constexpr uint64_t kMaxArray = 1u << 16;  // elements of one array
constexpr size_t kMaxUserProperties = 1024;

enum class ValueType : uint8_t { boolean, number, string, sw, hw, onread, onwrite, enum_ref, bool_or_number };

struct Builtin {
  const char* name;
  unsigned kinds;
  ValueType type;
};

// The SystemRDL properties tandem supports, and which components take them.
constexpr Builtin kBuiltins[] = {
    {"name", kAllKinds, ValueType::string},
    {"desc", kAllKinds, ValueType::string},
    {"ispresent", kAllKinds, ValueType::boolean},
    {"donttest", kAllKinds, ValueType::bool_or_number},
    {"dontcompare", kAllKinds, ValueType::bool_or_number},
    {"sw", kField, ValueType::sw},
    {"hw", kField, ValueType::hw},
    {"onread", kField, ValueType::onread},
    {"onwrite", kField, ValueType::onwrite},
    {"rclr", kField, ValueType::boolean},
    {"rset", kField, ValueType::boolean},
    {"woclr", kField, ValueType::boolean},
    {"woset", kField, ValueType::boolean},
    {"reset", kField, ValueType::number},
    {"encode", kField, ValueType::enum_ref},
    {"regwidth", kReg, ValueType::number},
    {"accesswidth", kReg, ValueType::number},
};

// SystemRDL 2.0 properties outside the subset: named as unsupported, never ignored.
// clang-format off
const std::set<std::string> kUnsupportedProperties = {
    "hwclr", "hwset", "hwenable", "hwmask", "we", "wel", "swwe", "swwel", "swmod", "swacc", "singlepulse",
    "counter", "incr", "decr", "incrvalue", "decrvalue", "incrwidth", "decrwidth", "incrsaturate",
    "decrsaturate", "incrthreshold", "decrthreshold", "saturate", "threshold", "overflow", "underflow",
    "intr", "stickybit", "sticky", "nonsticky", "posedge", "negedge", "bothedge", "level", "mask", "enable",
    "haltmask", "haltenable", "next", "resetsignal", "fieldwidth", "paritycheck", "precedence", "anded",
    "ored", "xored", "shared", "errextbus", "bigendian", "littleendian", "addressing", "alignment",
    "rsvdset", "rsvdsetX", "msb0", "lsb0", "bridge", "sharedextbus", "signalwidth", "sync", "async",
    "cpuif_reset", "field_reset", "activehigh", "activelow", "memwidth", "mementries", "sw_hw", "hdl_path",
    "hdl_path_gate", "hdl_path_slice", "hdl_path_gate_slice", "glbl", "rsvd"};
// clang-format on

// Keywords that begin a construct outside the subset.
// clang-format off
const std::set<std::string> kUnsupportedKeywords = {
    "signal", "mem", "constraint", "struct", "abstract", "external", "internal", "alias", "this",
    "type", "inside", "localparam", "parameter", "compact", "regalign", "fullalign", "sharedextbus"};
// clang-format on

const Builtin* builtin(const std::string& name) {
  for (const Builtin& b : kBuiltins)
    if (name == b.name) return &b;
  return nullptr;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::string& file) : m_toks(std::move(tokens)), m_file(file) {}

  Root run() {
    m_scopes.emplace_back();
    while (!at_end()) parse_root_item();
    return std::move(m_root);
  }

 private:
  struct Scope {
    std::map<std::string, const CompDef*> types;
    std::map<std::string, const EnumDef*> enums;
    std::map<std::string, PropAssign> defaults;
    std::map<std::string, SourceLoc> instances;  // of the component whose body this is
  };

  // ------------------------------------------------------------------ tokens
  const Token& peek(size_t ahead = 0) const {
    const size_t i = std::min(m_i + ahead, m_toks.size() - 1);
    return m_toks[i];
  }
  bool at_end() const { return peek().kind == TokenKind::end; }
  const Token& next() {
    const Token& t = m_toks[m_i];
    if (m_i + 1 < m_toks.size()) ++m_i;
    return t;
  }
  SourceLoc loc(const Token& t) const { return {m_file, t.line, t.column}; }

  [[noreturn]] void fail(const Token& t, const std::string& what) const { fail(loc(t), what); }
  [[noreturn]] void fail(const SourceLoc& l, const std::string& what) const {
    throw Error(fmt::format("{}: {}", l.str(), what));
  }
  [[noreturn]] void unsupported(const Token& t, const std::string& construct) const {
    fail(t, fmt::format("unsupported construct '{}'", construct));
  }

  static std::string spelling(const Token& t) {
    switch (t.kind) {
      case TokenKind::end: return "end of file";
      case TokenKind::string: return "a string";
      default: return "'" + t.text + "'";
    }
  }

  void expect(const char* punct, const char* context) {
    const Token& t = peek();
    if (!t.is(punct)) fail(t, fmt::format("expected '{}' {}, found {}", punct, context, spelling(t)));
    next();
  }

  const Token& expect_identifier(const char* what) {
    const Token& t = peek();
    if (t.kind != TokenKind::identifier) fail(t, fmt::format("expected {}, found {}", what, spelling(t)));
    return next();
  }

  // ------------------------------------------------------------------ scopes
  const CompDef* find_type(const std::string& name) const {
    for (auto s = m_scopes.rbegin(); s != m_scopes.rend(); ++s) {
      auto it = s->types.find(name);
      if (it != s->types.end()) return it->second;
    }
    return nullptr;
  }
  const EnumDef* find_enum(const std::string& name) const {
    for (auto s = m_scopes.rbegin(); s != m_scopes.rend(); ++s) {
      auto it = s->enums.find(name);
      if (it != s->enums.end()) return it->second;
    }
    return nullptr;
  }
  // Rebuilt only after a `default` statement or leaving a scope that had one.
  std::shared_ptr<const std::map<std::string, PropAssign>> visible_defaults() {
    if (!m_visible_defaults) {
      auto out = std::make_shared<std::map<std::string, PropAssign>>();
      for (const Scope& s : m_scopes)
        for (const auto& [name, p] : s.defaults) (*out)[name] = p;
      m_visible_defaults = std::move(out);
    }
    return m_visible_defaults;
  }

  // ------------------------------------------------------------------ top level
  void parse_root_item() {
    const Token& t = peek();
    if (t.kind == TokenKind::identifier && !t.escaped) {
      if (t.text == "property") return parse_user_property();
      if (t.text == "enum") return parse_enum();
      if (t.text == "default") return parse_default();
      if (const auto kind = component_keyword(t)) {
        next();
        const CompDef* def = parse_definition(*kind, t, nullptr);
        if (def->kind == CompKind::addrmap && !def->name.empty()) m_root.root_addrmaps.push_back(def);
        return;
      }
      if (kUnsupportedKeywords.count(t.text)) unsupported(t, t.text);
      if (find_type(t.text)) fail(t, "an instance belongs inside a component definition");
      check_property_name(t);
      fail(t, "a property assignment belongs inside a component definition");
    }
    fail(t, fmt::format("expected a component, enum or property definition, found {}", spelling(t)));
  }

  static std::optional<CompKind> component_keyword(const Token& t) {
    if (t.kind != TokenKind::identifier || t.escaped) return std::nullopt;
    if (t.text == "field") return CompKind::field;
    if (t.text == "reg") return CompKind::reg;
    if (t.text == "regfile") return CompKind::regfile;
    if (t.text == "addrmap") return CompKind::addrmap;
    return std::nullopt;
  }

  // ------------------------------------------------------------------ definitions
  // After the kind keyword `kw`: [name] { body } [instances] ;
  const CompDef* parse_definition(CompKind kind, const Token& kw, CompDef* parent) {
    auto owned = std::make_unique<CompDef>();
    CompDef* def = owned.get();
    m_root.defs.push_back(std::move(owned));
    def->kind = kind;
    def->loc = loc(kw);
    const Token* name_tok = nullptr;
    if (peek().kind == TokenKind::identifier) {
      name_tok = &next();
      def->name = name_tok->text;
    }
    if (peek().is("#")) unsupported(peek(), "parameterized component");
    expect("{", fmt::format("to open the {} body", kind_name(kind)).c_str());
    if (m_scopes.size() > kMaxNesting) fail(kw, fmt::format("components nested deeper than {}", kMaxNesting));
    def->defaults = visible_defaults();
    m_scopes.emplace_back();
    while (!peek().is("}")) {
      if (at_end()) fail(kw, fmt::format("{} body is never closed", kind_name(kind)));
      parse_body_item(*def);
    }
    next();
    if (!m_scopes.back().defaults.empty()) m_visible_defaults.reset();
    m_scopes.pop_back();
    if (name_tok) {
      auto& types = m_scopes.back().types;
      auto it = types.find(def->name);
      if (it != types.end())
        fail(*name_tok, fmt::format("'{}' is already defined at {}", def->name, it->second->loc.str()));
      types[def->name] = def;
    }
    if (peek().is(";")) {
      if (!name_tok) fail(peek(), fmt::format("an anonymous {} needs an instance name", kind_name(kind)));
      next();
      return def;
    }
    if (!parent) fail(peek(), "an instance belongs inside a component definition");
    parse_instances(*def, *parent);
    return def;
  }

  void parse_body_item(CompDef& def) {
    const Token& t = peek();
    if (t.kind != TokenKind::identifier)
      fail(t, fmt::format("unexpected {} in a {} body", spelling(t), kind_name(def.kind)));
    if (!t.escaped) {
      if (const auto kind = component_keyword(t)) {
        next();
        parse_definition(*kind, t, &def);
        return;
      }
      if (t.text == "enum") return parse_enum();
      if (t.text == "default") return parse_default();
      if (t.text == "property") fail(t, "a property definition belongs at the top level");
      if (kUnsupportedKeywords.count(t.text)) unsupported(t, t.text);
    }
    const Token& after = peek(1);
    if (after.is("->") || after.is(".")) unsupported(t, "dynamic property assignment");
    if (after.kind == TokenKind::identifier) {
      const CompDef* type = find_type(t.text);
      if (!type) fail(t, fmt::format("unknown component type '{}'", t.text));
      next();
      parse_instances(*type, def);
      return;
    }
    if (after.is("#")) unsupported(t, "parameterized instance");
    parse_assignment(def);
  }

  // ------------------------------------------------------------------ instances
  void parse_instances(const CompDef& type, CompDef& parent) {
    for (;;) {
      parse_instance(type, parent);
      if (peek().is(",")) {
        next();
        continue;
      }
      expect(";", "after an instance");
      return;
    }
  }

  static bool may_contain(CompKind parent, CompKind child) {
    switch (parent) {
      case CompKind::field: return false;
      case CompKind::reg: return child == CompKind::field;
      case CompKind::regfile: return child == CompKind::reg || child == CompKind::regfile;
      case CompKind::addrmap: return child != CompKind::field;
    }
    return false;
  }

  void parse_instance(const CompDef& type, CompDef& parent) {
    const Token& name = peek();
    if (name.kind != TokenKind::identifier) {
      if (name.is("#")) unsupported(name, "parameterized instance");
      if (name.is_word("external") || name.is_word("internal") || name.is_word("alias")) unsupported(name, name.text);
      fail(name, fmt::format("expected an instance name, found {}", spelling(name)));
    }
    if (name.is_word("external") || name.is_word("internal") || name.is_word("alias")) unsupported(name, name.text);
    next();
    if (!may_contain(parent.kind, type.kind))
      fail(name, fmt::format("a {} cannot be instantiated in a {}", kind_name(type.kind), kind_name(parent.kind)));
    auto [previous, fresh] = m_scopes.back().instances.emplace(name.text, loc(name));
    if (!fresh)
      fail(name, fmt::format("'{}' is already an instance in this {} ({})", name.text, kind_name(parent.kind),
                             previous->second.str()));
    Instance inst;
    inst.def = &type;
    inst.name = name.text;
    inst.loc = loc(name);
    const bool is_field = type.kind == CompKind::field;
    if (peek().is("[")) {
      const Token& open = next();
      const uint64_t first = parse_expression();
      if (peek().is(":")) {
        next();
        const uint64_t second = parse_expression();
        expect("]", "to close the bit range");
        if (!is_field) fail(open, "a bit range [msb:lsb] applies only to fields");
        if (first < second) unsupported(open, "msb0 bit range");
        if (first > 63) fail(open, fmt::format("bit {} is beyond 64-bit registers", first));
        inst.range = std::make_pair(unsigned(first), unsigned(second));
      } else {
        expect("]", "to close the array size");
        if (is_field) {
          if (first == 0 || first > 64) fail(open, fmt::format("field width {} is not between 1 and 64", first));
          inst.width = unsigned(first);
        } else {
          if (first == 0) fail(open, "an array needs at least one element");
          if (first > kMaxArray)
            fail(open, fmt::format("an array of {} elements is above the limit {}", first, kMaxArray));
          inst.array = first;
        }
      }
      if (peek().is("[")) unsupported(peek(), "multi-dimensional array");
    }
    if (peek().is("=")) {
      const Token& eq = next();
      if (!is_field) fail(eq, "only a field takes a reset value (= value)");
      inst.reset = parse_value();
      if (inst.reset->kind != Value::Kind::number) fail(inst.reset->loc, "a field's reset must be a number");
    }
    if (peek().is("@")) {
      const Token& t = next();
      if (is_field) fail(t, "a field is placed by its bit range, not by an address");
      inst.at = parse_expression();
    }
    if (peek().is("+=")) {
      const Token& t = next();
      if (is_field) fail(t, "a field is placed by its bit range, not by an address");
      if (!inst.array) fail(t, "a stride (+=) needs an array instance");
      inst.stride = parse_expression();
      if (*inst.stride == 0) fail(t, "an array stride must be at least 1");
    }
    if (peek().is("%=")) {
      const Token& t = next();
      if (is_field) fail(t, "a field is placed by its bit range, not by an address");
      if (inst.at) fail(t, "an instance takes either @ or %=, not both");
      inst.align = parse_expression();
      if (*inst.align == 0 || (*inst.align & (*inst.align - 1)) != 0)
        fail(t, fmt::format("alignment {:#x} is not a power of two", *inst.align));
    }
    if (peek().is("@")) fail(peek(), "@ comes before += and %=");
    parent.instances.push_back(std::move(inst));
  }

  // ------------------------------------------------------------------ properties
  // The kinds `name` applies to; throws for unknown and unsupported names.
  unsigned check_property_name(const Token& t) const {
    if (const Builtin* b = builtin(t.text)) return b->kinds;
    auto u = m_root.user_properties.find(t.text);
    if (u != m_root.user_properties.end()) return u->second.components;
    if (kUnsupportedProperties.count(t.text)) unsupported(t, t.text);
    fail(t, fmt::format("unknown property '{}'", t.text));
  }

  void parse_assignment(CompDef& def) {
    const Token& name = next();
    const unsigned kinds = check_property_name(name);
    if (!(kinds & kind_bit(def.kind)))
      fail(name, fmt::format("property '{}' does not apply to a {}", name.text, kind_name(def.kind)));
    PropAssign p = parse_assignment_rest(name);
    if (const PropAssign* prev = def.prop(p.name))
      fail(name, fmt::format("property '{}' is already assigned at {}", p.name, prev->loc.str()));
    def.prop_index[p.name] = def.props.size();
    def.props.push_back(std::move(p));
  }

  void parse_default() {
    const Token& kw = next();
    const Token& name = expect_identifier("a property name after 'default'");
    check_property_name(name);
    PropAssign p = parse_assignment_rest(name);
    auto& defaults = m_scopes.back().defaults;
    auto it = defaults.find(p.name);
    if (it != defaults.end())
      fail(kw, fmt::format("default '{}' is already set in this scope at {}", p.name, it->second.loc.str()));
    defaults[p.name] = std::move(p);
    m_visible_defaults.reset();
  }

  // After the property name: [= value] ;  — the value checked against the property's type.
  PropAssign parse_assignment_rest(const Token& name) {
    PropAssign p;
    p.name = name.text;
    p.loc = loc(name);
    if (peek().is("=")) {
      next();
      p.value = parse_value();
    }
    expect(";", fmt::format("after the assignment of '{}'", name.text).c_str());
    if (const Builtin* b = builtin(p.name)) {
      check_builtin_value(*b, p);
    } else {
      check_user_value(m_root.user_properties.at(p.name), p);
    }
    return p;
  }

  void check_builtin_value(const Builtin& b, PropAssign& p) const {
    if (!p.value) {
      if (b.type != ValueType::boolean && b.type != ValueType::bool_or_number)
        fail(p.loc, fmt::format("property '{}' needs a value", p.name));
      Value v;
      v.kind = Value::Kind::boolean;
      v.boolean = true;
      v.loc = p.loc;
      p.value = v;
      return;
    }
    Value& v = *p.value;
    auto expect_words = [&](std::initializer_list<const char*> words, const char* what) {
      if (v.kind == Value::Kind::word)
        for (const char* w : words)
          if (v.text == w) return;
      fail(v.loc, fmt::format("property '{}' expects {}, found {}", p.name, what, describe_value(v)));
    };
    switch (b.type) {
      case ValueType::boolean: to_boolean(p); break;
      case ValueType::bool_or_number:
        if (v.kind == Value::Kind::word)
          to_boolean(p);
        else if (v.kind != Value::Kind::number && v.kind != Value::Kind::boolean)
          fail(v.loc,
               fmt::format("property '{}' expects true, false or a bit mask, found {}", p.name, describe_value(v)));
        break;
      case ValueType::number:
        if (v.kind != Value::Kind::number)
          fail(v.loc, fmt::format("property '{}' expects a number, found {}", p.name, describe_value(v)));
        break;
      case ValueType::string:
        if (v.kind != Value::Kind::string)
          fail(v.loc, fmt::format("property '{}' expects a string, found {}", p.name, describe_value(v)));
        break;
      case ValueType::sw:
        if (v.kind == Value::Kind::word && v.text == "wr") v.text = "rw";
        expect_words({"rw", "r", "w", "rw1", "w1", "na"}, "an access type (rw, r, w, rw1, w1, na)");
        break;
      case ValueType::hw:
        if (v.kind == Value::Kind::word && v.text == "wr") v.text = "rw";
        if (v.kind == Value::Kind::word && (v.text == "rw1" || v.text == "w1")) unsupported_at(v.loc, "hw = " + v.text);
        expect_words({"rw", "r", "w", "na"}, "an access type (rw, r, w, na)");
        break;
      case ValueType::onread:
        if (v.kind == Value::Kind::word && v.text == "ruser") unsupported_at(v.loc, "ruser");
        expect_words({"rclr", "rset"}, "rclr or rset");
        break;
      case ValueType::onwrite:
        if (v.kind == Value::Kind::word && v.text == "wuser") unsupported_at(v.loc, "wuser");
        expect_words({"woset", "woclr", "wot", "wzs", "wzc", "wzt", "wclr", "wset"},
                     "woset, woclr, wot, wzs, wzc, wzt, wclr or wset");
        break;
      case ValueType::enum_ref:
        if (v.kind != Value::Kind::word)
          fail(v.loc, fmt::format("property 'encode' expects an enum name, found {}", describe_value(v)));
        p.enum_ref = find_enum(v.text);
        if (!p.enum_ref) fail(v.loc, fmt::format("unknown enum '{}'", v.text));
        break;
    }
  }

  [[noreturn]] void unsupported_at(const SourceLoc& l, const std::string& construct) const {
    fail(l, fmt::format("unsupported construct '{}'", construct));
  }

  void to_boolean(PropAssign& p) const {
    Value& v = *p.value;
    if (v.kind == Value::Kind::boolean) return;
    if (v.kind == Value::Kind::number && v.number <= 1) {
      v.kind = Value::Kind::boolean;
      v.boolean = v.number == 1;
      return;
    }
    fail(v.loc, fmt::format("property '{}' expects true or false, found {}", p.name, describe_value(v)));
  }

  void check_user_value(const UserProperty& u, PropAssign& p) const {
    if (!p.value) {
      Value v;
      v.loc = p.loc;
      if (u.default_value) {
        v.kind = u.type == PropertyValue::Type::number    ? Value::Kind::number
                 : u.type == PropertyValue::Type::boolean ? Value::Kind::boolean
                                                          : Value::Kind::string;
        v.number = u.default_value->number;
        v.boolean = u.default_value->boolean;
        v.text = u.default_value->text;
      } else if (u.type == PropertyValue::Type::boolean) {
        v.kind = Value::Kind::boolean;
        v.boolean = true;
      } else {
        fail(p.loc, fmt::format("property '{}' needs a value (it has no default)", p.name));
      }
      p.value = v;
      return;
    }
    check_user_type(u.type, p.name, *p.value);
  }

  void check_user_type(PropertyValue::Type type, const std::string& name, Value& v) const {
    switch (type) {
      case PropertyValue::Type::number:
        if (v.kind != Value::Kind::number)
          fail(v.loc, fmt::format("property '{}' expects a number, found {}", name, describe_value(v)));
        return;
      case PropertyValue::Type::boolean:
        if (v.kind == Value::Kind::number && v.number <= 1) {
          v.kind = Value::Kind::boolean;
          v.boolean = v.number == 1;
        }
        if (v.kind != Value::Kind::boolean)
          fail(v.loc, fmt::format("property '{}' expects true or false, found {}", name, describe_value(v)));
        return;
      case PropertyValue::Type::string:
        if (v.kind != Value::Kind::string)
          fail(v.loc, fmt::format("property '{}' expects a string, found {}", name, describe_value(v)));
        return;
    }
  }

  static std::string describe_value(const Value& v) {
    switch (v.kind) {
      case Value::Kind::number: return fmt::format("{:#x}", v.number);
      case Value::Kind::boolean: return v.boolean ? "true" : "false";
      case Value::Kind::string: return "a string";
      case Value::Kind::word: return "'" + v.text + "'";
    }
    return "?";
  }

  // ------------------------------------------------------------------ values and expressions
  Value parse_value() {
    const Token& t = peek();
    Value v;
    v.loc = loc(t);
    if (t.kind == TokenKind::string) {
      v.kind = Value::Kind::string;
      v.text = next().text;
      return v;
    }
    if (t.kind == TokenKind::identifier && !peek(1).is("::")) {
      if (!t.escaped && (t.text == "true" || t.text == "false")) {
        v.kind = Value::Kind::boolean;
        v.boolean = next().text == "true";
        return v;
      }
      v.kind = Value::Kind::word;
      v.text = next().text;
      return v;
    }
    v.kind = Value::Kind::number;
    v.number = parse_expression();
    return v;
  }

  uint64_t parse_expression() {
    m_expr_depth = 0;
    return parse_binary(0);
  }

  static int precedence(const Token& t) {
    if (t.kind != TokenKind::punct) return -1;
    if (t.text == "|") return 1;
    if (t.text == "^") return 2;
    if (t.text == "&") return 3;
    if (t.text == "<<" || t.text == ">>") return 4;
    if (t.text == "+" || t.text == "-") return 5;
    if (t.text == "*" || t.text == "/" || t.text == "%") return 6;
    return -1;
  }

  uint64_t parse_binary(int min_prec) {
    uint64_t lhs = parse_unary();
    for (;;) {
      const Token& op = peek();
      const int prec = precedence(op);
      if (prec < 0 || prec < min_prec) {
        for (const char* bad : {"&&", "||", "==", "!=", "<", ">", "<=", ">=", "?", "**"})
          if (op.is(bad)) unsupported(op, std::string("operator ") + bad);
        return lhs;
      }
      next();
      const uint64_t rhs = parse_binary(prec + 1);
      lhs = apply(op, lhs, rhs);
    }
  }

  uint64_t apply(const Token& op, uint64_t a, uint64_t b) const {
    const std::string& o = op.text;
    if (o == "|") return a | b;
    if (o == "^") return a ^ b;
    if (o == "&") return a & b;
    if (o == "<<") return b >= 64 ? 0 : a << b;
    if (o == ">>") return b >= 64 ? 0 : a >> b;
    if (o == "+") return a + b;
    if (o == "-") return a - b;
    if (o == "*") return a * b;
    if (b == 0) fail(op, "division by zero");
    if (o == "/") return a / b;
    return a % b;
  }

  uint64_t parse_unary() {
    if (++m_expr_depth > kMaxExprDepth) fail(peek(), fmt::format("expression nested deeper than {}", kMaxExprDepth));
    const Token& t = peek();
    uint64_t v = 0;
    if (t.is("-")) {
      next();
      v = ~parse_unary() + 1;
    } else if (t.is("~")) {
      next();
      v = ~parse_unary();
    } else if (t.is("+")) {
      next();
      v = parse_unary();
    } else if (t.is("!")) {
      unsupported(t, "operator !");
    } else if (t.is("(")) {
      next();
      v = parse_binary(0);
      expect(")", "to close the expression");
    } else if (t.kind == TokenKind::number) {
      v = next().value;
    } else if (t.kind == TokenKind::identifier && peek(1).is("::")) {
      v = enum_value();
    } else if (t.kind == TokenKind::identifier) {
      fail(t, fmt::format("unknown identifier '{}' in an expression (parameters are not supported)", t.text));
    } else {
      fail(t, fmt::format("expected a number, found {}", spelling(t)));
    }
    --m_expr_depth;
    return v;
  }

  // ENUM::ENTRY: the entry's value.
  uint64_t enum_value() {
    const Token& name = next();
    next();  // ::
    const EnumDef* e = find_enum(name.text);
    if (!e) fail(name, fmt::format("unknown enum '{}'", name.text));
    const Token& entry = expect_identifier("an enum entry after '::'");
    for (const EnumValueSpec& v : e->values)
      if (v.name == entry.text) return v.value;
    fail(entry, fmt::format("enum '{}' has no entry '{}'", e->name, entry.text));
  }

  // ------------------------------------------------------------------ enum and property definitions
  void parse_enum() {
    const Token& kw = next();
    const Token& name = expect_identifier("an enum name");
    auto owned = std::make_unique<EnumDef>();
    EnumDef* e = owned.get();
    m_root.enums.push_back(std::move(owned));
    e->name = name.text;
    e->loc = loc(name);
    expect("{", "to open the enum");
    uint64_t next_value = 0;
    std::set<std::string> names;
    std::map<uint64_t, std::string> values;
    while (!peek().is("}")) {
      if (at_end()) fail(kw, "enum is never closed");
      const Token& entry = expect_identifier("an enum entry name");
      EnumValueSpec v;
      v.name = entry.text;
      v.value = next_value;
      if (peek().is("=")) {
        next();
        v.value = parse_expression();
      }
      if (peek().is("{")) {
        next();
        while (!peek().is("}")) {
          const Token& prop = expect_identifier("name or desc in an enum entry");
          if (prop.text != "name" && prop.text != "desc")
            fail(prop, fmt::format("an enum entry takes only name and desc, not '{}'", prop.text));
          expect("=", "after the property name");
          const Token& s = peek();
          if (s.kind != TokenKind::string) fail(s, fmt::format("property '{}' expects a string", prop.text));
          (prop.text == "name" ? v.display_name : v.desc) = next().text;
          expect(";", "after the assignment");
        }
        next();
      }
      expect(";", "after an enum entry");
      if (!names.insert(v.name).second) fail(entry, fmt::format("enum entry '{}' is defined twice", v.name));
      if (auto [it, fresh] = values.emplace(v.value, v.name); !fresh)
        fail(entry, fmt::format("enum entries '{}' and '{}' have the same value {:#x}", it->second, v.name, v.value));
      next_value = v.value + 1;
      e->values.push_back(std::move(v));
    }
    next();
    expect(";", "after the enum");
    if (e->values.empty()) fail(name, fmt::format("enum '{}' has no entries", e->name));
    auto& enums = m_scopes.back().enums;
    if (enums.count(e->name)) fail(name, fmt::format("enum '{}' is already defined", e->name));
    enums[e->name] = e;
  }

  void parse_user_property() {
    next();
    const Token& name = expect_identifier("a property name");
    if (builtin(name.text) || kUnsupportedProperties.count(name.text))
      fail(name, fmt::format("'{}' is a SystemRDL property; a user-defined property needs another name", name.text));
    if (m_root.user_properties.count(name.text)) fail(name, fmt::format("property '{}' is already defined", name.text));
    if (m_root.user_properties.size() >= kMaxUserProperties)
      fail(name, fmt::format("more than {} user-defined properties", kMaxUserProperties));
    UserProperty u;
    u.name = name.text;
    u.loc = loc(name);
    bool has_type = false;
    std::optional<Value> default_value;
    expect("{", "to open the property definition");
    while (!peek().is("}")) {
      const Token& attr = expect_identifier("type, component or default");
      if (attr.text == "type") {
        expect("=", "after 'type'");
        const Token& t = expect_identifier("a property type");
        if (t.text == "number")
          u.type = PropertyValue::Type::number;
        else if (t.text == "boolean")
          u.type = PropertyValue::Type::boolean;
        else if (t.text == "string")
          u.type = PropertyValue::Type::string;
        else
          unsupported(t, "property type " + t.text);
        if (peek().is("[")) unsupported(peek(), "array property type");
        has_type = true;
      } else if (attr.text == "component") {
        expect("=", "after 'component'");
        for (;;) {
          const Token& c = expect_identifier("a component kind");
          if (c.text == "field")
            u.components |= kField;
          else if (c.text == "reg")
            u.components |= kReg;
          else if (c.text == "regfile")
            u.components |= kRegfile;
          else if (c.text == "addrmap")
            u.components |= kAddrmap;
          else if (c.text == "all")
            u.components |= kAllKinds;
          else if (c.text == "signal" || c.text == "mem" || c.text == "constraint")
            unsupported(c, c.text);
          else
            fail(c, fmt::format("unknown component kind '{}'", c.text));
          if (!peek().is("|")) break;
          next();
        }
      } else if (attr.text == "default") {
        expect("=", "after 'default'");
        default_value = parse_value();
      } else if (attr.text == "constraint") {
        unsupported(attr, "property constraint");
      } else {
        fail(attr, fmt::format("unknown property attribute '{}'", attr.text));
      }
      expect(";", "after the property attribute");
    }
    next();
    expect(";", "after the property definition");
    if (!has_type) fail(name, fmt::format("property '{}' needs a type", u.name));
    if (u.components == 0) fail(name, fmt::format("property '{}' needs a component", u.name));
    if (default_value) {
      check_user_type(u.type, u.name, *default_value);
      PropertyValue d;
      d.type = u.type;
      d.number = default_value->number;
      d.boolean = default_value->boolean;
      d.text = default_value->text;
      u.default_value = d;
    }
    m_root.user_properties[u.name] = u;
  }

  std::vector<Token> m_toks;
  size_t m_i = 0;
  const std::string& m_file;
  Root m_root;
  std::vector<Scope> m_scopes;
  std::shared_ptr<const std::map<std::string, PropAssign>> m_visible_defaults;
  unsigned m_expr_depth = 0;
};

}  // namespace

unsigned property_kinds(const Root& root, const std::string& name) {
  if (const Builtin* b = builtin(name)) return b->kinds;
  auto u = root.user_properties.find(name);
  return u == root.user_properties.end() ? 0 : u->second.components;
}

Root parse(const std::string& text, const std::string& file) { return Parser(tokenize(text, file), file).run(); }

}  // namespace tandem::rdl
