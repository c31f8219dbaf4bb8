// Splitting accesses into bus beats, and the step checks every executor shares.
#include "tandem/executor.h"

#include <algorithm>

#include <fmt/format.h>

#include "tandem/access_checks.h"
#include "tandem/error.h"

namespace tandem {

BeatList split_access(uint64_t addr, unsigned size, unsigned bus_bytes) {
  BeatList list;
  const uint64_t lane_bits = bus_bytes - 1;      // bus widths are powers of two: no division here
  if ((addr & lane_bits) + size <= bus_bytes) {  // the common case: one beat
    list.beats[0] = {addr, size, 0};
    list.count = 1;
    return list;
  }
  uint64_t a = addr;
  unsigned left = size, shift = 0;
  while (left > 0 && list.count < list.beats.size()) {
    const unsigned room = bus_bytes - static_cast<unsigned>(a & lane_bits);
    const unsigned n = std::min(room, left);
    list.beats[list.count++] = {a, n, shift};
    a += n;
    left -= n;
    shift += 8 * n;
  }
  return list;
}

namespace detail {

void bad_size(const Step& s) { throw Error(fmt::format("step '{}': size must be 1, 2, 4 or 8 bytes", format_step(s))); }

void bad_address(const Step& s, uint64_t limit) {
  throw Error(fmt::format("step '{}': offset beyond the device's address window 0x0-{:#x}", format_step(s), limit - 1));
}

}  // namespace detail

}  // namespace tandem
