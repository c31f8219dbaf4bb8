// Payload to accesses.
#include "payload_steps.h"

namespace tandem {

namespace {
unsigned largest_aligned(uint64_t addr, uint64_t room) {
  for (unsigned size = 8; size > 1; size /= 2)
    if (addr % size == 0 && room >= size) return size;
  return 1;
}
}  // namespace

bool payload_pieces(const tlm::tlm_generic_payload& t, std::vector<PayloadPiece>& out) {
  out.clear();
  const unsigned len = t.get_data_length();
  const unsigned width = t.get_streaming_width() >= len ? len : t.get_streaming_width();
  const unsigned char* be = t.get_byte_enable_ptr();
  const unsigned be_len = t.get_byte_enable_length();
  if (len == 0) return true;
  // The common transaction: one naturally aligned access of 1, 2, 4 or 8 bytes.
  if (!be && width == len && len <= 8 && (len & (len - 1)) == 0 && t.get_address() % len == 0) {
    out.push_back({t.get_address(), 0, len});
    return true;
  }
  if (width == 0 || len % width != 0 || (be && be_len == 0)) return false;
  const auto enabled = [&](unsigned i) { return !be || be[i % be_len] != TLM_BYTE_DISABLED; };
  for (unsigned beat = 0; beat < len; beat += width) {
    unsigned i = 0;
    while (i < width) {
      if (!enabled(beat + i)) {
        ++i;
        continue;
      }
      unsigned j = i;
      while (j < width && enabled(beat + j)) ++j;
      // Bytes i..j-1 of this beat, at addresses address+i..address+j-1.
      while (i < j) {
        const uint64_t addr = t.get_address() + i;
        const unsigned size = largest_aligned(addr, j - i);
        out.push_back({addr, beat + i, size});
        i += size;
      }
    }
  }
  return true;
}

}  // namespace tandem
