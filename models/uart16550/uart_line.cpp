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

bool LevelHistory::at(Cycle t) const {
  // Changes are few (the last ones since the samplers' earliest look): scan from the back.
  for (auto it = m_changes.rbegin(); it != m_changes.rend(); ++it)
    if (it->first <= t) return it->second;
  return m_initial;
}

Cycle LevelHistory::next_change(Cycle t) const {
  for (const auto& c : m_changes)
    if (c.first > t) return c.first;
  return kNever;
}

void LevelHistory::set(Cycle e, bool v) {
  if (current() == v) return;
  if (!m_changes.empty() && m_changes.back().first == e) {
    m_changes.back().second = v;
    if (m_changes.size() >= 2 ? m_changes[m_changes.size() - 2].second == v : m_initial == v) m_changes.pop_back();
    return;
  }
  m_changes.emplace_back(e, v);
}

void LevelHistory::forget_before(Cycle t) {
  size_t drop = 0;
  while (drop < m_changes.size() && m_changes[drop].first <= t) {
    m_initial = m_changes[drop].second;
    ++drop;
  }
  m_changes.erase(m_changes.begin(), m_changes.begin() + static_cast<std::ptrdiff_t>(drop));
}

}  // namespace models::uart
