// dma: the documented corners of rtl/dma/dma.sv, each checked in lockstep against the model
// (with DMA access edges compared too), the access stream the RTL makes, the correct model
// over a million steps of the default campaign, save/restore, and the C driver.
#include <catch2/catch.hpp>

#include <map>

#include <tandem/campaign.h>
#include <tandem/firmware.h>
#include <tandem/lockstep.h>
#include <tandem/model_executor.h>
#include <tandem/rtl_executor.h>
#include <tandem/stimulus.h>

#include "devices/dma/driver/dma_driver.h"
#include "models/dma/dma_model.h"
#include "tests/test_support.h"

using namespace tandem;
using M = models::DmaModel;

namespace {

const DeviceBinding& dma() { return test_catalog().get("dma"); }

LockstepOptions exact(unsigned latency = RtlOptions().mem_latency) {
  LockstepOptions o;
  o.dma_cycles = true;  // the model's accesses come at the RTL's edges, not just in its order
  o.rtl.mem_latency = latency;
  return o;
}

constexpr uint64_t kDesc = 0x10000, kSrc = 0x40000, kDst = 0x42000;

struct Rig {
  explicit Rig(unsigned latency = RtlOptions().mem_latency) : engine(dma(), exact(latency)) {}
  Lockstep engine;

  StepResult run(const Step& s) {
    StepResult r = engine.execute(s);
    if (engine.diverged()) FAIL("unexpected divergence: " << engine.divergence()->detail);
    return r;
  }
  uint32_t read(uint64_t off) { return static_cast<uint32_t>(run(Step::read(off)).data); }
  bool write(uint64_t off, uint64_t v) { return run(Step::write(off, v)).error; }
  void idle(uint64_t n) { run(Step::idle(n)); }
  void mem(uint64_t addr, uint64_t v, uint8_t size = 8) { run(Step::mem_write(addr, v, size)); }
  uint64_t peek(uint64_t addr, unsigned size = 8) {
    const uint64_t v = engine.mem_read(addr, size);  // both sides' memories, compared
    if (engine.diverged()) FAIL("memories differ: " << engine.divergence()->detail);
    return v;
  }
  void put_desc(uint64_t at, uint64_t src, uint64_t dst, uint32_t len, uint32_t flags, uint64_t next) {
    mem(at + M::kSrc, src);
    mem(at + M::kDst, dst);
    mem(at + M::kLen, (uint64_t(flags) << 32) | len);
    mem(at + M::kNext, next);
  }
  // Bytes 1, 2, 3, ... (mod 251) from `addr`: every byte distinct from its neighbours.
  void fill(uint64_t addr, unsigned n, unsigned first = 1) {
    for (unsigned i = 0; i < n; ++i) mem(addr + i, (first + i) % 251 + 1, 1);
  }
  bool bytes_equal(uint64_t a, uint64_t b, unsigned n) {
    for (unsigned i = 0; i < n; ++i)
      if (peek(a + i, 1) != peek(b + i, 1)) return false;
    return true;
  }
  void start(uint64_t desc, uint32_t irq_en = 0xf, uint32_t max_desc = 16) {
    write(M::IRQ_ENABLE, irq_en);
    write(M::MAX_DESC, max_desc);
    write(M::DESC_LO, desc & 0xffffffffu);
    write(M::DESC_HI, desc >> 32);
    write(M::CTRL, M::kStart);
  }
  // Idle until BUSY clears (checked every 16 edges); the STATUS read then.
  uint32_t settle(unsigned max_polls = 2000) {
    for (unsigned i = 0; i < max_polls; ++i) {
      const uint32_t s = read(M::STATUS);
      if (!(s & M::kBusy)) return s;
      idle(16);
    }
    FAIL("the engine stayed busy");
    return 0;
  }
  void finish() {
    engine.finish();
    if (engine.diverged()) FAIL("divergence at the end: " << engine.divergence()->detail);
  }
};

// The RTL's own access stream for a program (RTL alone).
std::vector<DmaAccess> rtl_stream(const Program& p) {
  RtlExecutor rtl(dma());
  std::vector<DmaAccess> out;
  for (const Step& s : p) {
    rtl.execute(s);
    out.insert(out.end(), rtl.rtl().dma_log().begin(), rtl.rtl().dma_log().end());
  }
  return out;
}

void put_desc(Program& p, uint64_t at, uint64_t src, uint64_t dst, uint32_t len, uint32_t flags, uint64_t next) {
  p.push_back(Step::mem_write(at + M::kSrc, src, 8));
  p.push_back(Step::mem_write(at + M::kDst, dst, 8));
  p.push_back(Step::mem_write(at + M::kLen, (uint64_t(flags) << 32) | len, 8));
  p.push_back(Step::mem_write(at + M::kNext, next, 8));
}

void start(Program& p, uint64_t desc) {
  p.push_back(Step::write(M::DESC_LO, desc & 0xffffffffu));
  p.push_back(Step::write(M::DESC_HI, desc >> 32));
  p.push_back(Step::write(M::CTRL, M::kStart));
}

}  // namespace

// ------------------------------------------------------------------------- long runs

