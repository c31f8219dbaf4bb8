// The harness registers served by a line model (models/uart16550/uart_window.h) are the
// Verilog harness, edge for edge. The harness top (uart16550_harness, removed from
// rtl/uart16550/uart16550.sv after commit e964541) ran every program below once; what it
// answered (each step's read data, error and end edge, and every change of its interrupt line)
// is recorded in tests/data/uart_window_golden.txt. The plain uart16550 top with its pins and
// the window source must give the same, program for program. No model is involved. Seeded
// bugs in the source (an edge late, a FIFO entry short, the monitor's format one edge early or
// late) are each caught by these programs against the recording.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <tandem/rtl_executor.h>
#include <tandem/stimulus.h>

#include "models/uart16550/uart_window.h"
#include "tests/test_support.h"

namespace tandem {
DeviceBinding binding_uart16550_pins();
}  // namespace tandem

using namespace tandem;
using models::uart::UartWindow;
using namespace models::uart::harness;

namespace {

// The UART's register indices (the window's are models::uart::harness).
enum : uint64_t {
  kRbr = 0,
  kDll = 0,
  kIer = 1,
  kDlm = 1,
  kIir = 2,
  kFcr = 2,
  kLcr = 3,
  kMcr = 4,
  kLsr = 5,
  kMsr = 6,
};

// The plain uart16550 top (uart16550_pins' RTL) with `Window` as its line model, addressed as
// the harness was (8-bit paddr: the window serves every index from 0x08 on).
template <class Window = UartWindow>
DeviceBinding plain_top() {
  DeviceBinding b = binding_uart16550_pins();
  b.addr_width = 8;
  b.make_pin_source = [] { return std::make_unique<Window>(0); };
  return b;
}

// What one run shows on the bus and the interrupt line.
struct Trace {
  std::vector<StepResult> results;
  std::vector<Cycle> edges;                     // now() after each step
  std::vector<std::pair<Cycle, unsigned>> irq;  // every change of the irq line, in edge order
};

Trace run(const DeviceBinding& b, const Program& p) {
  RtlExecutor e(b, {});
  Trace t;
  unsigned irq = e.irq() & 1u;
  for (const Step& s : p) {
    t.results.push_back(e.execute(s));
    t.edges.push_back(e.now());
    for (const IrqChange& c : e.rtl().irq_log()) {  // the plain top's word has its output pins above irq
      if ((c.value & 1u) == irq) continue;
      irq = c.value & 1u;
      t.irq.emplace_back(c.cycle, irq);
    }
  }
  return t;
}

// "" when both runs agree on every step and every irq change; otherwise the first difference.
std::string first_difference(const Program& p, const Trace& a, const Trace& b) {
  if (a.results.size() != p.size()) return "the recording has " + std::to_string(a.results.size()) + " steps";
  for (size_t i = 0; i < p.size(); ++i) {
    const StepResult &x = a.results[i], &y = b.results[i];
    if (x.data != y.data || x.error != y.error || a.edges[i] != b.edges[i]) {
      std::ostringstream os;
      os << "step " << i << " (kind " << int(p[i].kind) << " addr 0x" << std::hex << p[i].addr << " data 0x"
         << p[i].data << std::dec << "): harness " << x.data << (x.error ? " error" : "") << " at edge " << a.edges[i]
         << ", window " << y.data << (y.error ? " error" : "") << " at edge " << b.edges[i];
      return os.str();
    }
  }
  for (size_t i = 0; i < std::max(a.irq.size(), b.irq.size()); ++i) {
    if (i < a.irq.size() && i < b.irq.size() && a.irq[i] == b.irq[i]) continue;
    std::ostringstream os;
    os << "irq change " << i << ": harness ";
    if (i < a.irq.size())
      os << a.irq[i].second << " at edge " << a.irq[i].first;
    else
      os << "none";
    os << ", window ";
    if (i < b.irq.size())
      os << b.irq[i].second << " at edge " << b.irq[i].first;
    else
      os << "none";
    return os.str();
  }
  return "";
}

// The data of every read of `reg` in the run, in order.
std::vector<uint64_t> values_read(const Program& p, const Trace& t, uint64_t reg) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i].kind == StepKind::read && p[i].addr == reg) out.push_back(t.results[i].data);
  return out;
}

