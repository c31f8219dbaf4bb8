// The harness registers as a line model (uart_window.h). Each rule mirrors one of the Verilog
// harness top uart16550_harness (rtl/uart16550/uart16550.sv up to commit e964541, since
// removed; its answers are tests/data/uart_window_golden.txt); the same-edge order is the model's
// (uart16550_model.cpp): a read at edge t answers from the state before t, then its effects
// (a capture pop, a flag cleared), then the events at t (an injector load, a capture pushed
// into the room a pop made, a flag set winning over the clear); a write at t comes after the
// events at t (the injector loads from the queue before the new entry joins it).
#include "uart_window.h"

#include <algorithm>

#include "uart_line_state.h"

namespace models::uart {

using tandem::BusResponse;

namespace {
constexpr uint32_t kVersion = 1;
// How far back of the last bus access the injector's line and the modem inputs are still
// answered: the longest span a receiver's samples of one character cover (a 9-bit frame at
// divisor 65536, with room to spare), for a reader that samples behind the bus.
constexpr Cycle kLookBack = 16 * Cycle(65536) * 16;
}  // namespace

using namespace harness;

// ------------------------------------------------------------------------------------- pins

uint64_t UartWindow::inputs(Cycle t) const {
  const Cycle e = t == 0 ? 0 : t - 1;                       // what the flops take at edge t is the level after t - 1
  const uint64_t modem_n = ~uint64_t(m_modem.at(e)) & 0xf;  // cts_n dsr_n ri_n dcd_n
  return (sin_after(e) ? 1u : 0u) | modem_n << 1;
}

Cycle UartWindow::next_change(Cycle t) const {
  const Cycle e = t == 0 ? 0 : t - 1;
  Cycle line = kNever;  // the first edge after e the injector's line may change at
  if (const Frame* f = frame_after(e)) line = e < f->start ? f->start : f->next_change(e);
  const Cycle modem = m_modem.next_change(e);
  const Cycle c = std::min(line, modem);
  return c == kNever ? kNever : c + 1;
}

bool UartWindow::sin_frame(Cycle e, Frame& f) const {
  const Frame* c = frame_after(e);
  if (c != nullptr) f = *c;
  return c != nullptr;
}

Cycle UartWindow::next_modem_change(Cycle t) const {
  const Cycle c = m_modem.next_change(t == 0 ? 0 : t - 1);
  return c == kNever ? kNever : c + 1;
}

void UartWindow::on_outputs(Cycle t, uint32_t outputs) {
  m_out_before = m_out;
  m_out = outputs;
  m_out_edge = t;
  UartTerminal::on_outputs(t, outputs);
  m_mon.invalidate();
  // sout is known through t: the monitor catches up to the edge before (a read at t still
  // answers from the state before t).
  if (t > 0) run_monitor(t - 1);
}

void UartWindow::on_reset(Cycle now) {
  m_ahead_valid = false;
  UartTerminal::on_reset(now);
  m_tx.reset((m_out & 1u) != 0);  // sout as the device reported it through the reset
  m_reset_edge = now;
  m_inj_data = m_inj_fmt = m_inj_div_lo = m_inj_div_hi = 0;
  m_inj_brk = m_inj_dropped = false;
  m_inj = Injector{};
  m_inj_done = now;
  m_sin.clear();
  m_modem.reset(0);
  m_mon.reset(now);
  m_mon_done = now;
  m_cap.clear();
  m_cap_overflow = false;
  m_now_latch = 0;
}

void UartWindow::on_write(uint64_t offset, uint64_t value, unsigned size, Cycle at) {
  m_ahead_valid = false;
  const uint16_t div = divisor();
  UartTerminal::on_write(offset, value, size, at);
  if (divisor() != div) ++m_sin_version;  // the frames still to load with DIV = 0 take it
  commit_injector(at);                    // loads up to `at` take the settings before it either way
  run_monitor(at - 1);                    // sout is known through `at`: the settings before it can go
  forget(at);
}

// ------------------------------------------------------------------------------- the window

BusResponse UartWindow::serve(uint64_t offset, bool write, uint64_t value, unsigned, Cycle at) {
  m_ahead_valid = false;
  const unsigned h = index_of(offset);
  if (h < kFirst || h > kLast) return {0, true};
  // The harness decodes lane 0 only: a write to another lane is lost, a read there sees 0
  // (and still has its effects).
  const bool lane0 = (offset & ((uint64_t(1) << m_reg_shift) - 1)) == 0;
  if (write) {
    ++m_sin_version;  // the queue, or what it loads next, may change
    commit_injector(at);
    run_monitor(at);
    if (lane0) write_register(h, static_cast<uint8_t>(value), at);
    forget(at);
    return {0, false};
  }
  commit_injector(at - 1);
  run_monitor(at - 1);
  const uint8_t v = read_register(h, at);
  commit_injector(at);
  run_monitor(at);
  forget(at);
  return {lane0 ? v : 0u, false};
}

uint8_t UartWindow::read_register(unsigned h, Cycle at) {
  switch (h) {
    case kInjData: return m_inj_data;
    case kInjFmt: return m_inj_fmt;
    case kInjCtrl: return m_inj_brk ? 1 : 0;
    case kInjDivLo: return m_inj_div_lo;
    case kInjDivHi: return m_inj_div_hi;
    case kInjStatus: {
      const auto v = static_cast<uint8_t>((m_inj_dropped ? 0x80 : 0) | (m_inj.busy ? 0x20 : 0) | m_inj.queue.size());
      m_inj_dropped = false;
      return v;
    }
    case kModemIn: return m_modem.at(at - 1);
    case kModemOut: return static_cast<uint8_t>((~outputs_after(at - 1) >> 1) & 0xf);  // {OUT2 OUT1 RTS DTR}
    case kCapCount: {
      const auto v = static_cast<uint8_t>((m_cap_overflow ? 0x80 : 0) | m_cap.size());
      m_cap_overflow = false;
      return v;
    }
    case kCapData: return m_cap.empty() ? 0 : m_cap.pop().data;
    case kCapFlags: return m_cap.empty() ? 0 : m_cap.front().flags;
    case kLine: return static_cast<uint8_t>((outputs_after(at - 1) & 1u) | (sin_after(at - 1) ? 2 : 0));
    case kNow0: {
      const auto count = static_cast<uint32_t>(at - 1 - m_reset_edge);
      m_now_latch = count & ~0xffu;
      return static_cast<uint8_t>(count);
    }
    default: break;
  }
  if (h >= kCapTime0 && h < kCapTime0 + 4)
    return m_cap.empty() ? 0 : static_cast<uint8_t>(m_cap.front().time >> (8 * (h - kCapTime0)));
  return static_cast<uint8_t>(m_now_latch >> (8 * (h - kNow0)));  // H_NOW1..3
}

void UartWindow::write_register(unsigned h, uint8_t v, Cycle at) {
  m_ahead_valid = false;
  switch (h) {
    case kInjData:
      m_inj_data = v;
      if (m_inj.queue.size() < queue_depth()) {
        m_inj.queue.push(Entry{v, m_inj_fmt, static_cast<uint16_t>(m_inj_div_hi << 8 | m_inj_div_lo), m_inj_brk});
        if (!m_inj.busy && m_inj.load_at == kNever) m_inj.load_at = at + load_delay();
      } else {
        m_inj_dropped = true;
      }
      return;
    case kInjFmt: m_inj_fmt = v; return;
    case kInjCtrl: m_inj_brk = (v & 1u) != 0; return;
    case kInjDivLo: m_inj_div_lo = v; return;
    case kInjDivHi: m_inj_div_hi = v; return;
    case kModemIn: m_modem.set(at, static_cast<uint8_t>(v & 0xfu)); return;
    default: return;  // read-only: the write is accepted and lost
  }
}

// -------------------------------------------------------------------------------- the lines

void UartWindow::run_injector(Injector& inj, Cycle e, std::vector<Frame>& loaded) const {
  while (inj.next() <= e) {
    const Cycle t = inj.next();
    inj.busy = false;
    inj.load_at = kNever;
    if (inj.queue.empty()) continue;
    const Entry x = inj.queue.pop();
    const uint32_t div = x.div != 0 ? x.div : effective_divisor(settings_before(t).div);
    const Frame f = make_frame(t, x.data, Format{static_cast<uint8_t>(x.fmt & 0x3f)}, div, (x.fmt & 0x40) != 0,
                               (x.fmt & 0x80) != 0, x.brk);
    loaded.push_back(f);
    inj.busy = true;
    inj.end = f.end();
  }
}

void UartWindow::commit_injector(Cycle e) {
  m_ahead_valid = false;
  if (e <= m_inj_done) return;
  std::vector<Frame> loaded;
  run_injector(m_inj, e, loaded);
  for (const Frame& f : loaded) m_sin.add(f);
  m_inj_done = e;
}

bool UartWindow::sin_after(Cycle e) const {
  const Frame* f = frame_after(e);
  return f == nullptr || e < f->start || f->level(e);
}

const Frame* UartWindow::frame_after(Cycle e) const {
  if (const Frame* f = m_sin.first_ending_after(e)) return f;
  // None committed: the loads still to come (at most the queue's), run on a copy of the
  // injector from the committed state as far as the first frame ending after e. A load's frame
  // depends on its own edge alone, so what is run once stays right until the window changes.
  if (!m_ahead_valid) {
    m_ahead = m_inj;
    m_ahead_loaded.clear();
    m_ahead_valid = true;
  }
  const auto ends_after = [e](const Frame& x) { return x.end() <= e; };
  auto it = std::partition_point(m_ahead_loaded.begin(), m_ahead_loaded.end(), ends_after);
  if (it != m_ahead_loaded.end()) return &*it;
  for (;;) {
    const Cycle next = m_ahead.next();
    if (next == kNever) return nullptr;
    const size_t before = m_ahead_loaded.size();
    run_injector(m_ahead, next, m_ahead_loaded);
    for (size_t i = before; i < m_ahead_loaded.size(); ++i)
      if (m_ahead_loaded[i].end() > e) return &m_ahead_loaded[i];
  }
}

void UartWindow::run_monitor(Cycle e) {
  const SoutLine line{m_tx};
  for (;;) {
    const Cycle t = m_mon.next(line);
    if (t > e) break;
    const std::optional<Received> r = m_mon.act(t, line, [&] {
      const Settings s = settings_before(t - format_delay());
      return std::make_pair(static_cast<uint8_t>(s.lcr & 0x3f), effective_divisor(s.div));
    });
    if (r) capture(t, *r);
  }
  if (e <= m_mon_done) return;
  m_mon_done = e;
  m_mon.settle(line, e);
  m_tx.forget_before(m_mon.earliest());
}

void UartWindow::capture(Cycle t, const Received& r) {
  if (m_cap.size() < queue_depth())
    m_cap.push(Capture{r.data, r.errors(), static_cast<uint32_t>(t - m_reset_edge)});
  else
    m_cap_overflow = true;
}

void UartWindow::forget(Cycle at) {
  const Cycle bound = at > kLookBack ? at - kLookBack : 0;
  m_sin.forget_before(bound);
  m_modem.forget_before(bound);
  const Cycle asked = std::min(m_inj_done, m_mon_done);  // loads and detections to come are later
  forget_settings_before(asked > 2 ? asked - 2 : 0);
}

// ---------------------------------------------------------------------------------- state

void UartWindow::save(tandem::StateWriter& out) const {
  out.u32(kVersion);
  out.u64(std::max({m_inj_done, m_mon_done, m_out_edge, m_reset_edge}));  // the latest edge known
  save_settings(out);
  put_levels(out, m_tx);
  out.u64(m_reset_edge);
  for (uint8_t r : {m_inj_data, m_inj_fmt, m_inj_div_lo, m_inj_div_hi}) out.u8(r);
  out.u8(m_inj_brk);
  out.u8(m_inj_dropped);
  out.u32(static_cast<uint32_t>(m_inj.queue.size()));
  for (size_t i = 0; i < m_inj.queue.size(); ++i) {
    const Entry& x = m_inj.queue.at(i);
    out.u8(x.data);
    out.u8(x.fmt);
    out.u32(x.div);
    out.u8(x.brk);
  }
  out.u8(m_inj.busy);
  out.u64(m_inj.end);
  out.u64(m_inj.load_at);
  out.u64(m_inj_done);
  put_frames(out, m_sin);
  put_levels(out, m_modem);
  put_sampler(out, m_mon);
  out.u64(m_mon_done);
  out.u32(static_cast<uint32_t>(m_cap.size()));
  for (size_t i = 0; i < m_cap.size(); ++i) {
    out.u8(m_cap.at(i).data);
    out.u8(m_cap.at(i).flags);
    out.u32(m_cap.at(i).time);
  }
  out.u8(m_cap_overflow);
  out.u32(m_now_latch);
  out.u32(m_out);
  out.u32(m_out_before);
  out.u64(m_out_edge);
}

std::string UartWindow::restore(tandem::StateReader& in) {
  m_ahead_valid = false;
  ++m_sin_version;
  tandem::StateWriter backup;
  save(backup);
  const std::string why = restore_fields(in);
  if (!why.empty()) {
    tandem::StateReader undo(backup.bytes);
    restore_fields(undo);
  }
  return why;
}

std::string UartWindow::restore_fields(tandem::StateReader& in) {
  Reader r{in, {}};
  uint32_t version = 0;
  Cycle horizon = 0;
  if (!r.u32(version, "window") || !r.u64(horizon, "window")) return r.why;
  if (version != kVersion) return "window: unknown version " + std::to_string(version);
  if (horizon >= kNever / 2) return "window: edge out of range";
  if (std::string why = restore_settings(in); !why.empty()) return why;
  if (!get_levels(r, m_tx, horizon, "sout")) return r.why;
  if (!r.u64(m_reset_edge, "window") || !r.u8(m_inj_data, "injector") || !r.u8(m_inj_fmt, "injector") ||
      !r.u8(m_inj_div_lo, "injector") || !r.u8(m_inj_div_hi, "injector") || !r.flag(m_inj_brk, "injector") ||
      !r.flag(m_inj_dropped, "injector"))
    return r.why;
  if (m_reset_edge > horizon) return "window: reset after the saved edge";
  uint32_t n = 0;
  if (!r.u32(n, "injector queue")) return r.why;
  if (n > kDepth) return "injector queue: more than 16 entries";
  m_inj = Injector{};
  for (uint32_t i = 0; i < n; ++i) {
    Entry x;
    uint32_t div = 0;
    if (!r.u8(x.data, "injector queue") || !r.u8(x.fmt, "injector queue") || !r.u32(div, "injector queue") ||
        !r.flag(x.brk, "injector queue"))
      return r.why;
    if (div > 0xffff) return "injector queue: divisor beyond 16 bits";
    x.div = static_cast<uint16_t>(div);
    m_inj.queue.push(x);
  }
  if (!r.flag(m_inj.busy, "injector") || !r.u64(m_inj.end, "injector") || !r.u64(m_inj.load_at, "injector") ||
      !r.u64(m_inj_done, "injector"))
    return r.why;
  if (m_inj_done > horizon) return "injector: applied beyond the saved edge";
  if (m_inj.next() != kNever && m_inj.next() <= m_inj_done) return "injector: an event before the edge it reached";
  if (!m_inj.busy && m_inj.load_at == kNever && n != 0) return "injector: characters queued behind an idle injector";
  m_sin.clear();
  if (!get_frames(r, m_sin, horizon, "injector line", 1u << 20)) return r.why;
  if (!get_levels(r, m_modem, horizon, "modem inputs", 1u << 20, uint8_t{0xf})) return r.why;
  if (!get_sampler(r, m_mon, horizon, "monitor") || !r.u64(m_mon_done, "monitor")) return r.why;
  if (m_mon_done > horizon) return "monitor: beyond the saved edge";
  if (!r.u32(n, "capture")) return r.why;
  if (n > kDepth) return "capture: more than 16 entries";
  m_cap.clear();
  for (uint32_t i = 0; i < n; ++i) {
    Capture c;
    if (!r.u8(c.data, "capture") || !r.u8(c.flags, "capture") || !r.u32(c.time, "capture")) return r.why;
    if (c.flags > 7) return "capture: flags beyond PE, FE, BI";
    m_cap.push(c);
  }
  if (!r.flag(m_cap_overflow, "capture") || !r.u32(m_now_latch, "now") || !r.u32(m_out, "outputs") ||
      !r.u32(m_out_before, "outputs") || !r.u64(m_out_edge, "outputs"))
    return r.why;
  if (m_now_latch & 0xffu) return "now: latch holds bits 31:8 only";
  if (m_out > 0x1f || m_out_before > 0x1f) return "outputs: beyond the 5 output pins";
  if (m_out_edge > horizon) return "outputs: change after the saved edge";
  if (!in.at_end()) return "window: trailing bytes";
  return "";
}

}  // namespace models::uart
