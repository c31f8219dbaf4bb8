// The model interface: what a C++ functional model implements so tandem can run it alone
// or in lockstep with its RTL. Time is lazy: the model is told the cycle, never ticked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "tandem/state_stream.h"

namespace tandem {

class PinSource;  // pins.h

// Clock edges are numbered from 1 since the engine started; `now` is the edge an access
// completes at, or the edge up to which state is brought.
using Cycle = uint64_t;
constexpr Cycle kNever = std::numeric_limits<Cycle>::max();

struct BusResponse {
  uint64_t data = 0;   // read data, `size` bytes at lane 0
  bool error = false;  // the bus's error response (APB PSLVERR, AXI SLVERR/DECERR, Wishbone ERR_O)
};

// Guest memory as the model's bus-master port sees it. Accesses are little-endian, `size`
// bytes (1 to 8) at lane 0. `at` is the edge the memory takes the access at: the edge the
// RTL's master port has it taken (bridge/bus/include/tandem/master_port.h), so that the access
// sees exactly the guest-memory writes the RTL's does. A model performs its accesses lazily,
// when it is brought up to `at`, and counts them among its next_event edges.
class DmaPort {
 public:
  virtual ~DmaPort() = default;
  virtual uint64_t read(uint64_t addr, unsigned size, Cycle at) = 0;
  virtual void write(uint64_t addr, uint64_t value, unsigned size, Cycle at) = 0;
  // The memory's latency L (RtlOptions::mem_latency on the RTL side): a read taken at edge A
  // returns its data at edge A+1+L; the port takes its next access at A+2+L after a read and
  // A+1+L after a write, at the earliest.
  virtual unsigned latency() const { return 0; }
};

class Device {
 public:
  virtual ~Device() = default;

  // Synchronous reset completing at edge `now`: every register takes its reset value.
  virtual void reset(Cycle now) = 0;

  // A bus access of `size` bytes at byte offset `offset` (it never crosses a bus word)
  // that completes at edge `now`. The model may still be at any earlier edge: it brings
  // itself up to `now - 1`, answers with the state visible before edge `now`, and applies
  // the access's effects at edge `now`. Afterwards the model stands at `now`.
  virtual BusResponse read(uint64_t offset, unsigned size, Cycle now) = 0;
  virtual BusResponse write(uint64_t offset, uint64_t value, unsigned size, Cycle now) = 0;

  // Bring state up to edge `now` (all edges up to and including `now` applied).
  virtual void advance(Cycle now) = 0;

  // The first edge after `now` at which an output (irq lines, a DMA access) may change,
  // or kNever. The engine skips straight to it: this is what makes idle time O(1).
  // Contract:
  //  - `now` may lie beyond the edge the model stands at (the engine asks before it brings
  //    the model up, e.g. at the end of an idle step): answer for the state the model will
  //    have at `now`, which for a lazy model is the pending completions after `now`.
  //  - It must not change state and must not copy the model to look ahead: a copy slices
  //    subclasses (the seeded-bug mutants override hooks) and costs an allocation per event.
  //  - The answer is strictly greater than `now` (or kNever): the engine loops on it.
  //  - An earlier answer than the true edge is allowed (the engine then finds no change);
  //    a later one misses an interrupt edge, which lockstep reports as an irq divergence.
  virtual Cycle next_event(Cycle now) const = 0;

  // The first edge after `now` at which irq() may change other than at a bus access, with
  // next_event's contract (an earlier answer is allowed, a later one misses an edge). A bus
  // master whose events are mostly DMA accesses that leave its lines alone answers later
  // than next_event, and lockstep then brings it over those edges with one advance() instead
  // of comparing the lines at each. It is asked only of a model whose irq_events_apart() (a
  // constant of the class, asked once) is true, so the others' walk costs nothing more.
  virtual Cycle next_irq_event(Cycle now) const { return next_event(now); }
  virtual bool irq_events_apart() const { return false; }

  // Interrupt lines after the edge the model stands at, bit i = line i; then the output pins
  // the binding declares (Hints::pins, docs/pins.md), in declaration order.
  virtual uint32_t irq() const = 0;

