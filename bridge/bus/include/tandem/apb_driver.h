// The APB completer's manager side (AMBA APB, IHI 0024): a setup edge with PSEL high and
// PENABLE low, then access edges with PENABLE high until the completer raises PREADY. The
// top must have ports pclk, presetn (active low), psel, penable, paddr, pwrite, pwdata and
// prdata; pready, pslverr, pstrb and pprot are used when present, so APB2/APB3 tops without
// them work too.
#pragma once

#include "tandem/bus_driver.h"
#include "tandem/rtl_target.h"

namespace tandem {

namespace detail {
TANDEM_HAS_PORT(pready)
TANDEM_HAS_PORT(pslverr)
TANDEM_HAS_PORT(pstrb)
TANDEM_HAS_PORT(pprot)
}  // namespace detail

template <class Top>
class ApbDriver {
 public:
  static constexpr const char* kName = "apb";
  static constexpr unsigned kMinEdges = 2;  // setup, then access
  static constexpr unsigned kDataBytes = sizeof(std::declval<Top&>().prdata);
  static constexpr bool kResetActiveLow = true;
  static auto& clock(Top& t) { return t.pclk; }
  static auto& reset(Top& t) { return t.presetn; }

  explicit ApbDriver(const RtlOptions& options) : m_hang_limit(options.hang_limit) {}

  void idle(Top& t) const {
    t.psel = 0;
    t.penable = 0;
    t.pwrite = 0;
  }

  template <class Clock>
  BeatResult transfer(Top& t, const BusBeat& beat, Clock& clock) const {
    BeatResult r;
    // Setup phase: one edge with PSEL high and PENABLE low.
    t.psel = 1;
    t.penable = 0;
    detail::drive(t.paddr, beat.addr);
    t.pwrite = beat.write;
    detail::drive(t.pwdata, beat.wdata);
    if constexpr (detail::has_pstrb<Top>::value) detail::drive(t.pstrb, beat.write ? beat.strobe : 0u);
    if constexpr (detail::has_pprot<Top>::value) t.pprot = 0x2;  // data, non-secure, normal
    clock.fall();
    clock.rise();
    // Access phase: PENABLE high until the completer raises PREADY.
    t.penable = 1;
    for (unsigned waits = 0;; ++waits) {
      clock.fall();
      bool ready = true;
      if constexpr (detail::has_pready<Top>::value) ready = t.pready;
      if (ready) {
        r.rdata = t.prdata;
        if constexpr (detail::has_pslverr<Top>::value) r.error = t.pslverr;
      }
      clock.rise();
      if (ready) break;
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

}  // namespace tandem
