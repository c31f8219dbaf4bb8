// Peripheral pins (docs/pins.md): the harness drives input pins from a line model and samples
// output pins every edge; lockstep compares output pins like interrupt lines and names the
// pin that differs. On the pin test block (tests/rtl/pins_testblock.sv): din in, dout and echo
// out, irq = |(registered din & MASK); pins_bug inverts echo while OUT[3] is set.
#include <catch2/catch.hpp>

#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/rtl_executor.h>

#include "models/uart16550/uart_terminal.h"
#include "tests/pins_testblock_model.h"

namespace tandem {
DeviceBinding binding_pins_test();
DeviceBinding binding_pins_bug();
}  // namespace tandem

using namespace tandem;

namespace {
constexpr uint64_t kOut = 0, kIn = 1, kMask = 2;

uint64_t read_in(RtlTarget& rtl) { return rtl.access(BusBeat{kIn, false, 0, 0}).rdata & 0xf; }

}  // namespace

TEST_CASE("the glue declares the PINS of tandem_add_device as the binding's pins", "[pins]") {
  const DeviceBinding b = binding_pins_test();
  REQUIRE(b.hints.pins.size() == 3);
  CHECK(b.hints.pins[0].name == "din");
  CHECK(b.hints.pins[0].direction == PinDirection::input);
  CHECK(b.hints.pins[0].width == 4);
  CHECK(b.hints.pins[1].name == "dout");
  CHECK(b.hints.pins[1].direction == PinDirection::output);
  CHECK(b.hints.pins[2].name == "echo");
  CHECK(b.hints.pins[2].width == 1);
}

TEST_CASE("the harness drives input pins at the edges the source names", "[pins]") {
  const DeviceBinding b = binding_pins_test();
  tests::ScriptedPins script({{10, 0x5}, {20, 0xa}});
  std::unique_ptr<RtlTarget> rtl = b.make_rtl({});
  rtl->attach_pins(&script);
  rtl->reset(2);
  CHECK(read_in(*rtl) == 0);  // edges 3-4: din still 0
  rtl->run(10);               // up to edge 14
  CHECK(read_in(*rtl) == 0x5);
  rtl->run(10);
  CHECK(read_in(*rtl) == 0xa);
}

TEST_CASE("a source that learns of a change between steps is followed", "[pins]") {
  const DeviceBinding b = binding_pins_test();
  tests::ScriptedPins script({});
  std::unique_ptr<RtlTarget> rtl = b.make_rtl({});
  rtl->attach_pins(&script);
  rtl->reset(2);
  rtl->run(5);  // the source said "no change ever" during this step
  script.add(9, 0x3);
  rtl->run(5);
  CHECK(read_in(*rtl) == 0x3);
}

TEST_CASE("output pins follow the interrupt lines in the RTL's line word, and the source hears them", "[pins]") {
  const DeviceBinding b = binding_pins_test();
  tests::ScriptedPins script({{10, 0x1}, {20, 0x0}});
  std::unique_ptr<RtlTarget> rtl = b.make_rtl({});
  rtl->attach_pins(&script);
  rtl->reset(2);
  rtl->irq_log().clear();
  rtl->run(30);
  // echo (output bit 4: after dout's 4 bits) is din[0] registered: up at edge 10, down at 20;
  // in the line word it stands past the one interrupt line, at bit 5.
  REQUIRE(rtl->irq_log().size() == 2);
  CHECK(rtl->irq_log()[0].cycle == 10);
  CHECK(rtl->irq_log()[0].value == 0x20);
  CHECK(rtl->irq_log()[1].cycle == 20);
  CHECK(rtl->irq_log()[1].value == 0x0);
  REQUIRE(script.heard.size() == 2);
  CHECK(script.heard[0] == std::make_pair(Cycle(10), uint32_t(0x10)));
  CHECK(script.heard[1] == std::make_pair(Cycle(20), uint32_t(0x0)));
}

TEST_CASE("lockstep drives both sides from one source and finds no divergence on agreeing pins", "[pins]") {
  const DeviceBinding b = binding_pins_test();  // its own source: din counts by 5 every 7 edges
  Lockstep engine(b);
  engine.execute(Step::write(kMask, 0x6, 1));
  for (uint64_t v = 0; v < 16; ++v) {
    engine.execute(Step::write(kOut, v, 1));
    engine.execute(Step::idle(3 + v));
    const uint64_t din = engine.execute(Step::read(kIn, 1)).data;
    // The read answers din as registered at the edge before the access edge.
    CHECK(din == ((engine.now() - 1) / 7 * 5 & 0xf));
  }
  engine.execute(Step::reset());
  engine.execute(Step::idle(50));
  CHECK_FALSE(engine.diverged());
  // Every edge after the first reset was compared (the reset windows are not).
  CHECK(engine.stats().irq_checks + b.hints.reset_cycles >= engine.stats().cycles);
}