// ---------------------------------------------------------------- the recording
//
// tests/data/uart_window_golden.txt, one record a line:
//   program NAME                       a program begins (NAME as programs() names it)
//   s KIND SIZE ADDR DATA RDATA ERR EDGE   a step (StepKind as a number; ADDR, DATA, RDATA in hex)
//                                      and what the harness answered: read data, error, now() after
//   i EDGE VALUE                       the harness's irq line changed to VALUE at EDGE
// Lines starting with # are comments.

struct Recorded {
  Program program;
  Trace trace;
};

const std::string kGolden = std::string(TANDEM_SOURCE_DIR) + "/tests/data/uart_window_golden.txt";

void write_recording(std::ostream& os, const std::string& name, const Program& p, const Trace& t) {
  os << "program " << name << "\n" << std::hex;
  for (size_t i = 0; i < p.size(); ++i)
    os << "s " << int(p[i].kind) << ' ' << int(p[i].size) << ' ' << p[i].addr << ' ' << p[i].data << ' '
       << t.results[i].data << ' ' << (t.results[i].error ? 1 : 0) << ' ' << t.edges[i] << "\n";
  for (const auto& c : t.irq) os << "i " << c.first << ' ' << c.second << "\n";
  os << std::dec;
}

const std::map<std::string, Recorded>& recordings() {
  static const std::map<std::string, Recorded> all = [] {
    std::map<std::string, Recorded> out;
    std::ifstream in(kGolden);
    if (!in) throw std::runtime_error(kGolden + ": cannot open");
    Recorded* cur = nullptr;
    unsigned line_no = 0;
    for (std::string line; std::getline(in, line);) {
      ++line_no;
      if (line.empty() || line[0] == '#') continue;
      std::istringstream ls(line);
      std::string tag;
      ls >> tag;
      const std::string where = kGolden + ":" + std::to_string(line_no) + ": ";
      if (tag == "program") {
        std::string name;
        std::getline(ls >> std::ws, name);
        cur = &out[name];
        continue;
      }
      if (!cur) throw std::runtime_error(where + "a record before the first program");
      ls >> std::hex;
      if (tag == "s") {
        unsigned kind = 0, size = 0, err = 0;
        Step s;
        StepResult r;
        Cycle edge = 0;
        ls >> kind >> size >> s.addr >> s.data >> r.data >> err >> edge;
        s.kind = static_cast<StepKind>(kind);
        s.size = static_cast<uint8_t>(size);
        r.error = err != 0;
        if (!ls) throw std::runtime_error(where + "a step needs 7 fields");
        cur->program.push_back(s);
        cur->trace.results.push_back(r);
        cur->trace.edges.push_back(edge);
      } else if (tag == "i") {
        Cycle edge = 0;
        unsigned v = 0;
        ls >> edge >> v;
        if (!ls) throw std::runtime_error(where + "an irq change needs 2 fields");
        cur->trace.irq.emplace_back(edge, v);
      } else {
        throw std::runtime_error(where + "unknown record '" + tag + "'");
      }
    }
    return out;
  }();
  return all;
}

// "" when the program is the one recorded under `name`, else the first step that differs.
std::string same_program(const Program& p, const Program& recorded) {
  for (size_t i = 0; i < std::max(p.size(), recorded.size()); ++i) {
    if (i < p.size() && i < recorded.size() && p[i].kind == recorded[i].kind && p[i].size == recorded[i].size &&
        p[i].addr == recorded[i].addr && p[i].data == recorded[i].data)
      continue;
    return "the program differs from the recorded one at step " + std::to_string(i) +
           " (a changed program needs a new recording from the harness)";
  }
  return "";
}

