// What runs steps: the model alone, the RTL alone, or both in lockstep. Firmware drivers,
// replay files and campaigns drive any of them through this one interface.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "tandem/device.h"
#include "tandem/step.h"

namespace tandem {

class Executor {
 public:
  virtual ~Executor() = default;
  virtual StepResult execute(const Step& step) = 0;
  virtual Cycle now() const = 0;
  virtual uint32_t irq() const = 0;
  // The bits of irq() that are interrupt lines: a device's output pins follow its lines in the
  // word (docs/pins.md), and a driver waiting for an interrupt looks at the lines only.
  uint32_t interrupt_mask() const { return m_interrupt_mask; }
  // True once the executor refuses further steps (a lockstep run after its divergence).
  virtual bool stopped() const { return false; }
  // Guest memory as the device's DMA sees it now (`size` 1 to 8 bytes, little-endian); not a
  // step. Guest-memory writes are steps (StepKind::mem_write).
  virtual uint64_t mem_read(uint64_t addr, unsigned size) = 0;

 protected:
  // Every bit for a device without pins; the binding's interrupt lines for one with them.
  void set_interrupt_lines(size_t lines, bool has_pins) {
    m_interrupt_mask = !has_pins || lines >= 32 ? ~uint32_t(0) : (uint32_t(1) << lines) - 1;
  }

 private:
  uint32_t m_interrupt_mask = ~uint32_t(0);
};

// One access split into bus-width transfers (an access never straddles two on the model).
struct Beat {
  uint64_t addr;
  unsigned size;
  unsigned shift;  // bit position of this beat's bytes within the access value
};
struct BeatList {
  std::array<Beat, 8> beats;
  unsigned count = 0;
};
BeatList split_access(uint64_t addr, unsigned size, unsigned bus_bytes);

}  // namespace tandem
