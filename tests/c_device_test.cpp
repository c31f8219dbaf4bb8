// The C device interface: the adapter keeps each contract of tandem/c_device.h (lines, timers
// and next_event, access order within an edge, DMA, save/restore and its rejections, contract
// violations), and timer_c, the timer's model in plain C, passes what the C++ timer model
// passes: lockstep against the RTL, the same answers step for step, the mutants, save/restore.
#include <catch2/catch.hpp>

#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include <tandem/c_device_adapter.h>
#include <tandem/campaign.h>
#include <tandem/error.h>
#include <tandem/guest_memory.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/program_run.h>
#include <tandem/stimulus.h>

#include "models/timer/timer_c.h"
#include "models/timer/timer_model.h"
#include "tests/test_support.h"

using namespace tandem;
using M = models::TimerModel;

namespace {

// ------------------------------------------------------------------ a probe device

// A C device whose callbacks log what they were called with and run what a test asks. The test
// owns it: it is the table's config, and create() hands it back as the instance.
struct Probe {
  const tandem_c_host* host = nullptr;
  std::vector<std::string> log;
  std::function<void(Probe&, uint64_t offset, uint64_t value)> on_write;
  std::function<void(Probe&, unsigned id)> on_timer;
  std::function<void(Probe&)> on_restore;
  // From an array, not an initializer list: GCC 12 at -O2 warns maybe-uninitialized on the
  // list's backing store once this constructor is inlined into a test (a false positive).
  static constexpr uint8_t kInitialState[] = {1, 2, 3};
  std::vector<uint8_t> state = std::vector<uint8_t>(std::begin(kInitialState), std::end(kInitialState));
  uint64_t read_value = 0;
  bool fail_create = false;

  uint64_t clock() const { return host->clock(host->ctx); }
  void set_irq(unsigned line, int level) const { host->set_irq(host->ctx, line, level); }
  void arm(unsigned id, uint64_t at) const { host->timer_arm(host->ctx, id, at); }
  void note(const std::string& what) { log.push_back(what + " @" + std::to_string(clock())); }
};

Probe& probe(void* opaque) { return *static_cast<Probe*>(opaque); }

void* probe_create(const tandem_c_host* host, const void* config) {
  auto* p = static_cast<Probe*>(const_cast<void*>(config));
  if (p->fail_create) return nullptr;
  p->host = host;
  return p;
}
void probe_destroy(void*) {}
void probe_reset(void* o) { probe(o).note("reset"); }
uint64_t probe_read(void* o, uint64_t offset, unsigned, int* error) {
  probe(o).note("read " + std::to_string(offset));
  if (offset == 0xbad) *error = 1;
  return probe(o).read_value;
}
void probe_write(void* o, uint64_t offset, uint64_t value, unsigned, int* error) {
  Probe& p = probe(o);
  p.note("write " + std::to_string(offset));
  if (offset == 0xbad) *error = 1;
  if (p.on_write) p.on_write(p, offset, value);
}
void probe_timer(void* o, unsigned id) {
  Probe& p = probe(o);
  p.note("timer " + std::to_string(id));
  if (p.on_timer) p.on_timer(p, id);
}
size_t probe_state_size(void* o) { return probe(o).state.size(); }
void probe_save(void* o, uint8_t* buf) { std::copy(probe(o).state.begin(), probe(o).state.end(), buf); }
const char* probe_restore(void* o, const uint8_t* buf, size_t len) {
  Probe& p = probe(o);
  if (p.on_restore) p.on_restore(p);  // host calls before the verdict: undone on a rejection
  if (len == 0 || buf[0] == 0xff) return "probe.mode: 0xff is no mode";
  p.state.assign(buf, buf + len);
  return nullptr;
}

tandem_c_device probe_table(Probe& p) {
  tandem_c_device d{};
  d.abi = TANDEM_C_DEVICE_ABI;
  d.name = "probe";
  d.irq_lines = 3;
  d.timers = 3;
  d.config = &p;
  d.create = probe_create;
  d.destroy = probe_destroy;
  d.reset = probe_reset;
  d.read = probe_read;
  d.write = probe_write;
  d.timer = probe_timer;
  d.state_size = probe_state_size;
  d.save = probe_save;
  d.restore = probe_restore;
  return d;
}

// A DMA port over a guest memory that records the edge of every access.
struct RecordingPort final : DmaPort {
  GuestMemory memory;
  std::vector<std::string> log;
  unsigned lat = 0;
  uint64_t read(uint64_t addr, unsigned size, Cycle at) override {
    log.push_back("read " + std::to_string(addr) + "/" + std::to_string(size) + " @" + std::to_string(at));
    return memory.read(addr, size);
  }
  void write(uint64_t addr, uint64_t value, unsigned size, Cycle at) override {
    log.push_back("write " + std::to_string(addr) + "/" + std::to_string(size) + " @" + std::to_string(at));
    memory.write(addr, value, size);
  }
  unsigned latency() const override { return lat; }
};

std::vector<uint8_t> save_of(const Device& d) {
  StateWriter w;
  d.save(w);
  return w.bytes;
}
std::string restore_of(Device& d, const std::vector<uint8_t>& bytes) {
  StateReader r(bytes);
  return d.restore(r);
}

}  // namespace