TEST_CASE("correct dma model: 10^6 steps of the default campaign in lockstep, zero divergences", "[dma][long]") {
  const RunRecord r = run_job(dma(), Job{"dma", "all", 1, 1000000}, exact());
  INFO((r.divergence ? r.divergence->detail : std::string("no divergence")));
  REQUIRE_FALSE(r.divergence);
  CHECK(r.failure.empty());
  CHECK(r.stats.steps == 1000000);
  CHECK(r.stats.reads > 100000);
  CHECK(r.stats.writes > 150000);
  CHECK(r.stats.dma_accesses > 250000);  // 2 in 5 stretches after the first 8000 steps are hostile or ordering
  CHECK(r.stats.irq_checks > r.stats.cycles * 99 / 100);
}

TEST_CASE("other seeds, each strategy and other memory latencies agree too, to the edge", "[dma]") {
  for (const char* strategy : {"all", "race", "random"}) {
    for (uint64_t seed : {2, 3, 4, 5}) {
      const RunRecord r = run_job(dma(), Job{"dma", strategy, seed, 30000}, exact());
      INFO(strategy << " seed " << seed << ": " << (r.divergence ? r.divergence->detail : ""));
      CHECK(r.clean());
      CHECK(r.stats.dma_accesses > 3000);
    }
  }
  for (unsigned latency : {0u, 1u, 7u}) {
    const RunRecord r = run_job(dma(), Job{"dma", "all", 9, 30000}, exact(latency));
    INFO("latency " << latency << ": " << (r.divergence ? r.divergence->detail : ""));
    CHECK(r.clean());
  }
}

namespace {
// Counts which documented corners a program reaches, from inside the correct model.
struct Probe final : M {
  std::map<std::string, uint64_t>* seen = nullptr;
  void on_start() override { ++(*seen)["start"]; }
  void on_transfer_start(Cycle) override { ++(*seen)[std::string("beat") + std::to_string(1u << m_lsz)]; }
  bool check_range(uint64_t src, uint64_t dst, uint32_t len) const override {
    const bool ok = range_ok(src, dst, len);
    if (!ok) ++(*seen)[len > kMaxLen ? "too long" : "past 2^64"];
    if (ok && len == 0) ++(*seen)["length 0"];
    return ok;
  }
  bool ends_chain(bool last) override {
    // At the RESULT of a good descriptor: was it rewritten in memory while it was processed?
    const uint64_t word = m_port->read(m_cur + kLen, 8, m_now);
    if (word != ((uint64_t(m_flags) << 32) | m_len)) ++(*seen)["descriptor rewritten in flight"];
    if (!last && m_count >= max_desc()) ++(*seen)["budget"];
    if (!last && m_count < max_desc() && (m_next & 7)) ++(*seen)["misaligned next"];
    ++(*seen)[last ? "last" : "chained"];
    return last;
  }
  bool honours_abort() const override {
    ++(*seen)[m_taken && !m_req_write ? "abort with a read in flight" : "abort"];
    return true;
  }
};
}  // namespace

TEST_CASE("the default campaign reaches every documented corner", "[dma]") {
  std::map<std::string, uint64_t> seen;
  DeviceBinding b = dma();
  b.make_model = [&seen] {
    auto p = std::make_unique<Probe>();
    p->seen = &seen;
    return p;
  };
  ModelExecutor model(b);
  for (const Step& s : generate_program("all", dma(), 1, 200000)) model.execute(s);
  for (const char* corner : {"start", "beat1", "beat2", "beat4", "beat8", "too long", "past 2^64", "length 0",
                             "descriptor rewritten in flight", "budget", "misaligned next", "last", "chained", "abort",
                             "abort with a read in flight"}) {
    INFO(corner << ": " << seen[corner]);
    CHECK(seen[corner] >= 5);
  }
}

// ------------------------------------------------------------------------- registers

TEST_CASE("ID, reset values, a write-only CTRL, read-only registers and holes", "[dma]") {
  Rig rig;
  CHECK(rig.read(M::ID) == 0xD3A00001u);
  CHECK(rig.read(M::MAX_DESC) == 16);
  CHECK(rig.read(M::STATUS) == 0);
  CHECK(rig.read(M::CTRL) == 0);
  CHECK_FALSE(rig.write(M::CUR_LO, 0x1234));  // ignored, no error
  CHECK(rig.read(M::CUR_LO) == 0);
  CHECK_FALSE(rig.write(M::ID, 0));
  CHECK(rig.read(M::ID) == 0xD3A00001u);
  rig.write(M::DESC_LO, 0x89abcdef);
  rig.run(Step::write(M::DESC_HI + 1, 0x55, 1));  // one byte lane
  CHECK(rig.read(M::DESC_LO) == 0x89abcdef);
  CHECK(rig.read(M::DESC_HI) == 0x5500);
  rig.write(M::IRQ_ENABLE, 0xffffffff);
  CHECK(rig.read(M::IRQ_ENABLE) == 0xf);
  for (uint64_t off : {0x24ull, 0x28ull, 0x100ull, 0xffcull}) {
    const StepResult r = rig.run(Step::read(off));
    CHECK(r.error);
    CHECK(r.data == 0);
    CHECK(rig.run(Step::write(off, 1)).error);
  }
  rig.finish();
}

// ------------------------------------------------------------------------- transfers

