// uart16550 model state as a byte stream. restore() treats the stream as untrusted: every
// count, enum, format and edge is checked against what the RTL could hold, and the model is
// left unchanged when anything is rejected. Version 2: the UART alone; the line model's
// registers (injector, capture FIFO, modem inputs: version 1's harness fields) are the pin
// source's own state (models/uart16550/uart_window.cpp), saved beside the model's.
#include "uart16550_model.h"
#include "uart_line_state.h"

#include <algorithm>

namespace models {

using tandem::Cycle;
using tandem::kNever;

namespace {
constexpr uint32_t kVersion = 2;
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
       {s.lcr, s.dll, s.dlm, s.scr, s.ier, s.mcr, s.trig, s.rbr_last, s.lsr_flags, s.msr_status, s.msr_delta})
    out.u8(v);
  for (bool v : {s.fifo_en, s.thre_int, s.thre_iir_cleared, s.cti}) out.u8(v);
  for (Cycle v : {s.to_base, s.to_min, s.msr_at}) out.u64(v);
  out.u8(s.tx.busy);
  out.u64(s.tx.end);
  out.u64(s.tx.load_at);
  out.u32(static_cast<uint32_t>(s.tx_fifo.size()));
  for (size_t i = 0; i < s.tx_fifo.size(); ++i) out.u8(s.tx_fifo.at(i));
  out.u32(static_cast<uint32_t>(s.rx_fifo.size()));
  for (size_t i = 0; i < s.rx_fifo.size(); ++i) {
    out.u8(s.rx_fifo.at(i).data);
    out.u8(s.rx_fifo.at(i).errors);
  }
  put_frames(out, s.tx_line);
  put_levels(out, s.loop);
  put_levels(out, s.brk);
  put_sampler(out, s.rx);
}

std::string Uart16550Model::restore(tandem::StateReader& in) {
  Reader r{in, {}};
  uint32_t version = 0;
  if (!r.u32(version, "version")) return r.why;
  if (version != kVersion) return "version: expected 2";
  State s;
  if (!r.u64(s.now, "cycle") || !r.u64(s.reset_edge, "reset edge")) return r.why;
  if (s.now >= (Cycle(1) << 62)) return "cycle: beyond 2^62";
  if (s.reset_edge > s.now) return "reset edge: after the saved cycle";
  uint8_t* bytes[] = {&s.lcr,  &s.dll,      &s.dlm,       &s.scr,        &s.ier,      &s.mcr,
                      &s.trig, &s.rbr_last, &s.lsr_flags, &s.msr_status, &s.msr_delta};
  for (uint8_t* b : bytes)
    if (!r.u8(*b, "registers")) return r.why;
  bool* flags[] = {&s.fifo_en, &s.thre_int, &s.thre_iir_cleared, &s.cti};
  for (bool* f : flags)
    if (!r.flag(*f, "flags")) return r.why;
  if (s.ier > 0xf) return "ier: bits beyond [3:0]";
  if (s.mcr > 0x1f) return "mcr: bits beyond [4:0]";
  if (s.trig > 3) return "fcr trigger: out of range (0..3)";
  if (s.lsr_flags & ~(kOe | kPe | kFe | kBi)) return "lsr flags: bits other than OE, PE, FE, BI";
  if (s.msr_status > 0xf || s.msr_delta > 0xf) return "msr: bits beyond [3:0]";
  if (!m_options.fifo_enable_honoured && !s.fifo_en) return "fifo enable: FIFOs are always on with this option";
  if (s.thre_int && !(s.ier & kEtbei)) return "thre interrupt: pending with ETBEI clear";
  Cycle* edges[] = {&s.to_base, &s.to_min, &s.msr_at};
  for (Cycle* e : edges)
    if (!r.u64(*e, "edges")) return r.why;
  if (s.to_base > s.now || s.to_min > s.now + 1) return "edges: after the saved cycle";
  if (s.msr_at != kNever && s.msr_at != s.now + 1) return "msr update: neither pending at the next edge nor idle";
  {
    Serializer* z = &s.tx;
    const char* what = "transmitter";
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
  if (s.tx.load_at != kNever && s.tx_fifo.empty()) return "transmitter: a load with nothing to send";
  if (!s.tx.busy && s.tx.load_at == kNever && !s.tx_fifo.empty()) return "transmitter: idle with characters waiting";
  if (!get_frames(r, s.tx_line, s.now, "tx line") || !get_levels(r, s.loop, s.now, "loopback history") ||
      !get_levels(r, s.brk, s.now, "break history") || !get_sampler(r, s.rx, s.now, "receiver"))
    return r.why;
  if (s.loop.current() != ((s.mcr & 0x10) != 0)) return "loopback history: ends differently from MCR";
  if (s.brk.current() != ((s.lcr & 0x40) != 0)) return "break history: ends differently from LCR";
  if (s.tx.busy && (s.tx_line.frames().empty() || s.tx_line.frames().back().end() != s.tx.end))
    return "transmitter: busy without its frame on the line";
  if (!in.at_end()) return "trailing bytes";
  // Every event at or before the saved cycle must have been applied.
  if (!settled_without_pins(s)) return "events: one before the saved cycle was not applied";
  m_s = std::move(s);
  return "";
}

bool Uart16550Model::settled_without_pins(const State& s) const {
  if (std::min({s.tx.next(), timeout_deadline(s), s.msr_at}) <= s.now) return false;
  // The receiver's fixed edges; its search for a start bit depends on the line model's state,
  // which is restored beside the model's (and asked afresh at the next call).
  const uart::Sampler::State st = s.rx.state();
  if (st == uart::Sampler::State::start_check || st == uart::Sampler::State::receiving)
    return s.rx.next(RxLine{s, SinLine{nullptr, nullptr}}) > s.now;
  return true;
}

}  // namespace models
