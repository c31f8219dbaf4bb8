// Waves of a divergence: the RTL trace (Verilator's FST), the cosim view (VCD written here
// from the recorded run) and the GTKWave save file arranging it.
#include "tandem/waves.h"
#include "tandem/files.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "cosim_gtkw_template.h"
#include "tandem/error.h"

namespace tandem {

namespace fs = std::filesystem;

WaveFiles wave_files(const std::string& dir, const std::string& stem) {
  const fs::path base = fs::path(dir.empty() ? "." : dir) / stem;
  return {base.string() + ".fst", base.string() + ".vcd", base.string() + ".gtkw"};
}

int fst_timescale(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[74] = {};
  if (!in.read(head, sizeof head) || head[0] != 0)
    throw Error(fmt::format("{}: not an FST file (no header block)", path));
  return static_cast<signed char>(head[73]);
}

RecordedRun run_with_waves(const DeviceBinding& binding, const Program& program, const WaveFiles& files,
                           const WaiverSet* waivers, uint64_t bus_timing) {
  RecordedRun r =
      run_recorded(binding, program, files.rtl, waivers, bus_timing);  // the trace is closed when this returns
  const int timescale = fst_timescale(files.rtl);
  write_text_file(files.view, cosim_vcd(binding, r.record, r.run.divergence, timescale));
  write_text_file(files.gtkw, cosim_gtkw(binding, r.record, r.run.divergence, files));
  return r;
}

namespace {

// `text` with every @NAME@ replaced by its value; a placeholder without a value is a build error
// of the template, reported as Error.
std::string fill_template(const std::string& text, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t at = text.find('@', pos);
    if (at == std::string::npos) break;
    const size_t end = text.find('@', at + 1);
    if (end == std::string::npos) break;
    const std::string name = text.substr(at + 1, end - at - 1);
    const auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
    if (it == values.end()) throw Error(fmt::format("waves/cosim.gtkw.in: no value for @{}@", name));
    out.append(text, pos, at - pos);
    out += it->second;
    pos = end + 1;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

// Longest step text the view carries (ASCII, 8 bits a character).
constexpr size_t kMaxStepText = 48;
// The view's clock toggles at every edge within this many edges of something the view shows
// (a step starting or ending, a bus beat, an interrupt change, a DMA access, the divergence);
// across a longer stretch where nothing happens it is held at z, so an idle gap of 10^9 edges
// costs the file a few lines, not 10^9 toggles. Time still counts edges (edge N at time 2N).
constexpr Cycle kClockWindow = 64;

std::string timescale_text(int exp) {
  static const char* const units[] = {"s", "ms", "us", "ns", "ps", "fs"};
  if (exp > 0 || exp < -15) exp = -12;
  const int base = -3 * ((-exp + 2) / 3);  // the unit at or below 10^exp
  const int mult = exp - base;             // 0, 1 or 2
  return fmt::format("{}{}", mult == 0 ? "1" : mult == 1 ? "10" : "100", units[-base / 3]);
}

struct Var {
  std::string scope, name;
  unsigned width;
  std::string id;
};

struct Change {
  uint64_t time;
  size_t seq;
  size_t var;
  std::string value;
};

class Vcd {
 public:
  size_t add(const std::string& scope, const std::string& name, unsigned width) {
    m_vars.push_back({scope, name, width, code(m_vars.size())});
    return m_vars.size() - 1;
  }
  void set(uint64_t time, size_t var, uint64_t value) { set_bits(time, var, bits(value, m_vars[var].width)); }
  void set_text(uint64_t time, size_t var, const std::string& text) {
    std::string b;
    const size_t chars = m_vars[var].width / 8;
    for (size_t i = 0; i < chars; ++i) {
      const auto c = static_cast<unsigned char>(i < text.size() ? text[i] : ' ');
      for (int bit = 7; bit >= 0; --bit) b += (c >> bit) & 1 ? '1' : '0';
    }
    set_bits(time, var, b);
  }
  void set_z(uint64_t time, size_t var) { set_bits(time, var, "z"); }

  std::string text(const std::string& timescale, const std::string& comment) {
    std::string out =
        fmt::format("$comment\n  {}\n$end\n$version tandem cosim view $end\n$timescale {} $end\n", comment, timescale);
    std::string scope;
    for (const Var& v : m_vars) {
      if (v.scope != scope) {
        if (!scope.empty() && scope != "tandem") out += "$upscope $end\n";
        if (scope.empty()) out += "$scope module tandem $end\n";
        if (v.scope != "tandem") out += fmt::format("$scope module {} $end\n", v.scope);
        scope = v.scope;
      }
      if (v.width == 1)
        out += fmt::format("$var wire 1 {} {} $end\n", v.id, v.name);
      else
        out += fmt::format("$var wire {} {} {} [{}:0] $end\n", v.width, v.id, v.name, v.width - 1);
    }
    if (scope != "tandem") out += "$upscope $end\n";
    out += "$upscope $end\n$enddefinitions $end\n";
    std::stable_sort(m_changes.begin(), m_changes.end(), [](const Change& a, const Change& b) {
      return a.time != b.time ? a.time < b.time : a.seq < b.seq;
    });
    // Per time, the last change of a variable wins; unchanged values are not repeated.
    std::vector<std::string> current(m_vars.size());
    size_t i = 0;
    bool first = true;
    while (i < m_changes.size()) {
      const uint64_t t = m_changes[i].time;
      std::map<size_t, std::string> at;
      for (; i < m_changes.size() && m_changes[i].time == t; ++i) at[m_changes[i].var] = m_changes[i].value;
      std::string lines;
      for (const auto& [var, value] : at) {
        if (!first && current[var] == value) continue;
        current[var] = value;
        const Var& v = m_vars[var];
        lines += v.width == 1 ? value + v.id + "\n" : fmt::format("b{} {}\n", value, v.id);
      }
      if (first) {
        out += fmt::format("#{}\n$dumpvars\n{}$end\n", t, lines);
        first = false;
      } else if (!lines.empty()) {
        out += fmt::format("#{}\n{}", t, lines);
      }
    }
    return out;
  }

 private:
  static std::string code(size_t n) {
    std::string id;
    do {
      id += static_cast<char>('!' + n % 94);
      n /= 94;
    } while (n > 0);
    return id;
  }
  static std::string bits(uint64_t value, unsigned width) {
    if (width == 1) return value & 1 ? "1" : "0";
    std::string b;
    for (int bit = static_cast<int>(std::min(width, 64u)) - 1; bit >= 0; --bit) b += (value >> bit) & 1 ? '1' : '0';
    const size_t nz = b.find('1');
    return nz == std::string::npos ? "0" : b.substr(nz);
  }
  void set_bits(uint64_t time, size_t var, std::string value) {
    m_changes.push_back({time, m_changes.size(), var, std::move(value)});
  }

  std::vector<Var> m_vars;
  std::vector<Change> m_changes;
};

// Edge N is at time 2N; the half cycle after it (inputs change, the clock falls) at 2N + 1.
constexpr uint64_t at_edge(Cycle c) { return 2 * c; }
constexpr uint64_t after_edge(Cycle c) { return 2 * c + 1; }

std::string line_name(const DeviceBinding& binding, unsigned line) {
  if (line < binding.hints.irq_lines.size()) return binding.hints.irq_lines[line];
  return fmt::format("irq{}", line);
}

// The view's signals, by name, in the order the save file shows them.
struct ViewLayout {
  unsigned data_width, addr_width, irq_width;
  size_t text_chars;
  bool irq_lines;
};

ViewLayout layout(const DeviceBinding& binding, const CosimRecord& record) {
  ViewLayout l;
  l.data_width = std::max(8u, binding.data_width);
  l.addr_width = std::clamp(binding.addr_width, 1u, 64u);
  l.irq_width = std::max<unsigned>(record.irq_width(), static_cast<unsigned>(binding.hints.irq_lines.size()));
  l.irq_width = std::clamp(l.irq_width, 1u, 32u);
  l.text_chars = 8;
  for (const CosimStep& s : record.steps) l.text_chars = std::max(l.text_chars, format_step(s.step).size());
  l.text_chars = std::min(l.text_chars, kMaxStepText);
  l.irq_lines = l.irq_width > 1;
  return l;
}

// The edges [first, last] over which the view draws the clock: kClockWindow edges either side
// of every edge where the view shows something, merged where they meet, within [0, end + 1].
std::vector<std::pair<Cycle, Cycle>> clock_windows(const CosimRecord& record, const std::optional<Divergence>& d) {
  std::vector<Cycle> at = {0, record.start, record.end};
  for (const CosimStep& s : record.steps) {
    at.push_back(s.from);
    at.push_back(s.to);
  }
  for (const BeatObservation& b : record.beats) {
    at.push_back(b.start);
    at.push_back(b.done);
  }
  for (const CosimIrq& c : record.irq) at.push_back(c.at);
  for (const CosimDma& m : record.dma) at.push_back(m.access.cycle);
  if (d) at.push_back(d->cycle);
  std::sort(at.begin(), at.end());
  const Cycle limit = record.end + 1;
  std::vector<std::pair<Cycle, Cycle>> windows;
  for (const Cycle c : at) {
    const Cycle first = c > kClockWindow ? c - kClockWindow : 0;
    const Cycle last = std::min(limit, c > limit - kClockWindow ? limit : c + kClockWindow);
    if (first > limit) continue;
    if (!windows.empty() && first <= windows.back().second + 1)
      windows.back().second = std::max(windows.back().second, last);
    else
      windows.push_back({first, last});
  }
  return windows;
}

std::string vec(const std::string& path, unsigned width) {
  return width == 1 ? path : fmt::format("{}[{}:0]", path, width - 1);
}

}  // namespace

std::string cosim_vcd(const DeviceBinding& binding, const CosimRecord& record, const std::optional<Divergence>& d,
                      int timescale) {
  const ViewLayout l = layout(binding, record);
  Vcd vcd;
  const size_t clk = vcd.add("tandem", "clk", 1);
  const size_t reset = vcd.add("tandem", "reset", 1);
  const size_t diverged = vcd.add("tandem", "diverged", 1);
  const size_t step = vcd.add("tandem", "step", 32);
  const size_t step_text = vcd.add("tandem", "step_text", static_cast<unsigned>(8 * l.text_chars));
  const size_t access = vcd.add("bus", "access", 1);
  const size_t write = vcd.add("bus", "write", 1);
  const size_t addr = vcd.add("bus", "addr", l.addr_width);
  const size_t wdata = vcd.add("bus", "wdata", l.data_width);
  const size_t size = vcd.add("bus", "size", 4);
  struct Side {
    size_t rdata, error, irq, dma, dma_write, dma_addr, dma_data, dma_size;
    std::vector<size_t> lines;
  } side[2];
  for (int s = 0; s < 2; ++s) {
    const std::string scope = s == 0 ? "rtl" : "model";
    side[s].rdata = vcd.add(scope, "rdata", l.data_width);
    side[s].error = vcd.add(scope, "error", 1);
    side[s].irq = vcd.add(scope, "irq", l.irq_width);
    if (l.irq_lines)
      for (unsigned i = 0; i < l.irq_width; ++i) side[s].lines.push_back(vcd.add(scope, line_name(binding, i), 1));
    side[s].dma = vcd.add(scope, "dma", 1);
    side[s].dma_write = vcd.add(scope, "dma_write", 1);
    side[s].dma_addr = vcd.add(scope, "dma_addr", 64);
    side[s].dma_data = vcd.add(scope, "dma_data", 64);
    side[s].dma_size = vcd.add(scope, "dma_size", 4);
  }

  // Time 0: reset held until the comparison starts, everything else quiet.
  vcd.set(0, reset, 1);
  vcd.set(after_edge(record.start), reset, 0);
  vcd.set(0, diverged, 0);
  vcd.set(0, step, 0);
  vcd.set_text(0, step_text, "");
  vcd.set(0, access, 0);
  vcd.set(0, write, 0);
  vcd.set(0, addr, 0);
  vcd.set(0, wdata, 0);
  vcd.set(0, size, 0);
  for (const Side& sd : side) {
    vcd.set_z(0, sd.rdata);
    vcd.set(0, sd.error, 0);
    vcd.set(0, sd.irq, 0);
    for (size_t v : sd.lines) vcd.set(0, v, 0);
    vcd.set(0, sd.dma, 0);
    vcd.set(0, sd.dma_write, 0);
    vcd.set(0, sd.dma_addr, 0);
    vcd.set(0, sd.dma_data, 0);
    vcd.set(0, sd.dma_size, 0);
  }
  for (const auto& [first, last] : clock_windows(record, d)) {
    for (Cycle c = first; c <= last; ++c) {
      vcd.set(at_edge(c), clk, 1);
      vcd.set(after_edge(c), clk, 0);
    }
    if (last <= record.end) vcd.set_z(at_edge(last + 1), clk);  // nothing happens until the next window
  }
  for (const CosimStep& s : record.steps) {
    vcd.set(after_edge(s.from), step, s.index);
    std::string text = format_step(s.step);
    if (text.size() > l.text_chars) text = text.substr(0, l.text_chars - 3) + "...";
    vcd.set_text(after_edge(s.from), step_text, text);
    if (s.step.kind == StepKind::reset) {
      vcd.set(after_edge(s.from), reset, 1);
      vcd.set(after_edge(s.to), reset, 0);
    }
  }
  for (const BeatObservation& b : record.beats) {
    vcd.set(after_edge(b.start), access, 1);
    vcd.set(after_edge(b.start), write, b.write);
    vcd.set(after_edge(b.start), addr, b.addr);
    vcd.set(after_edge(b.start), wdata, b.write ? b.wdata : 0);
    vcd.set(after_edge(b.start), size, b.size);
    vcd.set(after_edge(b.done), access, 0);
    const uint64_t data[2] = {b.rtl_data, b.model_data};
    const bool error[2] = {b.rtl_error, b.model_error};
    for (int s = 0; s < 2; ++s) {
      if (b.write)
        vcd.set_z(at_edge(b.done), side[s].rdata);
      else
        vcd.set(at_edge(b.done), side[s].rdata, data[s]);
      vcd.set(at_edge(b.done), side[s].error, error[s]);
    }
  }
  for (const CosimIrq& c : record.irq) {
    const uint32_t v[2] = {c.rtl, c.model};
    for (int s = 0; s < 2; ++s) {
      vcd.set(at_edge(c.at), side[s].irq, v[s]);
      for (size_t i = 0; i < side[s].lines.size(); ++i) vcd.set(at_edge(c.at), side[s].lines[i], (v[s] >> i) & 1);
    }
  }
  for (const CosimDma& m : record.dma) {
    const Side& sd = side[m.rtl_side ? 0 : 1];
    const DmaAccess& a = m.access;
    vcd.set(at_edge(a.cycle), sd.dma, 1);
    vcd.set(after_edge(a.cycle), sd.dma, 0);
    vcd.set(at_edge(a.cycle), sd.dma_write, a.write);
    vcd.set(at_edge(a.cycle), sd.dma_addr, a.addr);
    vcd.set(at_edge(a.cycle), sd.dma_data, a.data);
    vcd.set(at_edge(a.cycle), sd.dma_size, a.size);
  }
  if (d) vcd.set(at_edge(d->cycle), diverged, 1);

  const std::string comment =
      d ? fmt::format("{}: {} divergence at step {}, cycle {} (time {}), register {}", binding.name, kind_name(d->kind),
                      d->step, d->cycle, at_edge(d->cycle), d->reg)
        : fmt::format("{}: no divergence", binding.name);
  return vcd.text(timescale_text(timescale), comment);
}

std::string cosim_gtkw(const DeviceBinding& binding, const CosimRecord& record, const std::optional<Divergence>& d,
                       const WaveFiles& files) {
  const ViewLayout l = layout(binding, record);
  std::error_code ec;
  const std::string view = fs::absolute(files.view, ec).string();
  const std::string save = fs::absolute(files.gtkw, ec).string();
  // The window: the cycles before the divergence (or the whole run) in about 600 pixels of the
  // wave pane. GTKWave shows 2^-zoom / 150 time units a pixel (measured on 3.3.118), and no
  // less than about 4 units in 600 pixels.
  const Cycle last = d ? d->cycle + 6 : record.end + 1;
  const Cycle first = d ? (d->cycle > record.start + 40 ? d->cycle - 40 : 0) : 0;
  const double span = static_cast<double>(at_edge(last) - at_edge(first));
  const double zoom = -std::log2(std::max(span, 4.0) / 4.0);
  const int64_t marker = d ? static_cast<int64_t>(at_edge(d->cycle)) : -1;

  std::string markers = std::to_string(marker);
  for (int i = 0; i < 26; ++i) markers += fmt::format(" {}", i == 0 ? marker : -1);
  const std::string headline = d ? fmt::format("{}: {} divergence at step {}, cycle {} (time {}), register {}",
                                               binding.name, kind_name(d->kind), d->step, d->cycle, marker, d->reg)
                                 : fmt::format("{}: no divergence", binding.name);

  std::string out;
  const std::string kBin = "@28\n";
  const std::string kHex = "@22\n";
  const std::string kDec = "@24\n";
  const std::string kAscii = "@820\n";
  const std::string kHighlight = "@29\n";  // binary, highlighted
  auto group = [&](const std::string& name, const std::string& body) {
    out += "@800200\n-" + name + "\n" + body + "@1000200\n-" + name + "\n";
  };
  // Each side's signals under an alias ("RTL rdata", "model rdata"): GTKWave shows the last
  // name component only.
  auto sides = [&](const std::string& name, unsigned width) {
    return fmt::format("+{{RTL {0}}} {1}\n+{{model {0}}} {2}\n", name, vec("tandem.rtl." + name, width),
                       vec("tandem.model." + name, width));
  };
  std::string top;
  top += std::string(kBin) + "tandem.clk\n";
  top += std::string(kHighlight) + "tandem.diverged\n";
  top += std::string(kBin) + "tandem.reset\n";
  top += std::string(kDec) + vec("tandem.step", 32) + "\n";
  top += std::string(kAscii) + vec("tandem.step_text", static_cast<unsigned>(8 * l.text_chars)) + "\n";
  group("run", top);
  group("bus access", std::string(kBin) + "tandem.bus.access\ntandem.bus.write\n" + kHex +
                          vec("tandem.bus.addr", l.addr_width) + "\n" + vec("tandem.bus.wdata", l.data_width) + "\n" +
                          kDec + vec("tandem.bus.size", 4) + "\n");
  group("read data: RTL / model", kHex + sides("rdata", l.data_width));
  group("error response: RTL / model", kBin + sides("error", 1));
  std::string irq = kHex + sides("irq", l.irq_width);
  if (l.irq_lines) {
    irq += kBin;
    for (unsigned i = 0; i < l.irq_width; ++i) irq += sides(line_name(binding, i), 1);
  }
  group("interrupts: RTL / model", irq);
  if (binding.hints.has_dma() || !record.dma.empty())
    group("DMA: RTL / model", kBin + sides("dma", 1) + sides("dma_write", 1) + kHex + sides("dma_addr", 64) +
                                  sides("dma_data", 64) + kDec + sides("dma_size", 4));
  return fill_template(kCosimGtkwTemplate, {{"HEADLINE", headline},
                                            {"RTL_TRACE", files.rtl},
                                            {"VIEW", view},
                                            {"SAVE", save},
                                            {"TIMESTART", std::to_string(at_edge(first))},
                                            {"ZOOM", fmt::format("{:.6f}", zoom)},
                                            {"MARKERS", markers},
                                            {"SIGNALS", out}});
}

std::string gtkwave_command(const WaveFiles& files) { return fmt::format("gtkwave {} {}", files.view, files.gtkw); }

}  // namespace tandem
