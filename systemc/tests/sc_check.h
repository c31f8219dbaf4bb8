// The SystemC tests' assertions: SystemC elaborates once per process, so each test is a plain
// program (one simulation) that checks what it ran and exits 0 only when every check held.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include <systemc>
#include <tlm>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

namespace sctest {

struct Tally {
  unsigned passed = 0, failed = 0;
};
inline Tally& tally() {
  static Tally t;
  return t;
}

inline bool check(bool ok, const char* what, const char* file, int line, const std::string& detail = "") {
  if (ok) {
    ++tally().passed;
    return true;
  }
  ++tally().failed;
  std::fprintf(stderr, "%s:%d: check failed: %s%s%s\n", file, line, what, detail.empty() ? "" : " -- ", detail.c_str());
  return false;
}

// The closing line CTest and CI read: "N passed, N failed"; the exit status says the same.
inline int finish(const char* name) {
  std::printf("%s: %u passed, %u failed\n", name, tally().passed, tally().failed);
  return tally().failed == 0 && tally().passed > 0 ? 0 : 1;
}

// A test's initiator: one SC_THREAD running `body` with a quantum keeper, then sc_stop().
class Initiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Initiator> socket;
  tlm_utils::tlm_quantumkeeper keeper;
  std::function<void(Initiator&)> body;
  bool stop_at_end = true;  // sc_stop() when the body returns (false: several initiators run)

  explicit Initiator(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket") {
    SC_HAS_PROCESS(Initiator);
    SC_THREAD(run);
  }

  // One transaction at the keeper's local time; the delay the target annotates moves it on.
  tlm::tlm_response_status transfer(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len,
                                    const uint8_t* byte_enables = nullptr, unsigned be_len = 0,
                                    unsigned streaming_width = 0, sc_core::sc_time* took = nullptr) {
    tlm::tlm_generic_payload& t = m_payload;  // reused, as an LT initiator's memory manager would
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(data);
    t.set_data_length(len);
    t.set_streaming_width(streaming_width ? streaming_width : len);
    t.set_byte_enable_ptr(const_cast<uint8_t*>(byte_enables));
    t.set_byte_enable_length(be_len);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    const sc_core::sc_time before = keeper.get_local_time();
    sc_core::sc_time delay = before;
    socket->b_transport(t, delay);
    if (took) *took = delay - before;
    keeper.set(delay);
    if (keeper.need_sync()) keeper.sync();
    return t.get_response_status();
  }
  uint32_t read32(uint64_t addr, tlm::tlm_response_status* status = nullptr) {
    uint32_t v = 0;
    const tlm::tlm_response_status s = transfer(tlm::TLM_READ_COMMAND, addr, reinterpret_cast<uint8_t*>(&v), 4);
    if (status) *status = s;
    return v;
  }
  tlm::tlm_response_status write32(uint64_t addr, uint32_t v) {
    return transfer(tlm::TLM_WRITE_COMMAND, addr, reinterpret_cast<uint8_t*>(&v), 4);
  }
  unsigned debug_read(uint64_t addr, uint8_t* data, unsigned len) {
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(addr);
    t.set_data_ptr(data);
    t.set_data_length(len);
    t.set_streaming_width(len);
    return socket->transport_dbg(t);
  }
  unsigned debug_write(uint64_t addr, uint8_t* data, unsigned len) {
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_WRITE_COMMAND);
    t.set_address(addr);
    t.set_data_ptr(data);
    t.set_data_length(len);
    t.set_streaming_width(len);
    return socket->transport_dbg(t);
  }
  void idle(unsigned cycles, sc_core::sc_time period) {
    keeper.inc(period * static_cast<double>(cycles));
    if (keeper.need_sync()) keeper.sync();
  }

 private:
  tlm::tlm_generic_payload m_payload;
  void run() {
    keeper.reset();
    if (body) body(*this);
    keeper.sync();
    if (stop_at_end) sc_core::sc_stop();
  }
};

}  // namespace sctest

#define SC_CHECK(cond) ::sctest::check((cond), #cond, __FILE__, __LINE__)
#define SC_CHECK_EQ(a, b)                                                                     \
  ::sctest::check((a) == (b), #a " == " #b, __FILE__, __LINE__,                               \
                  "left " + std::to_string(static_cast<unsigned long long>(a)) + ", right " + \
                      std::to_string(static_cast<unsigned long long>(b)))
