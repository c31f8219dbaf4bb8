// The engine's DMA comparison, on a scripted bus master that stands in for verilated RTL (so
// each rule is tested alone): the ordered access stream, guest-memory write steps, accesses
// one side owes at the end, the final memory contents, and the race stimulus.
#include <catch2/catch.hpp>

#include <algorithm>

#include <tandem/campaign.h>
#include <tandem/error.h>
#include <tandem/firmware.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/stimulus.h>

#include "tests/test_support.h"

using namespace tandem;

namespace {

constexpr uint64_t kSrc = 0x1000, kDst = 0x2000;

// A write of N to offset 0 at edge T starts a job: read the 4-byte word at kSrc at edge T+2,
// write it plus N at kDst at edge T+4 (`write_delay`), raise irq at T+4 (+`irq_delay`). A write
// to offset 4 clears irq; offset 8 reads the last word read. Knobs make one side differ.
struct Knobs {
  uint64_t dst = kDst;
  Cycle write_delay = 4;
  Cycle irq_delay = 0;
  bool extra_write = false;   // a second write after the job's
  bool silent_write = false;  // write guest memory without recording it (a broken port)
};

class CopierCore {
 public:
  explicit CopierCore(Knobs k) : m_k(k) {}
  void reset() { *this = CopierCore(m_k); }
  void start(uint32_t n, Cycle t, GuestMemory* memory) {
    m_active = true;
    m_read_done = false;
    m_add = n;
    m_read_at = t + 2;
    m_write_at = t + m_k.write_delay;
    m_irq_at = t + 4 + m_k.irq_delay;
    m_irq_armed = true;
    if (m_k.silent_write && memory) memory->write(0x3000, 0x77, 1);
  }
  void run_to(Cycle now, DmaPort& port) {
    if (m_active && !m_read_done && m_read_at <= now) {
      m_word = static_cast<uint32_t>(port.read(kSrc, 4, m_read_at));
      m_read_done = true;
    }
    if (m_active && m_read_done && m_write_at <= now) {
      port.write(m_k.dst, m_word + m_add, 4, m_write_at);
      if (m_k.extra_write) port.write(m_k.dst + 4, 1, 4, m_write_at);
      m_active = false;
    }
    m_now = std::max(m_now, now);
  }
  Cycle next_event() const {
    Cycle e = kNever;
    if (m_active) e = m_read_done ? m_write_at : m_read_at;
    if (m_irq_armed && m_irq_at > m_now) e = std::min(e, m_irq_at);
    return e;
  }
  uint32_t irq() const { return m_irq_armed && m_now >= m_irq_at ? 1u : 0u; }
  void clear_irq() { m_irq_armed = false; }
  uint32_t word() const { return m_word; }

 private:
  Knobs m_k;
  bool m_active = false, m_read_done = false, m_irq_armed = false;
  uint32_t m_add = 0, m_word = 0;
  Cycle m_read_at = 0, m_write_at = 0, m_irq_at = 0, m_now = 0;
};

class CopierModel final : public Device {
 public:
  explicit CopierModel(Knobs k) : m_core(k) {}
  void reset(Cycle now) override {
    m_core.reset();
    m_core.run_to(now, *m_port);
  }
  BusResponse read(uint64_t offset, unsigned, Cycle now) override {
    m_core.run_to(now - 1, *m_port);
    BusResponse r;
    r.data = offset == 8 ? m_core.word() : 0;
    m_core.run_to(now, *m_port);
    return r;
  }
  BusResponse write(uint64_t offset, uint64_t value, unsigned, Cycle now) override {
    m_core.run_to(now - 1, *m_port);
    if (offset == 0) m_core.start(static_cast<uint32_t>(value), now, nullptr);
    if (offset == 4) m_core.clear_irq();
    m_core.run_to(now, *m_port);
    return {};
  }
  void advance(Cycle now) override { m_core.run_to(now, *m_port); }
  Cycle next_event(Cycle) const override { return m_core.next_event(); }
  uint32_t irq() const override { return m_core.irq(); }
  void attach_dma(DmaPort* port) override { m_port = port; }
  void save(StateWriter&) const override {}
  std::string restore(StateReader&) override { return "not supported"; }