  // Access latency, optional. A bus transfer takes the bus's own edges (DeviceBinding::
  // access_edges: APB's setup and access edges, for instance) plus the wait states the
  // completer inserts before it answers. A model that knows its device's wait states returns
  // true from declares_wait_states() (a constant of the class: the engine asks once, when it
  // makes the model) and answers wait_states() for every bus transfer (`offset` and `size` as
  // read()/write() get them; an access wider than the bus asks once per transfer). Then
  //  - the model alone (ModelExecutor) completes each transfer access_edges + wait_states()
  //    edges after it began instead of access_edges, so its clock, timers and interrupts keep
  //    the device's time;
  //  - lockstep compares the declaration with the wait states the RTL actually inserted, for
  //    every access: a difference is a `protocol` divergence.
  // wait_states() is asked just before the transfer's read()/write(), with the model standing
  // where its last access or advance() left it: answer from state the accesses set (a
  // configuration register, the register being accessed), not from state that moves with the
  // clock alone. It must not change state. A model that declares nothing (the default) costs
  // the model-alone fast path nothing and is taken to answer without wait states.
  virtual bool declares_wait_states() const { return false; }
  virtual unsigned wait_states(uint64_t /*offset*/, bool /*write*/, unsigned /*size*/) const { return 0; }

  // The DMA port, for bus-master devices; others ignore it.
  virtual void attach_dma(DmaPort* /*port*/) {}
  // The source of the input pins' levels (pins.h), for devices with input pins: the same one
  // the RTL's inputs follow. Outputs that change with the inputs count among next_event's edges.
  virtual void attach_pins(const PinSource* /*source*/) {}
  // A model that keeps guest memory itself returns true: an emulator whose devices DMA into its
  // own RAM, not through the DmaPort (bridge/qemu). The engine then hands it each guest-memory
  // write step at the edge it takes effect (guest_write), and wherever it compares guest memory
  // it reads the model side's from the model (guest_read: n bytes at addr, 0 where it has none).
  virtual bool keeps_guest_memory() const { return false; }
  virtual void guest_write(uint64_t /*addr*/, uint64_t /*value*/, unsigned /*size*/, Cycle /*now*/) {}
  virtual void guest_read(uint64_t /*addr*/, uint8_t* out, size_t n) {
    for (size_t i = 0; i < n; ++i) out[i] = 0;
  }

  // A model side that sends characters rather than driving a transmit pin (an emulator's UART
  // into a byte-stream chardev, bridge/qemu) returns true from sends_serial() (a constant of
  // the class, asked once) and appends what it sent since the last call in take_serial(), up
  // to the edge it stands at. With a line model that decodes the RTL's transmit line
  // (PinSource::decodes_serial, on a watched pin) lockstep compares the two streams character
  // by character: a difference is a divergence of kind `serial`.
  virtual bool sends_serial() const { return false; }
  virtual void take_serial(std::string& /*append_to*/) {}
  // The other way: a model side that receives characters as bytes (an emulator's UART from
  // its chardev) returns true from receives_serial() (a constant, asked once); with a line
  // model that feeds the RTL's receive line (PinSource::feeds_serial) lockstep hands it each
  // character the RTL's receiver has taken by then, before a step, at edge `now` (the model
  // brought up to it first). A model side that cannot take one yet (its receiver full) keeps
  // it and takes it as soon as it can, as a chardev with flow control does.
  virtual bool receives_serial() const { return false; }
  virtual void receive_serial(const std::string& /*bytes*/, Cycle /*now*/) {}

  // Device state as an untrusted byte stream. restore() validates everything and, when it
  // rejects, leaves the model unchanged and returns the reason naming the field.
  virtual void save(StateWriter& out) const = 0;
  virtual std::string restore(StateReader& in) = 0;  // "" when accepted
};

// Byte-lane helpers for models whose registers are wider than an access.
inline uint64_t size_mask(unsigned size) { return size >= 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * size)) - 1; }

// The bits of a `word_bytes`-wide register (a power of two) that an access of `size` bytes
// at `offset` covers.
inline unsigned lane_shift(uint64_t offset, unsigned word_bytes) {
  return 8 * static_cast<unsigned>(offset & (word_bytes - 1));
}
inline uint64_t lane_mask(uint64_t offset, unsigned size, unsigned word_bytes) {
  return size_mask(size) << lane_shift(offset, word_bytes);
}
inline uint64_t lane_extract(uint64_t word, uint64_t offset, unsigned size, unsigned word_bytes) {
  return (word >> lane_shift(offset, word_bytes)) & size_mask(size);
}
inline uint64_t lane_merge(uint64_t old, uint64_t offset, uint64_t value, unsigned size, unsigned word_bytes) {
  const uint64_t m = lane_mask(offset, size, word_bytes);
  return (old & ~m) | ((value << lane_shift(offset, word_bytes)) & m);
}

}  // namespace tandem
