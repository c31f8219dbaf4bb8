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
// edge each pair; inputs change and outputs are sampled while the clock is low) until the
// completer answers or hang_limit wait states have passed (BeatResult::hung), and returns the
// read data (the whole data bus) and the error response. The harness fills in `done` and
// `edges` and idles the pins afterwards.
#pragma once

#include <type_traits>
#include <utility>

namespace tandem::detail {

// TANDEM_HAS_PORT(name) declares has_<name><Top>: whether the verilated top has that port, so a
// driver can use optional ports (APB's PREADY, PSTRB) when they are there.
#define TANDEM_HAS_PORT(port)             \
  template <class T, class = void>        \
  struct has_##port : std::false_type {}; \
  template <class T>                      \
  struct has_##port<T, std::void_t<decltype(std::declval<T&>().port)>> : std::true_type {};

// Drive an input port of whatever width Verilator gave it.
template <class Port, class Value>
inline void drive(Port& port, Value value) {
  port = static_cast<std::remove_reference_t<Port>>(value);
}

}  // namespace tandem::detail
