// uart16550 model: each rule below mirrors one documented rule of rtl/uart16550/uart16550.sv.
//
// Same-edge order. The RTL computes everything at an edge from the state before it; the model
// applies things one after the other in an order that gives the same result:
//   read at edge t:  the value (state before t), the read's effects (pops, clears), then the
//                    internal events at t: a pop frees room for a character completing at t,
//                    and a set at t (a new error, a modem change) wins over the read's clear;
//   write at edge t: the internal events at t, then the write: the transmitter takes its
//                    character before a THR write or a TX FIFO reset at t, a character
//                    completing at t lands in the FIFO before an RX FIFO reset at t discards it;
//   internal events at t: transmitter, receiver, timeout, MSR copy. Frames started at t change
//                    the lines only from t on, and the sampler looks at t - 1, so their order
//                    does not matter; the timeout comes after the receiver because a character
//                    completing at t restarts it.
// The input pins come from the attached line model (sin after edge t is its inputs(t + 1));
// the line model may learn of later changes between calls (a served injection), so the
// receiver's search for a start bit is redone at each call rather than trusted from the last.
#include "uart16550_model.h"

#include <algorithm>

namespace models {

using tandem::BusResponse;
using tandem::Cycle;
using tandem::kNever;
using uart::Format;

namespace {
constexpr unsigned kTrigger[4] = {1, 4, 8, 14};
uint8_t error_bits_to_lsr(uint8_t errors) { return static_cast<uint8_t>((errors & 7u) << 2); }  // PE FE BI
}  // namespace

Uart16550Model::Uart16550Model(Uart16550Options options, unsigned reg_shift, unsigned bus_bytes)
    : m_options(options), m_reg_shift(reg_shift), m_bus_bytes(bus_bytes) {
  reset(0);
}

void Uart16550Model::reset(Cycle now) {
  m_s = State{};
  m_s.now = now;
  m_s.reset_edge = now;
  m_s.fifo_en = !m_options.fifo_enable_honoured;
  m_s.to_min = now;
  m_s.rx.reset(now);
}

void Uart16550Model::attach_pins(const tandem::PinSource* source) {
  m_pins = source;
  m_terminal = dynamic_cast<const uart::UartTerminal*>(source);
  m_frames = dynamic_cast<const uart::SinFrames*>(source);
  if (m_frames != nullptr) m_sin_seen = m_frames->sin_version();
  m_s.rx.invalidate();
}

void Uart16550Model::refresh_sin(const State& s) const {
  if (m_frames != nullptr) {
    const uint64_t v = m_frames->sin_version();
    if (v == m_sin_seen) return;
    m_sin_seen = v;
  }
  s.rx.invalidate();
}

// ---------------------------------------------------------------------------------------- time

void Uart16550Model::advance(Cycle now) { advance_state(m_s, now); }

void Uart16550Model::advance_state(State& s, Cycle e) const {
  refresh_sin(s);  // the line model may have learned of new changes since
  if (e <= s.now) return;
  for (;;) {
    const Cycle t = next_irq_change(s);
    if (t > e) break;
    process_edge(s, t);
  }
  s.now = e;
  settle(s);
}

Cycle Uart16550Model::next_irq_change(const State& s) const {
  return std::min({s.tx.next(), s.rx.next(rx_line(s)), timeout_deadline(s), s.msr_at, next_modem_change(s)});
}

Cycle Uart16550Model::next_modem_change(const State& s) const {
  if (s.mcr & 0x10) return kNever;  // loopback: the MSR follows MCR (msr_at)
  State::ModemLookahead& a = s.modem_ahead;
  if (m_terminal != nullptr && a.version == m_terminal->sin_version() && a.status == s.msr_status && a.from <= s.now &&
      s.now < a.next)
    return a.next;  // the pins equal msr_status from a.from + 1 up to a.next
  Cycle t = s.now + 1;
  for (;;) {
    if (modem_pins(t) != s.msr_status) break;
    if (m_pins == nullptr) return kNever;
    t = m_terminal != nullptr ? m_terminal->next_modem_change(t) : m_pins->next_change(t);
    if (t == kNever) break;
  }
  if (m_terminal != nullptr) a = State::ModemLookahead{m_terminal->sin_version(), s.now, t, s.msr_status};
  return t;
}

Cycle Uart16550Model::next_output_change(const State& s, Cycle t) const { return SoutLine{s}.next_change(t); }

Cycle Uart16550Model::next_event(Cycle now) const {
  refresh_sin(m_s);  // the line model may have learned of new changes since
  const Cycle e = next_irq_change(m_s);
  if (e > now) return std::min(e, next_output_change(m_s, now));
  // Asked beyond an event the model has not applied: look ahead on a copy.
  State ahead = m_s;
  advance_state(ahead, now);
  return std::min(next_irq_change(ahead), next_output_change(ahead, now));
}

void Uart16550Model::process_edge(State& s, Cycle t) const {
  s.now = t;
  if (s.tx.next() == t) {
    if (s.tx.busy) s.tx.busy = false;  // the frame ends here
    s.tx.load_at = kNever;
    if (!s.tx_fifo.empty()) load_tx(s, t);
  }
  const RxLine line = rx_line(s);
  if (s.rx.next(line) == t) {
    const std::optional<uart::Received> r =
        s.rx.act(t, line, [&] { return std::make_pair(static_cast<uint8_t>(s.lcr & 0x3f), divisor(s)); });
    if (r) receive(s, t, *r);
  }
  if (timeout_deadline(s) <= t) s.cti = true;
  // The MSR copies the modem signals at every edge: MCR's in loopback (as it stood after t - 1,
  // which s.mcr is: writes at t come after the events at t), else the pins before edge t.
  const uint8_t m = (s.mcr & 0x10) ? modem_loopback(s) : modem_pins(t);
  if (s.msr_at == t || m != s.msr_status) {
    const uint8_t changed = m ^ s.msr_status;
    const uint8_t teri = m_options.teri_on_any_edge ? (changed & 4u) : (s.msr_status & ~m & 4u);
    s.msr_delta |= static_cast<uint8_t>((changed & 0xbu) | teri);
    s.msr_status = m;
    s.msr_at = kNever;
  }
}

void Uart16550Model::settle(State& s) const {
  s.rx.settle(rx_line(s), s.now);
  const Cycle earliest = std::min(s.rx.earliest(), s.now);
  s.tx_line.forget_before(earliest);
  s.loop.forget_before(earliest);
  s.brk.forget_before(earliest);
}

Cycle Uart16550Model::timeout_limit(const State& s) const {
  return 4 * Cycle(divisor(s)) * Format{static_cast<uint8_t>(s.lcr & 0x3f)}.frame_ticks();
}

Cycle Uart16550Model::timeout_deadline(const State& s) const {
  if (!s.fifo_en || s.rx_fifo.empty() || s.cti) return kNever;
  return std::max(s.to_min, s.to_base + timeout_limit(s));
}

// ------------------------------------------------------------------------------ internal events

void Uart16550Model::load_tx(State& s, Cycle t) const {
  const uint8_t data = s.tx_fifo.pop();
  const uart::Frame f =
      uart::make_frame(t, data, Format{static_cast<uint8_t>(s.lcr & 0x3f)}, divisor(s), false, false, false);
  s.tx_line.add(f);
  s.tx.busy = true;
  s.tx.end = f.end();
  s.rx.invalidate();
  if (s.tx_fifo.empty()) thre_rises(s);
}

void Uart16550Model::receive(State& s, Cycle t, const uart::Received& r) const {
  const size_t depth = s.fifo_en ? fifo_depth() : 1;
  const RxEntry entry{r.data, r.errors()};
  if (s.rx_fifo.size() < depth) {
    const bool becomes_top = s.rx_fifo.empty();
    s.rx_fifo.push(entry);
    if (becomes_top || !m_options.lsr_errors_at_fifo_top) s.lsr_flags |= error_bits_to_lsr(entry.errors);
    s.to_base = t;
    if (m_options.timeout_cleared_by_new_character) s.cti = false;
  } else {
    s.lsr_flags |= kOe;
    if (!s.fifo_en) {  // 16450 mode: the new character replaces RBR
      s.rx_fifo.front() = entry;
      s.lsr_flags |= error_bits_to_lsr(entry.errors);
    }
  }
}

void Uart16550Model::thre_rises(State& s) const {
  if (!(s.ier & kEtbei)) return;
  if (s.thre_iir_cleared && !thre_rearmed_after_iir_read()) return;
  s.thre_int = true;
}

void Uart16550Model::clear_rx_fifo(State& s) const {
  s.rx_fifo.clear();
  s.cti = false;
}

void Uart16550Model::clear_tx_fifo(State& s) const {
  if (s.tx_fifo.empty()) return;
  s.tx_fifo.clear();
  if (!s.tx.busy) s.tx.load_at = kNever;
  thre_rises(s);
}

// ------------------------------------------------------------------------------------ registers

Uart16550Model::Sources Uart16550Model::sources(const State& s) const {
  Sources x;
  const size_t n = s.rx_fifo.size();
  x.rls = (s.ier & kElsi) && (s.lsr_flags & (kOe | kPe | kFe | kBi));
  x.rda = (s.ier & kErbfi) && (s.fifo_en ? n >= kTrigger[s.trig & 3] + m_trigger_slack : n != 0);
  x.cti = (s.ier & kErbfi) && s.cti;
  x.thre = (s.ier & kEtbei) && s.thre_int;
  x.ms = (s.ier & kEdssi) && s.msr_delta != 0;
  return x;
}

uint32_t Uart16550Model::irq() const {
  const State& s = m_s;
  uint32_t v = 0;
  if (sources(s).any() && !(m_options.irq_gated_by_out2 && !(s.mcr & 0x08))) v |= kIrqBit;
  if (SoutLine{s}.level(s.now)) v |= kSoutBit;
  // dtr_n rts_n out1_n out2_n: MCR[3:0] inverted, inactive (1) in loopback.
  const uint32_t mcr = (s.mcr & 0x10) ? 0u : (s.mcr & 0xfu);
  return v | (~mcr & 0xfu) << 2;
}

uint8_t Uart16550Model::lsr_value(const State& s) const {
  uint8_t v = s.lsr_flags;
  if (!s.rx_fifo.empty()) v |= kDr;
  if (s.tx_fifo.empty()) {
    v |= kThre;
    if (!s.tx.busy) v |= kTemt;
  }
  if (s.fifo_en) {
    for (size_t i = 0; i < s.rx_fifo.size(); ++i)
      if (s.rx_fifo.at(i).errors != 0) v |= kFifoErr;
  }
  return v;
}

uint8_t Uart16550Model::modem_loopback(const State& s) const {
  // DTR -> DSR, RTS -> CTS, OUT1 -> RI, OUT2 -> DCD.
  return static_cast<uint8_t>(((s.mcr & 0x2) ? 0x1 : 0) | ((s.mcr & 0x1) ? 0x2 : 0) | (s.mcr & 0xc));
}

void Uart16550Model::format_written(State& s, Cycle now) const { s.to_min = now + 1; }

uint8_t Uart16550Model::read_register(State& s, unsigned reg, Cycle now) const {
  const bool dl = divisor_latch_selected(s.lcr);
  switch (reg) {
    case RBR_THR: {
      if (dl) return s.dll;
      if (s.rx_fifo.empty()) return m_options.empty_rbr_read_returns_last ? s.rbr_last : 0;
      const RxEntry e = s.rx_fifo.pop();
      s.rbr_last = e.data;
      if (!s.rx_fifo.empty() && m_options.lsr_errors_at_fifo_top)
        s.lsr_flags |= error_bits_to_lsr(s.rx_fifo.front().errors);
      s.to_base = now;
      s.cti = false;
      return e.data;
    }
    case IER: return dl ? s.dlm : s.ier;
    case IIR_FCR: {
      const uint8_t id = interrupt_id(sources(s));
      if (id == kIirThre && m_options.iir_read_clears_thre) {
        s.thre_int = false;
        s.thre_iir_cleared = true;
      }
      return static_cast<uint8_t>((s.fifo_en ? m_options.iir_fifo_bits : 0) | id);
    }
    case LCR: return s.lcr;
    case MCR: return s.mcr;
    case LSR: {
      const uint8_t v = lsr_value(s);
      s.lsr_flags &= static_cast<uint8_t>(~lsr_bits_cleared_by_read());
      return v;
    }
    case MSR: {
      const uint8_t v = static_cast<uint8_t>(s.msr_status << 4 | s.msr_delta);
      s.msr_delta = 0;
      return v;
    }
    case SCR: return m_options.scratch_present ? s.scr : 0xff;
    default: return 0;
  }
}

void Uart16550Model::write_register(State& s, unsigned reg, uint8_t v, Cycle now) const {
  const bool dl = divisor_latch_selected(s.lcr);
  switch (reg) {
    case RBR_THR:
      if (dl) {
        s.dll = v;
        format_written(s, now);
        return;
      }
      if (s.tx_fifo.size() < (s.fifo_en ? fifo_depth() : 1)) {
        s.tx_fifo.push(v);
      } else if (!s.fifo_en) {
        s.tx_fifo.front() = v;  // 16450 mode: replaces THR
      }
      s.thre_int = false;
      if (!s.tx.busy && s.tx.load_at == kNever) s.tx.load_at = now + 1;
      return;
    case IER: {
      if (dl) {
        s.dlm = v;
        format_written(s, now);
        return;
      }
      const bool was_enabled = (s.ier & kEtbei) != 0;
      s.ier = v & 0xf;
      if (!(s.ier & kEtbei)) {
        s.thre_int = false;
      } else {
        if (!was_enabled) s.thre_iir_cleared = false;
        if (s.tx_fifo.empty() && (!was_enabled || m_options.thre_on_every_ier_write)) s.thre_int = true;
      }
      return;
    }
    case IIR_FCR: {
      const bool enable = m_options.fifo_enable_honoured ? (v & 1) != 0 : true;
      if (enable != s.fifo_en) {
        clear_rx_fifo(s);
        clear_tx_fifo(s);
        s.fifo_en = enable;
      }
      if (enable) {
        s.trig = v >> 6;
        if (v & 2) clear_rx_fifo(s);
        if (v & 4) clear_tx_fifo(s);
      }
      return;
    }
    case LCR: {
      const bool brk_was = (s.lcr & 0x40) != 0;
      s.lcr = v;
      if (brk_was != ((v & 0x40) != 0)) {
        s.brk.set(now, (v & 0x40) != 0);
      }
      format_written(s, now);
      return;
    }
    case MCR: {
      const bool loop_was = (s.mcr & 0x10) != 0;
      s.mcr = v & 0x1f;
      if (loop_was != ((s.mcr & 0x10) != 0)) {
        s.loop.set(now, (s.mcr & 0x10) != 0);
        s.rx.invalidate();
      }
      if (((s.mcr & 0x10) ? modem_loopback(s) : modem_pins(now + 1)) != s.msr_status) s.msr_at = now + 1;
      return;
    }
    case LSR:
    case MSR: return;  // ignored
    case SCR:
      if (m_options.scratch_present) s.scr = v;
      return;
    default: return;
  }
}

// Not through tandem::WordRegisters, as the word-register models are: these registers are bytes
// on lane 0 of a bus word whose width is a constructor argument, so the helper's lane arithmetic
// would be run-time work on every access (measured: about 20 instructions an access, 1.7% of
// the model alone's run on its register program), where these two tests of lane 0 suffice.
BusResponse Uart16550Model::read(uint64_t offset, unsigned /*size*/, Cycle now) {
  const unsigned reg = register_index(offset);
  advance_state(m_s, now - 1 + (m_lsr_read_sees_own_edge && reg == LSR ? 1 : 0));
  BusResponse r;
  const uint8_t v = read_register(m_s, reg, now);
  r.data = (offset & (m_bus_bytes - 1)) == 0 ? v : 0;  // registers sit on lane 0
  advance_state(m_s, now);
  return r;
}

BusResponse Uart16550Model::write(uint64_t offset, uint64_t value, unsigned /*size*/, Cycle now) {
  advance_state(m_s, now);
  BusResponse r;
  const unsigned reg = register_index(offset);
  if ((offset & (m_bus_bytes - 1)) == 0) {  // PSTRB[0]: the write covers lane 0
    write_register(m_s, reg, static_cast<uint8_t>(value), now);
  }
  return r;
}

}  // namespace models
