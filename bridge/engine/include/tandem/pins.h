// A device's peripheral pins (its non-bus ports) as the binding declares them, and the C++
// line model that drives its input pins on both sides of a lockstep run (docs/pins.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tandem/device.h"

namespace tandem {

// input: driven by the line model; output: compared every edge like an interrupt line;
// watch: an output of the RTL the line model hears (on_outputs) and nothing compares, for a
// model side that has no such pin (an emulator's UART sends bytes, not levels: the line model
// decodes the RTL's and the engine compares the byte streams, PinSource::take_serial).
enum class PinDirection : uint8_t { input, output, watch };

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
  // a line model that decodes them (a UART's transmit line). Called in edge order. The
  // watched pins (PinDirection::watch) follow the compared ones in `outputs`, in declaration
  // order among themselves, and a change of either calls this.
  virtual void on_outputs(Cycle /*t*/, uint32_t /*outputs*/) {}
  // The characters the line model decoded from the RTL's transmit line up to edge `now`, in
  // order, each returned once: for a binding whose model side sends bytes rather than levels
  // (Device::take_serial). A source that decodes none returns false from decodes_serial() (a
  // constant of the class, asked once) and lockstep compares no stream.
  virtual bool decodes_serial() const { return false; }
  virtual void take_serial(Cycle /*now*/, std::string& /*append_to*/) {}
  // True when the RTL's transmitter has been quiet at edge `now` long enough that it holds no
  // character it has yet to send (the line idle for two character times): at the end of a run
  // the model side's characters beyond the RTL's are then a divergence, not characters the
  // RTL still had queued.
  virtual bool serial_drained(Cycle /*now*/) const { return false; }
  // Characters the line model put on the RTL's receive line as plain frames (no forced error,
  // no break), for a model side that takes bytes rather than levels (Device::receive_serial):
  // those whose stop bit the RTL's receiver samples before edge `until`, in order, each
  // returned once (as many data bits as the frame carried). A source that feeds none returns
  // false from feeds_serial() (a constant of the class, asked once).
  virtual bool feeds_serial() const { return false; }
  virtual void take_fed(Cycle /*until*/, std::string& /*append_to*/) {}
  // Reset of the device completing at edge `now`.
  virtual void on_reset(Cycle /*now*/) {}
  // A line model configured the way a terminal is, from the bus traffic (a UART's LCR and
  // divisor writes), returns true: every executor then tells it each accepted write beat, at
  // the edge the write takes effect (the short paths are closed to such a device).
  virtual bool hears_writes() const { return false; }
  virtual void on_write(uint64_t /*offset*/, uint64_t /*value*/, unsigned /*size*/, Cycle /*at*/) {}

  // A window of offsets the source answers itself, in place of the device (registers a
  // Verilog harness used to add around the top: a UART's line injector and capture FIFO). A
  // source with one returns true from has_window() (a constant: asked once, when an executor
  // is made; it closes the short paths) and serves(offset) for each offset of it. For a beat
  // in the window, lockstep, the RTL alone and the model alone drive no bus transfer and do
  // not call the model: the RTL is clocked idle for the bus's edges up to the access edge
  // (a zero-wait transfer's), the model is brought up to that edge, the output pins of every
  // edge up to it are reported (on_outputs), then serve() answers once for both sides at that
  // edge `at`; the transfer's trailing edges follow. A served write is not also on_write().
  virtual bool has_window() const { return false; }
  virtual bool serves(uint64_t /*offset*/) const { return false; }
  virtual BusResponse serve(uint64_t /*offset*/, bool /*write*/, uint64_t /*value*/, unsigned /*size*/, Cycle /*at*/) {
    return {0, true};
  }

  // The source's own state (what it was fed, what it decoded, its line settings), for
  // checkpoints and snapshots: a source that keeps any saves it here. restore() takes only
  // what save() wrote, validates it as untrusted, and on refusal leaves the source unchanged
  // and returns the reason ("" when accepted).
  virtual void save(StateWriter& /*out*/) const {}
  virtual std::string restore(StateReader& /*in*/) { return ""; }
};

// The source's saved state as one section of a checkpoint or snapshot: empty for a source that
// keeps none (or no source).
std::vector<uint8_t> save_pin_source(const PinSource* source);
// Restores a section save_pin_source wrote into `source`: "" when accepted, otherwise the
// reason (naming "pins"), the source unchanged. An empty section restores nothing.
std::string restore_pin_source(PinSource* source, const std::vector<uint8_t>& state);

// Bits of the output pins and the position of the first in the irq word.
struct PinLayout {
  unsigned output_shift = 0;  // the number of interrupt lines
  unsigned output_bits = 0;
  unsigned watch_bits = 0;  // after the output bits in on_outputs's word, not in the irq word
  unsigned input_bits = 0;
};

// Checks the declaration (names unique and non-empty, widths 1..32, inputs in 64 bits, lines
// and outputs in 32, outputs and watched pins in 32) and lays it out; throws Error naming the device and the pin.
PinLayout lay_out_pins(const std::string& device, const std::vector<std::string>& irq_lines,
                       const std::vector<PinHint>& pins);

struct DeviceBinding;
// The binding's line model after checking its pin declaration (null for a device without
// pins or without a source: its inputs stay 0). Every executor makes its source here.
std::unique_ptr<PinSource> make_pin_source(const DeviceBinding& binding);

// "sout" or "gpio[2]" for the bit `bit` of the output pins (bit 0 = the first output's bit 0).
std::string output_pin_name(const std::vector<PinHint>& pins, unsigned bit);

}  // namespace tandem
