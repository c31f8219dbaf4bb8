// The platform's RAM: a loosely-timed TLM-2.0 target over a byte array, with debug transport.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include <systemc>
#include <tlm>

#include <tlm_utils/simple_target_socket.h>

namespace vp {

class Memory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Memory> socket;

  Memory(sc_core::sc_module_name name, uint64_t size) : sc_core::sc_module(name), socket("socket"), m_bytes(size) {
    socket.register_b_transport(this, &Memory::b_transport);
    socket.register_transport_dbg(this, &Memory::transport_dbg);
  }
  uint64_t size() const { return m_bytes.size(); }
  // Accesses taken (b_transport only): what the DMA tests count.
  uint64_t reads() const { return m_reads; }
  uint64_t writes() const { return m_writes; }

 private:
  // Byte enables and streaming are not needed by any initiator of this platform: refused.
  bool fits(const tlm::tlm_generic_payload& t) const {
    return t.get_address() < m_bytes.size() && t.get_data_length() <= m_bytes.size() - t.get_address() &&
           !t.get_byte_enable_ptr() && t.get_streaming_width() >= t.get_data_length();
  }
  unsigned copy(tlm::tlm_generic_payload& t) {
    uint8_t* at = m_bytes.data() + t.get_address();
    if (t.is_read())
      std::memcpy(t.get_data_ptr(), at, t.get_data_length());
    else if (t.is_write())
      std::memcpy(at, t.get_data_ptr(), t.get_data_length());
    return t.get_data_length();
  }
  void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time&) {
    if (!fits(t)) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    (t.is_read() ? m_reads : m_writes) += 1;
    copy(t);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned transport_dbg(tlm::tlm_generic_payload& t) { return fits(t) ? copy(t) : 0; }

  std::vector<uint8_t> m_bytes;
  uint64_t m_reads = 0, m_writes = 0;
};

}  // namespace vp
