// uart16550 model state as a byte stream. restore() treats the stream as untrusted: every
// count, enum, format and edge is checked against what the RTL could hold, and the model is
// left unchanged when anything is rejected.
#include "uart16550_model.h"
#include "uart_line_state.h"

namespace models {

using tandem::Cycle;
using tandem::kNever;

namespace {
constexpr uint32_t kVersion = 1;
using uart::get_frames;
using uart::get_levels;
using uart::get_sampler;
using uart::put_frames;
using uart::put_levels;
using uart::put_sampler;
using uart::Reader;
using uart::valid_length;
}  // namespace

void Uart16550Model::save(tandem::StateWriter& out) const {
  const State& s = m_s;
  out.u32(kVersion);
  out.u64(s.now);
  out.u64(s.reset_edge);
  for (uint8_t v :
       {s.lcr, s.dll, s.dlm, s.scr, s.ier, s.mcr, s.trig, s.rbr_last, s.lsr_flags, s.msr_status, s.msr_delta, s.cfg_fmt,
        s.cfg_prev_fmt, s.inj_data, s.inj_fmt, s.inj_div_lo, s.inj_div_hi, s.modem_in})
    out.u8(v);
  for (bool v : {s.fifo_en, s.thre_int, s.thre_iir_cleared, s.cti, s.inj_brk, s.inj_dropped, s.cap_overflow}) out.u8(v);
  out.u32(s.cfg_div);
  out.u32(s.cfg_prev_div);
  out.u32(s.now_latch);
  for (Cycle v : {s.cfg_changed, s.to_base, s.to_min, s.msr_at}) out.u64(v);
  for (const Serializer* z : {&s.tx, &s.inj}) {
    out.u8(z->busy);
    out.u64(z->end);
    out.u64(z->load_at);
  }
  out.u32(static_cast<uint32_t>(s.tx_fifo.size()));
  for (size_t i = 0; i < s.tx_fifo.size(); ++i) out.u8(s.tx_fifo.at(i));
  out.u32(static_cast<uint32_t>(s.rx_fifo.size()));
  for (size_t i = 0; i < s.rx_fifo.size(); ++i) {
    out.u8(s.rx_fifo.at(i).data);
    out.u8(s.rx_fifo.at(i).errors);
  }
  out.u32(static_cast<uint32_t>(s.inj_queue.size()));
  for (size_t i = 0; i < s.inj_queue.size(); ++i) {
    const InjEntry& e = s.inj_queue.at(i);
    out.u8(e.data);
    out.u8(e.fmt);
    out.u32(e.div);
    out.u8(e.brk);
  }
  out.u32(static_cast<uint32_t>(s.cap.size()));
  for (size_t i = 0; i < s.cap.size(); ++i) {
    out.u8(s.cap.at(i).data);
    out.u8(s.cap.at(i).flags);
    out.u32(s.cap.at(i).time);
  }
  put_frames(out, s.tx_line);
  put_frames(out, s.inj_line);
  put_levels(out, s.loop);
  put_levels(out, s.brk);
  put_sampler(out, s.rx);
  put_sampler(out, s.mon);
}

std::string Uart16550Model::restore(tandem::StateReader& in) {
  Reader r{in, {}};
  uint32_t version = 0;
  if (!r.u32(version, "version")) return r.why;
  if (version != kVersion) return "version: expected 1";
  State s;
  if (!r.u64(s.now, "cycle") || !r.u64(s.reset_edge, "reset edge")) return r.why;
  if (s.now >= (Cycle(1) << 62)) return "cycle: beyond 2^62";
  if (s.reset_edge > s.now) return "reset edge: after the saved cycle";
  uint8_t* bytes[] = {&s.lcr,          &s.dll,      &s.dlm,       &s.scr,        &s.ier,        &s.mcr,
                      &s.trig,         &s.rbr_last, &s.lsr_flags, &s.msr_status, &s.msr_delta,  &s.cfg_fmt,
                      &s.cfg_prev_fmt, &s.inj_data, &s.inj_fmt,   &s.inj_div_lo, &s.inj_div_hi, &s.modem_in};
  for (uint8_t* b : bytes)
    if (!r.u8(*b, "registers")) return r.why;
  bool* flags[] = {&s.fifo_en, &s.thre_int, &s.thre_iir_cleared, &s.cti, &s.inj_brk, &s.inj_dropped, &s.cap_overflow};
  for (bool* f : flags)
    if (!r.flag(*f, "flags")) return r.why;
  if (s.ier > 0xf) return "ier: bits beyond [3:0]";
  if (s.mcr > 0x1f) return "mcr: bits beyond [4:0]";
  if (s.trig > 3) return "fcr trigger: out of range (0..3)";
  if (s.lsr_flags & ~(kOe | kPe | kFe | kBi)) return "lsr flags: bits other than OE, PE, FE, BI";
  if (s.msr_status > 0xf || s.msr_delta > 0xf) return "msr: bits beyond [3:0]";
  if (s.cfg_fmt > 0x3f || s.cfg_prev_fmt > 0x3f) return "monitor format: beyond LCR[5:0]";
  if (s.cfg_fmt != (s.lcr & 0x3f)) return "monitor format: differs from LCR";
  if (s.modem_in > 0xf) return "modem_in: bits beyond [3:0]";
  if (!m_options.fifo_enable_honoured && !s.fifo_en) return "fifo enable: FIFOs are always on with this option";
  if (s.thre_int && !(s.ier & kEtbei)) return "thre interrupt: pending with ETBEI clear";
  if (!r.u32(s.cfg_div, "monitor divisor") || !r.u32(s.cfg_prev_div, "monitor divisor")) return r.why;
  if (s.cfg_div < 1 || s.cfg_div > 65536 || s.cfg_prev_div < 1 || s.cfg_prev_div > 65536)
    return "monitor divisor: out of range (1..65536)";
  if (s.cfg_div != divisor(s)) return "monitor divisor: differs from DLL/DLM";
  if (!r.u32(s.now_latch, "now latch")) return r.why;
  if (s.now_latch & 0xffu) return "now latch: bits 7:0 are not latched";
  Cycle* edges[] = {&s.cfg_changed, &s.to_base, &s.to_min, &s.msr_at};
  for (Cycle* e : edges)
    if (!r.u64(*e, "edges")) return r.why;
  if (s.cfg_changed > s.now || s.to_base > s.now || s.to_min > s.now + 1) return "edges: after the saved cycle";
  if (s.msr_at != kNever && s.msr_at != s.now + 1) return "msr update: neither pending at the next edge nor idle";
  for (Serializer* z : {&s.tx, &s.inj}) {
    const char* what = z == &s.tx ? "transmitter" : "injector";
    if (!r.flag(z->busy, what) || !r.u64(z->end, what) || !r.u64(z->load_at, what)) return r.why;
    if (z->busy && (z->end <= s.now || z->load_at != kNever)) return std::string(what) + ": busy with a bad end";
    if (!z->busy && z->load_at != kNever && z->load_at != s.now + 1)
      return std::string(what) + ": load neither at the next edge nor idle";
  }
  const size_t tx_depth = s.fifo_en ? kDepth : 1;
  uint32_t n = 0;
  if (!r.u32(n, "tx fifo")) return r.why;
  if (n > restored_fifo_limit(tx_depth)) return "tx fifo: more entries than the FIFO holds";
  for (uint32_t i = 0; i < n; ++i) {
    uint8_t d = 0;
    if (!r.u8(d, "tx fifo")) return r.why;
    s.tx_fifo.push(d);
  }
  if (!r.u32(n, "rx fifo")) return r.why;
  if (n > restored_fifo_limit(tx_depth)) return "rx fifo: more entries than the FIFO holds";
  for (uint32_t i = 0; i < n; ++i) {
    RxEntry e;
    if (!r.u8(e.data, "rx fifo") || !r.u8(e.errors, "rx fifo")) return r.why;
    if (e.errors > 7) return "rx fifo: error bits beyond PE, FE, BI";
    s.rx_fifo.push(e);
  }
  if (!r.u32(n, "injector queue")) return r.why;
  if (n > kDepth) return "injector queue: more entries than it holds";
  for (uint32_t i = 0; i < n; ++i) {
    InjEntry e;
    uint32_t div = 0;
    if (!r.u8(e.data, "injector queue") || !r.u8(e.fmt, "injector queue") || !r.u32(div, "injector queue") ||
        !r.flag(e.brk, "injector queue"))
      return r.why;
    if (div > 0xffff) return "injector queue: divisor beyond 16 bits";
    e.div = static_cast<uint16_t>(div);
    s.inj_queue.push(e);
  }
  if (!r.u32(n, "capture fifo")) return r.why;
  if (n > kDepth) return "capture fifo: more entries than it holds";
  for (uint32_t i = 0; i < n; ++i) {
    Capture c;
    if (!r.u8(c.data, "capture fifo") || !r.u8(c.flags, "capture fifo") || !r.u32(c.time, "capture fifo")) return r.why;
    if (c.flags > 7) return "capture fifo: flags beyond PE, FE, BI";
    s.cap.push(c);
  }
  if (s.tx.load_at != kNever && s.tx_fifo.empty()) return "transmitter: a load with nothing to send";
  if (s.inj.load_at != kNever && s.inj_queue.empty()) return "injector: a load with nothing queued";
  if (!s.tx.busy && s.tx.load_at == kNever && !s.tx_fifo.empty()) return "transmitter: idle with characters waiting";
  if (!s.inj.busy && s.inj.load_at == kNever && !s.inj_queue.empty()) return "injector: idle with frames waiting";
  if (!get_frames(r, s.tx_line, s.now, "tx line") || !get_frames(r, s.inj_line, s.now, "injector line") ||
      !get_levels(r, s.loop, s.now, "loopback history") || !get_levels(r, s.brk, s.now, "break history") ||
      !get_sampler(r, s.rx, s.now, "receiver") || !get_sampler(r, s.mon, s.now, "monitor"))
    return r.why;
  if (s.loop.current() != ((s.mcr & 0x10) != 0)) return "loopback history: ends differently from MCR";
  if (s.brk.current() != ((s.lcr & 0x40) != 0)) return "break history: ends differently from LCR";
  if (s.tx.busy && (s.tx_line.frames().empty() || s.tx_line.frames().back().end() != s.tx.end))
    return "transmitter: busy without its frame on the line";
  if (s.inj.busy && (s.inj_line.frames().empty() || s.inj_line.frames().back().end() != s.inj.end))
    return "injector: busy without its frame on the line";
  if (!in.at_end()) return "trailing bytes";
  // Every event at or before the saved cycle must have been applied.
  if (next_irq_change(s) <= s.now || s.mon.next(SoutLine{s}) <= s.now)
    return "events: one before the saved cycle was not applied";
  m_s = std::move(s);
  return "";
}

}  // namespace models