TEST_CASE("a differing output pin is a divergence that names the pin and its edge", "[pins]") {
  const DeviceBinding b = binding_pins_bug();
  Lockstep engine(b);
  engine.execute(Step::write(kOut, 0x7, 1));  // OUT[3] clear: the bug sleeps, dout agrees
  engine.execute(Step::idle(20));
  REQUIRE_FALSE(engine.diverged());
  const Cycle before = engine.now();
  engine.execute(Step::write(kOut, 0x8, 1));
  REQUIRE(engine.diverged());
  const Divergence& d = *engine.divergence();
  CHECK(d.kind == DivergenceKind::irq);
  CHECK(d.reg == "echo");
  CHECK(d.cycle == before + b.access_edges);  // the write's access edge
  CHECK(d.detail.find("output pins differ") != std::string::npos);
  CHECK(d.detail.find("pin echo") != std::string::npos);
}

TEST_CASE("the RTL alone and the model alone follow the binding's source too", "[pins]") {
  const DeviceBinding b = binding_pins_test();
  RtlExecutor rtl(b, {});
  ModelExecutor model(b, 2);
  rtl.execute(Step::idle(40));
  model.execute(Step::idle(40));
  const uint64_t r = rtl.execute(Step::read(kIn, 1)).data;
  const uint64_t m = model.execute(Step::read(kIn, 1)).data;
  CHECK(r == ((rtl.now() - 1) / 7 * 5 & 0xf));
  CHECK(m == r);
}

TEST_CASE("an output pin's bits are named by pin and bit", "[pins]") {
  const std::vector<PinHint> pins = {
      {"din", PinDirection::input, 4}, {"dout", PinDirection::output, 4}, {"echo", PinDirection::output, 1}};
  CHECK(output_pin_name(pins, 0) == "dout[0]");
  CHECK(output_pin_name(pins, 3) == "dout[3]");
  CHECK(output_pin_name(pins, 4) == "echo");
  CHECK(output_pin_name(pins, 5).empty());
  DeviceBinding b;
  b.hints.irq_lines = {"irq"};
  b.hints.pins = pins;
  CHECK(b.irq_line_name(0x1) == "irq");
  CHECK(b.irq_line_name(0x4) == "dout[1]");
  CHECK(b.irq_line_name(0x20) == "echo");
  CHECK(b.irq_line_name(0x40) == "irq[6]");
}

TEST_CASE("a malformed pin declaration is refused naming the device and the pin", "[pins]") {
  const std::vector<std::string> one_irq = {"irq"};
  CHECK_THROWS_WITH(lay_out_pins("d", one_irq, {{"a", PinDirection::input, 1}, {"a", PinDirection::output, 1}}),
                    "device 'd': pin 'a' is declared twice");
  CHECK_THROWS_WITH(lay_out_pins("d", one_irq, {{"w", PinDirection::output, 0}}),
                    "device 'd': pin 'w' is 0 bits wide (1 to 32)");
  CHECK_THROWS_WITH(lay_out_pins("d", one_irq, {{"w", PinDirection::output, 32}}),
                    "device 'd': 1 interrupt lines and 32 bits of output pins (at most 32 together)");
  CHECK_THROWS_WITH(
      lay_out_pins("d", one_irq,
                   {{"a", PinDirection::input, 32}, {"b", PinDirection::input, 32}, {"c", PinDirection::input, 1}}),
      "device 'd': 65 bits of input pins (at most 64)");
  const PinLayout l = lay_out_pins("d", one_irq, binding_pins_test().hints.pins);
  CHECK(l.output_shift == 1);
  CHECK(l.output_bits == 5);
  CHECK(l.input_bits == 4);
}

TEST_CASE("lockstep refuses a device whose pins do not fit the line word", "[pins]") {
  DeviceBinding b = binding_pins_test();
  b.hints.pins.push_back({"wide", PinDirection::output, 30});
  CHECK_THROWS_WITH(Lockstep(b),
                    "device 'pins_test': 1 interrupt lines and 35 bits of output pins (at most 32 together)");
}

// ---------------------------------------------------------------- the UART through its pins
namespace tandem {
DeviceBinding binding_uart16550_pins();
}

