// The Wishbone B4 manager, classic and pipelined, and its protocol checker: one single
// read or write cycle at a time. Ports (the completer's, Wishbone's _i/_o suffixes): clk_i,
// rst_i (active high), cyc_i, stb_i, we_i, adr_i (the byte address), dat_i, [sel_i], dat_o,
// ack_o, [err_o], [rty_o]; pipelined also stall_o. Data 8, 16, 32 or 64 bits, any address
// width. Without sel_i only whole-word writes can be carried: a narrower one is refused.
//
// Classic: CYC and STB stay high until ACK, ERR or RTY; that edge is the access edge (with a
// combinational ACK, one edge). Pipelined: STB stays high until an edge without STALL takes
// the request (the access edge), then CYC alone until its ACK, ERR or RTY (two edges without
// wait states; an ACK in the request's own cycle is accepted and counts as none).
// RTY is reported as an error response named RTY, not retried: a retry would put more traffic
// on the bus than the one access the model is asked about, and a bounded retry would hide a
// completer that never stops asking for one.
// Reads drive SEL all ones (the whole word is read; the engine takes its lanes), writes the
// beat's byte lanes.
//
// Timing. Fixed (RtlOptions::bus_timing 0): CYC and STB together in the first cycle. Varied
// (a seed): per transfer, CYC raised 0-2 cycles before STB (the manager holds the bus first).
#pragma once

#include <algorithm>

#include <fmt/format.h>

#include "tandem/bus_driver.h"
#include "tandem/error.h"
#include "tandem/rtl_target.h"

namespace tandem {

namespace detail {
TANDEM_HAS_PORT(sel_i)
TANDEM_HAS_PORT(err_o)
TANDEM_HAS_PORT(rty_o)

template <class Top, bool kPipelined>
class WishboneManager {
 public:
  static constexpr const char* kName = kPipelined ? "wishbone_pipelined" : "wishbone";
  // Classic: a combinational ACK in the request's cycle. Pipelined: the request's edge, then
  // the ACK's (an ACK in the request's own cycle counts as no wait state).
  static constexpr unsigned kMinEdges = kPipelined ? 2 : 1;
  static constexpr unsigned kTrailingEdges = kPipelined ? 1 : 0;  // pipelined: ACK after the request's edge
  static constexpr unsigned kDataBytes = sizeof(std::declval<Top&>().dat_o);
  static constexpr bool kResetActiveLow = false;
  static constexpr bool kReportsEdges = true;
  static auto& clock(Top& t) { return t.clk_i; }
  static auto& reset(Top& t) { return t.rst_i; }

  explicit WishboneManager(const RtlOptions& options)
      : m_hang_limit(options.hang_limit), m_timing(options.bus_timing) {}

  void idle(Top& t) const {
    t.cyc_i = 0;
    t.stb_i = 0;
    t.we_i = 0;
  }

  template <class Clock>
  BeatResult transfer(Top& t, const BusBeat& beat, Clock& clock) {
    constexpr uint32_t kAllLanes = (1u << kDataBytes) - 1;
    if constexpr (!has_sel_i<Top>::value) {
      if (beat.write && beat.strobe != kAllLanes)
        throw Error(
            fmt::format("{}: the write of byte lanes {:#x} at {:#x} needs SEL, which this completer does not "
                        "have: it takes whole {}-byte writes only",
                        kName, beat.strobe, beat.addr, kDataBytes));
    }
    const unsigned stb_delay = m_timing.below(2) ? 1 + m_timing.below(2) : 0;
    t.cyc_i = 1;
    t.we_i = beat.write;
    drive(t.adr_i, beat.addr);
    drive(t.dat_i, beat.wdata);
    if constexpr (has_sel_i<Top>::value) drive(t.sel_i, beat.write ? beat.strobe : kAllLanes);
    BeatResult r;
    const Cycle start = clock.now();
    bool taken = false;  // pipelined: an edge without STALL has taken the request
    for (unsigned c = 0, waits = 0;; ++c) {
      t.stb_i = c >= stb_delay && !taken;
      clock.fall();
      const bool ack = t.ack_o, err = err_of(t), rty = rty_of(t);
      const bool stb = t.stb_i;
      bool stall = false;
      if constexpr (kPipelined) stall = t.stall_o;
      // The request's cycle: classic, every cycle of STB; pipelined, the one that takes it.
      const bool outstanding = kPipelined ? taken || (stb && !stall) : stb;
      const bool term = ack || err || rty;
      check(r, ack, err, rty, outstanding, clock.now() + 1);
      if (term && !r.violated) {
        r.rdata = t.dat_o;
        r.error = err || rty;
        if (r.error) r.response = err ? "ERR" : "RTY";
      }
      clock.rise();
      if (kPipelined && stb && !stall && !taken) {
        taken = true;
        r.done = clock.now();
      }
      if (term || r.violated) break;
      if (c >= stb_delay && ++waits > m_hang_limit + kMinEdges - 1) {
        report_hang(r, "Wishbone: ACK, ERR or RTY within the wait-state limit", kPipelined && !taken ? "STALL" : "ACK",
                    clock.now());
        break;
      }
    }
    if (r.done == 0) r.done = clock.now();  // classic, or pipelined answered before taking
    r.edges = std::max(kMinEdges, static_cast<unsigned>(clock.now() - start) - stb_delay);
    return r;
  }

 private:
  // ERR and RTY are optional ports: a completer without them never raises them.
  static bool err_of(const Top& t) {
    if constexpr (has_err_o<Top>::value) return t.err_o;
    return false;
  }
  static bool rty_of(const Top& t) {
    if constexpr (has_rty_o<Top>::value) return t.rty_o;
    return false;
  }

  // The rules of one cycle, the first broken one reported.
  static void check(BeatResult& r, bool ack, bool err, bool rty, bool outstanding, Cycle edge) {
    const char* rule = nullptr;
    const char* channel = "ACK";
    if (ack && err) {
      rule = "Wishbone: ACK and ERR in the same cycle";
    } else if (ack && rty) {
      rule = "Wishbone: ACK and RTY in the same cycle";
    } else if (err && rty) {
      rule = "Wishbone: ERR and RTY in the same cycle";
      channel = "ERR";
    } else if ((ack || err || rty) && !outstanding) {
      channel = ack ? "ACK" : err ? "ERR" : "RTY";
      if (kPipelined)
        rule = ack   ? "Wishbone: ACK without an outstanding request"
               : err ? "Wishbone: ERR without an outstanding request"
                     : "Wishbone: RTY without an outstanding request";
      else
        rule = ack ? "Wishbone: ACK without STB" : err ? "Wishbone: ERR without STB" : "Wishbone: RTY without STB";
    }
    if (rule) report_violation(r, rule, channel, edge);
  }

  unsigned m_hang_limit;
  TimingChoices m_timing;
};
}  // namespace detail

template <class Top>
using WishboneClassicDriver = detail::WishboneManager<Top, false>;
template <class Top>
using WishbonePipelinedDriver = detail::WishboneManager<Top, true>;

}  // namespace tandem
