// A bus driver that exists only to test the bus seam: the one-phase request/acknowledge
// protocol of tests/rtl/handshake_testblock.sv. It is added the way any bus is, with this
// header and one tandem_add_bus() line (CMakeLists.txt), and no edit of the engine or the
// harness. Ports: clk, rst (active high), req, we, addr, wdata, be -> ack, rdata, err.
#pragma once

#include <tandem/bus_driver.h>
#include <tandem/rtl_target.h>

namespace tests {

template <class Top>
class HandshakeDriver {
 public:
  static constexpr const char* kName = "handshake";
  static constexpr unsigned kMinEdges = 1;  // req and ack meet at the first edge
  static constexpr unsigned kDataBytes = sizeof(std::declval<Top&>().rdata);
  static constexpr bool kResetActiveLow = false;
  static auto& clock(Top& t) { return t.clk; }
  static auto& reset(Top& t) { return t.rst; }

  explicit HandshakeDriver(const tandem::RtlOptions& options) : m_hang_limit(options.hang_limit) {}

  void idle(Top& t) const {
    t.req = 0;
    t.we = 0;
  }

  template <class Clock>
  tandem::BeatResult transfer(Top& t, const tandem::BusBeat& beat, Clock& clock) const {
    tandem::BeatResult r;
    t.req = 1;
    t.we = beat.write;
    tandem::detail::drive(t.addr, beat.addr);
    tandem::detail::drive(t.wdata, beat.wdata);
    tandem::detail::drive(t.be, beat.write ? beat.strobe : 0u);
    for (unsigned waits = 0;; ++waits) {
      clock.fall();
      const bool ack = t.ack;
      if (ack) {
        r.rdata = t.rdata;
        r.error = t.err;
      }
      clock.rise();
      if (ack) break;
      if (waits >= m_hang_limit) {
        r.hung = true;
        break;
      }
    }
    return r;
  }

 private:
  unsigned m_hang_limit;
};

}  // namespace tests