// ------------------------------------------------------------------ the adapter's contracts

TEST_CASE("C adapter: a line the device raises stays high in irq() until the device lowers it", "[c_device]") {
  Probe p;
  p.on_write = [](Probe& q, uint64_t line, uint64_t level) { q.set_irq(static_cast<unsigned>(line), level != 0); };
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  a.reset(1);
  CHECK(a.irq() == 0);
  a.write(0, 1, 4, 3);
  a.write(2, 1, 4, 5);
  CHECK(a.irq() == 0b101);
  a.advance(1000);
  CHECK(a.irq() == 0b101);
  a.write(2, 1, 4, 1002);  // driving a line to its level changes nothing
  a.write(0, 0, 4, 1004);
  CHECK(a.irq() == 0b100);
  a.reset(1010);  // reset lowers every line before the device's reset runs
  CHECK(a.irq() == 0);
}

TEST_CASE("C adapter: an armed timer is next_event and fires with clock() at its edge", "[c_device]") {
  Probe p;
  p.on_write = [](Probe& q, uint64_t, uint64_t at) { q.arm(1, at); };
  p.on_timer = [](Probe& q, unsigned) { q.set_irq(0, 1); };
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  a.reset(1);
  CHECK(a.next_event(1) == kNever);
  a.write(0, 40, 4, 3);
  CHECK(a.next_event(3) == 40);
  CHECK(a.next_event(39) == 40);
  a.advance(39);
  CHECK(p.log.back() == "write 0 @3");
  CHECK(a.irq() == 0);
  // Asked from beyond an edge it has not fired yet: an early answer, never a late one.
  CHECK(a.next_event(60) == 61);
  a.advance(100);
  CHECK(p.log.back() == "timer 1 @40");
  CHECK(a.irq() == 1);
  CHECK(a.next_event(100) == kNever);
  CHECK(a.now() == 100);
}

TEST_CASE("C adapter: timers due before an access fire before it, one due at its edge after it, ties by id",
          "[c_device]") {
  Probe p;
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  a.reset(1);
  p.on_write = [](Probe& q, uint64_t, uint64_t) {
    q.arm(2, 10);
    q.arm(0, 10);
    q.arm(1, 12);
  };
  a.write(0, 0, 4, 2);
  p.on_write = nullptr;
  p.log.clear();
  a.write(7, 0, 4, 12);
  CHECK(p.log == std::vector<std::string>{"timer 0 @10", "timer 2 @10", "write 7 @12", "timer 1 @12"});
}

