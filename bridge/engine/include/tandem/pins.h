// A device's peripheral pins (its non-bus ports) as the binding declares them, and the C++
// line model that drives its input pins on both sides of a lockstep run (docs/pins.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tandem/device.h"

namespace tandem {

enum class PinDirection : uint8_t { input, output };

// One non-bus port of the top. Output pins are compared every edge like interrupt lines: they
// follow the irq lines in the word RtlTarget::irq() and Device::irq() carry, in declaration
// order, `width` bits each. Input pins are packed the same way, from bit 0, in the word a
// PinSource gives.
struct PinHint {
  std::string name;
  PinDirection direction = PinDirection::input;
  unsigned width = 1;  // 1 to 32
};

// The levels of a device's input pins over time, and what its output pins did: a line model
// (a serial terminal, a GPIO bank's far side) or a scripted source. One source serves both
// sides of a lockstep run, so the RTL and the model see the same inputs at the same edges.
class PinSource {
 public:
  virtual ~PinSource() = default;
  // The input pins' levels during the cycle before edge t (what the flops take at edge t),
  // packed in declaration order. Asked for every edge by the RTL side, lazily by the model;
  // t never goes back by more than the model's lag, and the answer for a given t never changes.
  virtual uint64_t inputs(Cycle t) const = 0;
  // The first edge after t whose inputs may differ from those of t, or kNever. A source may
  // learn of later changes between steps (the stimulus feeds it), never within one.
  virtual Cycle next_change(Cycle t) const = 0;
  // The RTL's output pins (declaration order, from bit 0) changed to `outputs` at edge t: for
  // a line model that decodes them (a UART's transmit line). Called in edge order.
  virtual void on_outputs(Cycle /*t*/, uint32_t /*outputs*/) {}
  // Reset of the device completing at edge `now`.
  virtual void on_reset(Cycle /*now*/) {}
  // A line model configured the way a terminal is, from the bus traffic (a UART's LCR and
  // divisor writes), returns true: every executor then tells it each accepted write beat, at
  // the edge the write takes effect (the short paths are closed to such a device).
  virtual bool hears_writes() const { return false; }
  virtual void on_write(uint64_t /*offset*/, uint64_t /*value*/, unsigned /*size*/, Cycle /*at*/) {}
};

// Bits of the output pins and the position of the first in the irq word.
struct PinLayout {
  unsigned output_shift = 0;  // the number of interrupt lines
  unsigned output_bits = 0;
  unsigned input_bits = 0;
};

// Checks the declaration (names unique and non-empty, widths 1..32, inputs in 64 bits, lines
// and outputs in 32) and lays it out; throws Error naming the device and the pin.
PinLayout lay_out_pins(const std::string& device, const std::vector<std::string>& irq_lines,
                       const std::vector<PinHint>& pins);

struct DeviceBinding;
// The binding's line model after checking its pin declaration (null for a device without
// pins or without a source: its inputs stay 0). Every executor makes its source here.
std::unique_ptr<PinSource> make_pin_source(const DeviceBinding& binding);

// "sout" or "gpio[2]" for the bit `bit` of the output pins (bit 0 = the first output's bit 0).
std::string output_pin_name(const std::vector<PinHint>& pins, unsigned bit);

}  // namespace tandem