TEST_CASE("one 64-byte copy: the bytes, RESULT, DONE and irq_done at the edge the timing gives", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 64);
  rig.put_desc(kDesc, kSrc, kDst, 64, M::kIoc | M::kLast, 0);
  rig.write(M::IRQ_ENABLE, 0x1);
  rig.write(M::DESC_LO, kDesc);
  rig.write(M::CTRL, M::kStart);
  const Cycle t = rig.engine.now();
  CHECK(rig.read(M::STATUS) == M::kBusy);
  CHECK(rig.read(M::CUR_LO) == kDesc);
  // L = 2: four fetch reads 4 edges apart (T+1..T+13, last data at T+16), then 8 beat pairs of
  // read (4 edges) + write (3 edges) from T+17, then RESULT written at T+73.
  rig.idle(t + 72 - rig.engine.now());
  CHECK(rig.engine.irq() == 0);
  rig.idle(1);
  CHECK(rig.engine.irq() == 1);
  CHECK(rig.read(M::STATUS) == M::kDone);
  CHECK(rig.bytes_equal(kSrc, kDst, 64));
  CHECK(rig.peek(kDst + 64, 8) == 0);  // nothing beyond
  CHECK(rig.peek(kDesc + M::kResult) == M::result_done(64));
  rig.write(M::STATUS, M::kDone);
  CHECK(rig.engine.irq() == 0);
  rig.finish();
  CHECK(rig.engine.stats().dma_accesses == 4 + 16 + 1);
}

TEST_CASE("the descriptor is fetched once, then beats sized by the alignment, then RESULT", "[dma]") {
  struct Case {
    uint64_t src, dst;
    uint32_t len;
    unsigned beat;
  };
  for (const Case& c : {Case{kSrc, kDst, 16, 8}, Case{kSrc + 4, kDst, 16, 4}, Case{kSrc, kDst + 2, 16, 2},
                        Case{kSrc, kDst, 12, 4}, Case{kSrc + 8, kDst, 7, 1}, Case{kSrc + 1, kDst + 1, 8, 1}}) {
    Program p;
    put_desc(p, kDesc, c.src, c.dst, c.len, M::kLast, 0);
    start(p, kDesc);
    p.push_back(Step::idle(400));
    const std::vector<DmaAccess> s = rtl_stream(p);
    INFO("src " << c.src << " dst " << c.dst << " len " << c.len);
    const size_t beats = c.len / c.beat;
    REQUIRE(s.size() == 4 + 2 * beats + 1);
    for (unsigned w = 0; w < 4; ++w) {
      CHECK_FALSE(s[w].write);
      CHECK(s[w].addr == kDesc + 8 * w);
      CHECK(s[w].size == 8);
    }
    for (size_t i = 0; i < beats; ++i) {
      const DmaAccess &r = s[4 + 2 * i], &w = s[5 + 2 * i];
      CHECK_FALSE(r.write);
      CHECK(r.addr == c.src + i * c.beat);
      CHECK(r.size == c.beat);
      CHECK(w.write);
      CHECK(w.addr == c.dst + i * c.beat);
      CHECK(w.data == r.data);
    }
    CHECK(s.back().write);
    CHECK(s.back().addr == kDesc + M::kResult);
    CHECK(s.back().data == M::result_done(c.len));
    // And the model agrees, edge for edge.
    Lockstep e(dma(), exact());
    for (const Step& st : p) e.execute(st);
    e.finish();
    CHECK_FALSE(e.diverged());
    CHECK(e.stats().dma_accesses == s.size());
  }
}

TEST_CASE("an unaligned copy moves byte by byte and gets every byte right", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 80, 7);
  rig.put_desc(kDesc, kSrc + 3, kDst + 5, 61, M::kIoc | M::kLast, 0);
  rig.start(kDesc);
  CHECK(rig.settle() == M::kDone);
  CHECK(rig.bytes_equal(kSrc + 3, kDst + 5, 61));
  CHECK(rig.peek(kDst + 4, 1) == 0);
  CHECK(rig.peek(kDst + 66, 1) == 0);
  CHECK(rig.peek(kDesc + M::kResult) == M::result_done(61));
  rig.finish();
}

TEST_CASE("a chain: each descriptor in turn, DONE from IOC, CUR follows, LAST ends it", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 256);
  rig.put_desc(kDesc, kSrc, kDst, 32, M::kIoc, kDesc + 0x40);
  rig.put_desc(kDesc + 0x40, kSrc + 0x40, kDst + 0x40, 5, 0, kDesc + 0x80);
  rig.put_desc(kDesc + 0x80, kSrc + 0x80, kDst + 0x80, 16, M::kLast, kDesc);  // NEXT not followed
  rig.start(kDesc, 0x1);
  rig.idle(50);  // the first descriptor's RESULT went at T+45: DONE and irq while the chain goes on
  CHECK(rig.read(M::STATUS) == (M::kDone | M::kBusy));
  CHECK(rig.engine.irq() == 1);
  CHECK(rig.read(M::CUR_LO) == kDesc + 0x40);
  rig.write(M::STATUS, M::kDone);
  CHECK(rig.settle() == 0);  // the LAST descriptor has no IOC: no new DONE
  CHECK(rig.read(M::CUR_LO) == kDesc + 0x80);
  CHECK(rig.bytes_equal(kSrc, kDst, 32));
  CHECK(rig.bytes_equal(kSrc + 0x40, kDst + 0x40, 5));
  CHECK(rig.bytes_equal(kSrc + 0x80, kDst + 0x80, 16));
  for (uint64_t d : {kDesc, kDesc + 0x40, kDesc + 0x80}) CHECK((rig.peek(d + M::kResult) & 3) == M::kDone);
  rig.finish();
}