TEST_CASE("C adapter: a timer re-armed in its callback and a cancelled one", "[c_device]") {
  Probe p;
  p.on_timer = [](Probe& q, unsigned id) {
    if (id == 0 && q.clock() < 1000) q.arm(0, q.clock() + 100);
  };
  p.on_write = [](Probe& q, uint64_t offset, uint64_t) {
    if (offset == 0) q.arm(0, q.clock() + 100);
    if (offset == 1) q.arm(1, q.clock() + 5);
    if (offset == 2) q.host->timer_cancel(q.host->ctx, 1);
  };
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  a.reset(1);
  a.write(0, 0, 4, 100);
  a.advance(10000);
  CHECK(std::count_if(p.log.begin(), p.log.end(), [](const std::string& s) { return s.rfind("timer 0", 0) == 0; }) ==
        9);  // at 200, 300, ..., 1000
  CHECK(p.log.back() == "timer 0 @1000");
  a.write(1, 0, 4, 10002);
  a.write(2, 0, 4, 10004);
  CHECK(a.next_event(10004) == kNever);
  a.advance(20000);
  CHECK(p.log.back() == "write 2 @10004");
}

TEST_CASE("C adapter: DMA reads and writes guest memory through the port at the timer's edge", "[c_device]") {
  Probe p;
  p.on_write = [](Probe& q, uint64_t, uint64_t) { q.arm(0, q.clock() + 7); };
  p.on_timer = [](Probe& q, unsigned) {
    const uint64_t v = q.host->dma_read(q.host->ctx, 0x1000, 4);
    q.host->dma_write(q.host->ctx, 0x2000, v + q.host->dma_latency(q.host->ctx), 2);
  };
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  RecordingPort port;
  port.lat = 3;
  port.memory.write(0x1000, 0x1234, 4);
  a.attach_dma(&port);
  a.reset(1);
  a.write(0, 0, 4, 5);
  a.advance(20);
  CHECK(port.log == std::vector<std::string>{"read 4096/4 @12", "write 8192/2 @12"});
  CHECK(port.memory.read(0x2000, 4) == 0x1237);

  // Without a port: reads answer 0, writes go nowhere, the latency is 0.
  a.attach_dma(nullptr);
  a.write(0, 0, 4, 30);
  a.advance(40);
  CHECK(port.log.size() == 2);
}

TEST_CASE("C adapter: read data and the bus error come from the device", "[c_device]") {
  Probe p;
  p.read_value = 0x1122334455667788ull;
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  a.reset(1);
  const BusResponse r = a.read(8, 2, 3);
  CHECK(r.data == 0x7788);  // only `size` bytes
  CHECK_FALSE(r.error);
  CHECK(a.read(0xbad, 4, 5).error);
  CHECK(a.write(0xbad, 1, 4, 7).error);
  CHECK_FALSE(a.write(8, 1, 4, 9).error);
  CHECK(p.log == std::vector<std::string>{"reset @1", "read 8 @3", "read 2989 @5", "write 2989 @7", "write 8 @9"});
}

TEST_CASE("C adapter: save and restore carry the device's bytes and the edge it stands at", "[c_device]") {
  Probe p;
  p.state = {9, 8, 7, 6};
  p.on_restore = [](Probe& q) { q.note("restore"); };
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  a.reset(1);
  a.advance(77);
  const std::vector<uint8_t> bytes = save_of(a);
  // version 1, edge 77, blob of 4
  CHECK(bytes == std::vector<uint8_t>{1, 0, 0, 0, 77, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 9, 8, 7, 6});
  Probe q;
  q.on_restore = p.on_restore;
  const tandem_c_device table_q = probe_table(q);
  CDeviceAdapter b(table_q);
  b.reset(1);
  REQUIRE(restore_of(b, bytes).empty());
  CHECK(q.state == p.state);
  CHECK(q.log.back() == "restore @77");  // clock() is the saved edge
  CHECK(b.now() == 77);
  CHECK(save_of(b) == bytes);
}

