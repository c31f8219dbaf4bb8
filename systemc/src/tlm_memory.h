// Guest memory of a bus-master device reached through the target's DMA initiator socket: a
// DmaPort for the model alone, and per-step page caches for the RTL and lockstep sides.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include <systemc>
#include <tlm>

#include "tandem/device.h"
#include "tandem/guest_memory.h"

namespace tandem {

using DmaSocketPort = sc_core::sc_port_b<tlm::tlm_fw_transport_if<>>;

// The socket, timed: `time_of` turns a device edge into SystemC time for the annotated delay.
// An access the platform answers with an error reads zeros and writes nothing; it is counted
// and the first one is reported (SC_REPORT_WARNING "tandem/dma"): the device's DMA port has
// no error path.
class TlmMemoryBridge : public PageSource {
 public:
  TlmMemoryBridge(DmaSocketPort& socket, std::function<sc_core::sc_time(Cycle)> time_of, std::string owner);

  // One transfer at the time of edge `at` (b_transport), or without time or effect (transport_dbg).
  bool transfer(bool write, uint64_t addr, uint8_t* data, unsigned len, Cycle at);
  bool debug_read(uint64_t addr, uint8_t* data, unsigned len);
  uint64_t errors() const { return m_errors; }

  // The page cache of the RTL and lockstep sides (both sides' GuestMemory take this as their
  // PageSource): within one step each page is read from the platform once, when either side
  // first touches it, so both sides see the platform's memory as it stood when the step began.
  // end_step() writes back the bytes the reference side (the RTL) changed, at the step's end,
  // and drops every cached page, so the next step sees what the platform did in between.
  void begin_step(Cycle at) { m_step_at = at; }
  void fill(uint64_t base, uint8_t* bytes, size_t n) override;
  void end_step(GuestMemory& reference, std::initializer_list<GuestMemory*> caches, Cycle at);

  // Lockstep's record of the run: what each page held when first read, what the RTL wrote back.
  std::function<void(uint64_t base, const uint8_t* bytes, size_t n)> on_fill;
  std::function<void(uint64_t base, const uint8_t* bytes, size_t n)> on_write_back;

 private:
  void failed(bool write, uint64_t addr, unsigned len, const char* why);

  DmaSocketPort& m_socket;
  std::function<sc_core::sc_time(Cycle)> m_time_of;
  std::string m_owner;
  uint64_t m_errors = 0;
  Cycle m_step_at = 0;
  std::map<uint64_t, std::array<uint8_t, GuestMemory::kPageBytes>> m_fetched;  // by page base
};

// The model alone: every access a b_transport at its edge.
class TlmDmaPort final : public DmaPort {
 public:
  TlmDmaPort(TlmMemoryBridge& bridge, unsigned latency) : m_bridge(bridge), m_latency(latency) {}
  uint64_t read(uint64_t addr, unsigned size, Cycle at) override;
  void write(uint64_t addr, uint64_t value, unsigned size, Cycle at) override;
  unsigned latency() const override { return m_latency; }

 private:
  TlmMemoryBridge& m_bridge;
  unsigned m_latency;
};

// transport_dbg's copy of the model: reads guest memory with transport_dbg, drops writes.
class PeekDmaPort final : public DmaPort {
 public:
  PeekDmaPort(TlmMemoryBridge* bridge, unsigned latency) : m_bridge(bridge), m_latency(latency) {}
  uint64_t read(uint64_t addr, unsigned size, Cycle at) override;
  void write(uint64_t, uint64_t, unsigned, Cycle) override {}
  unsigned latency() const override { return m_latency; }

 private:
  TlmMemoryBridge* m_bridge;  // nullptr: the device has no DMA socket bound
  unsigned m_latency;
};

}  // namespace tandem
