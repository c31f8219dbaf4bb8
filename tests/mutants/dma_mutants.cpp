// dma mutants: the DMA bug classes of the devices issue, each a one-hook change of the correct
// model (models/dma/dma_model.h).
#include <algorithm>

#include "models/dma/dma_model.h"
#include "mutants.h"

namespace tandem {

namespace {

// (a) Double fetch: the length is checked on the descriptor as fetched, then read again from
// guest memory when the transfer starts and that value is used (time-of-check/time-of-use).
// The hardware copies the descriptor once; the second read alone is an access it never makes,
// and a racing rewrite of LEN makes the model move a length that was never checked.
class DoubleFetch final : public models::DmaModel {
  void on_transfer_start(Cycle at) override {
    const uint64_t word = m_port->read(m_cur + kLen, 8, at);
    m_len = static_cast<uint32_t>(word);
    if (m_len == 0) m_len = 1u << m_lsz;  // keep the loop finite: one beat at least
    m_lsz = std::min(m_lsz, beat_lsz(m_src, m_dst, m_len));
  }
};

// (b) Trusts LEN: no length limit and no check that SRC+LEN or DST+LEN stays below 2^64; the
// copy wraps around to address 0 where the hardware refuses the descriptor.
class TrustsLength final : public models::DmaModel {
  bool check_range(uint64_t, uint64_t, uint32_t) const override { return true; }
};

// (c) Ignores ABORT: the transfer runs to the end of its chain.
class IgnoresAbort final : public models::DmaModel {
  bool honours_abort() const override { return false; }
};

// (d) One descriptor too many: the chain goes on past LAST and stops one descriptor later.
class OneTooMany final : public models::DmaModel {
  void on_start() override { m_past_last = false; }
  bool ends_chain(bool last) override {
    if (m_past_last) return true;
    if (last) m_past_last = true;
    return false;
  }
  bool m_past_last = false;
};

// (e) Restore accepts an unknown engine state: a saved phase beyond the six the engine has is
// loaded as it is (checked as a descriptor fetch, then stored). The engine then has no rule
// for it: an access completes and nothing moves on, so advance() spins on it forever.
class RestoreUnknownPhase final : public models::DmaModel {
  std::string restore(StateReader& in) override {
    std::vector<uint8_t> bytes;
    for (uint8_t b = 0; in.u8(b);) bytes.push_back(b);
    constexpr size_t kPhaseAt = 44;  // version, cycle, DESC, CUR, MAX_DESC, IRQ_ENABLE, code, 4 flags
    const uint8_t phase = bytes.size() > kPhaseAt ? bytes[kPhaseAt] : 0;
    const bool unknown = phase > static_cast<uint8_t>(Phase::drain);
    if (unknown) bytes[kPhaseAt] = static_cast<uint8_t>(Phase::fetch);
    StateReader patched(bytes);
    std::string why = DmaModel::restore(patched);
    if (why.empty() && unknown) m_phase = static_cast<Phase>(phase);
    return why;
  }
};

// (f) Ranges checked in 32 bits: a SRC or DST range that crosses a 4 GiB boundary is taken
// for one that wraps and refused (LEN error); the hardware's 64-bit check copies it.
class Wraps32 final : public models::DmaModel {
  bool check_range(uint64_t src, uint64_t dst, uint32_t len) const override {
    auto crosses = [len](uint64_t a) { return len != 0 && uint32_t(a) + (len - 1) < uint32_t(a); };
    return range_ok(src, dst, len) && !crosses(src) && !crosses(dst);
  }
};

// (g) The source's end checked with `<` where the destination's uses `<=`: a SRC range that
// ends exactly at 2^64 is refused. Only DST has a driver setup there (`top`).
class SrcTopExclusive final : public models::DmaModel {
  bool check_range(uint64_t src, uint64_t dst, uint32_t len) const override {
    return range_ok(src, dst, len) && (len == 0 || src + len != 0);
  }
};

// (h) MAX_DESC.COUNT = 255 reads back 0: the read path keeps COUNT + 1 in eight bits and gives
// back one less, which wraps for 255 (the engine's budget is right). A bug behind a rarely hit
// coverage bin: random stimulus sets COUNT to 255 and reads MAX_DESC before the next write of it
// a few times in 20,000 steps (tests/steer_test.cpp).
class MaxDescWraps final : public models::DmaModel {
  BusResponse read(uint64_t offset, unsigned size, Cycle now) override {
    BusResponse r = DmaModel::read(offset, size, now);
    const bool covers_count = offset <= MAX_DESC && MAX_DESC < offset + size;
    const uint8_t kept = static_cast<uint8_t>(reg(MAX_DESC) + 1);  // 255 + 1 wraps to 0
    if (covers_count && kept == 0) r.data &= ~(uint64_t(0xff) << 8 * (MAX_DESC - offset));
    return r;
  }
};

template <class T>
std::function<std::unique_ptr<Device>()> factory() {
  return [] { return std::make_unique<T>(); };
}

}  // namespace

std::vector<Mutant> dma_mutants() {
  return {
      {"dma", "dma.double_fetch", "double fetch",
       "reads the descriptor's LEN again from guest memory when the transfer starts, and uses it", DivergenceKind::dma,
       "dma addr", factory<DoubleFetch>()},
      {"dma", "dma.trusts_length", "unchecked length", "no LEN limit and no wrap check: copies past 2^64 to 0",
       DivergenceKind::dma, "dma direction", factory<TrustsLength>()},
      {"dma", "dma.ignores_abort", "assumed ordering", "CTRL.ABORT does nothing: the chain runs on",
       DivergenceKind::dma, "dma addr", factory<IgnoresAbort>()},
      {"dma", "dma.one_too_many", "off by one", "processes the descriptor after LAST too", DivergenceKind::read_data,
       "CUR_LO", factory<OneTooMany>()},
      {"dma", "dma.restore_unknown_phase", "unknown state value (restore)",
       "restore loads an engine phase that does not exist; advance() then never returns", DivergenceKind::restore,
       "phase", factory<RestoreUnknownPhase>()},
      {"dma", "dma.wraps_32", "address boundary", "a SRC or DST range crossing a 4 GiB boundary is refused",
       DivergenceKind::dma, "dma direction", factory<Wraps32>()},
      {"dma", "dma.src_top_exclusive", "address boundary", "a SRC range ending exactly at 2^64 is refused",
       DivergenceKind::dma, "dma direction", factory<SrcTopExclusive>()},
      {"dma", "dma.max_desc_wraps", "off by one", "MAX_DESC.COUNT 255 reads back 0", DivergenceKind::read_data,
       "MAX_DESC", factory<MaxDescWraps>()},
  };
}

}  // namespace tandem