TEST_CASE("C adapter: a refused restore leaves the device, its lines and its timers as they were", "[c_device]") {
  Probe p;
  p.on_write = [](Probe& q, uint64_t, uint64_t) {
    q.set_irq(1, 1);
    q.arm(2, 500);
  };
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  a.reset(1);
  a.write(0, 0, 4, 3);
  const std::vector<uint8_t> good = save_of(a);
  // The device drives a line and arms a timer, then refuses: the host's side is put back.
  p.on_restore = [](Probe& q) {
    q.set_irq(0, 1);
    q.set_irq(1, 0);
    q.arm(0, 9);
  };
  std::vector<uint8_t> bad = good;
  bad[20] = 0xff;
  CHECK(restore_of(a, bad) == "probe.mode: 0xff is no mode");
  CHECK(p.state == std::vector<uint8_t>{1, 2, 3});
  CHECK(a.irq() == 0b010);
  CHECK(a.next_event(3) == 500);
  CHECK(a.now() == 3);

  // The adapter's own header is checked before the device sees anything.
  p.log.clear();
  bad = good;
  bad[0] = 2;
  CHECK(restore_of(a, bad) == "c_device.version: expected 1");
  bad = good;
  bad[11] = 0x40;
  CHECK(restore_of(a, bad) == "cycle: beyond 2^62");
  bad = good;
  bad[17] = 1;  // a blob of 2^40 + 3 bytes: refused, not allocated
  CHECK(restore_of(a, bad) == "c_device.state: truncated or beyond 1 MiB");
  bad = good;
  bad.pop_back();
  CHECK(restore_of(a, bad) == "c_device.state: truncated or beyond 1 MiB");
  bad = good;
  bad.push_back(0);
  CHECK(restore_of(a, bad) == "trailing bytes");
  CHECK(p.log.empty());
  CHECK(a.irq() == 0b010);
}

TEST_CASE("C adapter: a device breaking a host contract is a tandem::Error naming it and the call", "[c_device]") {
  Probe p;
  const tandem_c_device table = probe_table(p);
  CDeviceAdapter a(table);
  a.reset(1);
  p.on_write = [](Probe& q, uint64_t, uint64_t) { q.arm(0, q.clock()); };
  CHECK_THROWS_WITH(a.write(0, 0, 4, 5),
                    "C device 'probe': timer_arm: timer 0 armed for edge 5, not after the current edge 5");
  p.on_write = [](Probe& q, uint64_t, uint64_t) { q.arm(3, q.clock() + 1); };
  CHECK_THROWS_WITH(a.write(0, 0, 4, 7), "C device 'probe': timer_arm: timer 3 beyond its 3 timers");
  p.on_write = [](Probe& q, uint64_t, uint64_t) { q.set_irq(3, 1); };
  CHECK_THROWS_WITH(a.write(0, 0, 4, 9), "C device 'probe': set_irq: line 3 beyond its 3 lines");
  p.on_write = [](Probe& q, uint64_t, uint64_t) { q.host->dma_read(q.host->ctx, 0, 9); };
  CHECK_THROWS_WITH(a.write(0, 0, 4, 11), "C device 'probe': dma_read: size 9 outside 1..8");
  // Only the first violation of a callback is reported, and the next callback starts clean.
  p.on_write = nullptr;
  CHECK_NOTHROW(a.write(0, 0, 4, 13));
  CHECK(a.irq() == 0);
}

