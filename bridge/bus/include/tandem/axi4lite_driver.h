// The AXI4-Lite manager (AMBA AXI, IHI 0022, AXI4-Lite) and its protocol checker: one
// transfer at a time over the five channels, a write as AW and W then B, a read as AR then R.
// Ports (the completer's, lower case, no prefix): aclk, aresetn (active low); awvalid,
// awready, awaddr, [awprot]; wvalid, wready, wdata, wstrb; bvalid, bready, bresp; arvalid,
// arready, araddr, [arprot]; rvalid, rready, rdata, rresp. Data 8, 16, 32 or 64 bits, any
// address width (awaddr/araddr carry the byte address).
//
// Timing. Fixed (RtlOptions::bus_timing 0): AW and W in the first cycle, BREADY and RREADY
// high throughout, AxPROT 0b010. Varied (a seed): per transfer, AW before W, W before AW or
// both together, with 1-3 cycles between them; ARVALID raised 0-2 cycles late; BREADY/RREADY
// held low for 0-3 cycles after the response is valid; AxPROT any of its 8 values. The
// access edge (BeatResult::done) is the later of the AW and W handshakes, or the AR
// handshake: a completer acts on a request when it takes it, however late the manager takes
// the response.
#pragma once

#include "tandem/bus_driver.h"
#include "tandem/rtl_target.h"

namespace tandem {

namespace detail {
TANDEM_HAS_PORT(awprot)
TANDEM_HAS_PORT(arprot)
}  // namespace detail

template <class Top>
class Axi4LiteDriver {
 public:
  static constexpr const char* kName = "axi4lite";
  // A response comes the cycle after its request's handshake at the earliest.
  static constexpr unsigned kMinEdges = 2;
  static constexpr unsigned kTrailingEdges = 1;  // B or R after the access edge
  static constexpr unsigned kDataBytes = sizeof(std::declval<Top&>().rdata);
  static constexpr bool kResetActiveLow = true;
  static constexpr bool kReportsEdges = true;
  static auto& clock(Top& t) { return t.aclk; }
  static auto& reset(Top& t) { return t.aresetn; }

  explicit Axi4LiteDriver(const RtlOptions& options) : m_hang_limit(options.hang_limit), m_timing(options.bus_timing) {}

  void idle(Top& t) const {
    t.awvalid = 0;
    t.wvalid = 0;
    t.arvalid = 0;
    t.bready = 0;
    t.rready = 0;
  }

  template <class Clock>
  BeatResult transfer(Top& t, const BusBeat& beat, Clock& clock) {
    return beat.write ? write(t, beat, clock) : read(t, beat, clock);
  }

 private:
  static constexpr unsigned kOkay = 0, kExOkay = 1, kSlvErr = 2;

  // The response on B or R as the manager takes it.
  static void take_response(BeatResult& r, unsigned resp) {
    r.error = resp >= kSlvErr;
    if (r.error) r.response = resp == kSlvErr ? "SLVERR" : "DECERR";
  }

  unsigned prot() { return m_timing.on() ? m_timing.below(8) : 0x2; }  // data, non-secure, unprivileged
  unsigned response_hold() { return m_timing.below(2) ? m_timing.below(4) : 0; }

