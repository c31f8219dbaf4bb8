// The character-stream comparison (lockstep's `serial` divergences) without QEMU: tandem's
// uart16550 RTL against its own C++ model, whose side also "sends" each THR byte the moment it
// is written, as an emulator's UART does into its chardev. A script corrupts that stream (a
// character dropped, added or changed) the way a model that differs from the RTL would, and
// the tests check what lockstep reports and where it realigns the streams afterwards.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include <tandem/lockstep.h>

namespace tandem {
DeviceBinding binding_uart16550_pins();
}

using namespace tandem;

namespace {
constexpr uint64_t kThr = 0, kDll = 0, kDlm = 1, kFcr = 2, kLcr = 3;
constexpr uint64_t kNone = 0x100;  // a serial divergence's value for "no character"

// What the model side does to the n-th THR byte (counted from 0) it sends.
struct Script {
  std::set<size_t> drop;                // not sent
  std::map<size_t, std::string> extra;  // sent before it
  std::map<size_t, std::string> after;  // sent after it
  std::map<size_t, uint8_t> change;     // sent as this byte
};

// The uart16550 model, forwarding everything, and the bytes written to THR as a serial stream.
class SendingModel final : public Device {
 public:
  SendingModel(std::unique_ptr<Device> inner, Script script) : m_inner(std::move(inner)), m_script(std::move(script)) {}

  void reset(Cycle now) override {
    m_lcr = 0;
    m_inner->reset(now);
  }
  BusResponse read(uint64_t offset, unsigned size, Cycle now) override { return m_inner->read(offset, size, now); }
  BusResponse write(uint64_t offset, uint64_t value, unsigned size, Cycle now) override {
    if (offset == kLcr) m_lcr = static_cast<uint8_t>(value);
    if (offset == kThr && !(m_lcr & 0x80)) send(static_cast<uint8_t>(value));
    return m_inner->write(offset, value, size, now);
  }
  void advance(Cycle now) override { m_inner->advance(now); }
  Cycle next_event(Cycle now) const override { return m_inner->next_event(now); }
  Cycle next_irq_event(Cycle now) const override { return m_inner->next_irq_event(now); }
  bool irq_events_apart() const override { return m_inner->irq_events_apart(); }
  uint32_t irq() const override { return m_inner->irq(); }
  bool declares_wait_states() const override { return m_inner->declares_wait_states(); }
  unsigned wait_states(uint64_t offset, bool write, unsigned size) const override {
    return m_inner->wait_states(offset, write, size);
  }
  void attach_dma(DmaPort* port) override { m_inner->attach_dma(port); }
  void attach_pins(const PinSource* source) override { m_inner->attach_pins(source); }
  bool sends_serial() const override { return true; }
  void take_serial(std::string& append_to) override {
    append_to += m_sent;
    m_sent.clear();
  }
  void save(StateWriter& out) const override { m_inner->save(out); }
  std::string restore(StateReader& in) override { return m_inner->restore(in); }

 private:
  void send(uint8_t byte) {
    const size_t n = m_count++;
    if (auto e = m_script.extra.find(n); e != m_script.extra.end()) m_sent += e->second;
    if (m_script.drop.count(n)) return;
    if (auto c = m_script.change.find(n); c != m_script.change.end()) byte = c->second;
    m_sent += static_cast<char>(byte);
    if (auto a = m_script.after.find(n); a != m_script.after.end()) m_sent += a->second;
  }

