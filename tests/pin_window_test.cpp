// The line model's engine hooks (docs/pins.md): a window of offsets the source serves in place
// of the device, the model alone reporting its output pins to the source, and the source's
// state carried in checkpoints and snapshots. On the pin test block (tests/rtl/pins_testblock.sv,
// registers 0-2; the RTL and its model answer an error everywhere else) with a source of its
// own that serves 0x10-0x14.
#include <catch2/catch.hpp>

#include <tandem/lockstep.h>
#include <tandem/lockstep_observer.h>
#include <tandem/model_executor.h>
#include <tandem/rtl_executor.h>
#include <tandem/snapshot.h>

#include "tests/pins_testblock_model.h"

namespace tandem {
DeviceBinding binding_pins_test();
}  // namespace tandem

using namespace tandem;

namespace {
constexpr uint64_t kOut = 0;
// The window: the access edge's low and high byte, a scratch register, an offset that answers
// an error, and the output pins as last heard.
constexpr uint64_t kNowLo = 0x10, kNowHi = 0x11, kScratch = 0x12, kBad = 0x13, kHeard = 0x14;

// The binding's counting din (CountingPins), plus the window; it records what it serves and
// hears, and keeps the scratch register as its saved state.
class WindowPins : public tests::CountingPins {
 public:
  struct Served {
    uint64_t offset;
    bool write;
    uint64_t value;
    Cycle at;
  };
  bool has_window() const override { return true; }
  bool serves(uint64_t offset) const override { return offset >= kNowLo && offset <= kHeard; }
  BusResponse serve(uint64_t offset, bool write, uint64_t value, unsigned, Cycle at) override {
    served.push_back({offset, write, value, at});
    switch (offset) {
      case kNowLo: return {at & 0xff, false};
      case kNowHi: return {(at >> 8) & 0xff, false};
      case kScratch:
        if (write) scratch = value & 0xff;
        return {scratch, false};
      case kHeard: return {heard.empty() ? 0 : heard.back().second, false};
      default: return {0, true};
    }
  }
  void on_outputs(Cycle t, uint32_t outputs) override { heard.emplace_back(t, outputs); }
  void save(StateWriter& out) const override { out.u64(scratch); }
  std::string restore(StateReader& in) override {
    uint64_t v = 0;
    if (!in.u64(v)) return "scratch: truncated";
    if (v > 0xff) return "scratch: more than 8 bits";
    scratch = v;
    return "";
  }

  uint64_t scratch = 0;
  std::vector<Served> served;
  std::vector<std::pair<Cycle, uint32_t>> heard;
};

DeviceBinding windowed() {
  DeviceBinding b = binding_pins_test();
  b.make_pin_source = [] { return std::make_unique<WindowPins>(); };
  return b;
}

WindowPins& window_of(PinSource* source) { return dynamic_cast<WindowPins&>(*source); }

// Runs `steps` on the executor; returns each step's result.
std::vector<StepResult> run(Executor& e, const std::vector<Step>& steps) {
  std::vector<StepResult> out;
  for (const Step& s : steps) out.push_back(e.execute(s));
  return out;
}
}  // namespace

// ---------------------------------------------------------------- the window

TEST_CASE("a beat in the window is served by the source at a zero-wait transfer's access edge, on every executor",
          "[pins][window]") {
  const DeviceBinding b = windowed();
  RtlExecutor rtl(b, {});
  ModelExecutor model(b, 2);
  Lockstep lockstep(b);
  for (Executor* e : std::initializer_list<Executor*>{&rtl, &model, &lockstep}) {
    e->execute(Step::idle(5));
    const Cycle start = e->now();
    const StepResult r = e->execute(Step::read(kNowLo, 1));
    CHECK(r.data == ((start + b.access_edges) & 0xff));
    CHECK_FALSE(r.error);  // the device itself answers an error at 0x10
    CHECK(e->now() == start + b.access_edges);
  }
  for (PinSource* p : {rtl.pins(), model.pins(), lockstep.pins()}) {
    REQUIRE(window_of(p).served.size() == 1);
    CHECK(window_of(p).served[0].offset == kNowLo);
    CHECK_FALSE(window_of(p).served[0].write);
    CHECK(window_of(p).served[0].at == b.hints.reset_cycles + 5 + b.access_edges);
  }
  CHECK_FALSE(lockstep.diverged());
}