TEST_CASE("length 0: no data beats, RESULT says DONE with 0 bytes", "[dma]") {
  Program p;
  put_desc(p, kDesc, kSrc, kDst, 0, M::kIoc | M::kLast, 0);
  start(p, kDesc);
  p.push_back(Step::idle(100));
  const std::vector<DmaAccess> s = rtl_stream(p);
  REQUIRE(s.size() == 5);
  CHECK(s[4].addr == kDesc + M::kResult);
  CHECK(s[4].data == M::result_done(0));
  Rig rig;
  rig.put_desc(kDesc, kSrc, kDst, 0, M::kIoc | M::kLast, 0);
  rig.start(kDesc);
  CHECK(rig.settle() == M::kDone);
  rig.finish();
}

TEST_CASE("a range past 2^64 or longer than 4096 bytes: ERROR/LENGTH, RESULT, nothing moved", "[dma]") {
  struct Case {
    uint64_t src, dst;
    uint32_t len;
  };
  for (const Case& c : {Case{0xffffffffffffffc0ULL, kDst, 0x41}, Case{kSrc, 0xfffffffffffffff8ULL, 9},
                        Case{kSrc, kDst, 4097}, Case{0xffffffffffffffffULL, kDst, 2}}) {
    Rig rig;
    rig.fill(kSrc, 16);
    rig.put_desc(kDesc, c.src, c.dst, c.len, M::kIoc | M::kLast, 0);
    rig.start(kDesc, 0x2);
    const uint32_t status = rig.settle();
    INFO("src " << c.src << " dst " << c.dst << " len " << c.len);
    CHECK(status == (M::kError | (M::kLength << M::kErrCodeShift)));
    CHECK(rig.engine.irq() == 2);
    CHECK(rig.peek(kDesc + M::kResult) == M::result_error(M::kLength));
    CHECK(rig.peek(kDst, 8) == 0);
    CHECK(rig.peek(0, 8) == 0);  // nothing wrapped around to the bottom either
    rig.finish();
    CHECK(rig.engine.stats().dma_accesses == 5);
  }
}

TEST_CASE("a range that ends exactly at 2^64 is copied", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 16);
  rig.put_desc(kDesc, kSrc, 0xfffffffffffffff0ULL, 16, M::kIoc | M::kLast, 0);
  rig.start(kDesc);
  CHECK(rig.settle() == M::kDone);
  CHECK(rig.bytes_equal(kSrc, 0xfffffffffffffff0ULL, 16));
  CHECK(rig.peek(0, 8) == 0);
  rig.finish();
}

TEST_CASE("descriptor words and RESULT addresses wrap at the top of the address space", "[dma]") {
  const uint64_t d = 0xfffffffffffffff0ULL;  // words at ...f0, ...f8, 0x0, 0x8; RESULT at 0x10
  Rig rig;
  rig.fill(kSrc, 8);
  rig.mem(d, kSrc);
  rig.mem(d + 8, kDst);
  rig.mem(0x0, (uint64_t(M::kIoc | M::kLast) << 32) | 8);
  rig.mem(0x8, 0);
  rig.start(d);
  CHECK(rig.settle() == M::kDone);
  CHECK(rig.peek(0x10) == M::result_done(8));
  CHECK(rig.bytes_equal(kSrc, kDst, 8));
  CHECK(rig.read(M::CUR_HI) == 0xffffffffu);
  rig.finish();
}

// ------------------------------------------------------------------------- chains that do not end

TEST_CASE("a chain that loops back on itself stops after MAX_DESC descriptors with ERROR/BUDGET", "[dma]") {
  Rig rig;
  rig.put_desc(kDesc, kSrc, kDst, 8, M::kIoc, kDesc + 0x40);
  rig.put_desc(kDesc + 0x40, kSrc, kDst + 8, 8, 0, kDesc);
  rig.start(kDesc, 0xf, 5);
  CHECK(rig.settle() == (M::kDone | M::kError | (M::kBudget << M::kErrCodeShift)));
  CHECK(rig.read(M::CUR_LO) == kDesc);  // 5 descriptors: 0, 1, 0, 1, 0
  rig.finish();
  CHECK(rig.engine.stats().dma_accesses == 5 * (4 + 2 + 1));
}

TEST_CASE("a budget lowered during a chain counts at the next descriptor boundary", "[dma]") {
  Rig rig;
  rig.put_desc(kDesc, kSrc, kDst, 0, 0, kDesc);  // loops on itself
  rig.start(kDesc, 0xf, 200);
  rig.idle(100);
  rig.write(M::MAX_DESC, 1);
  CHECK(rig.settle() == (M::kError | (M::kBudget << M::kErrCodeShift)));
  rig.finish();
}

TEST_CASE("START with MAX_DESC 0 or a misaligned DESC fails at once and fetches nothing", "[dma]") {
  Rig rig;
  rig.put_desc(kDesc, kSrc, kDst, 8, M::kLast, 0);
  rig.start(kDesc, 0xf, 0);
  CHECK(rig.read(M::STATUS) == (M::kError | (M::kBudget << M::kErrCodeShift)));
  CHECK(rig.engine.irq() == 2);
  rig.write(M::STATUS, 0xf);
  rig.start(kDesc + 4, 0xf, 16);
  CHECK(rig.read(M::STATUS) == (M::kError | (M::kAlign << M::kErrCodeShift)));
  rig.idle(50);
  rig.finish();
  CHECK(rig.engine.stats().dma_accesses == 0);
  // A good START clears ERR_CODE.
  rig.write(M::STATUS, 0xf);
  rig.start(kDesc);
  CHECK(rig.read(M::STATUS) == M::kBusy);
}

