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

size_t FrameLine::at_or_before(Cycle t) const {
  const Frame* f = m_store.data() + m_head;
  const size_t n = m_store.size() - m_head;
  if (n == 0 || t < f[0].start) return kNone;
  // The hint, or the frame after it (a reader moving on to the next frame).
  size_t i = m_hint < n ? m_hint : n - 1;
  for (int k = 0; k < 2 && i < n; ++k, ++i) {
    if (f[i].start > t) break;
    if (i + 1 == n || f[i + 1].start > t) return m_hint = i;
  }
  const Frame* it = std::upper_bound(f, f + n, t, [](Cycle v, const Frame& x) { return v < x.start; });
  return m_hint = static_cast<size_t>(it - f) - 1;  // not f: t >= the first start
}

bool FrameLine::level(Cycle t) const {
  const size_t i = at_or_before(t);
  const Frame* f = m_store.data() + m_head;
  if (i == kNone || t >= f[i].end()) return true;
  return f[i].level(t);
}

Cycle FrameLine::next_change(Cycle t) const {
  const size_t i = at_or_before(t);
  const Frame* f = m_store.data() + m_head;
  if (i != kNone && t < f[i].end()) return f[i].next_change(t);
  const size_t next = i == kNone ? 0 : i + 1;
  return next < m_store.size() - m_head ? f[next].start : kNever;
}

const Frame* FrameLine::first_ending_after(Cycle t) const {
  const size_t i = at_or_before(t);
  const Frame* f = m_store.data() + m_head;
  if (i != kNone && t < f[i].end()) return &f[i];
  const size_t next = i == kNone ? 0 : i + 1;
  return next < m_store.size() - m_head ? &f[next] : nullptr;
}

void FrameLine::forget_before(Cycle t) {
  size_t dropped = 0;
  for (; m_head < m_store.size() && m_store[m_head].end() <= t; ++dropped) ++m_head;
  m_hint = m_hint > dropped ? m_hint - dropped : 0;
  if (m_head >= 32 && 2 * m_head >= m_store.size()) {
    m_store.erase(m_store.begin(), m_store.begin() + static_cast<std::ptrdiff_t>(m_head));
    m_head = 0;
  }
}

}  // namespace models::uart