  std::unique_ptr<Device> m_inner;
  Script m_script;
  uint8_t m_lcr = 0;
  size_t m_count = 0;
  std::string m_sent;
};

DeviceBinding sending_binding(const Script& script) {
  DeviceBinding b = binding_uart16550_pins();
  auto make = b.make_model;
  b.make_model = [make, script] { return std::make_unique<SendingModel>(make(), script); };
  return b;
}

Waiver serial_waiver(std::optional<uint64_t> rtl, std::optional<uint64_t> model, std::optional<uint64_t> bits = {}) {
  Waiver w;
  w.where = "serial_compare_test";
  w.device = "uart16550_pins";
  w.kind = DivergenceKind::serial;
  w.rtl = rtl;
  w.model = model;
  w.bits = bits;
  w.reason = "test";
  return w;
}

constexpr uint64_t kFrame = 10 * 16;  // 8N1 at divisor 1: 16 edges a bit

// 8N1 at divisor 1, FIFOs on: then every byte written is sent, in order.
void configure(Lockstep& engine) {
  engine.execute(Step::write(kLcr, 0x80, 1));
  engine.execute(Step::write(kDll, 1, 1));
  engine.execute(Step::write(kDlm, 0, 1));
  engine.execute(Step::write(kLcr, 0x03, 1));
  engine.execute(Step::write(kFcr, 0x07, 1));
}

// Writes `text` to THR and waits until the RTL has sent it; false once the run has diverged.
bool send(Lockstep& engine, const std::string& text) {
  for (char c : text) {
    if (engine.diverged()) return false;
    engine.execute(Step::write(kThr, static_cast<uint8_t>(c), 1));
  }
  for (size_t n = 0; n <= text.size() && !engine.diverged(); ++n) engine.execute(Step::idle(kFrame));
  return !engine.diverged();
}

struct Run {
  std::optional<Divergence> divergence;
  std::vector<WaiverUse> waived;
  bool diverged_before_finish = false;
};

Run run(const Script& script, const std::vector<std::string>& batches, const std::vector<Waiver>& waivers = {}) {
  const DeviceBinding b = sending_binding(script);
  WaiverSet set;
  set.waivers = waivers;
  LockstepOptions options;
  if (!waivers.empty()) options.waivers = &set;
  Lockstep engine(b, options);
  configure(engine);
  for (const std::string& text : batches)
    if (!send(engine, text)) break;
  if (!engine.diverged()) engine.execute(Step::idle(3 * kFrame));  // the line drained: two frames idle
  Run r;
  r.diverged_before_finish = engine.diverged();
  engine.finish();
  r.divergence = engine.divergence();
  r.waived = engine.waived();
  return r;
}
}  // namespace

TEST_CASE("serial: streams that agree are no divergence", "[serial]") {
  const Run r = run({}, {"tandem", " serial\r\n"});
  CHECK_FALSE(r.divergence);
}

TEST_CASE("serial: a character only the RTL sent is found as soon as the RTL's next one follows it", "[serial]") {
  Script s;
  s.drop = {2};  // "ta" then "dem": the RTL sent 'n' the model side did not
  const Run r = run(s, {"tandem", "more"});
  REQUIRE(r.divergence);
  CHECK(r.diverged_before_finish);  // in the run, not at its end
  CHECK(r.divergence->kind == DivergenceKind::serial);
  CHECK(r.divergence->reg == "serial");
  CHECK(r.divergence->rtl == 'n');
  CHECK(r.divergence->model == kNone);
  CHECK(r.divergence->detail ==
        "character #2 on serial: the RTL sent 0x6e and 0 more that the model side did not "
        "send (the model side's next, 0x64, follows them)");
}

TEST_CASE("serial: past a waived RTL-only character the streams are realigned and compared on", "[serial]") {
  Script s;
  s.drop = {2};
  SECTION("the rest agrees: the run ends clean, the waiver used once") {
    const Run r = run(s, {"tandem", "more"}, {serial_waiver({}, kNone)});
    CHECK_FALSE(r.divergence);
    REQUIRE(r.waived.size() == 1);
    CHECK(r.waived[0].count == 1);
    CHECK(r.waived[0].first.rtl == 'n');
  }
  SECTION("a later difference is still found, at its own character") {
    s.change[8] = 'X';  // "tandem" "mo" then 'r' sent as 'X'
    const Run r = run(s, {"tandem", "more"}, {serial_waiver({}, kNone)});
    REQUIRE(r.divergence);
    CHECK(r.divergence->rtl == 'r');
    CHECK(r.divergence->model == 'X');
    CHECK(r.divergence->detail == "character #8 on serial differs: the RTL sent 0x72, the model side 0x58");
  }
}

TEST_CASE("serial: characters only the model side sent are found and skipped", "[serial]") {
  Script s;
  s.extra[3] = "XY";  // "tan" "XY" "dem": the RTL dropped two
  const Run plain = run(s, {"tandem"});
  REQUIRE(plain.divergence);
  CHECK(plain.divergence->rtl == kNone);
  CHECK(plain.divergence->model == 'X');
  CHECK(plain.divergence->detail ==
        "character #3 on serial: the model side sent 0x58 and 1 more that the RTL did not "
        "send (the RTL's next, 0x64, follows them)");
  const Run waived = run(s, {"tandem", "more"}, {serial_waiver(kNone, {})});
  CHECK_FALSE(waived.divergence);
  REQUIRE(waived.waived.size() == 1);
  CHECK(waived.waived[0].count == 1);
}

