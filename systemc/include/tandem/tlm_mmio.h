// Binds the C MMIO interface of firmware drivers (tandem/mmio.h) to a TLM-2.0 initiator, so the
// bundled drivers run inside a SystemC platform exactly as they run on an executor.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>

#include <tlm_utils/tlm_quantumkeeper.h>

#include "tandem/mmio.h"

namespace tandem {

// Register accesses are b_transport calls at the initiator's local time (its quantum keeper,
// synchronised when the quantum is used up); guest memory goes through the same socket at the
// platform's own addresses; wait_irq synchronises, then waits on the device's interrupt lines
// with a timeout of max_cycles clock periods. Call the driver from an SC_THREAD.
class TlmMmio {
 public:
  TlmMmio(sc_core::sc_port_b<tlm::tlm_fw_transport_if<>>& socket, tlm_utils::tlm_quantumkeeper& keeper,
          uint64_t device_base, sc_core::sc_time clock_period, std::vector<const sc_core::sc_signal_in_if<bool>*> irq);

  // Points at this object: keep it alive while a driver uses the returned struct.
  tandem_mmio mmio();
  // Transactions the platform answered with an error: reads then give 0.
  uint64_t bus_errors() const { return m_bus_errors; }

 private:
  uint64_t transfer(bool write, uint64_t addr, uint64_t value, unsigned size);
  bool irq_high() const;
  int wait_irq(uint32_t max_cycles);

  static uint32_t read32(void* ctx, uint32_t offset);
  static void write32(void* ctx, uint32_t offset, uint32_t value);
  static int wait_irq_fn(void* ctx, uint32_t max_cycles);
  static void mem_write(void* ctx, uint64_t addr, uint64_t value, unsigned size);
  static uint64_t mem_read(void* ctx, uint64_t addr, unsigned size);

  sc_core::sc_port_b<tlm::tlm_fw_transport_if<>>& m_socket;
  tlm_utils::tlm_quantumkeeper& m_keeper;
  uint64_t m_base;
  sc_core::sc_time m_period;
  std::vector<const sc_core::sc_signal_in_if<bool>*> m_irq;
  uint64_t m_bus_errors = 0;
};

}  // namespace tandem
