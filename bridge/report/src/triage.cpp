// Grouping distinct divergences by register and field, and saying what each means.
#include "tandem/triage.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "tandem/report_html.h"
#include "tandem/waiver.h"

namespace tandem {

namespace {

uint64_t width_mask(unsigned width) { return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1; }

// "bits 15:8" for a contiguous run of bits, "bits 0x..." otherwise.
std::string bits_text(uint64_t bits) {
  if (bits == 0) return "bits 0x0";
  unsigned lo = 0, hi = 63;
  while (!(bits >> lo & 1)) ++lo;
  while (!(bits >> hi & 1)) --hi;
  if (bits == (width_mask(hi - lo + 1) << lo))
    return hi == lo ? fmt::format("bit {}", lo) : fmt::format("bits {}:{}", hi, lo);
  return fmt::format("bits {:#x}", bits);
}

// What the program did just before the diverging step, as a person says it.
std::string context(const Divergence& d, const DeviceBinding& binding) {
  if (d.recent.size() < 2) return "right after reset";
  const Step& s = d.recent[d.recent.size() - 2];
  switch (s.kind) {
    case StepKind::write: return fmt::format("after a write of {:#x} to {}", s.data, binding.regmap.describe(s.addr));
    case StepKind::read: return fmt::format("after a read of {}", binding.regmap.describe(s.addr));
    case StepKind::idle: return fmt::format("after {} idle edge{}", s.data, s.data == 1 ? "" : "s");
    case StepKind::reset: return "after a reset";
    case StepKind::mem_write: return fmt::format("after a guest-memory write at {:#x}", s.addr);
  }
  return "";
}

std::string read_meaning(const Divergence& d, const DeviceBinding& binding) {
  const Register* r = binding.regmap.find(d.addr);
  if (!r) return d.detail;
  const uint64_t shift = 8 * (d.addr - r->offset);
  const uint64_t rtl = shift >= 64 ? 0 : d.rtl << shift, model = shift >= 64 ? 0 : d.model << shift;
  const uint64_t diff = rtl ^ model;
  std::string out;
  uint64_t in_fields = 0;
  for (const Field& f : r->fields) {
    const uint64_t m = width_mask(f.width) << f.lsb;
    in_fields |= m;
    if (!(diff & m)) continue;
    out += fmt::format("{}{}.{}: RTL {:#x}, model {:#x}", out.empty() ? "" : "; ", r->name, f.name, (rtl & m) >> f.lsb,
                       (model & m) >> f.lsb);
  }
  if (const uint64_t raw = diff & ~in_fields) {
    unsigned lo = 0;
    while (!(raw >> lo & 1)) ++lo;
    const uint64_t span = raw >> lo;
    unsigned width = 0;
    while (width < 64 && (span >> width)) ++width;
    const uint64_t m = width_mask(width) << lo;
    out += fmt::format("{}{} {} (no field): RTL {:#x}, model {:#x}", out.empty() ? "" : "; ", r->name, bits_text(m),
                       (rtl & m) >> lo, (model & m) >> lo);
  }
  return out;
}

}  // namespace

std::string divergence_meaning(const Divergence& d, const DeviceBinding& binding) {
  std::string out;
  switch (d.kind) {
    case DivergenceKind::read_data: out = read_meaning(d, binding); break;
    case DivergenceKind::irq:
      out = fmt::format("line {}: RTL {}, model {} from edge {}", d.reg, (d.rtl ^ d.model) & d.rtl ? 1 : 0,
                        (d.rtl ^ d.model) & d.model ? 1 : 0, d.cycle);
      break;
    default: out = d.detail; break;
  }
  out += ", " + context(d, binding);
  if (!d.tolerance.empty()) out += " (" + d.tolerance + ")";
  return out;
}

std::vector<TriageEntry> triage(const std::vector<RunRecord>& runs, const Catalog& catalog) {
  using Key = std::tuple<std::string, std::string, std::string, int>;  // device, where, field order, kind
  std::map<Key, TriageEntry> groups;
  auto add = [&](const RunRecord& r, const Divergence& d, uint64_t count) {
    const DeviceBinding& b = catalog.get(r.job.device);
    const Waiver s = signature_of(d, b);
    std::string where = s.reg.empty() ? std::string(kind_name(d.kind)) : s.reg;
    if (!s.field.empty()) where += "." + s.field;
    if (s.bits)
      where += " " + (d.kind == DivergenceKind::irq ? fmt::format("lines {:#x}", *s.bits) : bits_text(*s.bits));
    const Key key{r.job.device, s.reg, where, static_cast<int>(d.kind)};
    TriageEntry& e = groups[key];
    if (e.count == 0) {
      e.device = r.job.device;
      e.kind = d.kind;
      e.where = where;
      e.meaning = divergence_meaning(d, b);
      e.first = fmt::format("{} {} seed {}, step {}", r.job.device, r.job.strategy, r.job.seed, d.step);
      e.replay = d.replay;
    }
    e.count += count;
    ++e.runs;
  };
  for (const RunRecord& r : runs) {
    if (r.keep_going) {
      for (const DistinctDivergence& d : r.distinct) add(r, d.first, d.count);
    } else if (r.divergence) {
      add(r, *r.divergence, 1);
    }
  }
  std::vector<TriageEntry> out;
  for (auto& [key, entry] : groups) out.push_back(std::move(entry));
  return out;
}

std::string format_triage(const std::vector<TriageEntry>& entries) {
  if (entries.empty()) return "";
  std::string out = fmt::format("{} distinct difference{} (by register and field):\n", entries.size(),
                                entries.size() == 1 ? "" : "s");
  for (const TriageEntry& e : entries) {
    out += fmt::format("  {} {} ({}, {} time{} in {} run{}): {}\n", e.device, e.where, kind_name(e.kind), e.count,
                       e.count == 1 ? "" : "s", e.runs, e.runs == 1 ? "" : "s", e.meaning);
    out += fmt::format("      first: {}{}\n", e.first, e.replay.empty() ? "" : "; replay: " + e.replay);
  }
  return out;
}

std::string triage_html(const std::vector<TriageEntry>& entries) {
  if (entries.empty()) return "";
  std::string out = fmt::format(
      "<h3>{} distinct difference{}</h3><table class=\"grid\"><tr><th>device</th><th>register.field</th>"
      "<th>kind</th><th>count</th><th>runs</th><th>meaning</th><th>first</th><th>replay</th></tr>\n",
      entries.size(), entries.size() == 1 ? "" : "s");
  for (const TriageEntry& e : entries)
    out += fmt::format(
        "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td>{}</td><td>{}</td><td><code>{}</code></td></tr>\n",
        html_escape(e.device), html_escape(e.where), kind_name(e.kind), e.count, e.runs, html_escape(e.meaning),
        html_escape(e.first), html_escape(e.replay));
  return out + "</table>\n";
}

}  // namespace tandem
