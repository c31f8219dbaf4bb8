// A TLM-2.0 generic payload as the accesses a device takes: byte enables, streaming width and
// lengths of any size become naturally aligned accesses of 1, 2, 4 or 8 bytes.
#pragma once

#include <cstdint>
#include <vector>

#include <tlm>

namespace tandem {

// One access: `size` bytes at device offset `addr`, data[index .. index+size) in the payload.
struct PayloadPiece {
  uint64_t addr;
  unsigned index;
  unsigned size;
};

// Each beat of the streaming width covers the same addresses; within it every run of enabled
// bytes is cut into the largest naturally aligned accesses (a 4-byte access at offset 4, not
// 2 + 2). Returns false for a payload no bus can carry (a streaming width of 0, a data length
// that is not a whole number of streaming beats, a byte-enable length of 0 with a pointer).
bool payload_pieces(const tlm::tlm_generic_payload& t, std::vector<PayloadPiece>& out);

}  // namespace tandem