TEST_CASE("a misaligned NEXT stops the chain with ERROR/ALIGN after its descriptor", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 8);
  rig.put_desc(kDesc, kSrc, kDst, 8, M::kIoc, kDesc + 0x44);
  rig.start(kDesc);
  CHECK(rig.settle() == (M::kDone | M::kError | (M::kAlign << M::kErrCodeShift)));
  CHECK(rig.bytes_equal(kSrc, kDst, 8));
  rig.finish();
  CHECK(rig.engine.stats().dma_accesses == 4 + 2 + 1);
}

// ------------------------------------------------------------------------- ordering

TEST_CASE("START while running is ignored and flagged START_ERR", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 64);
  rig.put_desc(kDesc, kSrc, kDst, 64, M::kIoc | M::kLast, 0);
  rig.put_desc(kDesc + 0x40, kSrc, kDst + 0x100, 64, M::kIoc | M::kLast, 0);
  rig.start(kDesc, 0x8);
  rig.write(M::DESC_LO, kDesc + 0x40);  // takes effect for the next START only
  rig.write(M::CTRL, M::kStart);
  CHECK(rig.read(M::STATUS) == (M::kStartErr | M::kBusy));
  CHECK(rig.engine.irq() == 2);
  CHECK(rig.settle() == (M::kDone | M::kStartErr));
  CHECK(rig.read(M::CUR_LO) == kDesc);
  CHECK(rig.peek(kDst + 0x100) == 0);  // the second chain never ran
  rig.finish();
}

TEST_CASE("ABORT with a read in flight: BUSY until its data arrives, then ABORTED, no RESULT", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 256);
  rig.put_desc(kDesc, kSrc, kDst, 256, M::kIoc | M::kLast, 0);
  rig.start(kDesc, 0x4);
  const Cycle t = rig.engine.now();
  // With L = 2, data read k is taken at T+17+7k and its data arrives 3 edges later: read 3 is
  // in flight from T+38 to T+41. The ABORT write (two edges) lands at T+39.
  rig.idle(t + 37 - rig.engine.now());
  rig.write(M::CTRL, M::kAbort);
  CHECK(rig.engine.now() == t + 39);
  CHECK(rig.read(M::STATUS) == M::kBusy);  // at T+41: the read's data is due at T+41
  CHECK(rig.read(M::STATUS) == M::kAborted);
  CHECK(rig.engine.irq() == 2);
  rig.idle(100);
  CHECK(rig.peek(kDesc + M::kResult) == 0);
  CHECK(rig.bytes_equal(kSrc, kDst, 24));  // three beats were written
  CHECK(rig.peek(kDst + 24) == 0);
  rig.finish();
  CHECK(rig.engine.stats().dma_accesses == 4 + 2 * 3 + 1);
}

TEST_CASE("ABORT with no read in flight stops at its edge", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 256);
  rig.put_desc(kDesc, kSrc, kDst, 256, M::kIoc | M::kLast, 0);
  rig.start(kDesc, 0x4);
  const Cycle t = rig.engine.now();
  // Write k is taken at T+21+7k: the ABORT lands at T+35, the edge write 2 is taken.
  rig.idle(t + 33 - rig.engine.now());
  rig.write(M::CTRL, M::kAbort);
  CHECK(rig.read(M::STATUS) == M::kAborted);
  rig.idle(100);
  CHECK(rig.bytes_equal(kSrc, kDst, 24));
  CHECK(rig.peek(kDst + 24) == 0);
  rig.finish();
  CHECK(rig.engine.stats().dma_accesses == 4 + 2 * 3);
}

TEST_CASE("ABORT while idle is ignored, START and ABORT together abort", "[dma]") {
  Rig rig;
  rig.write(M::IRQ_ENABLE, 0xf);
  rig.write(M::CTRL, M::kAbort);
  CHECK(rig.read(M::STATUS) == 0);
  rig.write(M::CTRL, M::kStart | M::kAbort);  // idle: nothing starts, nothing is flagged
  CHECK(rig.read(M::STATUS) == 0);
  rig.put_desc(kDesc, kSrc, kDst, 64, M::kIoc | M::kLast, 0);
  rig.start(kDesc);
  rig.idle(30);
  rig.write(M::CTRL, M::kStart | M::kAbort);  // busy: the ABORT wins, no START_ERR
  rig.idle(10);
  CHECK(rig.read(M::STATUS) == M::kAborted);
  rig.finish();
}

TEST_CASE("a descriptor rewritten during its transfer: the hardware goes on with its copy", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 128);
  rig.put_desc(kDesc, kSrc, kDst, 128, M::kIoc | M::kLast, 0);
  rig.start(kDesc);
  rig.idle(30);  // fetched, moving data
  rig.mem(kDesc + M::kLen, (uint64_t(M::kIoc | M::kLast) << 32) | 8);
  rig.mem(kDesc + M::kDst, kDst + 0x800);
  rig.mem(kDesc + M::kSrc, 0xffffffffffffff00ULL);
  CHECK(rig.settle() == M::kDone);
  CHECK(rig.bytes_equal(kSrc, kDst, 128));
  CHECK(rig.peek(kDst + 0x800) == 0);
  CHECK(rig.peek(kDesc + M::kResult) == M::result_done(128));
  rig.finish();
}

