// The steps a lockstep target has executed, packed: a header byte and two varints a step (4 to
// 20 bytes instead of sizeof(Step)), so a long platform run keeps its reproducer without faulting
// in 40 bytes of fresh memory per access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tandem/step.h"

namespace tandem {

class StepLog {
 public:
  void append(const Step& s) {
    const uint8_t code = s.size == 0 ? 0 : s.size == 1 ? 1 : s.size == 2 ? 2 : s.size == 4 ? 3 : 4;
    m_bytes.push_back(static_cast<uint8_t>(static_cast<unsigned>(s.kind) | (code << 3)));
    varint(s.addr);
    varint(s.data);
    ++m_count;
  }
  template <class It>
  void append(It first, It last) {
    for (; first != last; ++first) append(*first);
  }
  size_t size() const { return m_count; }
  // Unpacked; `expect` is never recorded (a platform's reads pin nothing).
  Program program() const {
    static constexpr uint8_t kSizes[] = {0, 1, 2, 4, 8, 0, 0, 0};
    Program out;
    out.reserve(m_count);
    size_t at = 0;
    while (at < m_bytes.size()) {
      Step s;
      s.kind = static_cast<StepKind>(m_bytes[at] & 7);
      s.size = kSizes[(m_bytes[at++] >> 3) & 7];
      s.addr = read_varint(at);
      s.data = read_varint(at);
      out.push_back(s);
    }
    return out;
  }

 private:
  void varint(uint64_t v) {
    while (v >= 0x80) {
      m_bytes.push_back(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    m_bytes.push_back(static_cast<uint8_t>(v));
  }
  uint64_t read_varint(size_t& at) const {
    uint64_t v = 0;
    for (unsigned shift = 0; at < m_bytes.size(); shift += 7) {
      const uint8_t b = m_bytes[at++];
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  }

  std::vector<uint8_t> m_bytes;
  size_t m_count = 0;
};

}  // namespace tandem
