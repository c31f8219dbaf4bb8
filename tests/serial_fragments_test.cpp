// The serial terminal (models/uart16550/uart_terminal.h) on tandem's uart16550 RTL around
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
      for (const bool every_edge : {false, true}) {
        RtlExecutor uart(binding_uart16550_pins(), {});
        auto& terminal = dynamic_cast<models::uart::UartTerminal&>(*uart.pins());
        std::string got;
        auto run = [&](const Step& step) {
          uart.execute(step);
          if (every_edge) terminal.take_serial(uart.now(), got);
        };
        run(Step::write(kLcr, 0x80, 1));
        run(Step::write(kDll, 1, 1));
        run(Step::write(kLcr, 0x03, 1));  // 8N1
        run(Step::write(kFcr, fcr, 1));
        run(Step::write(kThr, 0x42, 1));  // 'B', before
        for (int n = 0; n < 200; ++n) run(Step::idle(1));
        for (const Step& step : c.steps) run(step);
        for (int n = 0; n < 500; ++n) run(Step::idle(1));
        run(Step::write(kThr, 0x5a, 1));  // 'Z', after
        for (int n = 0; n < 200; ++n) run(Step::idle(1));
        terminal.take_serial(uart.now(), got);
        CAPTURE(c.name, int(fcr), every_edge);
        CHECK(got == std::string("B") + c.want + "Z");
      }
    }
  }
}
