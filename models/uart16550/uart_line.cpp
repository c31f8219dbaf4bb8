// Serial-line arithmetic: each function mirrors uart16550_tx's frame layout (rtl/uart16550).
#include "uart_line.h"

namespace models::uart {

unsigned Format::parity_of(uint8_t data) const {
  if (lcr & 0x20) return (lcr & 0x10) ? 0u : 1u;  // stick: the complement of "even"
  unsigned ones = 0;
  for (uint8_t d = data; d != 0; d &= static_cast<uint8_t>(d - 1)) ++ones;
  const unsigned odd_count = ones & 1u;
  return (lcr & 0x10) ? odd_count : odd_count ^ 1u;  // even: total even; odd: total odd
}

bool Frame::level(Cycle t) const {
  const Cycle idx = (t - start) / bit_len;
  if (idx == 0) return false;
  if (idx <= nbits) return ((bits >> (idx - 1)) & 1u) != 0;
  return stop_level;
}

Cycle Frame::next_change(Cycle t) const {
  const Cycle idx = (t - start) / bit_len;
  if (idx <= nbits) return start + (idx + 1) * bit_len;
  return end();
}

Frame make_frame(Cycle start, uint8_t data, Format fmt, uint32_t div, bool force_pe, bool force_fe, bool brk) {
  Frame f;
  f.start = start;
  f.bit_len = 16 * Cycle(div);
  f.stop_len = Cycle(fmt.stop_ticks()) * div;
  f.nbits = static_cast<uint8_t>(fmt.frame_bits());
  const uint8_t d = data & fmt.data_mask();
  uint16_t bits = d;
  if (fmt.parity()) bits |= static_cast<uint16_t>((fmt.parity_of(d) ^ (force_pe ? 1u : 0u)) << fmt.data_bits());
  f.bits = brk ? 0 : bits;
  f.stop_level = !(force_fe || brk);
  return f;
}

std::deque<Frame>::const_iterator FrameLine::at_or_before(Cycle t) const {
  auto it = std::upper_bound(m_frames.begin(), m_frames.end(), t, [](Cycle v, const Frame& f) { return v < f.start; });
  if (it == m_frames.begin()) return m_frames.end();
  return it - 1;
}

bool FrameLine::level(Cycle t) const {
  const auto it = at_or_before(t);
  if (it == m_frames.end() || t >= it->end()) return true;
  return it->level(t);
}

Cycle FrameLine::next_change(Cycle t) const {
  const auto it = at_or_before(t);
  if (it != m_frames.end() && t < it->end()) return it->next_change(t);
  const auto next = (it == m_frames.end()) ? m_frames.begin() : it + 1;
  return next == m_frames.end() ? kNever : next->start;
}

void FrameLine::forget_before(Cycle t) {
  while (!m_frames.empty() && m_frames.front().end() <= t) m_frames.pop_front();
}

}  // namespace models::uart