TEST_CASE("C adapter: a malformed device table is refused when the adapter is made", "[c_device]") {
  Probe p;
  tandem_c_device table = probe_table(p);
  table.abi = 2;
  CHECK_THROWS_WITH(CDeviceAdapter(table), "C device 'probe': ABI 2, expected 1");
  table = probe_table(p);
  table.read = nullptr;
  CHECK_THROWS_WITH(CDeviceAdapter(table), "C device 'probe': callback 'read' is missing");
  table = probe_table(p);
  table.timer = nullptr;
  CHECK_THROWS_WITH(CDeviceAdapter(table), "C device 'probe': callback 'timer' is missing");
  table.timers = 0;  // a device without timers needs no timer callback
  CHECK_NOTHROW(CDeviceAdapter(table));
  table = probe_table(p);
  table.irq_lines = 33;
  CHECK_THROWS_WITH(CDeviceAdapter(table), "C device 'probe': irq_lines beyond 32");
  table = probe_table(p);
  p.fail_create = true;
  CHECK_THROWS_WITH(CDeviceAdapter(table), "C device 'probe': create() returned NULL");
}

// ------------------------------------------------------------------ timer_c, the C model

namespace {
const DeviceBinding& timer_c() { return test_catalog().get("timer_c"); }
}  // namespace

TEST_CASE("timer_c is bound to the timer's RTL, map and hints", "[c_device][timer_c]") {
  const DeviceBinding& t = test_catalog().get("timer");
  CHECK(timer_c().regmap.registers.size() == t.regmap.registers.size());
  CHECK(timer_c().hints.irq_lines == t.hints.irq_lines);
  CHECK(timer_c().hints.max_idle == t.hints.max_idle);
  CHECK(dynamic_cast<CDeviceAdapter*>(timer_c().make_model().get()) != nullptr);
}

TEST_CASE("timer_c: the C and C++ models answer every step of the same programs alike", "[c_device][timer_c]") {
  for (uint64_t seed : {1, 2, 3}) {
    const Program p = generate_program("all", timer_c(), seed, 100000);
    ModelExecutor c(timer_c());
    ModelExecutor cxx(test_catalog().get("timer"));
    uint64_t irq_high = 0;
    for (size_t i = 0; i < p.size(); ++i) {
      const StepResult a = c.execute(p[i]);
      const StepResult b = cxx.execute(p[i]);
      INFO("seed " << seed << " step " << i << ": " << format_step(p[i]));
      REQUIRE(a.data == b.data);
      REQUIRE(a.error == b.error);
      REQUIRE(c.irq() == cxx.irq());
      REQUIRE(c.now() == cxx.now());
      irq_high += c.irq() != 0;
    }
    CHECK(irq_high > 1000);
  }
}

TEST_CASE("timer_c agrees with the timer RTL in lockstep on several seeds", "[c_device][timer_c]") {
  for (uint64_t seed : {1, 2, 3, 4}) {
    const RunRecord r = run_job(timer_c(), Job{"timer_c", "all", seed, 50000});
    INFO("seed " << seed << ": " << (r.divergence ? r.divergence->detail : r.failure));
    CHECK(r.clean());
    CHECK(r.stats.cycles > 500000);
  }
}

TEST_CASE("timer_c: 10^6 random steps in lockstep, zero divergences", "[c_device][timer_c][long]") {
  const RunRecord r = run_job(timer_c(), Job{"timer_c", "all", 1, 1000000});
  INFO((r.divergence ? r.divergence->detail : std::string("no divergence")));
  REQUIRE_FALSE(r.divergence);
  CHECK(r.failure.empty());
  CHECK(r.stats.steps == 1000000);
  CHECK(r.stats.cycles > 10000000);
}

TEST_CASE("every timer_c mutant is caught within 10^4 steps with the kind and register it promises",
          "[c_device][timer_c][mutants]") {
  const std::vector<Mutant> mutants = mutants_of("timer_c");
  REQUIRE(mutants.size() == 4);
  for (const Mutant& m : mutants) {
    SECTION(m.name) {
      const DeviceBinding& b = test_catalog().get(m.name);
      const RunRecord r = run_job(b, Job{m.name, "all", 1, 10000});
      REQUIRE(r.divergence);
      CHECK(kind_name(r.divergence->kind) == std::string(kind_name(m.expected_kind)));
      CHECK(r.divergence->reg == m.expected_register);
      CHECK(r.divergence->step < 10000);
    }
  }
}