// The plain top with `Window` against what the harness answered to program `name`.
template <class Window = UartWindow>
std::string compare(const std::string& name, const Program& p) {
  const auto it = recordings().find(name);
  if (it == recordings().end()) return "no recording of program '" + name + "' in " + kGolden;
  const std::string prog = same_program(p, it->second.program);
  if (!prog.empty()) return prog;
  return first_difference(p, it->second.trace, run(plain_top<Window>(), p));
}

// ---------------------------------------------------------------- programs

struct Writer {
  Program p;
  Writer& w(uint64_t reg, uint64_t v) {
    p.push_back(Step::write(reg, v, 1));
    return *this;
  }
  Writer& r(uint64_t reg) {
    p.push_back(Step::read(reg, 1));
    return *this;
  }
  Writer& idle(uint64_t n) {
    p.push_back(Step::idle(n));
    return *this;
  }
  // DLAB, divisor, format, FIFOs, interrupt enables: the programming guide's order.
  Writer& init(uint16_t div, uint8_t lcr, uint8_t ier = 0x0f) {
    return w(kLcr, 0x80).w(kDll, div & 0xff).w(kDlm, div >> 8).w(kLcr, lcr).w(kFcr, 0x07).w(kIer, ier);
  }
  // Every capture register, until the FIFO is empty (at most `n` characters).
  Writer& drain_captures(unsigned n = 20) {
    for (unsigned i = 0; i < n; ++i) {
      r(kCapCount).r(kCapFlags);
      for (unsigned k = 0; k < 4; ++k) r(kCapTime0 + k);
      r(kCapData);
    }
    return *this;
  }
  // The receiver's side: status, interrupt, data.
  Writer& receive(unsigned n) {
    for (unsigned i = 0; i < n; ++i) r(kLsr).r(kIir).r(kRbr).r(kInjStatus).r(kLine);
    return *this;
  }
};

// Injection with good characters, a forced parity error, a forced framing error, a break, a
// divisor of its own, DIV = 0 (the bus's), and a queue driven past its 16 entries.
Program injection() {
  Writer x;
  x.init(1, 0x1b);  // 8E1
  x.w(kInjFmt, 0x1b).w(kInjData, 0x41).w(kInjData, 0x42).r(kInjStatus).r(kLine).idle(100).r(kLine).idle(300);
  x.receive(3);
  x.w(kInjFmt, 0x1b | 0x40).w(kInjData, 0x43).idle(200).receive(2);                         // parity error
  x.w(kInjFmt, 0x1b | 0x80).w(kInjData, 0x44).idle(200).receive(2);                         // framing error
  x.w(kInjFmt, 0x1b).w(kInjCtrl, 1).w(kInjData, 0x00).w(kInjCtrl, 0).idle(250).receive(2);  // break
  x.w(kInjDivLo, 2).w(kInjData, 0x55).idle(500).receive(2).w(kInjDivLo, 0);  // its own divisor: garbage at 1
  x.w(kInjFmt, 0x03).w(kLcr, 0x03).w(kInjData, 0x61).idle(40).r(kLine).idle(200).receive(2);  // 8N1
  for (unsigned i = 0; i < 20; ++i) x.w(kInjData, 0x30 + i);                                  // 16 queue, 4 dropped
  x.r(kInjStatus).r(kInjStatus).r(kInjData).r(kInjFmt).r(kInjCtrl).r(kInjDivLo).r(kInjDivHi);
  for (unsigned i = 0; i < 10; ++i) x.idle(170).receive(2);
  x.idle(4000).receive(8).r(kInjStatus);
  return x.p;
}

