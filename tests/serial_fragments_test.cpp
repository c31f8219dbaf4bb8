// The serial terminal (models/uart16550/uart_terminal.h) on tandem's uart16550 RTL around breaks and
// loopback (MCR.LOOP): sout is held at mark while the transmitter keeps shifting, so a frame
// in progress when loopback goes on is cut, and leaving loopback mid-frame shows the rest of
// one on sout. Neither is a character the RTL sent; characters before, after and written after
// leaving loopback are. The terminal is asked every edge (as lockstep asks it) and once at the
// end, which must agree.
#include <catch2/catch.hpp>

#include <tandem/rtl_executor.h>

#include "models/uart16550/uart_terminal.h"

namespace tandem {
DeviceBinding binding_uart16550_pins();
}

using namespace tandem;

namespace {
constexpr uint64_t kThr = 0, kDll = 0, kFcr = 2, kLcr = 3, kMcr = 4;
constexpr uint8_t kLoop = 0x10;

struct Case {
  const char* name;
  std::vector<Step> steps;  // between a character sent before and one sent after
  const char* want;         // what the terminal decodes of them
};

std::vector<Step> idle(unsigned edges) { return std::vector<Step>(edges, Step::idle(1)); }

std::vector<Step> operator+(std::vector<Step> a, const std::vector<Step>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<Step> write(uint64_t offset, uint8_t value) { return {Step::write(offset, value, 1)}; }

// What the terminal decodes of sout while `steps` run on the RTL: asked at every edge (as
// lockstep asks it) or once at the end.
std::string sout_characters(const std::vector<Step>& steps, bool every_edge) {
  RtlExecutor uart(binding_uart16550_pins(), {});
  auto& terminal = dynamic_cast<models::uart::UartTerminal&>(*uart.pins());
  std::string got;
  for (const Step& step : steps) {
    uart.execute(step);
    if (every_edge) terminal.take_serial(uart.now(), got);
  }
  terminal.take_serial(uart.now(), got);
  return got;
}
}  // namespace

// 8N1 at divisor 1: a bit is 16 edges, a frame 160.
TEST_CASE("serial: the terminal leaves out what loopback cut or shifted, however often asked", "[serial][uart]") {
  const std::vector<Case> cases = {
      {"loopback switched on mid-frame",
       write(kThr, 0x00) + idle(60) + write(kMcr, kLoop) + idle(400) + write(kMcr, 0) + idle(400), ""},
      {"loopback switched on and off within one frame",
       write(kThr, 0x00) + idle(40) + write(kMcr, kLoop) + idle(30) + write(kMcr, 0) + idle(400), ""},
      {"a character written in loopback, loopback left mid-frame",
       write(kMcr, kLoop) + write(kThr, 0x00) + idle(60) + write(kMcr, 0) + idle(400), ""},
      {"the same, a character written at once after leaving (queued behind the rest)",
       write(kMcr, kLoop) + write(kThr, 0x15) + idle(60) + write(kMcr, 0) + write(kThr, 0x41) + idle(400), "A"},
      {"the same, a character written once the rest has gone, within a frame time of leaving",
       write(kMcr, kLoop) + write(kThr, 0x00) + idle(130) + write(kMcr, 0) + idle(40) + write(kThr, 0x41) + idle(400),
       "A"},
      {"a character written after leaving loopback, the transmitter idle",
       write(kMcr, kLoop) + idle(400) + write(kMcr, 0) + write(kThr, 0x41) + idle(400), "A"},
      {"loopback switched on and off between frames",
       write(kMcr, kLoop) + idle(20) + write(kMcr, 0) + idle(20) + write(kThr, 0x41) + idle(400), "A"},
  };
  for (const Case& c : cases) {
    for (const uint8_t fcr : {uint8_t(0x00), uint8_t(0x07)}) {
      const std::vector<Step> steps = write(kLcr, 0x80) + write(kDll, 1) + write(kLcr, 0x03) +  // 8N1
                                      write(kFcr, fcr) + write(kThr, 0x42) + idle(200) +        // 'B', before
                                      c.steps + idle(500) + write(kThr, 0x5a) + idle(200);      // 'Z', after
      for (const bool every_edge : {false, true}) {
        const std::string got = sout_characters(steps, every_edge);
        CAPTURE(c.name, int(fcr), every_edge);
        CHECK(got == std::string("B") + c.want + "Z");
      }
    }
  }
}

// Found by the QEMU campaign (seed 6): breaks (LCR.BC) the same way. A break is no character,
// nor is the rest of a frame the transmitter shifted under it; a character sent after the
// break is.
TEST_CASE("serial: the terminal leaves out breaks and what was shifted under them, however often asked",
          "[serial][uart]") {
  struct BreakCase {
    const char* name;
    unsigned idle_before_thr;  // edges between setting break control and the THR write
    bool thr_under_break;      // written before break control is cleared, or after
  };
  for (const BreakCase c : {BreakCase{"written with the break set, cleared at once", 0, true},
                            BreakCase{"written 6 edges into the break (the campaign's seed 6)", 6, true},
                            BreakCase{"written after the break", 300, false}}) {
    const std::vector<Step> thr = write(kThr, 0x10);
    const std::vector<Step> steps = write(kLcr, 0x80) + write(kDll, 1) + write(kLcr, 0x41) +  // break, 6-bit words
                                    idle(c.idle_before_thr) + (c.thr_under_break ? thr : idle(0)) +
                                    write(kLcr, 0x00) +  // break cleared, 5-bit words
                                    (c.thr_under_break ? idle(0) : thr) + idle(500) + write(kThr, 0x41) + idle(200);
    for (const bool every_edge : {false, true}) {
      CAPTURE(c.name, every_edge);
      CHECK(sout_characters(steps, every_edge) == (c.thr_under_break ? "\x01" : "\x10\x01"));  // 'A', 5 bits
    }
  }
}
