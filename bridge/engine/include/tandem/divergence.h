// The record of what a lockstep run compared and of the first place the two sides disagreed:
// reports, waves, shrinking and campaigns read these, not the engine that fills them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tandem/device.h"
#include "tandem/error.h"
#include "tandem/step.h"

namespace tandem {

enum class DivergenceKind : uint8_t {
  read_data,
  read_error,
  write_error,
  irq,
  dma,
  hang,
  protocol,
  sanitizer,
  restore,
  crash,  // the model side (an emulator process) died or stopped answering
  serial  // the characters the RTL's transmit line carried and those the model side sent differ
};
// "read_data", "irq", ...: the JSON contract's names (DESIGN.md).
const char* kind_name(DivergenceKind k);

struct Stats {
  uint64_t steps = 0;
  uint64_t cycles = 0;
  uint64_t reads = 0;         // reads whose data and error were compared
  uint64_t writes = 0;        // writes whose error response was compared
  uint64_t irq_checks = 0;    // cycles at which the interrupt lines were compared
  uint64_t dma_accesses = 0;  // DMA accesses compared
  bool compared_nothing() const { return reads + writes + irq_checks + dma_accesses == 0; }
};

// What a model side that is another process (bridge/qemu) throws when that process dies, aborts
// or stops answering: lockstep records it as a `crash` divergence, not as an error of the input.
class ModelCrash : public Error {
 public:
  using Error::Error;
};

struct Divergence {
  DivergenceKind kind = DivergenceKind::read_data;
  uint64_t step = 0;  // index of the diverging step in the program
  Cycle cycle = 0;    // clock edge at which the two sides first differ
  std::string reg;    // register (or interrupt line) name
  uint64_t addr = 0;  // read/write/protocol: the offset of the diverging beat (rtl and model are its lane 0)
  uint64_t rtl = 0;
  uint64_t model = 0;
  std::string detail;        // one line a person can act on
  std::string tolerance;     // beyond a timing tolerance: which, and by how much (else empty)
  std::vector<Step> recent;  // the last steps, the diverging one last
  std::string replay;        // path of the replay file, once written
};

}  // namespace tandem