// Capture at several divisors and formats (5-8 bits, parity odd/even/stick, 1/1.5/2 stop bits),
// a break on sout, loopback, and the capture FIFO past its 16 entries.
Program capture() {
  Writer x;
  const std::pair<uint16_t, uint8_t> settings[] = {{1, 0x03}, {3, 0x1b}, {2, 0x04}, {1, 0x0f}, {5, 0x3b}, {2, 0x2a}};
  for (const auto& s : settings) {
    x.init(s.first, s.second, 0x02);
    for (uint8_t c : {0x5a, 0xa5, 0x0f}) x.w(kRbr, c);
    x.idle(s.first * 3 * 200u).r(kLine).r(kIir).drain_captures(4);
  }
  x.init(1, 0x03, 0).w(kRbr, 0x11).idle(50).w(kLcr, 0x43).idle(300).w(kLcr, 0x03).idle(200).drain_captures(3);
  x.w(kMcr, 0x10).w(kRbr, 0x22).idle(60).w(kMcr, 0x00).idle(300).drain_captures(3).receive(2);  // loopback
  for (unsigned i = 0; i < 20; ++i) x.w(kRbr, 0x40 + i);
  x.idle(20 * 160).r(kCapCount).r(kCapCount).drain_captures(17).idle(4 * 160).r(kCapCount).drain_captures(5);
  return x.p;
}

// The modem inputs (MSR, its interrupt, loopback), the modem outputs, H_NOW, and the holes.
Program modem_now_and_holes() {
  Writer x;
  x.init(1, 0x03, 0x08);
  for (uint8_t m : {0x1, 0x3, 0x7, 0xf, 0xb, 0x0, 0x4, 0x0})
    x.w(kModemIn, m).r(kModemIn).r(kMsr).r(kIir).idle(3).r(kMsr);
  for (uint8_t m : {0x01, 0x03, 0x0f, 0x1f, 0x0c, 0x00}) x.w(kMcr, m).r(kModemOut).r(kMsr).w(kModemIn, m & 0xf).r(kMsr);
  for (uint64_t n : {0, 1, 2, 250, 255, 256, 70000}) x.idle(n).r(kNow0).r(kNow0 + 1).r(kNow0 + 2).r(kNow0 + 3);
  x.r(kNow0 + 3).r(kNow0 + 1);  // without a NOW0 read between: the latch as it was
  for (uint64_t h : {0x08, 0x0f, 0x10, 0x1f, 0x34, 0x3f, 0x80, 0xff}) x.r(h).w(h, 0x5a).r(h & 7);
  for (uint64_t h : {kInjStatus, kModemOut, kCapCount, kLine, kNow0}) x.w(h, 0xff).r(h);  // read-only
  x.p.push_back(Step::reset());
  x.r(kModemIn).r(kNow0).r(kCapCount).r(kInjStatus).r(kMsr);
  return x.p;
}

// A settings write swept across the edges where it starts to count: the monitor's start bit
// (format taken one edge after the write) and the injector's DIV = 0 load (the divisor before
// the load edge). One program per offset.
std::vector<Program> settings_sweep() {
  std::vector<Program> out;
  for (uint64_t k = 140; k <= 180; ++k) {  // the second character's start bit is ~160 edges in
    Writer x;
    x.init(1, 0x03, 0x02).w(kRbr, 0x35).w(kRbr, 0xca).idle(k).w(kLcr, 0x1b).idle(400).drain_captures(3);
    out.push_back(x.p);
    Writer y;  // DIV = 0: the second injected character loads when the first ends
    y.init(1, 0x03, 0x01).w(kInjFmt, 0x03).w(kInjData, 0x35).w(kInjData, 0xca).w(kLcr, 0x83).idle(k - 10);
    y.w(kDll, 2).w(kLcr, 0x03).idle(600).r(kInjStatus).receive(3);
    out.push_back(y.p);
  }
  // A divisor changed in the middle of a character, on both lines.
  Writer z;
  z.init(4, 0x03, 0x0f).w(kInjFmt, 0x03).w(kInjData, 0x96).w(kRbr, 0x69).idle(300);
  z.w(kLcr, 0x83).w(kDll, 1).w(kLcr, 0x03).idle(800).receive(3).drain_captures(3);
  out.push_back(z.p);
  return out;
}

