// Reading waiver files with toml++ (its parse errors carry the line) and checking each table.
#include "tandem/waiver_file.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "tandem/error.h"
#include "tandem/files.h"

namespace tandem {

namespace {

constexpr const char* kWaiverKeys[] = {"device", "kind",  "register", "field",  "bits",
                                       "rtl",    "model", "when",     "reason", "expires"};
constexpr const char* kToleranceKeys[] = {"device", "register", "field", "bits", "irq", "cycles", "reason"};

class TableReader {
 public:
  TableReader(const toml::table& table, const std::string& source, const char* what)
      : m_table(table), m_source(source), m_what(what) {}

  std::string where(const toml::node& n) const { return fmt::format("{}:{}", m_source, n.source().begin.line); }
  std::string where() const { return where(m_table); }
  Error fail(const toml::node& n, const std::string& why) const { return Error(where(n) + ": " + why); }

  template <size_t N>
  void check_keys(const char* const (&known)[N]) const {
    for (const auto& [key, node] : m_table) {
      bool ok = false;
      std::string list;
      for (const char* k : known) {
        ok = ok || key.str() == k;
        list += (list.empty() ? "" : ", ") + std::string(k);
      }
      if (!ok) throw fail(node, fmt::format("unknown key '{}' (known: {})", key.str(), list));
    }
  }

  std::optional<std::string> text(const char* key, bool required = false) const {
    const toml::node* n = m_table.get(key);
    if (!n) {
      if (required) throw fail(m_table, fmt::format("{} without `{}`", m_what, key));
      return std::nullopt;
    }
    const auto* s = n->as_string();
    if (!s) throw fail(*n, fmt::format("`{}` must be a string", key));
    if (s->get().empty()) throw fail(*n, fmt::format("`{}` is empty", key));
    return s->get();
  }

  // A non-negative integer, or a string "0x..." for values beyond TOML's signed 64 bits.
  std::optional<uint64_t> number(const char* key) const {
    const toml::node* n = m_table.get(key);
    if (!n) return std::nullopt;
    if (const auto* i = n->as_integer()) {
      if (i->get() < 0) throw fail(*n, fmt::format("`{}` must not be negative", key));
      return static_cast<uint64_t>(i->get());
    }
    if (const auto* s = n->as_string()) {
      if (const std::optional<uint64_t> v = parse_number(s->get())) return v;
    }
    throw fail(*n, fmt::format("`{}` must be a whole number (or a string \"0x...\" beyond 63 bits)", key));
  }

  std::optional<std::string> date(const char* key) const {
    const toml::node* n = m_table.get(key);
    if (!n) return std::nullopt;
    if (const auto* d = n->as_date())
      return fmt::format("{:04}-{:02}-{:02}", d->get().year, d->get().month, d->get().day);
    if (const auto* s = n->as_string()) {
      if (const std::optional<std::string> d = parse_date(s->get())) return d;
    }
    throw fail(*n, fmt::format("`{}` must be a date, YYYY-MM-DD", key));
  }

  const toml::node& node(const char* key) const {
    const toml::node* n = m_table.get(key);
    return n ? *n : static_cast<const toml::node&>(m_table);
  }

  static std::optional<uint64_t> parse_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    try {
      size_t used = 0;
      const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
      if (!hex && !std::isdigit(static_cast<unsigned char>(text[0]))) return std::nullopt;
      const uint64_t v = std::stoull(text, &used, hex ? 16 : 10);
      if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
  }

