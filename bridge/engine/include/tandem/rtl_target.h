// The RTL side of the engine, type-erased: one virtual call per step, never per cycle. The
// implementation (bridge/bus: VerilatedHarness<Top, Driver>) owns a VerilatedContext, the
// verilated top and the clock; its bus driver turns a BusBeat into pin activity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tandem/device.h"
#include "tandem/guest_memory.h"

namespace tandem {

class PinSource;  // pins.h

struct RtlOptions {
  std::string fst_path;        // non-empty: write an FST trace of every cycle here
  unsigned hang_limit = 1024;  // wait states after which a silent bus is a hang
  unsigned mem_latency = 2;    // guest memory latency L of the master port (master_port.h)
  // 0: the bus manager's fixed timing (the fastest the protocol allows); otherwise the seed of
  // the timing it varies within the protocol (channel order, delays, backpressure; see
  // docs/buses.md). The same seed gives the same pin activity.
  uint64_t bus_timing = 0;
};

// One bus-width transfer as it appears on the pins.
struct BusBeat {
  uint64_t addr = 0;
  bool write = false;
  uint64_t wdata = 0;   // already placed on its byte lanes
  uint32_t strobe = 0;  // byte enables of a write; 0 for reads
};

struct BeatResult {
  uint64_t rdata = 0;  // the whole data bus
  bool error = false;
  bool hung = false;               // the completer did not answer within RtlOptions::hang_limit
  bool violated = false;           // the completer broke a rule of the protocol: `rule`
  const char* response = nullptr;  // the error response's name on the bus ("SLVERR", "RTY"), if error
  const char* rule = nullptr;      // the protocol checker's rule ("AXI4-Lite: ..."), if violated or hung
  const char* channel = nullptr;   // the bus channel the rule is about ("R", "B", ...)
  Cycle rule_cycle = 0;            // the edge at which the rule was broken
  // The edge the access takes effect at, where the model is asked: the completing edge on APB
  // and Wishbone classic, the edge the completer took the request at on AXI4-Lite (the later of
  // the AW and W handshakes; AR) and pipelined Wishbone, whatever the response's delay.
  Cycle done = 0;
  unsigned edges = 0;  // edges the transfer took: the bus's minimum, plus the completer's wait states

  // hung or violated, in one load and test: the engine asks on every access, and a second
  // test there would be the only cost the protocol checkers add to a clean run.
  bool failed() const {
    uint16_t both;
    std::memcpy(&both, reinterpret_cast<const unsigned char*>(this) + offsetof(BeatResult, hung), sizeof both);
    return both != 0;
  }
};
static_assert(offsetof(BeatResult, violated) == offsetof(BeatResult, hung) + 1, "BeatResult::failed reads both");

struct IrqChange {
  Cycle cycle;
  uint32_t value;
};

class RtlTarget {
 public:
  virtual ~RtlTarget() = default;

  virtual const char* bus_name() const = 0;
  virtual unsigned data_bytes() const = 0;
  // Edges a transfer takes when the completer inserts no wait state (APB: 2, setup and access).
  virtual unsigned min_edges() const = 0;
  Cycle now() const { return m_now; }
  uint32_t irq() const { return m_irq; }

  // Hold reset for `cycles` edges, then release it.
  virtual void reset(unsigned cycles) = 0;
  virtual BeatResult access(const BusBeat& beat) = 0;
  // Clock `cycles` edges with the bus idle.
  virtual void run(uint64_t cycles) = 0;

  // The line model driving the top's input pins, told of its output pins (pins.h); a top
  // without pins ignores it. Attach before reset: inputs are driven from the next edge on.
  virtual void attach_pins(PinSource* /*source*/) {}

  // Interrupt-line changes, in edge order, since the caller last cleared the log (output
  // pins, past the interrupt lines, included).
  std::vector<IrqChange>& irq_log() { return m_irq_log; }

  // Bus-master tops (master_port.h): the guest memory their port is served from, and the
  // accesses it took, in edge order, since the caller last cleared the log.
  virtual bool has_master_port() const { return false; }
  GuestMemory& memory() { return m_memory; }
  std::vector<DmaAccess>& dma_log() { return m_dma_log; }

  // Checkpoints, between steps: the bridge's side (edge count, lines, logs, guest memory,
  // master port) and the verilated model's own state (a top verilated with --savable). A
  // target that cannot throws Error. restore() takes only what save() of the same build wrote
  // (the caller checks the build); it returns "" or what is wrong.
  virtual bool savable() const { return false; }
  virtual void save(StateWriter& out) const;
  virtual std::string restore(StateReader& in);

 protected:
  void save_base(StateWriter& out) const;
  std::string restore_base(StateReader& in);

  Cycle m_now = 0;
  uint32_t m_irq = 0;
  std::vector<IrqChange> m_irq_log;
  GuestMemory m_memory;
  std::vector<DmaAccess> m_dma_log;
};

}  // namespace tandem