// LINE read at every edge of a character's first bits, on sin and on sout (two programs per
// line: reads are two edges apart, one edge of idle shifts them).
std::vector<Program> line_sweep() {
  std::vector<Program> out;
  for (uint64_t shift : {0, 1}) {
    Writer x;
    x.init(1, 0x03, 0).w(kInjFmt, 0x03).w(kInjData, 0x35).idle(shift);
    for (unsigned i = 0; i < 30; ++i) x.r(kLine);
    x.w(kRbr, 0x35).idle(shift);
    for (unsigned i = 0; i < 30; ++i) x.r(kLine);
    out.push_back(x.p);
  }
  return out;
}

Program seeded(uint64_t seed) { return generate_program("all", plain_top(), seed, 3000); }

// Every program, by the name its recording has.
std::vector<std::pair<std::string, Program>> programs() {
  std::vector<std::pair<std::string, Program>> all{
      {"injection", injection()}, {"capture", capture()}, {"modem_now_and_holes", modem_now_and_holes()}};
  const std::vector<Program> line = line_sweep(), settings = settings_sweep();
  for (size_t i = 0; i < line.size(); ++i) all.emplace_back("line_sweep " + std::to_string(i), line[i]);
  for (size_t i = 0; i < settings.size(); ++i) all.emplace_back("settings_sweep " + std::to_string(i), settings[i]);
  for (uint64_t seed : {1, 2, 3}) all.emplace_back("seeded " + std::to_string(seed), seeded(seed));
  return all;
}

// ---------------------------------------------------------------- seeded bugs

struct LoadsLate : UartWindow {  // the injector loads an edge after the harness's
  using UartWindow::UartWindow;
  Cycle load_delay() const override { return 2; }
};
struct ShortFifo : UartWindow {  // 15 entries in the queue and the capture FIFO
  using UartWindow::UartWindow;
  unsigned queue_depth() const override { return kDepth - 1; }
};
struct FormatEarly : UartWindow {  // the monitor takes a format write at once
  using UartWindow::UartWindow;
  Cycle format_delay() const override { return 0; }
};
struct FormatLate : UartWindow {  // ... or two edges after it
  using UartWindow::UartWindow;
  Cycle format_delay() const override { return 2; }
};

// A program the right window passes that `Window` fails (a program without a recording, or
// changed since, counts for neither).
template <class Window>
bool caught() {
  for (const auto& [name, p] : programs())
    if (compare(name, p).empty() && !compare<Window>(name, p).empty()) return true;
  return false;
}

UartWindow& window_of(RtlExecutor& e) { return dynamic_cast<UartWindow&>(*e.pins()); }

}  // namespace

TEST_CASE("the window source injects as the harness did: errors, breaks, divisors and a full queue", "[uart][window]") {
  const Program p = injection();
  CHECK(compare("injection", p) == "");
  const Trace t = run(plain_top(), p);
  CHECK(t.results[9].data == 0x20 + 1);  // INJ_STATUS right after two writes: busy, one queued
  const std::vector<uint64_t> rbr = values_read(p, t, kRbr);
  REQUIRE(rbr.size() >= 2);
  CHECK(rbr[0] == 0x41);  // the injected characters reach the plain top's receiver
  CHECK(rbr[1] == 0x42);
  CHECK_FALSE(t.irq.empty());
}

TEST_CASE("the window source captures sout as the harness did, at several divisors and formats", "[uart][window]") {
  const Program p = capture();
  CHECK(compare("capture", p) == "");
  const std::vector<uint64_t> data = values_read(p, run(plain_top(), p), kCapData);
  REQUIRE(data.size() >= 3);
  CHECK(data[0] == 0x5a);  // 8N1 at divisor 1: what the UART sent, decoded from sout
  CHECK(data[1] == 0xa5);
  CHECK(data[2] == 0x0f);
}

