// What a bus driver is: the one part of the RTL side that knows a protocol. A new bus is one
// driver header like apb_driver.h plus one line in the CMake bus table (cmake/TandemBuses.cmake,
// tandem_add_bus); the harness (verilated_harness.h) and the engine stay as they are.
//
// A driver is a class template over the verilated top, Driver<Top>, with
//   static constexpr const char* kName;      // the bus's name in reports: "apb", ...
//   static constexpr unsigned kMinEdges;     // clock edges of a transfer without wait states
//   static constexpr unsigned kDataBytes;    // data bus width in bytes (1, 2, 4 or 8), from the top's port
//   static constexpr bool kResetActiveLow;   // the polarity of the reset pin
//   static auto& clock(Top&);                // the clock pin
//   static auto& reset(Top&);                // the reset pin
//   explicit Driver(const RtlOptions&);      // hang_limit: wait states after which a transfer is hung
//   void idle(Top&);                         // the pins between transfers
//   template <class Clock>
//   BeatResult transfer(Top&, const BusBeat&, Clock&);
// transfer() drives the beat's pins, clocks the top with Clock::fall() and Clock::rise() (one
// edge each pair; inputs change and outputs are sampled while the clock is low; Clock::now() is
// the edge count) until the completer answers or hang_limit wait states have passed
// (BeatResult::hung, with `rule` and `channel` saying what never came), and returns the read
// data (the whole data bus) and the error response (`response` names it). The driver is also
// the bus's protocol checker: a completer that breaks a rule of the protocol sets `violated`,
// `rule`, `channel` and `rule_cycle` (the first rule broken; the transfer then ends). The
// harness fills in `done` and `edges` (the last edge, and every edge of the transfer) and
// idles the pins afterwards. A driver whose access edge is not its last, or whose manager
// varies its timing (RtlOptions::bus_timing), declares
//   static constexpr bool kReportsEdges = true;
// and fills them in itself: `edges` is the bus's minimum plus the edges the completer made it
// wait, not the ones the manager chose to wait. A bus whose response follows the access edge
// declares how many of kMinEdges do (static constexpr unsigned kTrailingEdges; 0 if absent):
// the model run alone (ModelExecutor) is asked at the access edge, not the last one.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

#include "tandem/rtl_target.h"

namespace tandem::detail {

// TANDEM_HAS_PORT(name) declares has_<name><Top>: whether the verilated top has that port, so a
// driver can use optional ports (APB's PREADY, PSTRB) when they are there.
#define TANDEM_HAS_PORT(port)             \
  template <class T, class = void>        \
  struct has_##port : std::false_type {}; \
  template <class T>                      \
  struct has_##port<T, std::void_t<decltype(std::declval<T&>().port)>> : std::true_type {};

// The manager's varied timing (RtlOptions::bus_timing): a splitmix64 stream, so the same seed
// gives the same choices on every machine; seed 0 is the fixed timing (every choice 0).
class TimingChoices {
 public:
  explicit TimingChoices(uint64_t seed) : m_state(seed), m_on(seed != 0) {}
  bool on() const { return m_on; }
  // Uniform-enough in [0, n) (n small); always 0 in the fixed timing.
  unsigned below(unsigned n) {
    if (!m_on) return 0;
    uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<unsigned>((z ^ (z >> 31)) % n);
  }

 private:
  uint64_t m_state;
  bool m_on;
};

// A rule the completer broke, into the transfer's result.
inline void report_violation(BeatResult& r, const char* rule, const char* channel, Cycle at) {
  r.violated = true;
  r.rule = rule;
  r.channel = channel;
  r.rule_cycle = at;
}
inline void report_hang(BeatResult& r, const char* rule, const char* channel, Cycle at) {
  r.hung = true;
  r.rule = rule;
  r.channel = channel;
  r.rule_cycle = at;
}

// Drive an input port of whatever width Verilator gave it.
template <class Port, class Value>
inline void drive(Port& port, Value value) {
  port = static_cast<std::remove_reference_t<Port>>(value);
}

}  // namespace tandem::detail