 private:
  CopierCore m_core;
  DmaPort* m_port = nullptr;
};

// The same core clocked edge by edge, its accesses recorded like the harness's master port, on
// a scripted bus of two edges a transfer.
class CopierRtl final : public RtlTarget {
 public:
  explicit CopierRtl(Knobs k) : m_core(k), m_port(*this) {}
  const char* bus_name() const override { return "scripted"; }
  unsigned data_bytes() const override { return 4; }
  unsigned min_edges() const override { return 2; }
  bool has_master_port() const override { return true; }
  void reset(unsigned cycles) override {
    m_now += cycles;
    m_core.reset();
    m_core.run_to(m_now, m_port);
    m_irq = 0;
  }
  BeatResult access(const BusBeat& b) override {
    edge();  // setup
    BeatResult r;
    ++m_now;
    m_core.run_to(m_now - 1, m_port);
    if (!b.write && b.addr == 8) r.rdata = m_core.word();
    if (b.write && b.addr == 0) m_core.start(static_cast<uint32_t>(b.wdata), m_now, &m_memory);
    if (b.write && b.addr == 4) m_core.clear_irq();
    settle();
    r.done = m_now;
    r.edges = 2;
    return r;
  }
  void run(uint64_t cycles) override {
    for (uint64_t i = 0; i < cycles; ++i) edge();
  }

 private:
  struct Port final : DmaPort {
    explicit Port(CopierRtl& t) : rtl(t) {}
    uint64_t read(uint64_t addr, unsigned size, Cycle at) override {
      const uint64_t v = rtl.m_memory.read(addr, size);
      rtl.m_dma_log.push_back({at, addr, v, static_cast<uint8_t>(size), false});
      return v;
    }
    void write(uint64_t addr, uint64_t value, unsigned size, Cycle at) override {
      rtl.m_memory.write(addr, value, size);
      rtl.m_dma_log.push_back({at, addr, value, static_cast<uint8_t>(size), true});
    }
    CopierRtl& rtl;
  };
  void edge() {
    ++m_now;
    settle();
  }
  void settle() {
    m_core.run_to(m_now, m_port);
    if (m_core.irq() != m_irq) {
      m_irq = m_core.irq();
      m_irq_log.push_back({m_now, m_irq});
    }
  }
  CopierCore m_core;
  Port m_port;
};

DeviceBinding copier(Knobs rtl = {}, Knobs model = {}) {
  DeviceBinding b;
  b.name = "copier";
  b.bus = "scripted";
  b.data_width = 32;
  b.access_edges = 2;
  b.regmap.name = "copier";
  for (auto [name, off] : {std::pair<const char*, uint64_t>{"GO", 0}, {"ACK", 4}, {"WORD", 8}}) {
    Register r;
    r.name = name;
    r.offset = off;
    b.regmap.registers.push_back(r);
  }
  b.hints.irq_lines = {"irq"};
  b.make_model = [model] { return std::make_unique<CopierModel>(model); };
  b.make_rtl = [rtl](const RtlOptions&) { return std::make_unique<CopierRtl>(rtl); };
  return b;
}

}  // namespace

TEST_CASE("DMA accesses are compared in order, and a clean run counts them", "[dma-engine]") {
  const DeviceBinding b = copier();
  Lockstep e(b);
  e.execute(Step::mem_write(kSrc, 0x100, 4));
  e.execute(Step::write(0, 5));
  e.execute(Step::idle(10));
  e.finish();
  REQUIRE_FALSE(e.diverged());
  CHECK(e.stats().dma_accesses == 2);
  CHECK(e.rtl_memory().read(kDst, 4) == 0x105);
  CHECK(e.model_memory().read(kDst, 4) == 0x105);
  CHECK(e.mem_read(kDst, 4) == 0x105);
  CHECK_FALSE(e.diverged());
}

TEST_CASE("a guest-memory write step is seen by accesses at later edges only, on both sides", "[dma-engine]") {
  const DeviceBinding b = copier();
  Lockstep e(b);
  e.execute(Step::mem_write(kSrc, 0x100, 4));
  e.execute(Step::write(0, 1));  // the read is due 2 edges after this write
  e.execute(Step::idle(2));      // ... which is now: it has read 0x100
  e.execute(Step::mem_write(kSrc, 0x200, 4));
  e.execute(Step::idle(5));
  e.execute(Step::write(0, 1));  // a second job reads the new value
  e.execute(Step::idle(1));
  e.execute(Step::mem_write(kSrc, 0x300, 4));  // before that job's read edge
  e.execute(Step::idle(5));
  e.finish();
  REQUIRE_FALSE(e.diverged());
  CHECK(e.rtl_memory().read(kDst, 4) == 0x301);
  CHECK(e.stats().dma_accesses == 4);
  // The model alone follows the same rule.
  ModelExecutor m(b);
  m.execute(Step::mem_write(kSrc, 0x100, 4));
  m.execute(Step::write(0, 1));
  m.execute(Step::idle(2));
  m.execute(Step::mem_write(kSrc, 0x200, 4));
  m.execute(Step::idle(5));
  CHECK(m.mem_read(kDst, 4) == 0x101);
}