TEST_CASE("modem inputs, modem outputs, H_NOW and the holes answer as the harness did", "[uart][window]") {
  const Program p = modem_now_and_holes();
  CHECK(compare("modem_now_and_holes", p) == "");
  const Trace t = run(plain_top(), p);
  size_t holes = 0;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i].kind != StepKind::idle && p[i].kind != StepKind::reset && p[i].addr >= 0x08 &&
        (p[i].addr < 0x20 || p[i].addr > 0x33))
      holes += t.results[i].error ? 1 : 0;
  CHECK(holes == 16);  // a read and a write at each of the 8 holes
}

TEST_CASE("LINE shows sin and sout as they were before the read's edge, edge for edge", "[uart][window]") {
  const std::vector<Program> sweep = line_sweep();
  for (size_t i = 0; i < sweep.size(); ++i) {
    const Program& p = sweep[i];
    CHECK(compare("line_sweep " + std::to_string(i), p) == "");
    const std::vector<uint64_t> line = values_read(p, run(plain_top(), p), kLine);
    CHECK(std::count(line.begin(), line.end(), 1) > 0);  // sin low: the injector's start bit
    CHECK(std::count(line.begin(), line.end(), 2) > 0);  // sout low: the transmitter's
  }
}

// The first edge in [from, to) where next_change() skips an edge whose inputs differ, or kNever.
Cycle skipped_change(const PinSource& pins, Cycle from, Cycle to) {
  for (Cycle t = from; t < to; ++t) {
    const Cycle n = pins.next_change(t);
    if (n <= t) return t;
    for (Cycle u = t + 1; u < std::min(n, to); ++u)
      if (pins.inputs(u) != pins.inputs(t)) return t;
  }
  return kNever;
}

TEST_CASE("the injector's line and modem inputs are answered for past edges, and no change is skipped",
          "[uart][window]") {
  RtlExecutor e(plain_top(), {});
  Writer setup;
  setup.init(1, 0x03, 0).w(kInjFmt, 0x03);
  for (const Step& s : setup.p) e.execute(s);
  e.execute(Step::write(kInjData, 0x00, 1));
  const Cycle w = e.now();                    // loads at w + 1: start bit and 8 zero bits low for 144 edges after it
  e.execute(Step::write(kInjData, 0x55, 1));  // queued: loads when the first frame ends
  const PinSource& pins = *e.pins();
  CHECK(skipped_change(pins, w, w + 400) == kNever);  // frames the injector has yet to commit
  e.execute(Step::write(kModemIn, 0x5, 1));
  const Cycle m = e.now();
  e.execute(Step::idle(1000));
  e.execute(Step::read(kInjStatus, 1));  // the window commits what the injector did
  CHECK(skipped_change(pins, w, w + 400) == kNever);
  CHECK((pins.inputs(w + 1) & 1) == 1);
  CHECK((pins.inputs(w + 2) & 1) == 0);
  CHECK((pins.inputs(w + 2 + 143) & 1) == 0);
  CHECK((pins.inputs(w + 2 + 144) & 1) == 1);  // the stop bit
  CHECK(pins.next_change(w + 1) == w + 2);
  CHECK((pins.inputs(m) >> 1) == 0xf);               // modem inputs inactive (high) up to the write's edge
  CHECK((pins.inputs(m + 1) >> 1) == (~0x5 & 0xf));  // then cts_n and ri_n low
}

TEST_CASE("a settings write counts from the same edge on both: monitor format and injector divisor", "[uart][window]") {
  const std::vector<Program> sweep = settings_sweep();
  for (size_t i = 0; i < sweep.size(); ++i) CHECK(compare("settings_sweep " + std::to_string(i), sweep[i]) == "");
}

TEST_CASE("seeded random uart16550 programs run on the window source as they did on the harness", "[uart][window]") {
  for (uint64_t seed : {1, 2, 3}) {
    INFO("seed " << seed);
    CHECK(compare("seeded " + std::to_string(seed), seeded(seed)) == "");
  }
}

TEST_CASE("every seeded bug in the window source is caught by the programs", "[uart][window]") {
  CHECK(caught<LoadsLate>());
  CHECK(caught<ShortFifo>());
  CHECK(caught<FormatEarly>());
  CHECK(caught<FormatLate>());
}