TEST_CASE("timer_c: a saved running timer continues alike in a fresh instance", "[c_device][timer_c]") {
  auto a = timer_c().make_model();
  a->reset(2);
  a->write(M::compare(1), 9, 4, 4);
  a->write(M::INT_ENABLE, 0x2, 4, 6);
  a->write(M::ctrl(1), (2u << M::kPrescaleShift) | M::kPeriodic | M::kEnable, 4, 8);
  a->advance(50);
  const std::vector<uint8_t> bytes = save_of(*a);
  auto b = timer_c().make_model();
  b->reset(0);
  REQUIRE(restore_of(*b, bytes).empty());
  CHECK(save_of(*b) == bytes);
  for (Cycle at = 52; at < 400; at += 7) {
    CHECK(b->read(M::count(1), 4, at).data == a->read(M::count(1), 4, at).data);
    CHECK(b->read(M::INT_STATUS, 4, at + 1).data == a->read(M::INT_STATUS, 4, at + 1).data);
    CHECK(b->irq() == a->irq());
    CHECK(b->next_event(at + 1) == a->next_event(at + 1));
  }
}

TEST_CASE("timer_c: restore refuses impossible state naming the field and keeps the model", "[c_device][timer_c]") {
  auto a = timer_c().make_model();
  a->reset(2);
  a->write(M::compare(1), 9, 4, 4);
  a->write(M::INT_ENABLE, 0x2, 4, 6);
  a->write(M::ctrl(1), (2u << M::kPrescaleShift) | M::kPeriodic | M::kEnable, 4, 8);
  a->advance(50);
  const std::vector<uint8_t> good = save_of(*a);
  auto rejected = [&](std::vector<uint8_t> bytes) {
    auto c = timer_c().make_model();
    c->reset(0);
    c->write(M::compare(0), 77, 4, 2);
    const std::string why = restore_of(*c, bytes);
    CHECK(c->read(M::compare(0), 4, 10).data == 77);  // unchanged
    return why;
  };
  // The adapter's header (u32 version, u64 edge, u64 length: 20 bytes), then the device's layout:
  // version u32, status u32, enable u32, now u64, then per timer 30 bytes.
  const size_t dev = 20, t1 = dev + 20 + 30;
  std::vector<uint8_t> bad = good;
  bad[dev + 4] = 0x10;
  CHECK(rejected(bad) == "int_status: bits beyond the timers");
  bad = good;
  bad[t1 + 3] = 0x01;  // prescale 256
  CHECK(rejected(bad) == "timer.prescale: out of range (0..255)");
  bad = good;
  bad[t1] = 2;
  CHECK(rejected(bad) == "timer.enabled: not boolean");
  bad = good;
  bad[t1 + 6] = 0;  // COMPARE 9 -> 0: it would have matched before edge 50
  CHECK(rejected(bad) == "timer.base: a match before the saved cycle was not applied");
  bad = good;
  bad[dev] = 2;
  CHECK(rejected(bad) == "version: expected 1");
  bad = good;
  bad.pop_back();
  bad[12] -= 1;  // the blob's length follows: the device sees a short state
  CHECK(rejected(bad) == "timer: truncated");
  // The state is the one at the host's edge (the adapter's header): no other edge goes with it.
  bad = good;
  bad[4] = 200;
  CHECK(rejected(bad) == "cycle: not the host's edge");
  bad = good;
  bad[dev + 12] = 49;
  CHECK(rejected(bad) == "cycle: not the host's edge");
}

TEST_CASE("timer_c runs save/restore migrations in lockstep with zero divergences", "[c_device][timer_c]") {
  Job job{"timer_c", "all", 5, 20000};
  job.migrate_every = 37;
  const RunRecord r = run_job(timer_c(), job);
  INFO((r.divergence ? r.divergence->detail : r.failure));
  CHECK(r.clean());
}