TEST_CASE("an access to another address is a dma divergence naming the access and both values", "[dma-engine]") {
  Knobs wrong;
  wrong.dst = kDst + 0x40;
  const DeviceBinding b = copier({}, wrong);
  Lockstep e(b);
  e.execute(Step::write(0, 5));
  const Cycle start = e.now();
  e.execute(Step::idle(10));
  REQUIRE(e.diverged());
  const Divergence& d = *e.divergence();
  CHECK(kind_name(d.kind) == std::string("dma"));
  CHECK(d.reg == "dma addr");
  CHECK(d.rtl == kDst);
  CHECK(d.model == kDst + 0x40);
  CHECK(d.cycle == start + 4);
  CHECK(d.step == 1);
  CHECK_THAT(d.detail, Catch::Contains("DMA access #1") && Catch::Contains("write 4 bytes at 0x2000") &&
                           Catch::Contains("write 4 bytes at 0x2040"));
  CHECK(e.stats().dma_accesses == 1);  // the read before it matched
  CHECK_THROWS_AS(e.execute(Step::idle(1)), Error);
}

TEST_CASE("accesses one side makes beyond the other's are caught by finish()", "[dma-engine]") {
  Knobs extra;
  extra.extra_write = true;
  const DeviceBinding b = copier({}, extra);
  Lockstep e(b);
  e.execute(Step::write(0, 5));
  e.execute(Step::idle(10));
  CHECK_FALSE(e.diverged());  // pairwise, as far as both have gone: nothing differs yet
  e.finish();
  REQUIRE(e.diverged());
  CHECK(e.divergence()->reg == "dma count");
  CHECK(e.divergence()->rtl == 2);
  CHECK(e.divergence()->model == 3);
  CHECK_THAT(e.divergence()->detail, Catch::Contains("the model made 1 DMA access more"));
  // run_job finishes every run.
  const RunRecord r = run_job(b, Job{"copier", "random", 1, 400});
  REQUIRE(r.divergence);
  CHECK(r.divergence->kind == DivergenceKind::dma);
}

TEST_CASE("final guest memory is compared by finish()", "[dma-engine]") {
  Knobs broken;
  broken.silent_write = true;  // the RTL side's memory changes outside its recorded accesses
  const DeviceBinding b = copier(broken, {});
  Lockstep e(b);
  e.execute(Step::write(0, 5));
  e.execute(Step::idle(10));
  CHECK_FALSE(e.diverged());
  e.finish();
  REQUIRE(e.diverged());
  CHECK(e.divergence()->reg == "memory 0x3000");
  CHECK(e.divergence()->rtl == 0x77);
  CHECK(e.divergence()->model == 0);
  e.finish();  // idempotent
  CHECK(e.divergence()->reg == "memory 0x3000");
}

TEST_CASE("firmware reads of guest memory compare both sides", "[dma-engine]") {
  Knobs broken;
  broken.silent_write = true;
  const DeviceBinding b = copier(broken, {});
  Lockstep e(b);
  tandem_mmio io = mmio_for(e);
  io.mem_write(io.ctx, 0x3000, 0x12, 1);
  CHECK(io.mem_read(io.ctx, 0x3000, 1) == 0x12);
  io.write32(io.ctx, 0, 1);                       // the broken RTL side overwrites 0x3000 behind the model's back
  CHECK(io.mem_read(io.ctx, 0x3000, 1) == 0x77);  // the RTL's byte
  REQUIRE(e.diverged());
  CHECK(e.divergence()->reg == "memory 0x3000");
  CHECK(io.mem_read(io.ctx, 0x3000, 1) == 0);  // stopped: the driver reads zeros
}

TEST_CASE("a DMA mismatch earlier in a step is reported before a later interrupt mismatch", "[dma-engine]") {
  Knobs wrong;
  wrong.dst = kDst + 8;
  wrong.irq_delay = 3;
  const DeviceBinding b = copier({}, wrong);
  Lockstep e(b);
  e.execute(Step::write(0, 5));
  e.execute(Step::idle(20));
  REQUIRE(e.diverged());
  CHECK(e.divergence()->kind == DivergenceKind::dma);
  // Without the DMA mismatch the interrupt is what differs.
  Knobs late;
  late.irq_delay = 3;
  const DeviceBinding b2 = copier({}, late);
  Lockstep e2(b2);
  e2.execute(Step::write(0, 5));
  e2.execute(Step::idle(20));
  REQUIRE(e2.diverged());
  CHECK(e2.divergence()->kind == DivergenceKind::irq);
}

