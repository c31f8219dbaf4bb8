// The serial terminal's feeder and monitor (uart_terminal.h). Frames follow uart16550.sv's
// timing notes: bit k of a frame started at edge S is on the line after edge S + 16Dk; a
// receiver samples the centre of each bit, 8D into it.
#include "uart_terminal.h"

#include <algorithm>

#include "uart_line_state.h"

namespace models::uart {

namespace {
constexpr uint64_t kModemInactive = 0x1e;  // cts_n, dsr_n, ri_n, dcd_n high
constexpr unsigned kThr = 0, kDll = 0, kDlm = 1, kLcr = 3;

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
      const Cycle frame = Format{static_cast<uint8_t>(m_lcr & 0x3f)}.frame_ticks() * Cycle(effective_divisor(m_div));
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
}

void UartTerminal::on_write(uint64_t offset, uint64_t value, unsigned, Cycle at) {
  if ((offset & ((uint64_t(1) << m_reg_shift) - 1)) != 0) return;  // not lane 0 of a register
  const uint64_t index = offset >> m_reg_shift;
  const uint8_t byte = static_cast<uint8_t>(value);
  const bool dlab = (m_lcr & 0x80) != 0;
  if (index == kThr && !dlab) m_thr_written = at;  // a character the transmitter may not have begun
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

std::vector<SentFrame> UartTerminal::take_sent(Cycle now) {
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
    out.push_back(f);
    m_decoded = stop_centre;
    m_seen_high = !f.fe;
  }
  return out;
}

void UartTerminal::take_serial(Cycle now, std::string& append_to) {
  for (const SentFrame& f : take_sent(now)) {
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
