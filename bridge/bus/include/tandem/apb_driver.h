// The APB completer's manager side (AMBA APB, IHI 0024), APB4 and APB3: a setup edge with PSEL
// high and PENABLE low, then access edges with PENABLE high until the completer raises PREADY.
// The top must have ports pclk, presetn (active low), psel, penable, paddr, pwrite, pwdata and
// prdata; pready and pslverr are used when present (APB2 has neither). APB4 also drives pstrb
// and pprot when the top has them. APB3 has neither: its writes are whole bus words, so a
// narrower write is refused (an Error naming it) rather than widened, which would put
// different traffic on the bus than the model is asked about.
#pragma once

#include <fmt/format.h>

#include "tandem/bus_driver.h"
#include "tandem/error.h"
#include "tandem/rtl_target.h"

namespace tandem {

namespace detail {
TANDEM_HAS_PORT(pready)
TANDEM_HAS_PORT(pslverr)
TANDEM_HAS_PORT(pstrb)
TANDEM_HAS_PORT(pprot)

template <class Top, bool kApb4>
class ApbManager {
 public:
  static constexpr const char* kName = kApb4 ? "apb4" : "apb3";
  static constexpr unsigned kMinEdges = 2;  // setup, then access
  static constexpr unsigned kDataBytes = sizeof(std::declval<Top&>().prdata);
  static constexpr bool kResetActiveLow = true;
  static auto& clock(Top& t) { return t.pclk; }
  static auto& reset(Top& t) { return t.presetn; }
  static_assert(kApb4 || !(has_pstrb<Top>::value || has_pprot<Top>::value),
                "an APB3 completer has no pstrb or pprot port: bind this top with BUS apb4");

  explicit ApbManager(const RtlOptions& options) : m_hang_limit(options.hang_limit) {}

  void idle(Top& t) const {
    t.psel = 0;
    t.penable = 0;
    t.pwrite = 0;
  }

  template <class Clock>
  BeatResult transfer(Top& t, const BusBeat& beat, Clock& clock) const {
    if constexpr (!kApb4) {
      if (beat.write && beat.strobe != kWholeWord)
        throw Error(
            fmt::format("apb3: the write of byte lanes {:#x} at {:#x} needs PSTRB, which APB3 does not "
                        "have: APB3 carries whole {}-byte writes only (bind the device with BUS apb4)",
                        beat.strobe, beat.addr, kDataBytes));
    }
    BeatResult r;
    // Setup phase: one edge with PSEL high and PENABLE low.
    t.psel = 1;
    t.penable = 0;
    drive(t.paddr, beat.addr);
    t.pwrite = beat.write;
    drive(t.pwdata, beat.wdata);
    if constexpr (kApb4 && has_pstrb<Top>::value) drive(t.pstrb, beat.write ? beat.strobe : 0u);
    if constexpr (kApb4 && has_pprot<Top>::value) t.pprot = 0x2;  // data, non-secure, normal
    clock.fall();
    clock.rise();
    // Access phase: PENABLE high until the completer raises PREADY.
    t.penable = 1;
    for (unsigned waits = 0;; ++waits) {
      clock.fall();
      bool ready = true;
      if constexpr (has_pready<Top>::value) ready = t.pready;
      if (ready) {
        r.rdata = t.prdata;
        if constexpr (has_pslverr<Top>::value) r.error = t.pslverr;
        if (r.error) r.response = "PSLVERR";
      }
      clock.rise();
      if (ready) break;
      if (waits >= m_hang_limit) {
        report_hang(r, kApb4 ? "APB4: PREADY within the wait-state limit" : "APB3: PREADY within the wait-state limit",
                    "access", clock.now());
        break;
      }
    }
    return r;
  }

 private:
  static constexpr uint32_t kWholeWord = (1u << kDataBytes) - 1;
  unsigned m_hang_limit;
};
}  // namespace detail

template <class Top>
using Apb4Driver = detail::ApbManager<Top, true>;
template <class Top>
using Apb3Driver = detail::ApbManager<Top, false>;
// The bus table's `apb`: APB4, under the name bindings had before APB3 was added.
template <class Top>
using ApbDriver = Apb4Driver<Top>;

}  // namespace tandem