TEST_CASE("a write in the window reaches the source alone, and later reads of it are the source's", "[pins][window]") {
  const DeviceBinding b = windowed();
  RtlExecutor rtl(b, {});
  ModelExecutor model(b, 2);
  Lockstep lockstep(b);
  for (Executor* e : std::initializer_list<Executor*>{&rtl, &model, &lockstep}) {
    const std::vector<StepResult> r =
        run(*e, {Step::write(kScratch, 0x5a, 1), Step::read(kScratch, 1), Step::read(kOut, 1)});
    CHECK_FALSE(r[0].error);
    CHECK(r[1].data == 0x5a);
    CHECK(r[2].data == 0);  // the device's own OUT did not take the write
  }
  CHECK(window_of(rtl.pins()).served[0].value == 0x5a);
  CHECK(window_of(lockstep.pins()).served[0].write);
  CHECK_FALSE(lockstep.diverged());
}

TEST_CASE("the source's error response in the window is the step's on every executor", "[pins][window]") {
  const DeviceBinding b = windowed();
  RtlExecutor rtl(b, {});
  ModelExecutor model(b, 2);
  Lockstep lockstep(b);
  for (Executor* e : std::initializer_list<Executor*>{&rtl, &model, &lockstep}) {
    CHECK(e->execute(Step::read(kBad, 1)).error);
    CHECK(e->execute(Step::write(kBad, 1, 1)).error);
    CHECK(e->execute(Step::read(0x20, 1)).error);  // outside the window: the device's own error
  }
  CHECK_FALSE(lockstep.diverged());
}

TEST_CASE("an access wider than the bus is served beat by beat, each at its own access edge", "[pins][window]") {
  const DeviceBinding b = windowed();  // an 8-bit bus: a 2-byte read is two transfers
  RtlExecutor rtl(b, {});
  ModelExecutor model(b, 2);
  Lockstep lockstep(b);
  for (Executor* e : std::initializer_list<Executor*>{&rtl, &model, &lockstep}) {
    e->execute(Step::idle(300));
    const Cycle start = e->now();
    const uint64_t v = e->execute(Step::read(kNowLo, 2)).data;
    CHECK((v & 0xff) == ((start + b.access_edges) & 0xff));
    CHECK((v >> 8) == ((start + 2 * b.access_edges) >> 8));
    CHECK(e->now() == start + 2 * b.access_edges);
  }
}

TEST_CASE("lockstep keeps comparing the pins across served beats, with the model brought to each access edge",
          "[pins][window]") {
  const DeviceBinding b = windowed();
  Lockstep engine(b);
  engine.execute(Step::write(2, 0xf, 1));  // MASK: irq follows din, which changes every 7 edges
  for (unsigned i = 0; i < 40; ++i) {
    engine.execute(Step::read(kNowLo, 1));
    engine.execute(Step::write(kOut, i & 0xf, 1));
    engine.execute(Step::read(kHeard, 1));
    engine.execute(Step::idle(i % 5));
  }
  CHECK_FALSE(engine.diverged());
  CHECK(engine.stats().reads == 80);
  CHECK(engine.stats().writes == 41);
  // Every edge after the first reset was compared, served beats' edges too.
  CHECK(engine.stats().irq_checks + b.hints.reset_cycles >= engine.stats().cycles);
}

namespace {
struct BeatRecorder : LockstepObserver {
  void on_step(size_t, const Step&, Cycle, Cycle) override {}
  void on_beat(const BeatObservation& beat) override { beats.push_back(beat); }
  void on_irq(Cycle, uint32_t, uint32_t) override {}
  void on_dma(bool, const DmaAccess&) override {}
  std::vector<BeatObservation> beats;
};
}  // namespace

TEST_CASE("an observer of lockstep sees a served beat with the source's one answer on both sides", "[pins][window]") {
  const DeviceBinding b = windowed();
  BeatRecorder recorder;
  LockstepOptions options;
  options.observer = &recorder;
  Lockstep engine(b, options);
  engine.execute(Step::idle(3));
  engine.execute(Step::read(kNowLo, 1));
  REQUIRE(recorder.beats.size() == 1);
  const BeatObservation& beat = recorder.beats[0];
  CHECK(beat.start == 5);
  CHECK(beat.done == 5 + b.access_edges);
  CHECK(beat.addr == kNowLo);
  CHECK(beat.rtl_data == beat.done);
  CHECK(beat.model_data == beat.done);
  CHECK_FALSE(beat.rtl_error);
  CHECK_FALSE(beat.model_error);
}

// ---------------------------------------------------------------- outputs heard from the model

