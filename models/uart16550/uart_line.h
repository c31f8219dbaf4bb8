// Serial-line arithmetic for the uart16550 model: frames as functions of time, lines as
// piecewise-constant levels, and the frame sampler of rtl/uart16550 (uart16550_rx) as a few
// events per character instead of a state machine ticked every cycle.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <tandem/device.h>

namespace models::uart {

using tandem::Cycle;
using tandem::kNever;

// A frame format in LCR[5:0] layout.
struct Format {
  uint8_t lcr = 0;
  unsigned data_bits() const { return 5 + (lcr & 3u); }
  bool parity() const { return (lcr & 0x08) != 0; }
  unsigned frame_bits() const { return data_bits() + (parity() ? 1 : 0); }  // after the start bit
  unsigned stop_ticks() const { return !(lcr & 0x04) ? 16 : (lcr & 3u) == 0 ? 24 : 32; }
  unsigned frame_ticks() const { return 16 * (1 + frame_bits()) + stop_ticks(); }
  uint8_t data_mask() const { return static_cast<uint8_t>(0xffu >> (8 - data_bits())); }
  // The parity bit this format sends with `data` (already masked): stick, even or odd.
  unsigned parity_of(uint8_t data) const;
};

// {DLM, DLL} = 0 counts as 65536: the baud counter wraps.
inline uint32_t effective_divisor(uint16_t d) { return d == 0 ? 65536u : d; }

struct Frame {
  Cycle start = 0;         // the start bit is on the line after edge `start`
  Cycle bit_len = 16;      // 16 * divisor
  Cycle stop_len = 16;     // 16, 24 or 32 * divisor
  uint8_t nbits = 5;       // data and parity bits after the start bit
  uint16_t bits = 0;       // data then parity, LSB first
  bool stop_level = true;  // false: a forced framing error or a break

  Cycle end() const { return start + (1 + Cycle(nbits)) * bit_len + stop_len; }
  // The level after edge t, for start <= t < end().
  bool level(Cycle t) const;
  // The first edge after t at which the level may change (at most end()).
  Cycle next_change(Cycle t) const;
};

// The frame uart16550_tx sends: `fmt` is LCR[5:0], `div` the effective divisor.
Frame make_frame(Cycle start, uint8_t data, Format fmt, uint32_t div, bool force_pe, bool force_fe, bool brk);

// A line driven by frames, idle (1) between them. Frames are appended in time order and
// never overlap.
class FrameLine {
 public:
  bool level(Cycle t) const;
  Cycle next_change(Cycle t) const;
  // The first frame with end() > t (the frame on the line after edge t, or the next one), or
  // null: the line is idle from t on.
  const Frame* first_ending_after(Cycle t) const;
  void add(const Frame& f) { m_store.push_back(f); }
  void forget_before(Cycle t);  // frames that end at or before t are never asked about again
  void clear() {
    m_store.clear();
    m_head = 0;
  }
  // The frames kept, in order.
  struct Frames {
    const Frame* first;
    size_t count;
    size_t size() const { return count; }
    bool empty() const { return count == 0; }
    const Frame& back() const { return first[count - 1]; }
    const Frame* begin() const { return first; }
    const Frame* end() const { return first + count; }
  };
  Frames frames() const { return Frames{m_store.data() + m_head, m_store.size() - m_head}; }

 private:
  // The index (from the first frame kept) of the last frame starting at or before t, or kNone.
  static constexpr size_t kNone = ~size_t(0);
  size_t at_or_before(Cycle t) const;
  // The frames: those from m_head on are kept (the ones before it are forgotten and dropped in
  // batches, so forgetting is not a shift of the vector every frame).
  std::vector<Frame> m_store;
  size_t m_head = 0;
  // Where the last search ended: readers ask about nearby edges, mostly rising, so the next
  // search looks there first (a hint only, checked before it is used; the frames are found by
  // binary search when it misses).
  mutable size_t m_hint = 0;
};

// A line model that knows the receive line (sin) as whole frames, idle (1) between them, so a
// receiver takes frames from it instead of walking sin level by level through
// PinSource::inputs/next_change (Uart16550Model takes this path when the attached source is
// one; any other source is walked level by level). The frames are the levels inputs() gives:
// sin after edge e is inputs(e + 1) bit 0.
class SinFrames {
 public:
  virtual ~SinFrames() = default;
  // The first frame on sin with end() > e, as the source knows sin now, copied into `f`; false
  // when sin stays high from e on. Like inputs(), a source may learn of later frames between
  // calls, never within one of the receiver's calls.
  virtual bool sin_frame(Cycle e, Frame& f) const = 0;
  // A count that changes whenever the frames sin_frame gives may have changed (a frame fed or
  // queued, a setting the frames still to come depend on, a reset or restore): a receiver keeps
  // what it worked out from them while it stays the same.
  virtual uint64_t sin_version() const = 0;
};

// sin as a SinFrames source gives it, for find_level and the Sampler: the frame last handed
// over is kept for the edges it answers (this object lives for one of the receiver's calls).
class FramedSin {
 public:
  explicit FramedSin(const SinFrames* source) : m_source(source) {}
  bool level(Cycle t) const {
    fetch(t);
    return !m_any || t < m_frame.start || m_frame.level(t);
  }
  Cycle next_change(Cycle t) const {
    fetch(t);
    if (!m_any) return kNever;
    return t < m_frame.start ? m_frame.start : m_frame.next_change(t);
  }