TEST_CASE("serial: any number of characters only the model side sent are skipped (a 16450's overwritten THR)",
          "[serial]") {
  Script s;
  s.extra[3] = std::string(40, 'Z');  // more than a FIFO holds: the RTL overwrote them, one by one
  const Run waived = run(s, {"tandem", "more"}, {serial_waiver(kNone, {})});
  CHECK_FALSE(waived.divergence);
  REQUIRE(waived.waived.size() == 1);
  CHECK(waived.waived[0].count == 1);
  CHECK(waived.waived[0].first.model == 'Z');
  CHECK(waived.waived[0].first.detail ==
        "character #3 on serial: the model side sent 0x5a and 39 more that the RTL "
        "did not send (the RTL's next, 0x64, follows them)");
}

TEST_CASE("serial: a changed character is one pair, decided once the streams are long enough to tell", "[serial]") {
  Script s;
  s.change[1] = 'A';  // 'a' sent as 'A'
  const Run r = run(s, {"tandem"});
  REQUIRE(r.divergence);
  CHECK(r.divergence->rtl == 'a');
  CHECK(r.divergence->model == 'A');
  // A waiver of those bits makes the pair the same character: the run goes on, and a shift
  // the waiver allows is not taken for one.
  const Run w = run(s, {"tandem", "serial"}, {serial_waiver({}, {}, 0x20)});
  CHECK_FALSE(w.divergence);
  REQUIRE(w.waived.size() == 1);
  CHECK(w.waived[0].count == 1);
}

TEST_CASE("serial: a waiver of any difference does not make two characters the same for realigning", "[serial]") {
  Script s;
  s.drop = {2};
  // Taken as the same, every later pair would be shifted by one and each waived; the drop is
  // one RTL-only character and the rest agrees.
  const Run r = run(s, {"tandem", "more"}, {serial_waiver({}, {})});
  CHECK_FALSE(r.divergence);
  REQUIRE(r.waived.size() == 1);
  CHECK(r.waived[0].count == 1);
  CHECK(r.waived[0].first.rtl == 'n');
  CHECK(r.waived[0].first.model == kNone);
}

TEST_CASE("serial: a conditional waiver of any difference takes a pair while its condition holds", "[serial]") {
  Script s;
  s.change[1] = 'X';
  Waiver w = serial_waiver({}, {});
  w.when = WaiverCondition{"SCR", "DATA", 1, "SCR.DATA=1"};
  const DeviceBinding b = sending_binding(s);
  WaiverSet set;
  set.waivers = {w};
  LockstepOptions options;
  options.waivers = &set;
  Lockstep engine(b, options);
  configure(engine);
  constexpr uint64_t kScr = 7;
  engine.execute(Step::write(kScr, 1, 1));
  REQUIRE(send(engine, "tandem"));
  // The pair was seen while SCR was 1, though the streams were too short to tell a shift from
  // a pair then; the condition no longer holds when they are decided at the end.
  engine.execute(Step::write(kScr, 0, 1));
  engine.finish();
  CHECK_FALSE(engine.divergence());
  REQUIRE(engine.waived().size() == 1);
  CHECK(engine.waived()[0].first.rtl == 'a');
  CHECK(engine.waived()[0].first.model == 'X');
}

TEST_CASE("serial: at the end, characters one side sent and the other did not are a divergence", "[serial]") {
  SECTION("the RTL's") {
    Script s;
    s.drop = {5};
    const Run r = run(s, {"tandem"});
    REQUIRE(r.divergence);
    CHECK_FALSE(r.diverged_before_finish);
    CHECK(r.divergence->rtl == 'm');
    CHECK(r.divergence->model == kNone);
  }
  SECTION("the model side's, once the RTL's line is idle") {
    Script s;
    s.after[5] = "?!";
    const Run r = run(s, {"tandem"});
    REQUIRE(r.divergence);
    CHECK_FALSE(r.diverged_before_finish);
    CHECK(r.divergence->rtl == kNone);
    CHECK(r.divergence->model == '?');
    CHECK(r.divergence->detail ==
          "character #6 on serial: the model side sent 0x3f and 1 more, the RTL sent no more "
          "and its line is idle");
  }
}