TEST_CASE("a descriptor rewritten before its fetch is used as rewritten", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 128);
  rig.put_desc(kDesc, kSrc, kDst, 64, M::kIoc, kDesc + 0x40);
  rig.put_desc(kDesc + 0x40, kSrc, kDst + 0x100, 8, M::kIoc | M::kLast, 0);
  rig.start(kDesc);
  rig.idle(30);  // the first descriptor moves; the second is not fetched yet
  rig.mem(kDesc + 0x40 + M::kLen, (uint64_t(M::kIoc | M::kLast) << 32) | 16);
  CHECK(rig.settle() == M::kDone);
  CHECK(rig.bytes_equal(kSrc, kDst + 0x100, 16));
  CHECK(rig.peek(kDesc + 0x40 + M::kResult) == M::result_done(16));
  rig.finish();
}

TEST_CASE("a STATUS flag set and cleared at the same edge stays set", "[dma]") {
  Rig rig;
  rig.put_desc(kDesc, kSrc, kDst, 0, M::kIoc | M::kLast, 0);
  rig.write(M::IRQ_ENABLE, 1);
  rig.write(M::DESC_LO, kDesc);
  rig.write(M::STATUS, M::kDone);  // a stale-flag clear, then start
  rig.write(M::CTRL, M::kStart);
  const Cycle t = rig.engine.now();
  // Fetch reads at T+1..T+13 (data at T+16), RESULT taken at T+17: DONE sets at T+17.
  rig.idle(t + 17 - 2 - rig.engine.now());
  rig.write(M::STATUS, M::kDone);  // its edge is T+17
  CHECK(rig.engine.now() == t + 17);
  CHECK(rig.read(M::STATUS) == M::kDone);
  rig.finish();
}

TEST_CASE("bus reset mid-transfer returns every register to its reset value and stops the port", "[dma]") {
  Rig rig;
  rig.fill(kSrc, 64);
  rig.put_desc(kDesc, kSrc, kDst, 64, M::kIoc | M::kLast, 0);
  rig.start(kDesc, 0xf, 7);
  rig.idle(25);
  rig.run(Step::reset());
  CHECK(rig.read(M::STATUS) == 0);
  CHECK(rig.read(M::MAX_DESC) == 16);
  CHECK(rig.read(M::DESC_LO) == 0);
  CHECK(rig.read(M::CUR_LO) == 0);
  CHECK(rig.read(M::IRQ_ENABLE) == 0);
  const uint64_t before = rig.engine.stats().dma_accesses;
  rig.idle(200);
  rig.finish();
  CHECK(rig.engine.stats().dma_accesses == before);
  CHECK(rig.peek(kDesc + M::kResult) == 0);
}

TEST_CASE("the model's timing follows the memory latency it is given", "[dma]") {
  for (unsigned latency : {0u, 5u}) {
    Rig rig(latency);
    rig.fill(kSrc, 64);
    rig.put_desc(kDesc, kSrc, kDst, 64, M::kIoc | M::kLast, 0);
    rig.write(M::IRQ_ENABLE, 1);
    rig.write(M::DESC_LO, kDesc);
    rig.write(M::CTRL, M::kStart);
    const Cycle t = rig.engine.now();
    // Four fetch reads 2+L apart from T+1, the last one's data 1+L after it is taken; then
    // 8 pairs of read (2+L) and write (1+L); RESULT is taken where a ninth read would be.
    const Cycle fetched = t + 1 + 3 * (2 + latency) + (1 + latency);
    const Cycle result_at = fetched + 1 + 8 * (3 + 2 * latency);
    rig.idle(result_at - 1 - rig.engine.now());
    CHECK(rig.engine.irq() == 0);
    rig.idle(1);
    CHECK(rig.engine.irq() == 1);
    rig.finish();
  }
}

// ------------------------------------------------------------------------- save / restore

TEST_CASE("model save and restore mid-transfer carry on identically, bad states are refused", "[dma]") {
  // Two models over two memories of the same content; the second is restored from the
  // first's state in the middle of a copy, then both run on.
  GuestMemory mem_a, mem_b;
  MemoryPort port_a(mem_a, 2, false), port_b(mem_b, 2, false);
  for (GuestMemory* m : {&mem_a, &mem_b}) {
    for (unsigned i = 0; i < 8; ++i) m->write(kSrc + 8 * i, 0x0101010101010101ULL * (i + 1), 8);
    m->write(kDesc + M::kSrc, kSrc, 8);
    m->write(kDesc + M::kDst, kDst, 8);
    m->write(kDesc + M::kLen, (uint64_t(M::kIoc | M::kLast) << 32) | 64, 8);
  }
  M a;
  a.attach_dma(&port_a);
  a.reset(2);
  a.write(M::IRQ_ENABLE, 1, 4, 4);
  a.write(M::DESC_LO, kDesc, 4, 6);
  a.write(M::CTRL, M::kStart, 4, 8);
  a.advance(40);  // fetched, two beats written, the third read in flight
  StateWriter w;
  a.save(w);
  M b;
  b.attach_dma(&port_b);
  b.reset(0);
  StateReader r(w.bytes);
  REQUIRE(b.restore(r).empty());
  for (unsigned i = 0; i < 64; i += 8) mem_b.write(kDst + i, mem_a.read(kDst + i, 8), 8);  // what `a` moved
  a.advance(200);
  b.advance(200);
  CHECK(a.irq() == 1);
  CHECK(b.irq() == 1);
  CHECK(b.read(M::STATUS, 4, 202).data == M::kDone);
  CHECK(mem_a.same_contents(mem_b));
  CHECK(mem_b.read(kDesc + M::kResult, 8) == M::result_done(64));

  auto refused = [&](size_t at, uint8_t value) {
    std::vector<uint8_t> bad = w.bytes;
    bad.at(at) = value;
    M fresh;
    fresh.attach_dma(&port_b);
    StateReader in(bad);
    return fresh.restore(in);
  };
  // Layout: version u32, now u64, desc u64, cur u64 (byte 20), max_desc u32 (28), irq_en u32,
  // err_code u32, four flags (40..43), phase u8 (44), word u32 (45), ...
  CHECK(refused(44, 9) == "phase: no such state");
  CHECK(refused(45, 4) == "word: beyond the descriptor");
  CHECK(refused(20, 3) == "cur: descriptor not 8-byte aligned");
  CHECK(refused(29, 1) == "max_desc: more than 8 bits");
  CHECK(refused(40, 2) == "flag: not boolean");
  std::vector<uint8_t> longer = w.bytes;
  longer.push_back(0);
  StateReader trailing(longer);
  M c;
  CHECK(c.restore(trailing) == "trailing bytes");
  std::vector<uint8_t> shorter(w.bytes.begin(), w.bytes.end() - 1);
  StateReader truncated(shorter);
  CHECK(c.restore(truncated) == "state: truncated");
}

