// A verilated model's state (Verilator --savable) in memory instead of a file: the bytes go
// into a checkpoint next to the bridge's own state. Include only where verilated.h is.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include <verilated.h>
#include <verilated_save.h>

namespace tandem::detail {

// Whether Top was verilated with --savable (it then has operator<< and operator>>).
template <class T, class = void>
struct is_savable : std::false_type {};
template <class T>
struct is_savable<T, std::void_t<decltype(std::declval<VerilatedSerialize&>() << std::declval<T&>()),
                                 decltype(std::declval<VerilatedDeserialize&>() >> std::declval<T&>())>>
    : std::true_type {};

class MemorySave final : public VerilatedSerialize {
 public:
  explicit MemorySave(std::vector<uint8_t>& out) : m_out(out) {
    m_isOpen = true;
    header();
  }
  ~MemorySave() override { finish(); }
  void finish() {
    if (!m_isOpen) return;
    trailer();
    flush();
    m_isOpen = false;
  }
  void flush() override {
    m_out.insert(m_out.end(), m_bufp, m_cp);
    m_cp = m_bufp;
  }

 private:
  std::vector<uint8_t>& m_out;
};

// The caller checks the bytes' integrity first: Verilator treats a wrong header or trailer
// as fatal.
// One object can restore many images in turn (open, read, close): Verilator allocates its
// 256 KiB buffer per object, which was most of a restore of a small model.
class MemoryRestore final : public VerilatedDeserialize {
 public:
  MemoryRestore() = default;
  MemoryRestore(const uint8_t* data, size_t size) { open(data, size); }
  ~MemoryRestore() override { close(); }
  void open(const uint8_t* data, size_t size) {
    close();
    m_data = data;
    m_size = size;
    m_pos = 0;
    m_loaded = false;
    m_isOpen = true;
    m_cp = m_endp = m_bufp;
    fill();
    header();
  }
  void close() override {
    if (m_isOpen) trailer();
    m_isOpen = false;
  }
  // Verilator asks for a fill before every read that has less than bufferInsertSize() bytes
  // ahead, which is every read of a small image: once the whole image is in the buffer (and
  // the slack behind it zero), there is nothing to move, and moving it each time made a
  // restore quadratic in the image size (the lockstep fuzzers restore before every input).
  void fill() override {
    if (m_pos == m_size && m_loaded) return;
    m_loaded = true;
    uint8_t* rp = m_bufp;
    for (uint8_t* sp = m_cp; sp < m_endp; *rp++ = *sp++) {
    }
    m_endp = m_bufp + (m_endp - m_cp);
    m_cp = m_bufp;
    const size_t room = static_cast<size_t>(m_bufp + bufferSize() - m_endp);
    const size_t n = std::min(room, m_size - m_pos);
    std::memcpy(m_endp, m_data + m_pos, n);
    m_pos += n;
    m_endp += n;
    // Zero slack past the end, so a read check beyond it compares against zeros. One read
    // takes at most bufferInsertSize() bytes: zeroing the whole 256 KiB buffer is not needed.
    const size_t slack = static_cast<size_t>(m_bufp + bufferSize() - m_endp);
    std::memset(m_endp, 0, std::min(slack, bufferInsertSize()));
  }

 private:
  const uint8_t* m_data = nullptr;
  size_t m_size = 0;
  size_t m_pos = 0;
  bool m_loaded = false;  // fill() has run once
};

}  // namespace tandem::detail