TEST_CASE("the stream is compared in order only, unless dma_cycles asks for edges too", "[dma-engine]") {
  Knobs slow;
  slow.write_delay = 6;  // same write, two edges later
  const DeviceBinding b = copier({}, slow);
  {
    Lockstep e(b);
    e.execute(Step::write(0, 5));
    e.execute(Step::idle(10));
    e.finish();
    CHECK_FALSE(e.diverged());
  }
  LockstepOptions o;
  o.dma_cycles = true;
  Lockstep e(b, o);
  e.execute(Step::write(0, 5));
  e.execute(Step::idle(10));
  REQUIRE(e.diverged());
  CHECK(e.divergence()->reg == "dma cycle");
  CHECK(e.divergence()->model == e.divergence()->rtl + 2);
}

TEST_CASE("a device without a master port finishes clean and keeps mem_write steps in step", "[dma-engine]") {
  const DeviceBinding& b = test_catalog().get("seldev");
  Lockstep e(b);
  e.execute(Step::mem_write(0x10, 0xabcd, 2));
  CHECK(e.mem_read(0x10, 2) == 0xabcd);
  e.execute(Step::read(0));
  e.finish();
  CHECK_FALSE(e.diverged());
  CHECK(e.stats().dma_accesses == 0);
  CHECK_FALSE(e.rtl().has_master_port());
}

// ------------------------------------------------------------------------- stimulus

TEST_CASE("`all` begins with exactly `random` for devices without DMA hints", "[dma-engine][stimulus]") {
  // Its first 8000 steps are the stream `all` always had, so seeds keep their programs; then
  // hostile and ordering stretches join (tests/strategy_test.cpp).
  for (const char* name : {"seldev", "timer"}) {
    const DeviceBinding& b = test_catalog().get(name);
    REQUIRE_FALSE(b.hints.has_dma());
    for (uint64_t seed : {1, 2, 77}) {
      const Program a = generate_program("all", b, seed, 2000);
      const Program r = generate_program("random", b, seed, 2000);
      std::string ta, tr;
      for (const Step& s : a) ta += format_step(s) + "\n";
      for (const Step& s : r) tr += format_step(s) + "\n";
      CHECK(ta == tr);
    }
  }
}

TEST_CASE("`race` needs DMA hints and is among the strategies", "[dma-engine][stimulus]") {
  const std::vector<std::string> names = strategy_names();
  CHECK(std::find(names.begin(), names.end(), "race") != names.end());
  CHECK_THROWS_WITH(make_stimulus("race", test_catalog().get("seldev"), 1), Catch::Contains("needs DMA hints"));
}

TEST_CASE("`race` starts transfers and then rewrites descriptor words while they run", "[dma-engine][stimulus]") {
  DeviceBinding b = copier();
  b.hints.dma.desc_base = 0x1000;
  b.hints.dma.desc_size = 0x40;
  b.hints.dma.buffer_base = 0x8000;
  b.hints.dma.buffer_size = 0x100;
  b.hints.dma.setups = {{"go", {Step::mem_write(0x1000, 7, 4), Step::write(0, 3)}}};
  const Program p = generate_program("race", b, 1, 5000);
  uint64_t starts = 0, rewrites = 0, buffer_writes = 0, rewrites_soon_after_start = 0;
  uint64_t since_start = uint64_t(1) << 40;
  for (const Step& s : p) {
    ++since_start;
    if (s.kind == StepKind::write && s.addr == 0 && s.data == 3) {
      ++starts;
      since_start = 0;
    }
    if (s.kind == StepKind::mem_write && s.addr >= 0x1000 && s.addr < 0x1040 && !(s.addr == 0x1000 && s.data == 7)) {
      ++rewrites;
      CHECK(s.addr % s.size == 0);
      if (since_start < 10) ++rewrites_soon_after_start;
    }
    if (s.kind == StepKind::mem_write && s.addr >= 0x8000 && s.addr < 0x8100) ++buffer_writes;
  }
  CHECK(starts > 50);
  CHECK(rewrites > 500);
  CHECK(rewrites_soon_after_start > 50);
  CHECK(buffer_writes > 50);
  // Same seed, same program.
  const Program again = generate_program("race", b, 1, 5000);
  CHECK(format_step(again[4321]) == format_step(p[4321]));
  // `all` mixes race and random for such a device: both kinds of stretch occur.
  const Program mix = generate_program("all", b, 1, 20000);
  uint64_t mem = 0;
  for (const Step& s : mix) mem += s.kind == StepKind::mem_write;
  CHECK(mem > 1000);
  CHECK(mem < 15000);
}
