// The platform's interconnect: any number of initiators, an address map of targets; an address
// no target claims is TLM_ADDRESS_ERROR_RESPONSE.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

namespace vp {

class Router : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Router> in;      // initiators bind here
  tlm_utils::multi_passthrough_initiator_socket<Router> out;  // targets, in map() order

  explicit Router(sc_core::sc_module_name name) : sc_core::sc_module(name), in("in"), out("out") {
    in.register_b_transport(this, &Router::b_transport);
    in.register_transport_dbg(this, &Router::transport_dbg);
  }

  // The next target bound to `out` answers [base, base + size); the address it sees is relative.
  void map(const std::string& name, uint64_t base, uint64_t size) { m_map.push_back({name, base, size}); }

 private:
  struct Window {
    std::string name;
    uint64_t base, size;
  };
  int decode(uint64_t addr) const {
    for (size_t i = 0; i < m_map.size(); ++i)
      if (addr >= m_map[i].base && addr - m_map[i].base < m_map[i].size) return static_cast<int>(i);
    return -1;
  }
  void b_transport(int, tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
    const uint64_t addr = t.get_address();
    const int i = decode(addr);
    if (i < 0) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    t.set_address(addr - m_map[i].base);
    out[i]->b_transport(t, delay);
    t.set_address(addr);
  }
  unsigned transport_dbg(int, tlm::tlm_generic_payload& t) {
    const uint64_t addr = t.get_address();
    const int i = decode(addr);
    if (i < 0) return 0;
    t.set_address(addr - m_map[i].base);
    const unsigned n = out[i]->transport_dbg(t);
    t.set_address(addr);
    return n;
  }

  std::vector<Window> m_map;
};

}  // namespace vp
