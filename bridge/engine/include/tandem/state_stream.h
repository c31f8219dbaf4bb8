// A flat, versioned, little-endian byte stream: what a model's save() writes and its
// restore() reads back (untrusted: every getter says whether the bytes were there), and what
// checkpoints and snapshot files are made of.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tandem {

class StateWriter {
 public:
  void u8(uint8_t v) { bytes.push_back(v); }
  void u32(uint32_t v) { put(v, 4); }
  void u64(uint64_t v) { put(v, 8); }
  std::vector<uint8_t> bytes;

 private:
  void put(uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
};

class StateReader {
 public:
  explicit StateReader(const std::vector<uint8_t>& bytes) : m_bytes(bytes) {}
  // Each getter returns false once the stream is exhausted; the value is then 0.
  bool u8(uint8_t& v) {
    uint64_t x;
    bool ok = get(x, 1);
    v = static_cast<uint8_t>(x);
    return ok;
  }
  bool u32(uint32_t& v) {
    uint64_t x;
    bool ok = get(x, 4);
    v = static_cast<uint32_t>(x);
    return ok;
  }
  bool u64(uint64_t& v) { return get(v, 8); }
  bool at_end() const { return m_pos == m_bytes.size(); }

 private:
  bool get(uint64_t& v, unsigned n) {
    v = 0;
    if (m_bytes.size() - m_pos < n) return false;
    for (unsigned i = 0; i < n; ++i) v |= uint64_t(m_bytes[m_pos++]) << (8 * i);
    return true;
  }
  const std::vector<uint8_t>& m_bytes;
  size_t m_pos = 0;
};

// Length-prefixed blobs and strings: put writes u64 size then the bytes; get refuses (false) a
// size beyond `limit` or a truncated stream.
inline void put_blob(StateWriter& out, const std::vector<uint8_t>& b) {
  out.u64(b.size());
  out.bytes.insert(out.bytes.end(), b.begin(), b.end());
}
inline bool get_blob(StateReader& in, std::vector<uint8_t>& b, uint64_t limit) {
  uint64_t n = 0;
  if (!in.u64(n) || n > limit) return false;
  b.resize(static_cast<size_t>(n));
  for (uint8_t& x : b)
    if (!in.u8(x)) return false;
  return true;
}
inline void put_string(StateWriter& out, const std::string& s) {
  put_blob(out, std::vector<uint8_t>(s.begin(), s.end()));
}
inline bool get_string(StateReader& in, std::string& s, uint64_t limit = 4096) {
  std::vector<uint8_t> b;
  if (!get_blob(in, b, limit)) return false;
  s.assign(b.begin(), b.end());
  return true;
}

// FNV-1a, the checksum of snapshot and checkpoint files (and of register maps): `h` chains it.
inline uint64_t fnv1a(const uint8_t* p, size_t n, uint64_t h = 0xcbf29ce484222325ULL) {
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

}  // namespace tandem