TEST_CASE("the window source's state restored mid-run carries the rest of the run", "[uart][window]") {
  // At each cut the source is overwritten with a fresh one's state, then given back what it
  // saved: a field restore missed would keep the fresh value and change what follows.
  for (const Program& p : {injection(), capture()}) {
    const Trace whole = run(plain_top(), p);
    for (size_t cut = 5; cut < p.size(); cut += p.size() / 7) {
      RtlExecutor e(plain_top(), {});
      for (size_t i = 0; i < cut; ++i) e.execute(p[i]);
      StateWriter saved, fresh;
      window_of(e).save(saved);
      UartWindow(0).save(fresh);
      StateReader wipe(fresh.bytes), back(saved.bytes);
      REQUIRE(window_of(e).restore(wipe) == "");
      REQUIRE(window_of(e).restore(back) == "");
      bool same = true;
      for (size_t i = cut; i < p.size(); ++i) {
        const StepResult r = e.execute(p[i]);
        same = same && r.data == whole.results[i].data && r.error == whole.results[i].error;
      }
      INFO("cut at step " << cut);
      CHECK(same);
    }
  }
}

TEST_CASE("the window source's history stays bounded: a long run's state restores", "[uart][window]") {
  RtlExecutor e(plain_top(), {});
  for (unsigned i = 0; i < 5000; ++i) e.execute(Step::write(kLcr, i % 2 ? 0x1b : 0x03, 1));  // sout idle
  for (const Step& s : generate_program("all", plain_top(), 4, 20000)) e.execute(s);
  StateWriter saved;
  window_of(e).save(saved);
  CHECK(saved.bytes.size() < 64 * 1024);
  UartWindow copy(0);
  StateReader in(saved.bytes);
  CHECK(copy.restore(in) == "");
}

