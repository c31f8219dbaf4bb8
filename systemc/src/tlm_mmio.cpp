// The MMIO interface over a TLM-2.0 initiator socket.
#include "tandem/tlm_mmio.h"

#include <cstring>

namespace tandem {

TlmMmio::TlmMmio(sc_core::sc_port_b<tlm::tlm_fw_transport_if<>>& socket, tlm_utils::tlm_quantumkeeper& keeper,
                 uint64_t device_base, sc_core::sc_time clock_period,
                 std::vector<const sc_core::sc_signal_in_if<bool>*> irq)
    : m_socket(socket), m_keeper(keeper), m_base(device_base), m_period(clock_period), m_irq(std::move(irq)) {}

tandem_mmio TlmMmio::mmio() { return {this, read32, write32, wait_irq_fn, mem_write, mem_read}; }

uint64_t TlmMmio::transfer(bool write, uint64_t addr, uint64_t value, unsigned size) {
  uint8_t bytes[8] = {};
  std::memcpy(bytes, &value, 8);  // little-endian host, as the target assumes
  tlm::tlm_generic_payload t;
  t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  t.set_address(addr);
  t.set_data_ptr(bytes);
  t.set_data_length(size);
  t.set_streaming_width(size);
  t.set_byte_enable_ptr(nullptr);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = m_keeper.get_local_time();
  m_socket->b_transport(t, delay);
  m_keeper.set(delay);
  if (m_keeper.need_sync()) m_keeper.sync();
  if (!t.is_response_ok()) {
    ++m_bus_errors;
    return 0;
  }
  uint64_t v = 0;
  std::memcpy(&v, bytes, size);
  return v;
}

bool TlmMmio::irq_high() const {
  for (const sc_core::sc_signal_in_if<bool>* line : m_irq)
    if (line->read()) return true;
  return false;
}

int TlmMmio::wait_irq(uint32_t max_cycles) {
  m_keeper.sync();  // the lines are driven at global time: catch up with it first
  const sc_core::sc_time limit = sc_core::sc_time_stamp() + m_period * static_cast<double>(max_cycles);
  while (!irq_high()) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (now >= limit || m_irq.empty()) return -1;
    sc_core::sc_event_or_list changes;
    for (const sc_core::sc_signal_in_if<bool>* line : m_irq) changes |= line->value_changed_event();
    sc_core::wait(limit - now, changes);
  }
  return 0;
}

uint32_t TlmMmio::read32(void* ctx, uint32_t offset) {
  TlmMmio& m = *static_cast<TlmMmio*>(ctx);
  return static_cast<uint32_t>(m.transfer(false, m.m_base + offset, 0, 4));
}
void TlmMmio::write32(void* ctx, uint32_t offset, uint32_t value) {
  TlmMmio& m = *static_cast<TlmMmio*>(ctx);
  m.transfer(true, m.m_base + offset, value, 4);
}
int TlmMmio::wait_irq_fn(void* ctx, uint32_t max_cycles) { return static_cast<TlmMmio*>(ctx)->wait_irq(max_cycles); }
void TlmMmio::mem_write(void* ctx, uint64_t addr, uint64_t value, unsigned size) {
  static_cast<TlmMmio*>(ctx)->transfer(true, addr, value, size);
}
uint64_t TlmMmio::mem_read(void* ctx, uint64_t addr, unsigned size) {
  return static_cast<TlmMmio*>(ctx)->transfer(false, addr, 0, size);
}

}  // namespace tandem