 private:
  // m_frame is the first frame ending after every edge in [m_lo, m_hi).
  void fetch(Cycle t) const {
    if (t >= m_lo && t < m_hi) return;
    m_any = m_source->sin_frame(t, m_frame);
    m_lo = t;
    m_hi = m_any ? m_frame.end() : kNever;
  }
  const SinFrames* m_source;
  mutable Frame m_frame;
  mutable Cycle m_lo = kNever, m_hi = kNever;
  mutable bool m_any = false;
};

// A value that changes at edges (one line, or a few lines read together): the value after
// edge t. Changes are kept in edge order, each to a value other than the one before it.
template <class V>
class History {
 public:
  V at(Cycle t) const {
    // Readers ask about recent edges: scan from the back.
    for (auto it = m_changes.rbegin(); it != m_changes.rend(); ++it)
      if (it->first <= t) return it->second;
    return m_initial;
  }
  V current() const { return m_changes.empty() ? m_initial : m_changes.back().second; }
  Cycle next_change(Cycle t) const {
    // Readers mostly ask about edges past the last change.
    if (m_changes.empty() || m_changes.back().first <= t) return kNever;
    const auto it = std::upper_bound(m_changes.begin(), m_changes.end(), t,
                                     [](Cycle v, const std::pair<Cycle, V>& c) { return v < c.first; });
    return it == m_changes.end() ? kNever : it->first;
  }
  // From edge e on (e not before the last change).
  void set(Cycle e, V v) {
    if (current() == v) return;
    if (!m_changes.empty() && m_changes.back().first == e) {
      m_changes.back().second = v;
      if (m_changes.size() >= 2 ? m_changes[m_changes.size() - 2].second == v : m_initial == v) m_changes.pop_back();
      return;
    }
    m_changes.emplace_back(e, v);
  }
  void forget_before(Cycle t) {
    size_t drop = 0;
    while (drop < m_changes.size() && m_changes[drop].first <= t) m_initial = m_changes[drop++].second;
    m_changes.erase(m_changes.begin(), m_changes.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  void reset(V v) {
    m_initial = v;
    m_changes.clear();
  }
  V initial() const { return m_initial; }
  const std::vector<std::pair<Cycle, V>>& changes() const { return m_changes; }
  std::vector<std::pair<Cycle, V>>& changes() { return m_changes; }
  void set_initial(V v) { m_initial = v; }

 private:
  V m_initial{};
  std::vector<std::pair<Cycle, V>> m_changes;
};

// One line.
using LevelHistory = History<bool>;

// The first t >= from with line.level(t) == v, within what the line knows, or kNever.
template <class Line>
Cycle find_level(const Line& line, Cycle from, bool v) {
  Cycle t = from;
  while (line.level(t) != v) {
    t = line.next_change(t);
    if (t == kNever) return kNever;
  }
  return t;
}

struct Received {
  uint8_t data = 0;
  bool pe = false, fe = false, bi = false;
  uint8_t errors() const { return static_cast<uint8_t>((pe ? 1 : 0) | (fe ? 2 : 0) | (bi ? 4 : 0)); }
};

// uart16550_rx as events. It waits for the line high, then low; the edge that sees it low is
// the detection edge d, where it latches the format and divisor; at d + 8D it checks the start
// bit (high: a false start, back to waiting for low); at d + 8D + 16D(nbits+1) it samples
// the first stop bit and completes, sampling every bit at its centre d - 1 + 8D + 16D*k.
class Sampler {
 public:
  enum class State : uint8_t { wait_high, armed, start_check, receiving };

  // Waiting for the line high, looking at its level after edge `edge` first.
  void reset(Cycle edge) {
    m_state = State::wait_high;
    m_origin = edge;
    m_dirty = true;
  }
  // The line changed at or after the current edge: the next detection must be recomputed.
  // (const: a line driven from outside may change between calls of a const lookahead.)
  void invalidate() const { m_dirty = true; }

  // The edge of the sampler's next action on `line`, or kNever.
  template <class Line>
  Cycle next(const Line& line) const {
    if (m_state == State::start_check) return m_detect + start_offset();
    if (m_state == State::receiving) return completion();
    if (m_dirty) {
      m_cached = detection(line);
      m_dirty = false;
    }
    return m_cached;
  }

  // Act at edge `t` (== next(line)). `format` gives (LCR[5:0], divisor) as the sampler
  // latches them at a detection. Returns the character when one completes.
  template <class Line, class FormatAt>
  std::optional<Received> act(Cycle t, const Line& line, FormatAt format) {
    switch (m_state) {
      case State::wait_high:
      case State::armed: {
        const std::pair<uint8_t, uint32_t> f = format();
        m_format = Format{static_cast<uint8_t>(f.first & 0x3f)};
        m_bit_len = 16 * Cycle(f.second);
        m_detect = t;
        m_state = State::start_check;
        return std::nullopt;
      }
      case State::start_check:
        if (line.level(t - 1)) {  // a false start: wait for low again, from this edge on
          m_state = State::armed;
          m_origin = t;
          m_dirty = true;
        } else {
          m_state = State::receiving;
        }
        return std::nullopt;
      case State::receiving: {
        Received r;
        uint16_t bits = 0;
        const unsigned n = m_format.frame_bits();
        for (unsigned k = 1; k <= n; ++k)
          if (line.level(sample_edge(k) - 1)) bits |= uint16_t(1) << (k - 1);
        const bool stop = line.level(t - 1);
        r.data = static_cast<uint8_t>(bits & m_format.data_mask());
        if (m_format.parity()) r.pe = ((bits >> m_format.data_bits()) & 1u) != m_format.parity_of(r.data);
        r.fe = !stop;
        r.bi = !stop && bits == 0;
        m_state = State::wait_high;
        m_origin = t;
        m_dirty = true;
        return r;
      }
    }
    return std::nullopt;
  }

  // Searching states only: move the origin up to `edge` (the line is final before it) so
  // later searches start late and the history before it can be forgotten. Only when the
  // next action is after `edge`.
  template <class Line>
  void settle(const Line& line, Cycle edge) {
    if (m_state != State::wait_high && m_state != State::armed) return;
    if (next(line) <= edge) return;
    if (m_state == State::wait_high) {
      const Cycle t1 = find_level(line, m_origin, true);
      if (t1 != kNever && t1 + 1 <= edge) {
        m_state = State::armed;
        m_origin = t1 + 1;
      } else {
        m_origin = std::max(m_origin, edge);
        return;
      }
    }
    m_origin = std::max(m_origin, edge);  // armed: no low before `edge`, or next() <= edge
  }

  // The earliest line time this sampler may still look at.
  Cycle earliest() const { return (m_state == State::wait_high || m_state == State::armed) ? m_origin : m_detect - 1; }

  State state() const { return m_state; }
  Cycle origin() const { return m_origin; }
  Cycle detect() const { return m_detect; }
  Format format() const { return m_format; }
  Cycle bit_len() const { return m_bit_len; }
  // Restore a state saved with the accessors above; the caller validates it.
  void load(State s, Cycle origin, Cycle detect, Format f, Cycle bit_len) {
    m_state = s;
    m_origin = origin;
    m_detect = detect;
    m_format = f;
    m_bit_len = bit_len;
    m_dirty = true;
  }

  Cycle start_offset() const { return m_bit_len / 2; }  // 8D
  Cycle sample_edge(unsigned k) const { return m_detect + start_offset() + Cycle(k) * m_bit_len; }
  Cycle completion() const { return sample_edge(m_format.frame_bits() + 1); }

 private:
  template <class Line>
  Cycle detection(const Line& line) const {
    Cycle from = m_origin;
    if (m_state == State::wait_high) {
      const Cycle t1 = find_level(line, from, true);
      if (t1 == kNever) return kNever;
      from = t1 + 1;
    }
    const Cycle t2 = find_level(line, from, false);
    return t2 == kNever ? kNever : t2 + 1;
  }

  State m_state = State::wait_high;
  Cycle m_origin = 0;
  Cycle m_detect = 0;
  Format m_format{};
  Cycle m_bit_len = 16;
  mutable Cycle m_cached = kNever;
  mutable bool m_dirty = true;
};

// A fixed-capacity FIFO (the hardware's 16-entry memories).
template <class T, size_t N = 16>
class Fifo {
 public:
  size_t size() const { return m_count; }
  bool empty() const { return m_count == 0; }
  const T& front() const { return m_items[m_head]; }
  T& front() { return m_items[m_head]; }
  const T& at(size_t i) const { return m_items[(m_head + i) % N]; }
  void push(const T& v) {
    m_items[(m_head + m_count) % N] = v;
    ++m_count;
  }
  T pop() {
    T v = m_items[m_head];
    m_head = (m_head + 1) % N;
    --m_count;
    return v;
  }
  void clear() {
    m_head = 0;
    m_count = 0;
  }

 private:
  std::array<T, N> m_items{};
  size_t m_head = 0;
  size_t m_count = 0;
};

}  // namespace models::uart