TEST_CASE("a damaged window state is refused and leaves the source unchanged", "[uart][window]") {
  RtlExecutor a(plain_top(), {});
  for (const Step& s : capture()) a.execute(s);
  StateWriter saved;
  window_of(a).save(saved);
  UartWindow target(0);
  StateWriter before;
  target.save(before);
  for (size_t cut : {size_t(0), size_t(3), saved.bytes.size() / 2, saved.bytes.size() - 1}) {
    std::vector<uint8_t> truncated(saved.bytes.begin(), saved.bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    StateReader in(truncated);
    CHECK_FALSE(target.restore(in).empty());
  }
  std::vector<uint8_t> trailing = saved.bytes;
  trailing.push_back(0);
  StateReader in(trailing);
  CHECK(target.restore(in) == "window: trailing bytes");
  StateWriter after;
  target.save(after);
  CHECK(after.bytes == before.bytes);
}

// The line registers' fields the uart16550 model's state version 1 held (injector, capture
// FIFO, H_NOW latch) and the output pins last heard are the window's state now: each damaged
// one is refused by name, the source left as it was. The state's tail is fixed-size from the
// capture FIFO on: ... capture count, entries (6 bytes), overflow, H_NOW latch, outputs after
// and before, their edge.
TEST_CASE("the window refuses each damaged line-register field and keeps its state", "[uart][window][restore]") {
  RtlExecutor a(plain_top(), {});
  const Program p = capture();
  // Stop with captures waiting: the FIFO is read at the program's end.
  size_t n_cap = 0;
  std::vector<uint8_t> valid;
  for (const Step& s : p) {
    a.execute(s);
    StateWriter w;
    window_of(a).save(w);
    const std::vector<uint8_t>& b = w.bytes;
    // The capture count sits before the entries, the overflow flag, the latch and the outputs.
    for (size_t n = 1; n <= UartWindow::kDepth; ++n) {
      const size_t at = b.size() - 8 - 4 - 4 - 4 - 1 - 6 * n - 4;
      if (b[at] == n && b[at + 1] == 0 && b[at + 2] == 0 && b[at + 3] == 0) {
        n_cap = n;
        valid = b;
        break;
      }
    }
    if (n_cap != 0) break;
  }
  REQUIRE(n_cap != 0);
  const size_t end = valid.size();
  const size_t cap = end - 8 - 4 - 4 - 4 - 1 - 6 * n_cap - 4;
  auto put = [](std::vector<uint8_t>& s, size_t at, unsigned bytes, uint64_t v) {
    for (unsigned i = 0; i < bytes; ++i) s[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  uint64_t horizon = 0;
  for (unsigned i = 0; i < 8; ++i) horizon |= uint64_t(valid[4 + i]) << (8 * i);
  struct Case {
    std::string reason;  // what the refusal must start with
    std::function<void(std::vector<uint8_t>&)> edit;
  };
  const std::vector<Case> cases{
      {"window: unknown version", [&](std::vector<uint8_t>& s) { put(s, 0, 4, 9); }},
      {"window: edge out of range", [&](std::vector<uint8_t>& s) { put(s, 4, 8, ~uint64_t(0)); }},
      {"capture: flags beyond", [&](std::vector<uint8_t>& s) { s[cap + 4 + 1] = 8; }},
      {"capture: more than 16",
       [&](std::vector<uint8_t>& s) {
         put(s, cap, 4, 17);
         s.insert(s.begin() + static_cast<std::ptrdiff_t>(cap + 4), 6 * (17 - n_cap), uint8_t(0));
       }},
      {"capture:", [&](std::vector<uint8_t>& s) { s[end - 21] = 2; }},  // the overflow flag
      {"now: latch holds", [&](std::vector<uint8_t>& s) { put(s, end - 20, 4, 0x101); }},
      {"outputs: beyond", [&](std::vector<uint8_t>& s) { put(s, end - 16, 4, 0x20); }},
      {"outputs: change after", [&](std::vector<uint8_t>& s) { put(s, end - 8, 8, horizon + 1); }},
  };
  UartWindow target(0);
  {
    StateReader in(valid);
    REQUIRE(target.restore(in) == "");
  }
  for (const Case& c : cases) {
    INFO(c.reason);
    std::vector<uint8_t> crafted = valid;
    c.edit(crafted);
    REQUIRE(crafted != valid);
    StateReader in(crafted);
    const std::string why = target.restore(in);
    CHECK(why.rfind(c.reason, 0) == 0);
    StateWriter after;
    target.save(after);
    CHECK(after.bytes == valid);
  }
}

// The recording's generator, run once by hand (hidden: `tandem_tests "[.golden]"` with
// TANDEM_GOLDEN_OUT=<file>): every program of programs() on REFERENCE, written as
// tests/data/uart_window_golden.txt reads. The file in the tree was written with REFERENCE the
// Verilog harness top (device uart16550_harness, at commit e964541); with the harness gone it
// is the plain top with the window, which rewrites the same file while the window is right.
TEST_CASE("record what the reference answers to every program", "[.golden]") {
  const char* out_path = std::getenv("TANDEM_GOLDEN_OUT");
  REQUIRE(out_path != nullptr);
  const DeviceBinding reference = plain_top();
  std::ofstream out(out_path);
  out << "# What the Verilog harness top uart16550_harness (rtl/uart16550/uart16550.sv at commit\n"
         "# e964541, since removed) answered to every program of tests/uart_window_test.cpp: per step\n"
         "# the read data, error and end edge, and every change of its irq line. Written once by that\n"
         "# file's hidden test [.golden] with its reference the device uart16550_harness\n"
         "# (tests/uart16550_harness_binding.cpp at e964541); the seeded programs were checked to be\n"
         "# the ones the harness binding generates. Record format: that file's 'the recording'.\n";
  size_t steps = 0;
  for (const auto& [name, p] : programs()) {
    write_recording(out, name, p, run(reference, p));
    steps += p.size();
  }
  REQUIRE(out.good());
  CHECK(steps > 10000);
}
