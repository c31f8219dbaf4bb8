// The serial terminal's feeder and monitor (uart_terminal.h). Frames follow uart16550.sv's
// timing notes: bit k of a frame started at edge S is on the line after edge S + 16Dk; a
// receiver samples the centre of each bit, 8D into it.
#include "uart_terminal.h"

#include <algorithm>

#include "uart_line_state.h"

namespace models::uart {

namespace {
constexpr uint64_t kModemInactive = 0x1e;  // cts_n, dsr_n, ri_n, dcd_n high
constexpr unsigned kThr = 0, kDll = 0, kDlm = 1, kFcr = 2, kLcr = 3, kMcr = 4;

// The transmit pin's history as find_level() reads a line.
struct TxLine {
  const LevelHistory& history;
  bool level(Cycle t) const { return history.at(t); }
  Cycle next_change(Cycle t) const { return history.next_change(t); }
};
}  // namespace

uint64_t UartTerminal::inputs(Cycle t) const {
  // What the flops take at edge t is the line after edge t - 1.
  return (m_rx.level(t == 0 ? 0 : t - 1) ? 1u : 0u) | kModemInactive;
}

Cycle UartTerminal::next_change(Cycle t) const {
  const Cycle c = m_rx.next_change(t == 0 ? 0 : t - 1);
  return c == kNever ? kNever : c + 1;
}

bool UartTerminal::sin_frame(Cycle e, Frame& f) const {
  const Frame* c = m_rx.first_ending_after(e);
  if (c != nullptr) f = *c;
  return c != nullptr;
}

void UartTerminal::on_outputs(Cycle t, uint32_t outputs) {
  const bool level = (outputs & 1u) != 0;
  if (level != m_tx.current()) {
    m_tx_changed = t;
    if (!level) {
      m_low_from = t;
      m_low_under_break = (m_lcr & 0x40) != 0;
    } else if (m_low_under_break) {
      // A break ends. When a character was written while it may have been on the line or queued
      // behind it (16 characters of FIFO and the shift register), the transmitter went on
      // shifting under the break: the rest of the frame it was in shows after the break and
      // is no character, nor is anything starting within one frame time.
      const Cycle frame = frame_edges();
      if (m_thr_written > 0 && m_thr_written + 17 * frame >= m_low_from) m_break_quiet = t + frame;
      m_low_under_break = false;
    }
  }
  m_tx.set(t, level);
}

void UartTerminal::on_reset(Cycle now) {
  ++m_sin_version;
  m_lcr = 0;
  m_div = 0;
  m_history.assign(1, Settings{0, 0, 0});
  m_rx.clear();
  m_tx.reset(true);
  m_tx_changed = now;
  m_thr_written = 0;
  m_decoded = now;
  m_seen_high = true;
  m_low_from = 0;
  m_low_under_break = false;
  m_break_quiet = 0;
  m_loop = false;
  m_tx_frames.clear();
  m_fifo_enabled = false;
  m_loop_on.clear();
  m_loop_quiet.clear();
}

void UartTerminal::on_write(uint64_t offset, uint64_t value, unsigned, Cycle at) {
  if ((offset & ((uint64_t(1) << m_reg_shift) - 1)) != 0) return;  // not lane 0 of a register
  const uint64_t index = offset >> m_reg_shift;
  const uint8_t byte = static_cast<uint8_t>(value);
  const bool dlab = (m_lcr & 0x80) != 0;
  auto done_by = [&](Cycle edge) {
    m_tx_frames.erase(
        std::remove_if(m_tx_frames.begin(), m_tx_frames.end(), [&](const TxFrame& f) { return f.end <= edge; }),
        m_tx_frames.end());
  };
  if (index == kThr && !dlab) {
    m_thr_written = at;  // a character the transmitter may not have begun
    // The estimate: a frame after the ones queued, unless THR is full (lost, or in 16450 mode
    // replacing the waiting character).
    done_by(at);
    if (m_tx_frames.size() < (m_fifo_enabled ? 17u : 2u)) {
      const Cycle start = m_tx_frames.empty() ? at : std::max(at, m_tx_frames.back().end);
      m_tx_frames.push_back(TxFrame{start, start + frame_edges()});
    }
    if (!m_loop_quiet.empty() && m_loop_quiet.back().idle && m_loop_quiet.back().written == kNever &&
        at >= m_loop_quiet.back().from && at < m_loop_quiet.back().until)
      m_loop_quiet.back().written = at;
  }
  if (index == kFcr) {
    // Enabling or disabling the FIFOs, or a TX FIFO reset, drops the waiting characters; the
    // frame being shifted completes.
    const bool enable = (byte & 0x01) != 0;
    if (enable != m_fifo_enabled || (enable && (byte & 0x04))) {
      done_by(at);
      m_tx_frames.erase(
          std::remove_if(m_tx_frames.begin(), m_tx_frames.end(), [&](const TxFrame& f) { return f.start > at; }),
          m_tx_frames.end());
    }
    m_fifo_enabled = enable;
    return;
  }
  if (index == kMcr) {
    const bool loop = (byte & 0x10) != 0;
    if (loop && !m_loop) m_loop_on.push_back(at);  // sout to mark: a frame in progress is cut
    if (!loop && m_loop) {
      // Loopback left: when a character was written within 17 frame times before (16 of FIFO
      // and the shift register), the transmitter may be shifting one, whose rest shows on sout
      // until the end of that frame (estimated, its stop bit giving a bit's margin).
      const Cycle frame = frame_edges();
      if (m_thr_written > 0 && m_thr_written + 17 * frame >= at) {
        LoopQuiet q{at, at + frame, kNever, true};
        const Cycle bit = 16 * Cycle(effective_divisor(m_div));
        for (const TxFrame& f : m_tx_frames)
          if (f.start < at && f.end > at) {
            q.until = std::min(q.until, f.end - bit / 2);
            q.idle = false;
          }
        if (q.until > at) m_loop_quiet.push_back(q);
      }
    }
    m_loop = loop;
    return;
  }
  if (index == kLcr) {
    // Break control set at the edge sout fell (the line model may hear the edge first).
    if ((byte & 0x40) && !m_tx.current() && m_low_from == at) m_low_under_break = true;
    m_lcr = byte;
  } else if (index == kDll && dlab)
    m_div = static_cast<uint16_t>((m_div & 0xff00) | byte);
  else if (index == kDlm && dlab)
    m_div = static_cast<uint16_t>((m_div & 0x00ff) | (byte << 8));
  else
    return;
  m_history.push_back(Settings{at, m_lcr, m_div});
}

UartTerminal::Settings UartTerminal::settings_before(Cycle edge) const {
  Settings s = m_history.empty() ? Settings{0, 0, 0} : m_history.front();
  for (const Settings& h : m_history)
    if (h.from < edge) s = h;
  return s;
}

void UartTerminal::forget_settings_before(Cycle edge) {
  size_t keep = 0;  // the last entry in force before `edge`
  while (keep + 1 < m_history.size() && m_history[keep + 1].from < edge) ++keep;
  m_history.erase(m_history.begin(), m_history.begin() + static_cast<std::ptrdiff_t>(keep));
}

void UartTerminal::save_settings(tandem::StateWriter& out) const {
  out.u8(m_lcr);
  out.u32(m_div);
  out.u32(static_cast<uint32_t>(m_history.size()));
  for (const Settings& s : m_history) {
    out.u64(s.from);
    out.u8(s.lcr);
    out.u32(s.div);
  }
}

std::string UartTerminal::restore_settings(tandem::StateReader& in) {
  Reader r{in, {}};
  uint8_t lcr = 0;
  uint32_t div = 0, n = 0;
  if (!r.u8(lcr, "terminal settings") || !r.u32(div, "terminal settings") || !r.u32(n, "terminal settings"))
    return r.why;
  if (div > 0xffff) return "terminal settings: divisor beyond 16 bits";
  if (n == 0 || n > 4096) return "terminal settings: history of 1 to 4096 entries expected";
  std::vector<Settings> history;
  for (uint32_t i = 0; i < n; ++i) {
    Settings s{0, 0, 0};
    uint32_t d = 0;
    if (!r.u64(s.from, "terminal settings") || !r.u8(s.lcr, "terminal settings") || !r.u32(d, "terminal settings"))
      return r.why;
    if (d > 0xffff) return "terminal settings: divisor beyond 16 bits";
    if (!history.empty() && s.from < history.back().from) return "terminal settings: history out of order";
    s.div = static_cast<uint16_t>(d);
    history.push_back(s);
  }
  if (history.back().lcr != lcr || history.back().div != div)
    return "terminal settings: the last entry is not the settings in force";
  m_lcr = lcr;
  m_div = static_cast<uint16_t>(div);
  m_history = std::move(history);
  return "";
}

void UartTerminal::feed(uint8_t data, Cycle at, bool force_pe, bool force_fe, bool brk) {
  ++m_sin_version;
  Cycle start = at;
  if (!m_rx.frames().empty()) start = std::max(start, m_rx.frames().back().end());
  m_rx.add(make_frame(start, data, Format{static_cast<uint8_t>(m_lcr & 0x3f)}, effective_divisor(m_div), force_pe,
                      force_fe, brk));
}

std::vector<SentFrame> UartTerminal::take_sent(Cycle now) { return decode(now, false); }

// One frame of the current settings, in edges.
Cycle UartTerminal::frame_edges() const {
  return Format{static_cast<uint8_t>(m_lcr & 0x3f)}.frame_ticks() * Cycle(effective_divisor(m_div));
}

bool UartTerminal::loop_fragment(Cycle start, Cycle bit) const {
  for (const LoopQuiet& q : m_loop_quiet)
    if (start >= q.from && start < q.until && !(q.written != kNever && start >= q.written && start <= q.written + bit))
      return true;
  return false;
}

bool UartTerminal::cut_by_loop(Cycle start, Cycle stop_centre) const {
  for (const Cycle on : m_loop_on)
    if (start < on && on < stop_centre) return true;
  return false;
}

std::vector<SentFrame> UartTerminal::decode(Cycle now, bool characters) {
  std::vector<SentFrame> out;
  const TxLine line{m_tx};
  for (;;) {
    // A start bit: the line going low after it was seen high.
    Cycle t = m_decoded;
    if (!m_seen_high) {
      t = find_level(line, t, true);
      if (t == kNever) break;
      m_seen_high = true;
      m_decoded = t;  // a later call looks for the start bit from here, not inside the low before
    }
    const Cycle s = find_level(line, t, false);
    if (s == kNever) break;
    const Settings set = settings_before(s);
    const Format fmt{static_cast<uint8_t>(set.lcr & 0x3f)};
    const Cycle bit = 16 * Cycle(effective_divisor(set.div));
    if (s + bit / 2 > now) break;  // the start bit's centre not seen yet
    if (m_tx.at(s + bit / 2)) {
      // Low for less than half a bit (a break cleared at once, a glitch): a receiver that
      // checks the start bit at its centre, as a 16550's does, takes no frame.
      m_decoded = s + bit / 2;
      m_seen_high = true;
      continue;
    }
    if (characters && loop_fragment(s, bit)) {
      // The rest of a frame shifted in loopback: its start bit is skipped, not a whole frame,
      // so that a character that follows it within the frame time is found.
      m_decoded = s + bit / 2;
      m_seen_high = false;
      continue;
    }
    const Cycle stop_centre = s + (1 + Cycle(fmt.frame_bits())) * bit + bit / 2;
    if (stop_centre > now) break;  // not complete yet: decoded on a later call
    uint16_t bits = 0;
    for (unsigned k = 1; k <= fmt.frame_bits(); ++k)
      if (m_tx.at(s + k * bit + bit / 2)) bits |= uint16_t(1) << (k - 1);
    SentFrame f;
    f.start = s;
    f.data = static_cast<uint8_t>(bits & fmt.data_mask());
    if (fmt.parity()) f.pe = ((bits >> fmt.data_bits()) & 1u) != fmt.parity_of(f.data);
    f.fe = !m_tx.at(stop_centre);
    f.bi = f.fe && bits == 0;
    if (!characters || !cut_by_loop(s, stop_centre)) out.push_back(f);
    m_decoded = stop_centre;
    m_seen_high = !f.fe;
  }
  // Later starts are after m_decoded: loopback's edges and windows before it are done with.
  m_loop_on.erase(std::remove_if(m_loop_on.begin(), m_loop_on.end(), [&](Cycle on) { return on <= m_decoded; }),
                  m_loop_on.end());
  m_loop_quiet.erase(std::remove_if(m_loop_quiet.begin(), m_loop_quiet.end(),
                                    [&](const LoopQuiet& q) { return q.until <= m_decoded; }),
                     m_loop_quiet.end());
  return out;
}

void UartTerminal::take_serial(Cycle now, std::string& append_to) {
  for (const SentFrame& f : decode(now, true)) {
    // A low that began with break control set (LCR.BC) is the break, cut short or not: no
    // character, whatever the receiver made of it.
    if (f.bi || (settings_before(f.start + 1).lcr & 0x40) != 0 || f.start < m_break_quiet) continue;
    append_to.push_back(static_cast<char>(f.data));
  }
  m_tx.forget_before(m_decoded);  // take_sent() reads from m_decoded on
  forget_settings_before(m_decoded);
}

bool UartTerminal::serial_drained(Cycle now) const {
  if (!m_tx.current()) return false;  // a frame or a break on the line
  const Cycle quiet = 2 * 12 * 16 * Cycle(effective_divisor(m_div));
  const Cycle last = std::max(m_tx_changed, m_thr_written);
  return now >= last && now - last >= quiet;
}

}  // namespace models::uart