namespace {
constexpr uint64_t kRbr = 0, kThr = 0, kDll = 0, kDlm = 1, kFcr = 2, kLcr = 3, kLsr = 5;

// The way a driver configures the line: DLAB, divisor, then the format.
void configure(RtlExecutor& uart, uint8_t lcr, uint16_t divisor) {
  uart.execute(Step::write(kLcr, 0x80, 1));
  uart.execute(Step::write(kDll, divisor & 0xff, 1));
  uart.execute(Step::write(kDlm, divisor >> 8, 1));
  uart.execute(Step::write(kLcr, lcr, 1));
}

models::uart::UartTerminal& terminal(RtlExecutor& uart) {
  return dynamic_cast<models::uart::UartTerminal&>(*uart.pins());
}
}  // namespace

TEST_CASE("the terminal takes the line settings from the bus writes, as a terminal is configured", "[pins][uart]") {
  RtlExecutor uart(binding_uart16550_pins(), {});
  configure(uart, 0x1b, 0x0102);  // 8 bits, even parity, 1 stop bit
  CHECK(terminal(uart).lcr() == 0x1b);
  CHECK(terminal(uart).divisor() == 0x0102);
  uart.execute(Step::write(kDll, 0x07, 1));  // DLAB clear: THR, not the divisor
  CHECK(terminal(uart).divisor() == 0x0102);
}

TEST_CASE("the terminal decodes the frames the UART sends on sout", "[pins][uart]") {
  RtlExecutor uart(binding_uart16550_pins(), {});
  configure(uart, 0x1b, 2);  // 8E1, 32 edges a bit
  uart.execute(Step::write(kThr, 0x5a, 1));
  uart.execute(Step::write(kThr, 0x33, 1));
  uart.execute(Step::idle(2 * 12 * 32 + 64));
  const std::vector<models::uart::SentFrame> sent = terminal(uart).take_sent(uart.now());
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].data == 0x5a);
  CHECK(sent[1].data == 0x33);
  CHECK_FALSE(sent[0].pe);
  CHECK_FALSE(sent[1].fe);
  CHECK(sent[1].start == sent[0].start + 11 * 32);      // back to back: start, 8 data, parity, stop
  CHECK(terminal(uart).take_sent(uart.now()).empty());  // each frame once
}

TEST_CASE("frames the terminal feeds on sin reach the UART's receiver", "[pins][uart]") {
  RtlExecutor uart(binding_uart16550_pins(), {});
  configure(uart, 0x03, 1);                  // 8N1, 16 edges a bit
  uart.execute(Step::write(kFcr, 0x01, 1));  // FIFOs on
  terminal(uart).feed(0xa5, uart.now());
  terminal(uart).feed(0x5c, uart.now());
  uart.execute(Step::idle(2 * 10 * 16 + 32));
  CHECK((uart.execute(Step::read(kLsr, 1)).data & 0x01) == 0x01);  // data ready
  CHECK(uart.execute(Step::read(kRbr, 1)).data == 0xa5);
  CHECK(uart.execute(Step::read(kRbr, 1)).data == 0x5c);
}

TEST_CASE("a parity error the terminal forces is what the UART's receiver reports", "[pins][uart]") {
  RtlExecutor uart(binding_uart16550_pins(), {});
  configure(uart, 0x0b, 1);  // 8 bits, odd parity
  terminal(uart).feed(0x11, uart.now(), true);
  uart.execute(Step::idle(11 * 16 + 32));
  const uint64_t lsr = uart.execute(Step::read(kLsr, 1)).data;
  CHECK((lsr & 0x05) == 0x05);  // data ready, parity error
  CHECK(uart.execute(Step::read(kRbr, 1)).data == 0x11);
}

TEST_CASE("a watched pin is heard by the line model, not compared: it stays out of the irq word", "[pins]") {
  const std::vector<std::string> one_irq = {"irq"};
  const PinLayout l =
      lay_out_pins("d", one_irq,
                   {{"sin", PinDirection::input, 1}, {"sout", PinDirection::watch, 1}, {"o", PinDirection::output, 2}});
  CHECK(l.output_shift == 1);
  CHECK(l.output_bits == 2);
  CHECK(l.watch_bits == 1);
  CHECK(l.input_bits == 1);
  // Only compared outputs have names in the irq word.
  CHECK(output_pin_name({{"sout", PinDirection::watch, 1}, {"o", PinDirection::output, 2}}, 0) == "o[0]");
  CHECK_THROWS_WITH(lay_out_pins("d", one_irq, {{"o", PinDirection::output, 20}, {"w", PinDirection::watch, 13}}),
                    "device 'd': 20 bits of output pins and 13 of watched pins (at most 32 together)");
}