// ------------------------------------------------------------------------- firmware

namespace {
struct DriverTrace {
  int probe = 0;
  int64_t copy_status = -2, chain_status = -2, loop_status = -2, abort_status = -2, wrap_status = -2;
  uint32_t copy_mismatch = 99, chain_mismatch = 99;
  uint64_t copy_result = 0, chain_results[2] = {0, 0}, wrap_result = 0, abort_result = 1;
};

DriverTrace drive(Executor& e) {
  tandem_mmio io = mmio_for(e);
  DriverTrace t;
  t.probe = dma_probe(&io);
  dma_fill(&io, kSrc, 1024, 42);
  t.copy_status = dma_copy(&io, kDesc, kDst, kSrc, 200, 100000);
  t.copy_mismatch = dma_compare(&io, kSrc, kDst, 200);
  t.copy_result = dma_result(&io, kDesc);

  dma_desc a = {kSrc + 0x101, kDst + 0x400, 33, 0, kDesc + 0x40};
  dma_desc b = {kSrc + 0x200, kDst + 0x500, 64, DMA_FLAG_IOC | DMA_FLAG_LAST, 0};
  dma_put_desc(&io, kDesc, &a);
  dma_put_desc(&io, kDesc + 0x40, &b);
  dma_start(&io, kDesc, 16);
  t.chain_status = dma_wait(&io, 100000);
  t.chain_mismatch =
      dma_compare(&io, kSrc + 0x101, kDst + 0x400, 33) + dma_compare(&io, kSrc + 0x200, kDst + 0x500, 64);
  t.chain_results[0] = dma_result(&io, kDesc);
  t.chain_results[1] = dma_result(&io, kDesc + 0x40);

  dma_desc loop = {kSrc, kDst + 0x800, 8, 0, kDesc + 0x80};
  dma_put_desc(&io, kDesc + 0x80, &loop);
  dma_start(&io, kDesc + 0x80, 3);
  t.loop_status = dma_wait(&io, 100000);

  dma_desc big = {kSrc, kDst + 0x1000, 1024, DMA_FLAG_IOC | DMA_FLAG_LAST, 0};
  dma_put_desc(&io, kDesc + 0xc0, &big);
  dma_start(&io, kDesc + 0xc0, 1);
  io.wait_irq(io.ctx, 300);  // nothing comes this early: a 300-edge wait
  t.abort_status = dma_abort(&io, 1000);
  t.abort_result = dma_result(&io, kDesc + 0xc0);

  t.wrap_status = dma_copy(&io, kDesc + 0x100, kDst, 0xffffffffffffff80ULL, 0x100, 100000);
  t.wrap_result = dma_result(&io, kDesc + 0x100);
  return t;
}

void check_trace(const DriverTrace& t) {
  CHECK(t.probe == 1);
  CHECK(t.copy_status == DMA_STATUS_DONE);
  CHECK(t.copy_mismatch == 0);
  CHECK(t.copy_result == M::result_done(200));
  CHECK(t.chain_status == DMA_STATUS_DONE);
  CHECK(t.chain_mismatch == 0);
  CHECK(t.chain_results[0] == M::result_done(33));
  CHECK(t.chain_results[1] == M::result_done(64));
  CHECK(t.loop_status == (DMA_STATUS_ERROR | (DMA_ERR_BUDGET << 16)));
  CHECK(t.abort_status == DMA_STATUS_ABORTED);
  CHECK(t.abort_result == 0);
  CHECK(t.wrap_status == (DMA_STATUS_ERROR | (DMA_ERR_LENGTH << 16)));
  CHECK(t.wrap_result == M::result_error(M::kLength));
}
}  // namespace

TEST_CASE("the dma C driver runs on the model alone: bytes copied, RESULT words, errors and abort", "[dma][firmware]") {
  ModelExecutor model(dma());
  check_trace(drive(model));
}

TEST_CASE("the dma C driver runs in lockstep with no divergence and the same answers", "[dma][firmware]") {
  Lockstep engine(dma(), exact());
  const DriverTrace t = drive(engine);
  engine.finish();
  INFO((engine.diverged() ? engine.divergence()->detail : std::string("no divergence")));
  REQUIRE_FALSE(engine.diverged());
  check_trace(t);
  CHECK(engine.stats().dma_accesses > 200);
}

// ------------------------------------------------------------------------- mutants

