// The step checks and beat helpers the three executors share (model alone, RTL alone,
// lockstep), so that each decides the same way what is bad input and what is one bus beat.
#pragma once

#include <cstdint>

#include "tandem/executor.h"
#include "tandem/rtl_target.h"
#include "tandem/step.h"

namespace tandem::detail {

// The bus beat of an access of `size` bytes at `addr`, `data` (a write's, already masked to
// its size) placed on its byte lanes.
inline BusBeat place_beat(uint64_t addr, unsigned size, bool write, uint64_t data, unsigned bus_bytes) {
  BusBeat bb;
  bb.addr = addr;
  bb.write = write;
  const unsigned lane = static_cast<unsigned>(addr & (bus_bytes - 1));
  if (write) {
    bb.wdata = data << (8 * lane);
    bb.strobe = ((1u << size) - 1) << lane;
  }
  return bb;
}

inline BusBeat to_bus_beat(const Beat& b, bool write, uint64_t value, unsigned bus_bytes) {
  return place_beat(b.addr, b.size, write, (value >> b.shift) & size_mask(b.size), bus_bytes);
}

// size_mask() for the sizes a one-beat access has (1, 2, 4 or 8 bytes), without its branch for
// 8; the short paths mask the written data, the RTL's lanes and the model's answer with it.
inline uint64_t beat_mask(unsigned size) { return ~uint64_t(0) >> (64 - 8 * size); }

inline BusBeat short_bus_beat(const Step& s, bool write, uint64_t mask, unsigned bus_bytes) {
  return place_beat(s.addr, s.size, write, s.data & mask, bus_bytes);
}

// Throw Error naming the step.
[[noreturn]] void bad_size(const Step& s);
[[noreturn]] void bad_address(const Step& s, uint64_t limit);

// Sizes other than 1, 2, 4, 8 and offsets the address port cannot carry (the RTL would see
// them truncated, the model whole) are bad input, not divergences.
inline bool legal_size(unsigned size) {
  constexpr unsigned kSizes = (1u << 1) | (1u << 2) | (1u << 4) | (1u << 8);
  return size <= 8 && ((kSizes >> size) & 1u);
}
inline bool in_window(uint64_t addr, unsigned size, uint64_t addr_limit) {
  return addr < addr_limit && size <= addr_limit - addr;
}
// A read or write of a legal size inside the window that fits one bus beat: the step both
// executors' short paths take (everything else goes through check_step and split_access).
inline bool one_beat_access(const Step& s, uint64_t addr_limit, unsigned bus_bytes) {
  return (s.kind == StepKind::read || s.kind == StepKind::write) && legal_size(s.size) &&
         in_window(s.addr, s.size, addr_limit) && (s.addr & (bus_bytes - 1)) + s.size <= bus_bytes;
}
inline void check_step(const Step& s, uint64_t addr_limit) {
  const bool access = s.kind == StepKind::read || s.kind == StepKind::write;
  const bool sized = access || s.kind == StepKind::mem_write;
  if (sized && !legal_size(s.size)) bad_size(s);
  if (access && !in_window(s.addr, s.size, addr_limit)) bad_address(s, addr_limit);
}
}  // namespace tandem::detail