 private:
  const toml::table& m_table;
  const std::string& m_source;
  const char* m_what;  // "waiver", "tolerance"
};

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

// "REG.FIELD=VALUE" (or "==", or REG=VALUE for a register without fields).
WaiverCondition parse_condition(const std::string& text, const TableReader& t) {
  WaiverCondition c;
  c.text = text;
  const size_t eq = text.find('=');
  if (eq == std::string::npos) throw t.fail(t.node("when"), fmt::format("`when` '{}': expected REG.FIELD=VALUE", text));
  const std::string lhs = trim(text.substr(0, eq));
  const std::string rhs = trim(text.substr(text[eq + 1] == '=' ? eq + 2 : eq + 1));
  const size_t dot = lhs.find('.');
  c.reg = trim(lhs.substr(0, dot));
  if (dot != std::string::npos) c.field = trim(lhs.substr(dot + 1));
  const std::optional<uint64_t> v = TableReader::parse_number(rhs);
  if (c.reg.empty() || (dot != std::string::npos && c.field.empty()) || !v)
    throw t.fail(t.node("when"), fmt::format("`when` '{}': expected REG.FIELD=VALUE", text));
  c.value = *v;
  return c;
}

Waiver read_waiver(const toml::table& table, const std::string& source, const std::string& today) {
  const TableReader t(table, source, "waiver");
  t.check_keys(kWaiverKeys);
  Waiver w;
  w.where = t.where();
  w.device = *t.text("device", true);
  const std::string kind = *t.text("kind", true);
  const std::optional<DivergenceKind> k = kind_from_name(kind);
  if (!k)
    throw t.fail(t.node("kind"), fmt::format("unknown kind '{}' (known: read_data, read_error, write_error, irq, dma, "
                                             "protocol)",
                                             kind));
  if (!waivable(*k))
    throw t.fail(t.node("kind"), fmt::format("a {} divergence cannot be waived: the run cannot go on past it", kind));
  w.kind = *k;
  w.reg = t.text("register").value_or("");
  w.field = t.text("field").value_or("");
  w.bits = t.number("bits");
  w.rtl = t.number("rtl");
  w.model = t.number("model");
  if (const std::optional<std::string> when = t.text("when")) w.when = parse_condition(*when, t);
  w.reason = *t.text("reason", true);
  w.expires = t.date("expires").value_or("");
  if (!w.expires.empty() && w.expires < today)
    throw t.fail(t.node("expires"), fmt::format("waiver expired on {} (today is {}): {}", w.expires, today, w.reason));
  return w;
}

Tolerance read_tolerance(const toml::table& table, const std::string& source) {
  const TableReader t(table, source, "tolerance");
  t.check_keys(kToleranceKeys);
  Tolerance tol;
  tol.where = t.where();
  tol.device = *t.text("device", true);
  tol.reg = t.text("register").value_or("");
  tol.field = t.text("field").value_or("");
  tol.bits = t.number("bits");
  tol.irq = t.text("irq").value_or("");
  if (tol.reg.empty() == tol.irq.empty())
    throw t.fail(table, "a tolerance names either `register` (with `field` or `bits`) or `irq`");
  if (!tol.irq.empty() && (!tol.field.empty() || tol.bits))
    throw t.fail(table, "an interrupt line's tolerance has no `field` or `bits`");
  const std::optional<uint64_t> cycles = t.number("cycles");
  if (!cycles) throw t.fail(table, "tolerance without `cycles`");
  if (*cycles > kMaxToleranceCycles)
    throw t.fail(t.node("cycles"), fmt::format("`cycles` is at most {}", kMaxToleranceCycles));
  tol.cycles = static_cast<unsigned>(*cycles);
  tol.reason = *t.text("reason", true);
  return tol;
}

}  // namespace

WaiverSet parse_waivers(std::string_view text, const std::string& source, const std::string& today) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw Error(fmt::format("{}:{}: {}", source, e.source().begin.line, e.description()));
  }
  WaiverSet set;
  for (const auto& [key, node] : root) {
    const std::string where = fmt::format("{}:{}", source, node.source().begin.line);
    if (key.str() != "waiver" && key.str() != "tolerance")
      throw Error(fmt::format("{}: unknown table '{}' (known: [[waiver]], [[tolerance]])", where, key.str()));
    const toml::array* tables = node.as_array();
    if (!tables || !tables->is_array_of_tables())
      throw Error(fmt::format("{0}: `{1}` must be an array of tables: [[{1}]]", where, key.str()));
    for (const toml::node& entry : *tables) {
      if (key.str() == "waiver")
        set.waivers.push_back(read_waiver(*entry.as_table(), source, today));
      else
        set.tolerances.push_back(read_tolerance(*entry.as_table(), source));
    }
  }
  return set;
}

WaiverSet load_waivers(const std::string& path) {
  const std::string text = read_text_file(path, kWaiverFileMaxBytes, "not a waiver file");
  return parse_waivers(text, path, today_utc());
}

std::optional<std::string> parse_date(const std::string& text) {
  unsigned y = 0, m = 0, d = 0;
  char extra = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4u-%2u-%2u%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 ||
      d < 1 || d > 31)
    return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

namespace {
// TOML integers are signed 64-bit: larger values go in a string, which the reader accepts.
std::string toml_number(uint64_t v) {
  return v > uint64_t(INT64_MAX) ? fmt::format("\"{:#x}\"", v) : fmt::format("{:#x}", v);
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}
}  // namespace

std::string format_waiver(const Waiver& w, const std::string& comment) {
  std::string out;
  if (!comment.empty()) out += "# " + comment + "\n";
  out += "[[waiver]]\n";
  out += fmt::format("device = {}\n", toml_string(w.device));
  out += fmt::format("kind = \"{}\"\n", kind_name(w.kind));
  if (!w.reg.empty()) out += fmt::format("register = {}\n", toml_string(w.reg));
  if (!w.field.empty()) out += fmt::format("field = {}\n", toml_string(w.field));
  if (w.bits) out += fmt::format("bits = {}\n", toml_number(*w.bits));
  if (w.rtl) out += fmt::format("rtl = {}\n", toml_number(*w.rtl));
  if (w.model) out += fmt::format("model = {}\n", toml_number(*w.model));
  if (w.when) out += fmt::format("when = {}\n", toml_string(w.when->text));
  out += fmt::format("reason = {}\n",
                     toml_string(w.reason.empty() ? "TODO: why this difference is acceptable" : w.reason));
  if (!w.expires.empty()) out += fmt::format("expires = {}\n", w.expires);
  return out;
}

void add_waivers(WaiverSet& set, const WaiverSet& more) {
  set.waivers.insert(set.waivers.end(), more.waivers.begin(), more.waivers.end());
  set.tolerances.insert(set.tolerances.end(), more.tolerances.begin(), more.tolerances.end());
}

}  // namespace tandem

namespace tandem {

WaiverSet command_waivers(const Catalog& catalog, const std::string& path) {
  WaiverSet set;
  const std::string today = today_utc();
  for (const DeviceBinding& d : catalog.devices()) {
    set.tolerances.insert(set.tolerances.end(), d.waivers.tolerances.begin(), d.waivers.tolerances.end());
    for (const Waiver& w : d.waivers.waivers) {
      if (!w.expires.empty() && w.expires < today)
        throw Error(fmt::format("{}: waiver expired on {} (today is {}): {}", w.where, w.expires, today, w.reason));
    }
    add_waivers(set, d.waivers);
  }
  if (!path.empty()) add_waivers(set, load_waivers(path));
  check_waivers(set, catalog);
  return set;
}

}  // namespace tandem