TEST_CASE("the model alone reports its output pins to the source at the edges the RTL's harness does",
          "[pins][outputs]") {
  const DeviceBinding b = windowed();
  RtlExecutor rtl(b, {});
  ModelExecutor model(b, 2);
  const std::vector<Step> steps = {Step::write(kOut, 0x3, 1), Step::idle(30),        Step::write(kOut, 0x9, 1),
                                   Step::read(1, 1),          Step::idle(1000),      Step::mem_write(0x100, 1, 1),
                                   Step::write(kOut, 0x0, 1), Step::read(kNowLo, 1), Step::idle(17)};
  run(rtl, steps);
  run(model, steps);
  const auto& heard = window_of(rtl.pins()).heard;
  // dout takes OUT at the write's access edge; echo (bit 4) is din[0] registered, which the
  // counting source turns every 7 edges.
  REQUIRE(heard.size() > 100);
  CHECK(heard[0] == std::make_pair(Cycle(b.hints.reset_cycles + b.access_edges), uint32_t(0x3)));
  CHECK(window_of(model.pins()).heard == heard);
}

TEST_CASE("a served beat sees the output pins of every edge up to its access edge", "[pins][outputs]") {
  const DeviceBinding b = windowed();
  RtlExecutor rtl(b, {});
  ModelExecutor model(b, 2);
  for (Executor* e : std::initializer_list<Executor*>{&rtl, &model}) {
    // Edge 4: dout = 5; din's first odd value is registered at edge 7, so echo rises there.
    CHECK(e->execute(Step::write(kOut, 0x5, 1)).error == false);
    CHECK(e->execute(Step::read(kHeard, 1)).data == 0x05);  // served at edge 6
    CHECK(e->execute(Step::read(kHeard, 1)).data == 0x15);  // at edge 8: echo up since edge 7
    e->execute(Step::idle(4));
    CHECK(e->execute(Step::read(kHeard, 1)).data == 0x05);  // at edge 14: echo falls at that very edge
  }
}

TEST_CASE("the model alone reports a change its reset makes at the reset's last edge", "[pins][outputs]") {
  const DeviceBinding b = windowed();
  ModelExecutor model(b, 2);
  model.execute(Step::write(kOut, 0xc, 1));
  const Cycle before = model.now();
  model.execute(Step::reset());
  const auto& heard = window_of(model.pins()).heard;
  REQUIRE(heard.size() >= 2);
  CHECK(heard.back() == std::make_pair(Cycle(before + b.hints.reset_cycles), uint32_t(0)));
}

TEST_CASE("the model alone reports the output pins of a restored state at the edge it goes on from",
          "[pins][outputs]") {
  const DeviceBinding b = windowed();
  ModelExecutor saved(b, 2);
  saved.execute(Step::write(kOut, 0x9, 1));
  StateWriter state;
  saved.model().save(state);
  ModelExecutor restored(b, 2);
  REQUIRE(restored.restore_model(state.bytes, 40) == "");
  // At edge 40 the counting din (40 / 7 * 5 = 25, odd) has echo up too.
  REQUIRE_FALSE(window_of(restored.pins()).heard.empty());
  CHECK(window_of(restored.pins()).heard.back() == std::make_pair(Cycle(40), uint32_t(0x19)));
}

// ---------------------------------------------------------------- the source's saved state

namespace {
LockstepOptions savable() {
  LockstepOptions o;
  o.savable_rtl = true;
  return o;
}
std::vector<uint8_t> checkpoint_with_scratch(const DeviceBinding& b, uint64_t scratch) {
  Lockstep engine(b, savable());
  engine.execute(Step::write(kScratch, scratch, 1));
  engine.execute(Step::idle(9));
  StateWriter w;
  engine.save_checkpoint(w);
  return w.bytes;
}
// The PINS section is the checkpoint's last: tag (4 bytes), length (8), the source's 8 bytes.
constexpr size_t kPinsSection = 4 + 8 + 8;
}  // namespace

TEST_CASE("a checkpoint carries the line model's state, and a run restored from it goes on with it",
          "[pins][checkpoint]") {
  const DeviceBinding b = windowed();
  if (!b.make_savable_rtl) return;  // built with TANDEM_CHECKPOINT=OFF
  const std::vector<uint8_t> saved = checkpoint_with_scratch(b, 0xa7);
  Lockstep restored(b, savable());
  StateReader in(saved);
  REQUIRE(restored.restore_checkpoint(in) == "");
  CHECK(window_of(restored.pins()).scratch == 0xa7);
  CHECK(restored.execute(Step::read(kScratch, 1)).data == 0xa7);
  restored.execute(Step::idle(50));
  CHECK_FALSE(restored.diverged());
}

