// uart16550 model state as a byte stream. restore() treats the stream as untrusted: every
// count, enum, format and edge is checked against what the RTL could hold, and the model is
// left unchanged when anything is rejected.
#include "uart16550_model.h"

namespace models {

using tandem::Cycle;
using tandem::kNever;

namespace {
constexpr uint32_t kVersion = 1;

void put_frames(tandem::StateWriter& out, const uart::FrameLine& line) {
  out.u32(static_cast<uint32_t>(line.frames().size()));
  for (const uart::Frame& f : line.frames()) {
    out.u64(f.start);
    out.u64(f.bit_len);
    out.u64(f.stop_len);
    out.u8(f.nbits);
    out.u32(f.bits);
    out.u8(f.stop_level);
  }
}

void put_levels(tandem::StateWriter& out, const uart::LevelHistory& h) {
  out.u8(h.initial());
  out.u32(static_cast<uint32_t>(h.changes().size()));
  for (const auto& c : h.changes()) {
    out.u64(c.first);
    out.u8(c.second);
  }
}

void put_sampler(tandem::StateWriter& out, const uart::Sampler& s) {
  out.u8(static_cast<uint8_t>(s.state()));
  out.u64(s.origin());
  out.u64(s.detect());
  out.u8(s.format().lcr);
  out.u64(s.bit_len());
}

// A divisor-derived length: `ticks` times a divisor 1..65536.
bool valid_length(Cycle len, unsigned ticks) { return len % ticks == 0 && len / ticks >= 1 && len / ticks <= 65536; }

// Reads with a running "why not" so each field is one line.
struct Reader {
  tandem::StateReader& in;
  std::string why;
  bool u8(uint8_t& v, const char* what) { return ok(in.u8(v), what); }
  bool u32(uint32_t& v, const char* what) { return ok(in.u32(v), what); }
  bool u64(uint64_t& v, const char* what) { return ok(in.u64(v), what); }
  bool flag(bool& v, const char* what) {
    uint8_t b = 0;
    if (!u8(b, what)) return false;
    if (b > 1) return fail(std::string(what) + ": not boolean");
    v = b != 0;
    return true;
  }
  bool ok(bool got, const char* what) { return got || fail(std::string(what) + ": truncated"); }
  bool fail(std::string reason) {
    if (why.empty()) why = std::move(reason);
    return false;
  }
};

bool get_frames(Reader& r, uart::FrameLine& line, Cycle now, const char* what) {
  uint32_t n = 0;
  if (!r.u32(n, what)) return false;
  if (n > 4096) return r.fail(std::string(what) + ": too many frames");
  Cycle last_end = 0;
  for (uint32_t i = 0; i < n; ++i) {
    uart::Frame f;
    uint32_t bits = 0;
    if (!r.u64(f.start, what) || !r.u64(f.bit_len, what) || !r.u64(f.stop_len, what) || !r.u8(f.nbits, what) ||
        !r.u32(bits, what) || !r.flag(f.stop_level, what))
      return false;
    if (!valid_length(f.bit_len, 16)) return r.fail(std::string(what) + ": bit length is not 16 x divisor");
    const Cycle div = f.bit_len / 16;
    if (f.stop_len != 16 * div && f.stop_len != 24 * div && f.stop_len != 32 * div)
      return r.fail(std::string(what) + ": stop length is not 16, 24 or 32 x divisor");
    if (f.nbits < 5 || f.nbits > 9) return r.fail(std::string(what) + ": bits per frame out of range (5..9)");
    if (bits >> f.nbits) return r.fail(std::string(what) + ": frame bits beyond its length");
    if (f.start > now) return r.fail(std::string(what) + ": frame starts after the saved cycle");
    if (f.start < last_end) return r.fail(std::string(what) + ": frames overlap or are out of order");
    f.bits = static_cast<uint16_t>(bits);
    last_end = f.end();
    line.add(f);
  }
  return true;
}

bool get_levels(Reader& r, uart::LevelHistory& h, Cycle now, const char* what) {
  bool initial = false;
  uint32_t n = 0;
  if (!r.flag(initial, what) || !r.u32(n, what)) return false;
  if (n > 4096) return r.fail(std::string(what) + ": too many changes");
  h.reset(initial);
  bool level = initial;
  Cycle last = 0;
  for (uint32_t i = 0; i < n; ++i) {
    Cycle e = 0;
    bool v = false;
    if (!r.u64(e, what) || !r.flag(v, what)) return false;
    if (e > now) return r.fail(std::string(what) + ": change after the saved cycle");
    if (i > 0 && e <= last) return r.fail(std::string(what) + ": changes out of order");
    if (v == level) return r.fail(std::string(what) + ": a change to the same level");
    h.changes().emplace_back(e, v);
    level = v;
    last = e;
  }
  return true;
}

bool get_sampler(Reader& r, uart::Sampler& s, Cycle now, const char* what) {
  uint8_t state = 0, fmt = 0;
  Cycle origin = 0, detect = 0, bit_len = 0;
  if (!r.u8(state, what) || !r.u64(origin, what) || !r.u64(detect, what) || !r.u8(fmt, what) || !r.u64(bit_len, what))
    return false;
  if (state > static_cast<uint8_t>(uart::Sampler::State::receiving))
    return r.fail(std::string(what) + ": no such state");
  if (fmt > 0x3f) return r.fail(std::string(what) + ": format beyond LCR[5:0]");
  if (!valid_length(bit_len, 16)) return r.fail(std::string(what) + ": bit length is not 16 x divisor");
  if (origin > now) return r.fail(std::string(what) + ": origin after the saved cycle");
  const auto st = static_cast<uart::Sampler::State>(state);
  if ((st == uart::Sampler::State::start_check || st == uart::Sampler::State::receiving) &&
      (detect > now || detect == 0))
    return r.fail(std::string(what) + ": detection edge out of range");
  s.load(st, origin, detect, uart::Format{fmt}, bit_len);
  return true;
}
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
