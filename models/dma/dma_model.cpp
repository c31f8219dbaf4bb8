// dma model: each rule below mirrors one documented rule of rtl/dma/dma.sv. The master port
// is modelled by its timing alone (DmaPort::latency): the one access in flight, the edge the
// memory takes it and the edge it completes, which is all the RTL's timing depends on.
#include "dma_model.h"

#include <algorithm>

namespace models {

using tandem::BusResponse;
using tandem::Cycle;

namespace {
// Guest memory for a model run without a port: reads zero, drops writes.
class NoMemory final : public tandem::DmaPort {
 public:
  uint64_t read(uint64_t, unsigned, Cycle) override { return 0; }
  void write(uint64_t, uint64_t, unsigned, Cycle) override {}
};
NoMemory g_no_memory;
}  // namespace

unsigned DmaModel::beat_lsz(uint64_t src, uint64_t dst, uint32_t len) {
  const uint64_t low = (src | dst | len) & 7u;
  if (low & 1u) return 0;
  if (low & 2u) return 1;
  if (low & 4u) return 2;
  return 3;
}

bool DmaModel::range_ok(uint64_t src, uint64_t dst, uint32_t len) {
  if (len > kMaxLen) return false;
  if (len == 0) return true;
  // The last byte's address must not wrap: a range may end exactly at 2^64.
  return src + (len - 1) >= src && dst + (len - 1) >= dst;
}

void DmaModel::reset(Cycle now) {
  tandem::DmaPort* port = m_port;
  *this = DmaModel();
  m_port = port;
  m_now = now;
}

uint32_t DmaModel::status() const {
  return (m_done ? kDone : 0u) | (m_error ? kError : 0u) | (m_aborted ? kAborted : 0u) |
         (m_start_err ? kStartErr : 0u) | (busy() ? kBusy : 0u) | (m_err_code << kErrCodeShift);
}

uint32_t DmaModel::irq() const {
  const bool done = m_done && (m_irq_en & kDone);
  const bool other = (m_error && (m_irq_en & kError)) || (m_aborted && (m_irq_en & kAborted)) ||
                     (m_start_err && (m_irq_en & kStartErr));
  return (done ? 1u : 0u) | (other ? 2u : 0u);
}

Cycle DmaModel::next_event(Cycle) const {
  if (!busy()) return tandem::kNever;
  return m_taken ? m_done_at : m_take_at;
}

// ---------------------------------------------------------------------------- the port

void DmaModel::request(Cycle at, bool write, uint64_t addr, unsigned lsz, uint64_t wdata) {
  m_req_write = write;
  m_req_addr = addr;
  m_req_lsz = lsz;
  m_req_wdata = wdata;
  m_taken = false;
  // Presented from edge `at`, so sampled at at+1 first; taken once the memory is ready.
  m_take_at = std::max(at + 1, m_port_free);
}

void DmaModel::request_result(Cycle at, uint64_t value, bool error) {
  m_phase = Phase::result;
  m_result_error = error;
  request(at, true, m_cur + kResult, 3, value);
}

void DmaModel::take() {
  tandem::DmaPort& port = m_port ? *m_port : g_no_memory;
  const unsigned size = 1u << m_req_lsz;
  const unsigned l = latency();
  if (m_req_write) {
    port.write(m_req_addr, m_req_wdata & tandem::size_mask(size), size, m_take_at);
    m_done_at = m_take_at;
    m_port_free = m_take_at + 1 + l;
  } else {
    m_rdata = port.read(m_req_addr, size, m_take_at);
    m_done_at = m_take_at + 1 + l;
    m_port_free = m_take_at + 2 + l;
  }
  m_taken = true;
}

void DmaModel::catch_up(Cycle now) {
  // Everything due at or before the edge the model stands at is done (a write applies its
  // whole edge; restore() refuses a request due by the saved cycle).
  if (now <= m_now) return;
  // Every request is taken after the edge that made it, so each pass moves time forward.
  while (busy()) {
    if (!m_taken) {
      if (m_take_at > now) break;
      take();
    }
    if (m_done_at > now) break;
    complete(m_done_at);
  }
  m_now = now;
}

// ---------------------------------------------------------------------------- the engine

void DmaModel::complete(Cycle at) {
  switch (m_phase) {
    case Phase::fetch:
      switch (m_word) {
        case 0: m_src = m_rdata; break;
        case 1: m_dst = m_rdata; break;
        case 2:
          m_len = static_cast<uint32_t>(m_rdata);
          m_flags = static_cast<uint32_t>(m_rdata >> 32);
          break;
        default: m_next = m_rdata; break;
      }
      if (m_word < 3) {
        ++m_word;
        request(at, false, m_cur + 8 * m_word, 3);
      } else if (!check_range(m_src, m_dst, m_len)) {
        request_result(at, result_error(kLength), true);
      } else if (m_len == 0) {
        request_result(at, result_done(0), false);
      } else {
        m_offset = 0;
        m_lsz = beat_lsz(m_src, m_dst, m_len);
        on_transfer_start(at);
        m_phase = Phase::read;
        request(at, false, m_src, m_lsz);
      }
      return;
    case Phase::read:
      m_phase = Phase::write;
      request(at, true, m_dst + m_offset, m_lsz, m_rdata);
      return;
    case Phase::write:
      m_offset += 1u << m_lsz;
      if (m_offset == m_len) {
        request_result(at, result_done(m_len), false);
      } else {
        m_phase = Phase::read;
        request(at, false, m_src + m_offset, m_lsz);
      }
      return;
    case Phase::result:
      if (m_result_error) return fail(kLength);
      if (m_flags & kIoc) m_done = true;
      if (ends_chain((m_flags & kLast) != 0)) return finish();
      if (m_count >= m_max_desc) return fail(kBudget);
      if (m_next & 7u) return fail(kAlign);
      m_cur = m_next;
      ++m_count;
      m_word = 0;
      m_phase = Phase::fetch;
      request(at, false, m_cur, 3);
      return;
    case Phase::drain: m_aborted = true; return finish();
    case Phase::idle: return;
  }
}

void DmaModel::start(Cycle at) {
  if (m_max_desc == 0) return fail(kBudget);
  if (m_desc & 7u) return fail(kAlign);
  m_err_code = kNoError;
  m_cur = m_desc;
  m_count = 1;
  m_word = 0;
  m_phase = Phase::fetch;
  on_start();
  request(at, false, m_cur, 3);
}

void DmaModel::abort(Cycle at) {
  // A read the memory has taken but not answered is waited for; anything else stops now.
  if (m_taken && !m_req_write && m_done_at > at) {
    m_phase = Phase::drain;
    return;
  }
  m_aborted = true;
  finish();
}

// ---------------------------------------------------------------------------- registers

inline bool DmaModel::mapped(uint64_t word_offset) {
  switch (word_offset) {
    case ID:
    case CTRL:
    case STATUS:
    case IRQ_ENABLE:
    case DESC_LO:
    case DESC_HI:
    case MAX_DESC:
    case CUR_LO:
    case CUR_HI: return true;
    default: return false;
  }
}

inline uint32_t DmaModel::read_word(uint64_t word, Cycle) const {
  switch (word) {
    case ID: return kId;
    case STATUS: return status();
    case IRQ_ENABLE: return m_irq_en;
    case DESC_LO: return static_cast<uint32_t>(m_desc);
    case DESC_HI: return static_cast<uint32_t>(m_desc >> 32);
    case MAX_DESC: return m_max_desc;
    case CUR_LO: return static_cast<uint32_t>(m_cur);
    case CUR_HI: return static_cast<uint32_t>(m_cur >> 32);
    default: return 0;  // CTRL reads 0
  }
}

// Applies a write completing at edge `now` (the model stands at now - 1) and the engine's
// part of that edge, in the order the RTL's edge has them.
inline void DmaModel::write_word(uint64_t word, uint32_t wdata, uint32_t lanes, Cycle now) {
  const uint32_t strobed = wdata & lanes;
  auto merged = [&](uint32_t cur) { return (cur & ~lanes) | strobed; };
  const bool was_busy = busy();

  // Edge `now` on the master port first: the memory takes a request due now whatever the
  // register write does.
  if (was_busy && !m_taken && m_take_at == now) take();
  // W1C before the engine's sets of this edge: a set wins.
  if (word == STATUS) {
    if (strobed & kDone) m_done = false;
    if (strobed & kError) m_error = false;
    if (strobed & kAborted) m_aborted = false;
    if (strobed & kStartErr) m_start_err = false;
  }
  const bool abort_req = word == CTRL && (strobed & kAbort);
  const bool start_req = word == CTRL && (strobed & kStart) && !abort_req;
  // The engine at this edge sees the registers from before it (MAX_DESC, DESC).
  if (abort_req && was_busy && m_phase != Phase::drain && honours_abort()) {
    abort(now);
  } else if (was_busy && m_taken && m_done_at == now) {
    complete(now);
  }
  switch (word) {
    case IRQ_ENABLE: m_irq_en = merged(m_irq_en) & 0xfu; break;
    case DESC_LO: m_desc = (m_desc & ~uint64_t(0xffffffff)) | merged(static_cast<uint32_t>(m_desc)); break;
    case DESC_HI:
      m_desc = (m_desc & 0xffffffffu) | (uint64_t(merged(static_cast<uint32_t>(m_desc >> 32))) << 32);
      break;
    case MAX_DESC: m_max_desc = merged(m_max_desc) & 0xffu; break;
    default: break;  // ID, STATUS (above), CUR_*: no register to write
  }
  if (start_req) {
    if (was_busy)
      m_start_err = true;
    else
      start(now);
  }
  m_now = now;
}

BusResponse DmaModel::read(uint64_t offset, unsigned size, Cycle now) {
  return tandem::WordRegisters<DmaModel>::read(*this, offset, size, now);
}

BusResponse DmaModel::write(uint64_t offset, uint64_t value, unsigned size, Cycle now) {
  return tandem::WordRegisters<DmaModel>::write(*this, offset, value, size, now);
}

// ---------------------------------------------------------------------------- save / restore

void DmaModel::save(tandem::StateWriter& out) const {
  out.u32(1);  // format version
  out.u64(m_now);
  out.u64(m_desc);
  out.u64(m_cur);
  out.u32(m_max_desc);
  out.u32(m_irq_en);
  out.u32(m_err_code);
  out.u8(m_done);
  out.u8(m_error);
  out.u8(m_aborted);
  out.u8(m_start_err);
  out.u8(static_cast<uint8_t>(m_phase));
  out.u32(m_word);
  out.u64(m_src);
  out.u64(m_dst);
  out.u64(m_next);
  out.u32(m_len);
  out.u32(m_flags);
  out.u32(m_offset);
  out.u32(m_lsz);
  out.u8(m_result_error);
  out.u32(m_count);
  out.u8(m_req_write);
  out.u64(m_req_addr);
  out.u64(m_req_wdata);
  out.u32(m_req_lsz);
  out.u8(m_taken);
  out.u64(m_take_at);
  out.u64(m_done_at);
  out.u64(m_rdata);
  out.u64(m_port_free);
}

std::string DmaModel::restore(tandem::StateReader& in) {
  uint32_t version = 0;
  if (!in.u32(version) || version != 1) return "version: expected 1";
  DmaModel n;
  uint8_t done = 0, error = 0, aborted = 0, start_err = 0, phase = 0, result_error = 0, req_write = 0, taken = 0;
  const bool ok = in.u64(n.m_now) && in.u64(n.m_desc) && in.u64(n.m_cur) && in.u32(n.m_max_desc) &&
                  in.u32(n.m_irq_en) && in.u32(n.m_err_code) && in.u8(done) && in.u8(error) && in.u8(aborted) &&
                  in.u8(start_err) && in.u8(phase) && in.u32(n.m_word) && in.u64(n.m_src) && in.u64(n.m_dst) &&
                  in.u64(n.m_next) && in.u32(n.m_len) && in.u32(n.m_flags) && in.u32(n.m_offset) && in.u32(n.m_lsz) &&
                  in.u8(result_error) && in.u32(n.m_count) && in.u8(req_write) && in.u64(n.m_req_addr) &&
                  in.u64(n.m_req_wdata) && in.u32(n.m_req_lsz) && in.u8(taken) && in.u64(n.m_take_at) &&
                  in.u64(n.m_done_at) && in.u64(n.m_rdata) && in.u64(n.m_port_free);
  if (!ok) return "state: truncated";
  if (!in.at_end()) return "trailing bytes";
  for (uint8_t b : {done, error, aborted, start_err, result_error, req_write, taken})
    if (b > 1) return "flag: not boolean";
  if (phase > static_cast<uint8_t>(Phase::drain)) return "phase: no such state";
  // Far from overflow: every edge the engine computes is a few cycles past the saved one.
  if (n.m_now >= (Cycle(1) << 62)) return "cycle: beyond 2^62";
  n.m_done = done;
  n.m_error = error;
  n.m_aborted = aborted;
  n.m_start_err = start_err;
  n.m_phase = static_cast<Phase>(phase);
  n.m_result_error = result_error;
  n.m_req_write = req_write;
  n.m_taken = taken;
  if (n.m_max_desc > 0xff) return "max_desc: more than 8 bits";
  if (n.m_irq_en > 0xf) return "irq_enable: unknown bits";
  if (n.m_err_code > kAlign) return "err_code: no such code";
  if (n.m_word > 3) return "word: beyond the descriptor";
  if (n.m_lsz > 3 || n.m_req_lsz > 3) return "beat size: more than 8 bytes";
  if (n.busy()) {
    // Only states the engine can reach: an aligned descriptor within the budget, a transfer
    // that passed its checks, and one access in flight whose edges follow the port's timing.
    if (n.m_cur & 7u) return "cur: descriptor not 8-byte aligned";
    if (n.m_count < 1 || n.m_count > 0xff) return "count: out of range";
    const bool moving = n.m_phase == Phase::read || n.m_phase == Phase::write;
    if (moving) {
      if (n.m_len == 0 || !range_ok(n.m_src, n.m_dst, n.m_len)) return "len: a transfer the checks refuse";
      if (n.m_lsz != beat_lsz(n.m_src, n.m_dst, n.m_len)) return "beat size: not the transfer's";
      if (n.m_offset >= n.m_len || (n.m_offset & ((1u << n.m_lsz) - 1))) return "offset: not a beat of the transfer";
    }
    if (n.m_phase == Phase::drain && (!n.m_taken || n.m_req_write)) return "drain: no read in flight";
    if (!n.m_taken && n.m_take_at <= n.m_now) return "take_at: not after the saved cycle";
    if (n.m_taken) {
      const unsigned l = latency();
      const Cycle expect = n.m_req_write ? n.m_take_at : n.m_take_at + 1 + l;
      if (n.m_take_at > n.m_now || n.m_done_at <= n.m_now || (m_port && n.m_done_at != expect))
        return "done_at: not reachable from the saved cycle";
    }
  } else if (n.m_taken && !n.m_req_write && n.m_done_at > n.m_now) {
    return "phase: idle with a read in flight";
  }
  tandem::DmaPort* port = m_port;
  *this = n;
  m_port = port;
  return "";
}

}  // namespace models
