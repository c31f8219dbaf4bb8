// One unit of stimulus, shared by every driver of the engine: programs, fuzzers, replay files
// and firmware all reduce to a sequence of Steps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tandem {

enum class StepKind : uint8_t {
  read,       // bus read of `size` bytes at `addr`
  write,      // bus write of `size` bytes of `data` at `addr`
  idle,       // `data` clock cycles with the bus idle
  reset,      // synchronous reset of both sides
  mem_write,  // guest-memory write of `size` bytes of `data` at `addr`, both sides, same cycle
};

struct Step {
  StepKind kind = StepKind::idle;
  uint8_t size = 4;                // bytes: 1, 2, 4 or 8 (read, write, mem_write)
  uint64_t addr = 0;               // device offset (read, write) or guest-physical address (mem_write)
  uint64_t data = 0;               // value (write, mem_write) or cycle count (idle)
  std::optional<uint64_t> expect;  // replay files may pin the value a read must return

  static Step read(uint64_t addr, uint8_t size = 4) { return {StepKind::read, size, addr, 0, {}}; }
  static Step write(uint64_t addr, uint64_t value, uint8_t size = 4) {
    return {StepKind::write, size, addr, value, {}};
  }
  static Step idle(uint64_t cycles) { return {StepKind::idle, 0, 0, cycles, {}}; }
  static Step reset() { return {StepKind::reset, 0, 0, 0, {}}; }
  static Step mem_write(uint64_t addr, uint64_t value, uint8_t size) {
    return {StepKind::mem_write, size, addr, value, {}};
  }
};

using Program = std::vector<Step>;

// What one step returned: the read value (size bytes, lane 0) and the error response.
struct StepResult {
  uint64_t data = 0;
  bool error = false;
};

// A step in the syntax of a replay file (qtest where qtest has the line): "writel 0xc 0x5".
std::string format_step(const Step& step);

}  // namespace tandem
