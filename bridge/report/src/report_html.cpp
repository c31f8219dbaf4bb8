// The HTML report: one page, inline CSS and SVG, no script and no external reference.
#include "tandem/report_html.h"

#include <algorithm>

#include <fmt/format.h>

#include "tandem/report.h"

namespace tandem {

namespace {

std::string hex(uint64_t v) { return fmt::format("{:#x}", v); }

constexpr const char* kStyle = R"(
body { font: 14px/1.45 -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1d2330; margin: 0; background: #f4f5f8; }
main { max-width: 1180px; margin: 0 auto; padding: 18px 28px 40px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h1 small { font-weight: normal; color: #5b6475; font-size: 14px; margin-left: 8px; }
h2 { font-size: 18px; margin: 0 0 10px; }
h3 { font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: #5b6475; margin: 18px 0 6px; }
section.case { background: #fff; border: 1px solid #d8dce5; border-left: 5px solid #c62828; border-radius: 6px; padding: 16px 20px; margin: 18px 0; }
section.case.clean { border-left-color: #2e7d32; }
table { border-collapse: collapse; }
td, th { padding: 3px 10px; text-align: left; vertical-align: top; }
th { color: #5b6475; font-weight: 600; }
table.grid { width: 100%; }
table.grid th { border-bottom: 2px solid #d8dce5; }
table.grid td { border-bottom: 1px solid #eceef3; }
table.summary th { width: 120px; }
code, .mono, td.num { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
td.num { text-align: right; }
tr.diverging td { background: #ffe3e0; font-weight: 600; }
tr.diverging td:first-child { box-shadow: inset 4px 0 0 #c62828; }
tr.after td { color: #9aa1ae; }
.tag { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; font-weight: 600; }
.bad { background: #fdd8d5; color: #a31515; }
.good { background: #d7f0da; color: #1b5e20; }
.differs { color: #a31515; font-weight: 700; }
.muted { color: #7a8293; }
.kind { font-family: "DejaVu Sans Mono", monospace; background: #eef0f5; padding: 1px 6px; border-radius: 4px; }
.cols { display: flex; gap: 28px; flex-wrap: wrap; }
.cols > div { flex: 1 1 420px; }
svg { max-width: 100%; height: auto; background: #fbfbfd; border: 1px solid #e1e4ea; border-radius: 4px; }
footer { color: #7a8293; font-size: 12px; margin-top: 24px; }
)";

const BeatObservation* diverging_beat(const CosimRecord& r, const Divergence& d) {
  const BeatObservation* found = nullptr;
  for (const BeatObservation& b : r.beats)
    if (b.step == d.step && b.done <= d.cycle) found = &b;
  return found;
}

std::string register_of(const DeviceBinding& binding, const CosimRecord& r, const Divergence& d,
                        std::vector<FieldValue>& fields, std::string& fields_caption) {
  const BeatObservation* b = diverging_beat(r, d);
  switch (d.kind) {
    case DivergenceKind::read_data:
      if (b) {
        fields = decode_fields(binding.regmap, b->addr, b->size, d.rtl, d.model);
        fields_caption = "read data by field";
      }
      break;
    case DivergenceKind::write_error:
      if (b) {
        fields = decode_fields(binding.regmap, b->addr, b->size, b->wdata, b->wdata);
        fields_caption = "the value written, by field (the same on both sides)";
      }
      break;
    case DivergenceKind::irq: {
      const unsigned width = std::max<unsigned>(r.irq_width(), static_cast<unsigned>(binding.hints.irq_lines.size()));
      for (unsigned i = 0; i < std::min(width, 32u); ++i) {
        FieldValue f;
        f.name = i < binding.hints.irq_lines.size() ? binding.hints.irq_lines[i] : fmt::format("irq[{}]", i);
        f.msb = f.lsb = i;
        f.access = "line";
        f.rtl = (d.rtl >> i) & 1;
        f.model = (d.model >> i) & 1;
        fields.push_back(f);
      }
      fields_caption = "interrupt lines";
      break;
    }
    default: break;
  }
  std::string names;
  for (const FieldValue& f : fields)
    if (f.differs()) names += (names.empty() ? "" : ", ") + f.name;
  return names;
}

std::string value_cell(const DivergenceKind kind, uint64_t v) {
  if (kind == DivergenceKind::read_error || kind == DivergenceKind::write_error)
    return v ? "<span class=\"tag bad\">error</span>" : "<span class=\"tag good\">okay</span>";
  return "<code>" + html_escape(fmt::format("{:#010x}", v)) + "</code>";
}

std::string runs_table(const std::vector<RunRecord>& runs) {
  std::string out =
      "<h3>Runs</h3><table class=\"grid\"><tr><th>device</th><th>strategy</th><th>seed</th>"
      "<th>steps</th><th>cycles</th><th>reads</th><th>writes</th><th>irq checks</th>"
      "<th>seconds</th><th>result</th></tr>\n";
  for (const RunRecord& r : runs) {
    std::string result = "<span class=\"tag good\">ok</span>";
    if (r.divergence)
      result =
          fmt::format("<span class=\"tag bad\">diverged</span> {} at step {} ({})",
                      html_escape(kind_name(r.divergence->kind)), r.divergence->step, html_escape(r.divergence->reg));
    else if (!r.failure.empty())
      result = "<span class=\"tag bad\">failed</span> " + html_escape(r.failure);
    if (r.interrupted) result += " <span class=\"tag bad\">interrupted</span> (a partial run)";
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2f}</td>"
        "<td>{}</td></tr>\n",
        html_escape(r.job.device), html_escape(r.job.strategy), r.job.seed, r.stats.steps, r.stats.cycles,
        r.stats.reads, r.stats.writes, r.stats.irq_checks, r.seconds, result);
  }
  return out + "</table>\n";
}

// Every waiver that matched (known differences, counted) and every one that matched nothing.
std::string waived_table(const std::vector<RunRecord>& runs) {
  std::string rows, unused;
  for (const RunRecord& r : runs) {
    const std::string run = fmt::format("{} {} seed {}", r.job.device, r.job.strategy, r.job.seed);
    for (const WaivedDivergences& w : r.waived)
      rows += fmt::format(
          "<tr><td>{}</td><td>{} at {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><code>{}</code></td>"
          "<td>{}</td></tr>\n",
          html_escape(run), html_escape(kind_name(w.first.kind)), html_escape(w.first.reg), w.count, w.first.step,
          html_escape(w.waiver.where), html_escape(w.waiver.reason));
    for (const Waiver& w : r.unused_waivers)
      unused += fmt::format("<li><code>{}</code> ({} {}{}): matched nothing in {}</li>\n", html_escape(w.where),
                            html_escape(kind_name(w.kind)), html_escape(w.reg),
                            w.field.empty() ? "" : html_escape("." + w.field), html_escape(run));
  }
  std::string out;
  if (!rows.empty())
    out +=
        "<h3>Waived (known differences)</h3><table class=\"grid\"><tr><th>run</th><th>divergence</th>"
        "<th>count</th><th>first step</th><th>waiver</th><th>reason</th></tr>\n" +
        rows + "</table>\n";
  if (!unused.empty()) out += "<h3>Unused waivers</h3><ul>\n" + unused + "</ul>\n";
  return out;
}

// Programs longer than this (a replay file that was not shrunk) show the steps before the
// divergence (or their start) only.
constexpr size_t kMaxProgramRows = 400;

std::string program_table(const ReportCase& c, const std::optional<Divergence>& d) {
  const CosimRecord& r = c.recorded.record;
  const DeviceBinding& binding = *c.binding;
  const size_t n = c.program.size();
  size_t begin = 0, end = n;
  if (n > kMaxProgramRows) {
    const size_t focus = d ? std::min<size_t>(d->step, n - 1) : 0;
    end = std::min(n, focus + 20);
    begin = end > kMaxProgramRows ? end - kMaxProgramRows : 0;
    if (!d) end = kMaxProgramRows;
  }
  // Each step's edges and beats, by index.
  std::vector<const CosimStep*> span(n, nullptr);
  for (const CosimStep& cs : r.steps)
    if (cs.index < n) span[cs.index] = &cs;
  std::vector<std::vector<const BeatObservation*>> beats(n);
  for (const BeatObservation& b : r.beats)
    if (b.step >= begin && b.step < end) beats[b.step].push_back(&b);
  std::string out =
      "<table class=\"grid\"><tr><th>#</th><th>line</th><th>step</th><th>register</th>"
      "<th>edges</th><th>RTL</th><th>model</th><th></th></tr>\n";
  if (begin > 0)
    out += fmt::format(
        "<tr class=\"after\"><td></td><td></td><td colspan=\"6\">&hellip; steps 0 to {} not shown</td></tr>\n",
        begin - 1);
  for (size_t i = begin; i < end; ++i) {
    const Step& s = c.program[i];
    const bool diverging = d && i == d->step;
    const bool after = d && i > d->step;
    std::string reg, edges, rtl, model;
    if (s.kind == StepKind::read || s.kind == StepKind::write) reg = binding.regmap.describe(s.addr);
    if (const CosimStep* cs = span[i])
      edges = cs->to > cs->from ? fmt::format("{}&ndash;{}", cs->from + 1, cs->to) : fmt::format("at {}", cs->from);
    for (const BeatObservation* bp : beats[i]) {
      const BeatObservation& b = *bp;
      auto answer = [&](uint64_t v, bool e) {
        return e ? std::string("error") : b.write ? std::string("okay") : hex(v);
      };
      const std::string ra = answer(b.rtl_data, b.rtl_error), ma = answer(b.model_data, b.model_error);
      const bool differs = ra != ma;
      rtl += (rtl.empty() ? "" : " ") +
             (differs ? "<span class=\"differs\">" + html_escape(ra) + "</span>" : html_escape(ra));
      model += (model.empty() ? "" : " ") +
               (differs ? "<span class=\"differs\">" + html_escape(ma) + "</span>" : html_escape(ma));
    }
    const std::string line = i < c.lines.size() ? std::to_string(c.lines[i]) : "";
    out += fmt::format(
        "<tr{}><td class=\"num\">{}</td><td class=\"num\">{}</td><td><code>{}</code></td><td>{}</td>"
        "<td class=\"num\">{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td>{}</td></tr>\n",
        diverging ? " class=\"diverging\""
        : after   ? " class=\"after\""
                  : "",
        i, line, html_escape(format_step(s)), html_escape(reg), edges, rtl, model,
        diverging ? "&#9664; diverges here"
        : after   ? "not run"
                  : "");
  }
  if (end < n)
    out += fmt::format(
        "<tr class=\"after\"><td></td><td></td><td colspan=\"6\">&hellip; steps {} to {} not shown</td></tr>\n", end,
        n - 1);
  return out + "</table>\n";
}

std::string case_section(const ReportCase& c) {
  const DeviceBinding& binding = *c.binding;
  const std::optional<Divergence>& d = c.recorded.run.divergence;
  const CosimRecord& r = c.recorded.record;
  std::string out;
  if (!d) {
    out += fmt::format("<section class=\"case clean\"><h2>{}: no divergence</h2>\n", html_escape(binding.name));
    out += fmt::format("<p>{} steps of <code>{}</code> ran in lockstep, RTL and model agreed.</p>\n", c.program.size(),
                       html_escape(c.source));
    out += "<h3>Program</h3>" + program_table(c, d) + "</section>\n";
    return out;
  }
  std::vector<FieldValue> fields;
  std::string caption;
  const std::string field_names = register_of(binding, r, *d, fields, caption);
  out += fmt::format("<section class=\"case\"><h2>{}: <span class=\"kind\">{}</span> divergence at {}{}</h2>\n",
                     html_escape(binding.name), html_escape(kind_name(d->kind)), html_escape(d->reg),
                     field_names.empty() ? "" : " (" + html_escape(field_names) + ")");
  out += "<div class=\"cols\"><div><h3>Summary</h3><table class=\"summary\">\n";
  auto row = [&](const std::string& k, const std::string& v) {
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", k, v);
  };
  row("device", "<code>" + html_escape(binding.name) + "</code> &mdash; " + html_escape(binding.description));
  row("kind", "<span class=\"kind\">" + html_escape(kind_name(d->kind)) + "</span>");
  const std::string line = d->step < c.lines.size() ? fmt::format(" (line {})", c.lines[d->step]) : "";
  row("step", fmt::format("{} of {}{}: <code>{}</code>", d->step, c.program.size(), line,
                          d->step < c.program.size() ? html_escape(format_step(c.program[d->step])) : ""));
  row("cycle", fmt::format("{} <span class=\"muted\">(time {} in the waves)</span>", d->cycle, 2 * d->cycle));
  row("register", "<code>" + html_escape(d->reg) + "</code>");
  if (!field_names.empty()) row("field", "<code>" + html_escape(field_names) + "</code>");
  row("detail", html_escape(d->detail));
  row("replay", "<code>" + html_escape(c.source) + "</code>");
  if (!c.found_by.empty()) row("found by", html_escape(c.found_by));
  for (const std::string& n : c.notes)
    if (n.rfind("shrunk", 0) == 0) row("shrunk", html_escape(n.substr(n.find(':') + 1)));
  if (c.waves) {
    row("waves",
        fmt::format("RTL <code>{}</code><br>cosim view <code>{}</code><br><code>{}</code>", html_escape(c.waves->rtl),
                    html_escape(c.waves->view), html_escape(gtkwave_command(*c.waves))));
  }
  out +=
      "</table></div>\n<div><h3>RTL vs model</h3><table class=\"grid\"><tr><th></th><th>RTL</th><th>model</th></tr>\n";
  out += fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td></tr></table>\n", html_escape(d->reg),
                     value_cell(d->kind, d->rtl), value_cell(d->kind, d->model));
  if (!fields.empty()) {
    out += "<h3>" + html_escape(caption) +
           "</h3><table class=\"grid\"><tr><th>field</th><th>bits</th><th>access</th>"
           "<th>RTL</th><th>model</th></tr>\n";
    for (const FieldValue& f : fields) {
      const std::string bits = f.msb == f.lsb ? fmt::format("[{}]", f.lsb) : fmt::format("[{}:{}]", f.msb, f.lsb);
      const char* cls = f.differs() ? " class=\"differs\"" : "";
      out += fmt::format(
          "<tr><td{0}><code>{1}</code></td><td class=\"mono\">{2}</td><td>{3}</td>"
          "<td class=\"mono\"{0}>{4}</td><td class=\"mono\"{0}>{5}</td></tr>\n",
          cls, html_escape(f.name), bits, html_escape(f.access), hex(f.rtl), hex(f.model));
    }
    out += "</table>\n";
  }
  out += "</div></div>\n";
  out += "<h3>Minimal program</h3>\n" + program_table(c, d);
  out += "<h3>Timing: the cycles before the divergence</h3>\n" + timing_svg(binding, r, d);
  out += "</section>\n";
  return out;
}

// ---------------------------------------------------------------------------- SVG timing

struct Svg {
  std::string body;
  double left = 150, px = 20;
  Cycle w0 = 0;
  double x(double cycle) const { return left + (cycle - static_cast<double>(w0)) * px; }
  void text(double tx, double ty, const std::string& s, const char* attrs = "") {
    body += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" {}>{}</text>\n", tx, ty, attrs, html_escape(s));
  }
  void line(double x1, double y1, double x2, double y2, const char* attrs) {
    body += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" {}/>\n", x1, y1, x2, y2, attrs);
  }
  // A bus-style value box from cycle a to b.
  void box(double a, double b, double y, const std::string& label, const char* fill) {
    const double x1 = x(a), x2 = x(b);
    if (x2 - x1 < 1) return;
    const double h = 16, s = std::min(4.0, (x2 - x1) / 2);
    body += fmt::format(
        "<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} "
        "{:.1f},{:.1f}\" fill=\"{}\" stroke=\"#44506a\" stroke-width=\"1\"/>\n",
        x1, y, x1 + s, y - h / 2, x2 - s, y - h / 2, x2, y, x2 - s, y + h / 2, x1 + s, y + h / 2, fill);
    const size_t fits = static_cast<size_t>(std::max(0.0, (x2 - x1 - 6) / 6.6));
    if (fits >= 2) {
      std::string l = label.size() > fits ? label.substr(0, fits - 1) + "~" : label;
      text((x1 + x2) / 2, y + 4, l, "text-anchor=\"middle\" class=\"v\"");
    }
  }
};

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
          out += '?';
        else
          out += c;
    }
  }
  return out;
}

std::vector<FieldValue> decode_fields(const RegisterMap& map, uint64_t offset, unsigned size, uint64_t rtl,
                                      uint64_t model) {
  std::vector<FieldValue> out;
  const Register* reg = map.find(offset);
  if (!reg) return out;
  const unsigned shift = static_cast<unsigned>(8 * (offset - reg->offset));
  const unsigned lo = shift, hi = std::min(64u, shift + 8 * size);  // register bits the access covers
  for (const Field& f : reg->fields) {
    if (f.width == 0 || f.lsb >= hi || f.lsb + f.width <= lo) continue;
    const uint64_t mask = f.width >= 64 ? ~uint64_t(0) : (uint64_t(1) << f.width) - 1;
    auto get = [&](uint64_t v) { return shift >= 64 ? 0 : (((v << shift) >> f.lsb) & mask); };
    FieldValue fv;
    fv.name = reg->name + "." + f.name;
    fv.lsb = f.lsb;
    fv.msb = f.lsb + f.width - 1;
    fv.access = access_name(f.access);
    fv.rtl = get(rtl);
    fv.model = get(model);
    out.push_back(fv);
  }
  return out;
}

std::string timing_svg(const DeviceBinding& binding, const CosimRecord& r, const std::optional<Divergence>& d) {
  constexpr Cycle kWindow = 32;
  // A few edges past the divergence, so that both sides' last answers have room for their values.
  const Cycle last = d ? d->cycle + 3 : r.end;
  const Cycle first = last > kWindow ? std::max<Cycle>(last - kWindow, 0) : 0;
  Svg svg;
  svg.w0 = first;
  svg.px = std::clamp(1000.0 / static_cast<double>(std::max<Cycle>(last - first, 1)), 8.0, 60.0);
  const double right = svg.x(static_cast<double>(last) + 0.5);
  const unsigned irq_width = std::clamp<unsigned>(
      std::max<unsigned>(r.irq_width(), static_cast<unsigned>(binding.hints.irq_lines.size())), 1, 8);
  const bool dma = binding.hints.has_dma() || !r.dma.empty();
  const double row = 30;
  double y = 26;

  auto label = [&](const std::string& name, const char* cls) { svg.text(10, y + 4, name, cls); };
  auto visible = [&](Cycle a, Cycle b) { return b >= first && a <= last; };
  auto clip = [&](double c) { return std::clamp(c, static_cast<double>(first), static_cast<double>(last) + 0.5); };

  // Cycle axis.
  // Labels every `tick` edges, as wide apart as the widest label needs.
  const double label_px = 6.5 * static_cast<double>(std::to_string(last).size()) + 8;
  Cycle tick = 1;
  for (Cycle t : {1, 2, 5, 10, 20, 50, 100}) {
    tick = t;
    if (static_cast<double>(t) * svg.px >= label_px) break;
  }
  for (Cycle c = first; c <= last; ++c) {
    svg.line(svg.x(c), 18, svg.x(c), 0, "stroke=\"#e6e8ee\"");
    if (c % tick == 0) svg.text(svg.x(c), 12, std::to_string(c), "text-anchor=\"middle\" class=\"ax\"");
  }
  svg.text(10, 12, "edge", "class=\"ax\"");
  y += 4;

  // Clock: high from edge N to the half cycle after it.
  label("clk", "class=\"l\"");
  std::string path = fmt::format("M{:.1f},{:.1f}", svg.x(first), y + 8);
  for (Cycle c = first; c <= last; ++c) {
    path += fmt::format(" L{0:.1f},{1:.1f} L{0:.1f},{2:.1f} L{3:.1f},{2:.1f} L{3:.1f},{1:.1f}", svg.x(c), y + 8, y - 8,
                        svg.x(c + 0.5));
  }
  path += fmt::format(" L{:.1f},{:.1f}", right, y + 8);
  svg.body += "<path d=\"" + path + "\" fill=\"none\" stroke=\"#44506a\" stroke-width=\"1.2\"/>\n";
  y += row;

  // Steps.
  label("step", "class=\"l\"");
  for (const CosimStep& s : r.steps) {
    if (!visible(s.from, s.to) || s.to == s.from) continue;
    const bool div = d && s.index == d->step;
    svg.box(clip(s.from + 0.5), clip(s.to + 0.5), y, fmt::format("#{} {}", s.index, format_step(s.step)),
            div ? "#ffd6d1" : "#eef0f5");
  }
  y += row;

  // Bus accesses (setup to the edge that completed them).
  label("bus", "class=\"l\"");
  for (const BeatObservation& b : r.beats) {
    if (!visible(b.start, b.done)) continue;
    const std::string l = fmt::format("{} {}{}", b.write ? "W" : "R", binding.regmap.describe(b.addr),
                                      b.write ? fmt::format("={:#x}", b.wdata) : "");
    svg.box(clip(b.start + 0.5), clip(b.done + 0.5), y, l, b.write ? "#dbe8ff" : "#e4f4e4");
  }
  y += row;

  // Both sides' answers, held from the edge each beat completed at to the next beat.
  for (int side = 0; side < 2; ++side) {
    label(side == 0 ? "RTL response" : "model response", side == 0 ? "class=\"l rtl\"" : "class=\"l mdl\"");
    for (size_t i = 0; i < r.beats.size(); ++i) {
      const BeatObservation& b = r.beats[i];
      const Cycle until = i + 1 < r.beats.size() ? r.beats[i + 1].done : std::max(b.done + 1, last + 1);
      if (!visible(b.done, until)) continue;
      const bool e = side == 0 ? b.rtl_error : b.model_error;
      const uint64_t v = side == 0 ? b.rtl_data : b.model_data;
      const bool differs = b.rtl_error != b.model_error || (!b.write && b.rtl_data != b.model_data);
      const std::string l = e ? "ERR" : b.write ? "ok" : hex(v);
      svg.box(clip(static_cast<double>(b.done)), clip(static_cast<double>(until)), y, l,
              differs ? "#ffd6d1" : "#ffffff");
    }
    y += row;
  }

  // Interrupt lines, RTL and model of each line next to each other.
  for (unsigned line = 0; line < irq_width; ++line) {
    const std::string name =
        line < binding.hints.irq_lines.size() ? binding.hints.irq_lines[line] : fmt::format("irq[{}]", line);
    for (int side = 0; side < 2; ++side) {
      label(name + (side == 0 ? " (RTL)" : " (model)"), side == 0 ? "class=\"l rtl\"" : "class=\"l mdl\"");
      auto level = [&](Cycle c) {
        const CosimIrq s = r.irq_at(c);
        return ((side == 0 ? s.rtl : s.model) >> line) & 1;
      };
      std::string p = fmt::format("M{:.1f},{:.1f}", svg.x(first), level(first) ? y - 8 : y + 8);
      uint32_t cur = level(first);
      for (const CosimIrq& c : r.irq) {
        if (c.at <= first || c.at > last) continue;
        const uint32_t v = ((side == 0 ? c.rtl : c.model) >> line) & 1;
        if (v == cur) continue;
        p += fmt::format(" L{0:.1f},{1:.1f} L{0:.1f},{2:.1f}", svg.x(c.at), cur ? y - 8 : y + 8, v ? y - 8 : y + 8);
        cur = v;
      }
      p += fmt::format(" L{:.1f},{:.1f}", right, cur ? y - 8 : y + 8);
      svg.body += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", p,
                              side == 0 ? "#1f5fbf" : "#b8610a");
      y += row;
    }
  }

  // DMA accesses of each side, each held until that side's next one; from the first pair that
  // differs on, red.
  if (dma) {
    std::vector<const DmaAccess*> seq[2];
    for (const CosimDma& m : r.dma) seq[m.rtl_side ? 0 : 1].push_back(&m.access);
    size_t same = 0;
    while (same < seq[0].size() && same < seq[1].size()) {
      const DmaAccess &a = *seq[0][same], &b = *seq[1][same];
      if (a.write != b.write || a.size != b.size || a.addr != b.addr || a.data != b.data) break;
      ++same;
    }
    for (int side = 0; side < 2; ++side) {
      label(side == 0 ? "DMA (RTL)" : "DMA (model)", side == 0 ? "class=\"l rtl\"" : "class=\"l mdl\"");
      for (size_t i = 0; i < seq[side].size(); ++i) {
        const DmaAccess& a = *seq[side][i];
        const Cycle until = i + 1 < seq[side].size() ? seq[side][i + 1]->cycle : std::max(a.cycle + 1, last + 1);
        if (!visible(a.cycle, until)) continue;
        svg.box(clip(static_cast<double>(a.cycle)), clip(static_cast<double>(until)), y,
                fmt::format("{} {:#x}={:#x}", a.write ? "W" : "R", a.addr, a.data),
                i >= same ? "#ffd6d1"
                : a.write ? "#dbe8ff"
                          : "#e4f4e4");
      }
      y += row;
    }
  }

  const double height = y + 4;
  if (d && d->cycle >= first && d->cycle <= last) {
    svg.line(svg.x(d->cycle), 16, svg.x(d->cycle), height - 2,
             "stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"5,3\"");
    svg.text(svg.x(d->cycle) + 4, height - 6, fmt::format("diverged at edge {}", d->cycle), "class=\"mk\"");
  }
  const double width = right + 150;  // room for the marker's label
  return fmt::format(
      "<svg width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "role=\"img\" aria-label=\"timing diagram\">\n<style>text {{ font: 11px 'DejaVu Sans Mono', monospace; fill: "
      "#1d2330; }} "
      ".l {{ font: 12px 'DejaVu Sans', sans-serif; }} .rtl {{ fill: #1f5fbf; }} .mdl {{ fill: #b8610a; }} "
      ".ax {{ fill: #8a92a3; font-size: 10px; }} .mk {{ fill: #c62828; font-weight: bold; }} .v {{ font-size: 11px; }}"
      "</style>\n{2}</svg>\n",
      width, height, svg.body);
}

std::string html_report(const std::string& title, const std::vector<RunRecord>& runs,
                        const std::vector<ReportCase>& cases, const std::string& triage) {
  size_t diverged = 0;
  for (const ReportCase& c : cases)
    if (c.recorded.run.divergence) ++diverged;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>" + html_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body><main>\n";
  out += fmt::format("<h1>{}<small>{} divergence{}</small></h1>\n", html_escape(title), diverged,
                     diverged == 1 ? "" : "s");
  if (!runs.empty()) out += runs_table(runs) + triage + waived_table(runs);
  for (const ReportCase& c : cases) out += case_section(c);
  if (cases.empty()) out += "<p>No divergence: nothing to show.</p>\n";
  out +=
      "<footer>Written by tandem. Edges are numbered from the start of the run; in the waves, edge N is at time "
      "2N.</footer>\n</main></body>\n</html>\n";
  return out;
}

}  // namespace tandem