TEST_CASE("each dma mutant is caught by the default campaign within 10^4 steps on seeds 1 to 8", "[dma][mutants]") {
  for (const char* name : {"dma.double_fetch", "dma.trusts_length", "dma.ignores_abort", "dma.one_too_many"}) {
    for (uint64_t seed = 1; seed <= 8; ++seed) {
      const RunRecord r = run_job(test_catalog().get(name), Job{name, "all", seed, 10000});
      INFO(name << " seed " << seed);
      REQUIRE(r.divergence);
      CHECK(r.divergence->step < 10000);
    }
  }
}

TEST_CASE("the double fetch is a DMA divergence at the re-read, racing or not", "[dma][mutants]") {
  // One descriptor, no rewrite: the extra read is an access the hardware never makes.
  Program p;
  put_desc(p, kDesc, kSrc, kDst, 16, M::kLast, 0);
  start(p, kDesc);
  p.push_back(Step::idle(100));
  Lockstep e(test_catalog().get("dma.double_fetch"));
  for (const Step& s : p) {
    if (e.diverged()) break;
    e.execute(s);
  }
  REQUIRE(e.diverged());
  CHECK(e.divergence()->kind == DivergenceKind::dma);
  CHECK(e.divergence()->reg == "dma addr");
  CHECK(e.divergence()->rtl == kSrc);               // the hardware reads the source
  CHECK(e.divergence()->model == kDesc + M::kLen);  // the model reads the descriptor again
}

// Device::next_irq_event is a promise lockstep skips edges on: the lines do not move before it.
// Edge by edge through a chain (IOC, a 1-byte-beat copy, a length error, an empty copy, a
// misaligned NEXT) and an ABORT with a read in flight, on the model alone with its memory.
TEST_CASE("the dma model's lines never move before the edge next_irq_event promised", "[dma]") {
  for (unsigned latency : {0u, 2u, 5u}) {
    INFO("latency " << latency);
    ModelExecutor ex(dma(), latency);
    const auto put_desc = [&](uint64_t at, uint64_t src, uint64_t dst, uint32_t len, uint32_t flags, uint64_t next) {
      ex.execute(Step::mem_write(at + M::kSrc, src, 8));
      ex.execute(Step::mem_write(at + M::kDst, dst, 8));
      ex.execute(Step::mem_write(at + M::kLen, (uint64_t(flags) << 32) | len, 8));
      ex.execute(Step::mem_write(at + M::kNext, next, 8));
    };
    put_desc(kDesc, kSrc, kDst, 64, M::kIoc, kDesc + 0x40);
    put_desc(kDesc + 0x40, kSrc + 1, kDst + 3, 5, M::kIoc, kDesc + 0x80);
    put_desc(kDesc + 0x80, kSrc, kDst, 0, M::kIoc, kDesc + 0xc4);  // NEXT misaligned: ERROR/ALIGN
    put_desc(kDesc + 0x100, kSrc, kDst, 5000, M::kIoc, 0);         // longer than 4096: ERROR/LENGTH
    put_desc(kDesc + 0x140, kSrc, kDst, 256, M::kIoc | M::kLast, 0);
    const auto start = [&](uint64_t desc) {
      ex.execute(Step::write(M::STATUS, 0xf));  // W1C: the flags of the previous run
      ex.execute(Step::write(M::IRQ_ENABLE, 0xf));
      ex.execute(Step::write(M::DESC_LO, desc));
      ex.execute(Step::write(M::CTRL, M::kStart));
    };
    Cycle promised = 0;
    uint32_t lines = 0;
    size_t changes = 0, skipped = 0, exact = 0;
    const auto walk = [&](unsigned edges) {
      for (unsigned i = 0; i < edges; ++i) {
        ex.execute(Step::idle(1));
        const uint32_t now_lines = ex.irq();  // brings the model up to now
        const Cycle now = ex.now();
        if (now < promised) {
          REQUIRE(now_lines == lines);
          ++skipped;
        } else {
          changes += now_lines != lines;
          exact += now_lines != lines && now == promised;
          lines = now_lines;
          promised = 0;
        }
        promised = std::max(promised, ex.model().next_irq_event(now));
        REQUIRE(promised > now);
      }
    };
    const auto restart = [&](uint64_t desc) {
      start(desc);
      lines = ex.irq();
      promised = ex.model().next_irq_event(ex.now());
    };
    restart(kDesc);
    walk(1500);
    restart(kDesc + 0x100);
    // Four descriptor words, then the ERROR/LENGTH write-back: the promise made at START is
    // already the edge the lines move at (each read at the least edges the latency allows).
    const Cycle at_start = promised;
    const size_t before = changes;
    while (ex.now() + 1 < at_start) walk(1);
    CHECK(changes == before);
    walk(1);
    CHECK(ex.now() == at_start);
    CHECK(changes == before + 1);
    walk(200);
    restart(kDesc + 0x140);
    walk(40);
    ex.execute(Step::write(M::CTRL, M::kAbort));
    lines = ex.irq();
    promised = ex.model().next_irq_event(ex.now());
    walk(50);
    CHECK(ex.irq() == 2);    // ABORTED
    CHECK(changes >= 3);     // DONE, then ERROR at the misaligned NEXT, ERROR/LENGTH (ABORTED may come at the write)
    CHECK(skipped >= 1000);  // most edges lie inside a promise: the bound is not just next_event
    CHECK(exact >= 2);       // the port never stalls here: a promise is the very edge of a write-back
  }
}