  template <class Clock>
  BeatResult write(Top& t, const BusBeat& beat, Clock& clock) {
    unsigned aw_delay = 0, w_delay = 0;
    switch (m_timing.below(3)) {
      case 1: w_delay = 1 + m_timing.below(3); break;   // AW before W
      case 2: aw_delay = 1 + m_timing.below(3); break;  // W before AW
      default: break;                                   // both in one cycle
    }
    const unsigned b_hold = response_hold();
    detail::drive(t.awaddr, beat.addr);
    if constexpr (detail::has_awprot<Top>::value) detail::drive(t.awprot, prot());
    detail::drive(t.wdata, beat.wdata);
    detail::drive(t.wstrb, beat.strobe);
    BeatResult r;
    const Cycle start = clock.now();
    bool aw_done = false, w_done = false, b_waiting = false;
    unsigned b_seen = 0, held = 0, waits = 0, last_bresp = 0;
    for (unsigned c = 0;; ++c) {
      t.awvalid = !aw_done && c >= aw_delay;
      t.wvalid = !w_done && c >= w_delay;
      t.bready = b_seen >= b_hold;
      clock.fall();
      const bool bvalid = t.bvalid;
      const unsigned bresp = t.bresp;
      const Cycle edge = clock.now() + 1;
      if (t.rvalid) {
        detail::report_violation(r, "AXI4-Lite: RVALID without a completed AR", "R", edge);
      } else if (bvalid && !(aw_done && w_done)) {
        detail::report_violation(r, "AXI4-Lite: BVALID without a completed AW and W", "B", edge);
      } else if (b_waiting && !bvalid) {
        detail::report_violation(r, "AXI4-Lite: BVALID deasserted before BREADY", "B", edge);
      } else if (b_waiting && bresp != last_bresp) {
        detail::report_violation(r, "AXI4-Lite: BRESP changed while BVALID high and BREADY low", "B", edge);
      } else if (bvalid && bresp == kExOkay) {
        detail::report_violation(r, "AXI4-Lite: EXOKAY response (AXI4-Lite has no exclusive access)", "B", edge);
      }
      const bool aw_hs = t.awvalid && t.awready, w_hs = t.wvalid && t.wready, b_hs = bvalid && t.bready;
      const bool manager_held = (!aw_done && c < aw_delay) || (!w_done && c < w_delay) || (bvalid && !t.bready);
      if (b_hs) take_response(r, bresp);
      b_waiting = bvalid && !t.bready;
      last_bresp = bresp;
      clock.rise();
      if (r.violated) break;
      const bool taken_now = !(aw_done && w_done) && (aw_done || aw_hs) && (w_done || w_hs);
      aw_done |= aw_hs;
      w_done |= w_hs;
      if (taken_now) r.done = clock.now();
      if (bvalid) ++b_seen;
      if (b_hs) break;
      if (manager_held) {
        ++held;
      } else if (++waits > m_hang_limit + kMinEdges - 1) {
        hang(r, !aw_done ? "AW" : !w_done ? "W" : "B", clock.now());
        break;
      }
    }
    if (r.done == 0) r.done = clock.now();
    r.edges = static_cast<unsigned>(clock.now() - start) - held;
    return r;
  }

  template <class Clock>
  BeatResult read(Top& t, const BusBeat& beat, Clock& clock) {
    const unsigned ar_delay = m_timing.below(2) ? m_timing.below(3) : 0;
    const unsigned r_hold = response_hold();
    detail::drive(t.araddr, beat.addr);
    if constexpr (detail::has_arprot<Top>::value) detail::drive(t.arprot, prot());
    BeatResult r;
    const Cycle start = clock.now();
    bool ar_done = false, r_waiting = false;
    unsigned r_seen = 0, held = 0, waits = 0, last_rresp = 0;
    uint64_t last_rdata = 0;
    for (unsigned c = 0;; ++c) {
      t.arvalid = !ar_done && c >= ar_delay;
      t.rready = r_seen >= r_hold;
      clock.fall();
      const bool rvalid = t.rvalid;
      const unsigned rresp = t.rresp;
      const uint64_t rdata = t.rdata;
      const Cycle edge = clock.now() + 1;
      if (t.bvalid) {
        detail::report_violation(r, "AXI4-Lite: BVALID without a completed AW and W", "B", edge);
      } else if (rvalid && !ar_done) {
        detail::report_violation(r, "AXI4-Lite: RVALID without a completed AR", "R", edge);
      } else if (r_waiting && !rvalid) {
        detail::report_violation(r, "AXI4-Lite: RVALID deasserted before RREADY", "R", edge);
      } else if (r_waiting && rdata != last_rdata) {
        detail::report_violation(r, "AXI4-Lite: RDATA changed while RVALID high and RREADY low", "R", edge);
      } else if (r_waiting && rresp != last_rresp) {
        detail::report_violation(r, "AXI4-Lite: RRESP changed while RVALID high and RREADY low", "R", edge);
      } else if (rvalid && rresp == kExOkay) {
        detail::report_violation(r, "AXI4-Lite: EXOKAY response (AXI4-Lite has no exclusive access)", "R", edge);
      }
      const bool ar_hs = t.arvalid && t.arready, r_hs = rvalid && t.rready;
      const bool manager_held = (!ar_done && c < ar_delay) || (rvalid && !t.rready);
      if (r_hs) {
        r.rdata = rdata;
        take_response(r, rresp);
      }
      r_waiting = rvalid && !t.rready;
      last_rresp = rresp;
      last_rdata = rdata;
      clock.rise();
      if (r.violated) break;
      if (ar_hs) {
        ar_done = true;
        r.done = clock.now();
      }
      if (rvalid) ++r_seen;
      if (r_hs) break;
      if (manager_held) {
        ++held;
      } else if (++waits > m_hang_limit + kMinEdges - 1) {
        hang(r, ar_done ? "R" : "AR", clock.now());
        break;
      }
    }
    if (r.done == 0) r.done = clock.now();
    r.edges = static_cast<unsigned>(clock.now() - start) - held;
    return r;
  }

  static void hang(BeatResult& r, const char* channel, Cycle at) {
    detail::report_hang(r, "AXI4-Lite: response within the wait-state limit", channel, at);
  }

  unsigned m_hang_limit;
  detail::TimingChoices m_timing;
};

}  // namespace tandem
