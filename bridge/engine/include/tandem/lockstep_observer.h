// What a lockstep run did, as it happens: an optional observer the engine calls with every
// bus beat both sides answered, the interrupt lines of both sides at every edge where they
// are compared, and every DMA access of either side. Waves and reports record a run with it
// (bridge/report/include/tandem/cosim.h); a plain run has none and pays one untaken branch per call
// site.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tandem/device.h"
#include "tandem/guest_memory.h"
#include "tandem/step.h"

namespace tandem {

// One bus-width transfer, both sides' answers. `start` is the edge before the transfer's first
// edge, `done` the edge the transfer completed at (where both sides answered).
struct BeatObservation {
  size_t step = 0;  // index of the step in the program
  Cycle start = 0, done = 0;
  uint64_t addr = 0;
  unsigned size = 0;
  bool write = false;
  uint64_t wdata = 0;                     // this beat's bytes, lane 0
  uint64_t rtl_data = 0, model_data = 0;  // read data, lane 0 (0 for writes)
  bool rtl_error = false, model_error = false;
};

class LockstepObserver {
 public:
  virtual ~LockstepObserver() = default;
  // A step ran from edge `from` to edge `to` (the diverging step too).
  virtual void on_step(size_t index, const Step& step, Cycle from, Cycle to) = 0;
  virtual void on_beat(const BeatObservation& beat) = 0;
  // Both sides' interrupt lines as of edge `at` (called at every compared edge; they can
  // change only at those).
  virtual void on_irq(Cycle at, uint32_t rtl, uint32_t model) = 0;
  // One DMA access of one side, each exactly once.
  virtual void on_dma(bool rtl_side, const DmaAccess& access) = 0;
};

}  // namespace tandem