TEST_CASE("a checkpoint without the line model's section (an older one) still restores", "[pins][checkpoint]") {
  const DeviceBinding b = windowed();
  if (!b.make_savable_rtl) return;
  std::vector<uint8_t> saved = checkpoint_with_scratch(b, 0xa7);
  saved.resize(saved.size() - kPinsSection);
  Lockstep restored(b, savable());
  window_of(restored.pins()).scratch = 0x11;
  StateReader in(saved);
  REQUIRE(restored.restore_checkpoint(in) == "");
  CHECK(window_of(restored.pins()).scratch == 0x11);  // the source keeps its own
  CHECK(restored.now() == b.hints.reset_cycles + b.access_edges + 9);
  restored.execute(Step::idle(50));
  CHECK_FALSE(restored.diverged());
}

TEST_CASE("a damaged line-model section of a checkpoint is refused naming pins", "[pins][checkpoint]") {
  const DeviceBinding b = windowed();
  if (!b.make_savable_rtl) return;
  const std::vector<uint8_t> good = checkpoint_with_scratch(b, 0xa7);
  auto restore = [&](const std::vector<uint8_t>& bytes) {
    Lockstep engine(b, savable());
    StateReader in(bytes);
    return engine.restore_checkpoint(in);
  };
  std::vector<uint8_t> bad = good;
  bad[bad.size() - 8 + 1] = 1;  // scratch 0x1a7
  CHECK(restore(bad) == "pins: scratch: more than 8 bits");
  bad = good;
  bad.resize(bad.size() - 3);
  CHECK(restore(bad) == "pins: truncated");
  bad = good;
  bad[bad.size() - kPinsSection] ^= 1;  // the tag
  CHECK(restore(bad) == "engine: trailing bytes");
  bad = good;
  bad.push_back(0);
  bad[bad.size() - kPinsSection + 4 - 1] = 9;  // a length of 9: one byte more than the source takes
  CHECK(restore(bad) == "pins: trailing bytes after the line model's state");
}

TEST_CASE("a snapshot carries the line model's state as format v2, and restores it", "[pins][snapshot]") {
  const DeviceBinding b = windowed();
  ModelExecutor model(b, 2);
  model.execute(Step::write(kScratch, 0x3c, 1));
  const std::vector<uint8_t> bytes = encode_snapshot(take_snapshot(b, model.model(), model.pins()));
  CHECK(bytes[8] == 2);
  const Snapshot s = decode_snapshot(bytes, "p.snap");
  REQUIRE(s.pins.size() == 8);
  std::unique_ptr<Device> fresh = b.make_model();
  WindowPins pins;
  CHECK(restore_snapshot(b, s, *fresh, &pins) == "");
  CHECK(pins.scratch == 0x3c);
}

TEST_CASE("a snapshot without line-model state is format v1 as before, and restores leaving the source as it is",
          "[pins][snapshot]") {
  const DeviceBinding b = windowed();
  ModelExecutor model(b, 2);
  const std::vector<uint8_t> bytes = encode_snapshot(take_snapshot(b, model.model()));
  CHECK(bytes[8] == 1);
  const Snapshot s = decode_snapshot(bytes, "p.snap");
  CHECK(s.pins.empty());
  std::unique_ptr<Device> fresh = b.make_model();
  WindowPins pins;
  pins.scratch = 0x44;
  CHECK(restore_snapshot(b, s, *fresh, &pins) == "");
  CHECK(pins.scratch == 0x44);
}

TEST_CASE("a snapshot's line-model state is refused where it does not fit, and nothing is changed",
          "[pins][snapshot]") {
  const DeviceBinding b = windowed();
  ModelExecutor model(b, 2);
  model.execute(Step::write(kOut, 0x6, 1));
  model.execute(Step::write(kScratch, 0x3c, 1));
  Snapshot s = take_snapshot(b, model.model(), model.pins());
  std::unique_ptr<Device> fresh = b.make_model();
  fresh->reset(2);
  CHECK(restore_snapshot(b, s, *fresh) ==
        "pins: the snapshot carries 8 bytes of a line model's state, and device 'pins_test' has no line model");
  s.pins[1] = 1;  // scratch 0x13c
  WindowPins pins;
  CHECK(restore_snapshot(b, s, *fresh, &pins) == "pins: scratch: more than 8 bits");
  CHECK(fresh->read(kOut, 1, 10).data == 0);  // the model's part was put back
  CHECK(pins.scratch == 0);
}
