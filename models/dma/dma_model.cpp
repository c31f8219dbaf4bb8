// dma model: each rule below mirrors one documented rule of rtl/dma/dma.sv. The master port
// is modelled by its timing alone (DmaPort::latency): the one access in flight, the edge the
// memory takes it and the edge it completes, which is all the RTL's timing depends on.
#include "dma_model.h"

#include <tandem/lockstep_fast.h>

#include <algorithm>

namespace models {

using tandem::BusResponse;
using tandem::Cycle;

namespace {
// All ones when `b`, else 0: selects by masking, which the compiler cannot turn into branches.
constexpr uint32_t all_if(bool b) { return 0u - static_cast<uint32_t>(b); }
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
  tandem::DmaPort* memory = m_memory;
  const unsigned latency = m_latency;
  *this = DmaModel();
  m_port = port;
  m_memory = memory;
  m_latency = latency;
  m_now = now;
}

// Without branches on the flags: random writes flip them at every step, and lockstep asks for
// the lines after every access. IRQ_ENABLE's bits sit where STATUS has the flags they enable.
uint32_t DmaModel::irq() const {
  const uint32_t pending = reg(STATUS) & reg(IRQ_ENABLE);
  const uint32_t other = kError | kAborted | kStartErr;
  return static_cast<uint32_t>((pending & kDone) != 0) | (static_cast<uint32_t>((pending & other) != 0) << 1);
}

// The lines follow STATUS, which moves at a register write (an access edge) or when a
// result write-back or a drained read completes. Before that come the accesses left of the
// descriptor, each made at the edge the one before it completes: a read is taken an edge
// later at the soonest and completes 1 + latency edges after that, so it takes at least
// latency + 2 edges; a write completes at the edge it is taken, at least one edge on. The
// access in flight completes at a known edge (the memory takes it at m_take_at).
Cycle DmaModel::next_irq_event(Cycle) const {
  if (m_phase == Phase::idle) return tandem::kNever;
  const Cycle done = m_taken ? m_done_at : m_take_at + (m_req_write ? 0 : 1 + m_latency);
  const Cycle read = m_latency + 2, write = 1;
  switch (m_phase) {
    case Phase::fetch: return done + (3 - m_word) * read + write;  // the words left, then a result at least
    case Phase::read:
    case Phase::write: {
      // The rest of this beat (its write, after its read), each beat after it (a read and a
      // write), then the result write-back.
      const uint64_t beats = (m_len - m_offset) >> m_lsz;  // this one included
      if (beats == 0) return done;
      return done + (m_phase == Phase::read ? write : 0) + (beats - 1) * (read + write) + write;
    }
    default: return done;  // the result write-back or the drained read is in flight
  }
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
  m_next_edge = m_take_at;
}

void DmaModel::request_result(Cycle at, uint64_t value, bool error) {
  m_phase = Phase::result;
  m_result_error = error;
  request(at, true, m_cur + kResult, 3, value);
}

void DmaModel::take() {
  tandem::DmaPort& port = *m_memory;
  const unsigned size = 1u << m_req_lsz;
  if (m_req_write) {
    // The data's `size` bytes (1 to 8), masked without size_mask()'s branch on 8.
    port.write(m_req_addr, m_req_wdata & (~uint64_t(0) >> (64 - 8 * size)), size, m_take_at);
    m_done_at = m_take_at;
    m_port_free = m_take_at + 1 + m_latency;
  } else {
    m_rdata = port.read(m_req_addr, size, m_take_at);
    m_done_at = m_take_at + 1 + m_latency;
    m_port_free = m_take_at + 2 + m_latency;
  }
  m_taken = true;
  m_next_edge = m_done_at;
}

void DmaModel::run_until(Cycle now) {
  // Called with an event due (m_next_edge <= now). Every request is taken after the edge that
  // made it, so each pass moves time forward. A write completes at the edge the memory takes
  // it (take() sets m_done_at = m_take_at <= now), so it is completed in the same pass.
  do {
    if (!m_taken) {
      take();
      if (!m_req_write) continue;
    }
    complete(m_done_at);
  } while (m_next_edge <= now);
  if (now > m_now) m_now = now;
}

// ---------------------------------------------------------------------------- the engine

void DmaModel::complete(Cycle at) {
  // The beats of a transfer first: nearly every completion is one, read and write in turn.
  if (m_phase == Phase::read) {
    m_phase = Phase::write;
    return request(at, true, m_dst + m_offset, m_lsz, m_rdata);
  }
  if (m_phase == Phase::write) {
    m_offset += 1u << m_lsz;
    if (m_offset == m_len) return request_result(at, result_done(m_len), false);
    m_phase = Phase::read;
    return request(at, false, m_src + m_offset, m_lsz);
  }
  // Then the descriptor's words (four a descriptor), its result, an aborted read's end.
  if (m_phase == Phase::fetch) return complete_fetch(at);
  if (m_phase == Phase::result) return complete_result(at);
  if (m_phase == Phase::drain) {
    reg(STATUS) |= kAborted;
    return finish();
  }
  // idle: nothing is in flight
}

void DmaModel::complete_fetch(Cycle at) {
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
}

void DmaModel::complete_result(Cycle at) {
  if (m_result_error) return fail(kLength);
  if (m_flags & kIoc) reg(STATUS) |= kDone;
  if (ends_chain((m_flags & kLast) != 0)) return finish();
  if (m_count >= max_desc()) return fail(kBudget);
  if (m_next & 7u) return fail(kAlign);
  set_cur(m_next);
  ++m_count;
  m_word = 0;
  m_phase = Phase::fetch;
  request(at, false, m_cur, 3);
}

void DmaModel::start(Cycle at) {
  if (max_desc() == 0) return fail(kBudget);
  if (desc() & 7u) return fail(kAlign);
  reg(STATUS) &= ~kErrCodeMask;  // kNoError
  set_cur(desc());
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
  reg(STATUS) |= kAborted;
  finish();
}

// ---------------------------------------------------------------------------- registers

// The word as it reads: one load, and BUSY from the engine's phase for STATUS.
inline uint32_t DmaModel::read_word(uint64_t word, Cycle) const {
  const unsigned idx = static_cast<unsigned>(word / 4);
  const uint32_t busy_bit = busy() ? kBusy : 0u;
  return m_regs[idx] | (busy_bit & all_if(idx == STATUS / 4));
}

// Applies a write completing at edge `now` (the model stands at now - 1) and the engine's
// part of that edge: a STATUS W1C first (the engine's sets of this edge win), then the port
// and the engine at `now` (they see the registers from before the write: MAX_DESC, DESC), then
// the register. Every register is a masked merge; only CTRL's START and ABORT branch.
inline void DmaModel::write_word(uint64_t word, uint32_t value, uint32_t lanes, Cycle now) {
  // Per word: the bits a write stores (ID, CTRL, STATUS and CUR_* store none).
  static constexpr uint32_t kStored[kWords] = {
      0, 0, 0, tandem_regs::dma::IRQ_ENABLE_ENABLE_MASK, ~0u, ~0u, tandem_regs::dma::MAX_DESC_COUNT_MASK, 0, 0};
  const unsigned idx = static_cast<unsigned>(word / 4);
  const uint32_t strobed = value & lanes;
  const uint32_t w1c = strobed & kW1c & all_if(idx == STATUS / 4);
  const uint32_t ctrl = strobed & (kStart | kAbort) & all_if(idx == CTRL / 4);
  // catch_up_before left the events before `now` to here: they need running apart from those
  // at `now` only for a W1C or a START/ABORT (otherwise they all come before the store).
  if (__builtin_expect(ctrl != 0, 0)) {
    if (now > m_next_edge) run_until(now - 1);
    return control(ctrl, busy(), now);
  }
  if (w1c != 0 && now > m_next_edge) run_until(now - 1);
  reg(STATUS) &= ~w1c;
  if (now >= m_next_edge) run_until(now);
  uint32_t& w = m_regs[idx];
  const uint32_t mask = kStored[idx] & lanes;
  w = (w & ~mask) | (value & mask);
}

// A CTRL write with START or ABORT at edge `now`; `was_busy` is the engine before the edge.
void DmaModel::control(uint32_t ctrl, bool was_busy, Cycle now) {
  const bool abort_req = (ctrl & kAbort) != 0;
  if (abort_req && was_busy && m_phase != Phase::drain && honours_abort()) {
    // The memory takes a request due now whatever the register write does.
    if (!m_taken && m_take_at == now) take();
    abort(now);
  } else if (now >= m_next_edge) {
    run_until(now);
  }
  if ((ctrl & kStart) && !abort_req) {
    if (was_busy)
      reg(STATUS) |= kStartErr;
    else
      start(now);
  }
}

// Most accesses find no port event due up to their edge: read() and write() then take the
// front end inlined with that known (catch_up_before, write_word's catch-up and catch_up
// fold away, no call is left and the function needs no frame); an access with an event due,
// or a CTRL write, takes the same front end out of line. Both are WordRegisters<DmaModel>, so they agree.
__attribute__((always_inline)) inline BusResponse DmaModel::read(uint64_t offset, unsigned size, Cycle now) {
  if (__builtin_expect(now >= m_next_edge, 0)) return read_due(offset, size, now);
  return tandem::WordRegisters<DmaModel>::read(*this, offset, size, now);
}

__attribute__((always_inline)) inline BusResponse DmaModel::write(uint64_t offset, uint64_t value, unsigned size,
                                                                  Cycle now) {
  // A CTRL write (START, ABORT: control()) too, so that the inlined one makes no call.
  if (__builtin_expect(now >= m_next_edge || offset / 4 == CTRL / 4, 0)) return write_due(offset, value, size, now);
  return tandem::WordRegisters<DmaModel>::write(*this, offset, value, size, now);
}

__attribute__((noinline)) BusResponse DmaModel::read_due(uint64_t offset, unsigned size, Cycle now) {
  return tandem::WordRegisters<DmaModel>::read(*this, offset, size, now);
}

__attribute__((noinline)) BusResponse DmaModel::write_due(uint64_t offset, uint64_t value, unsigned size, Cycle now) {
  return tandem::WordRegisters<DmaModel>::write(*this, offset, value, size, now);
}

// ---------------------------------------------------------------------------- save / restore

void DmaModel::save(tandem::StateWriter& out) const {
  out.u32(1);  // format version
  out.u64(m_now);
  out.u64(desc());
  out.u64(m_cur);
  out.u32(max_desc());
  out.u32(reg(IRQ_ENABLE));
  out.u32(err_code());
  out.u8(flag(kDone));
  out.u8(flag(kError));
  out.u8(flag(kAborted));
  out.u8(flag(kStartErr));
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
  uint64_t desc = 0, cur = 0;
  uint32_t max_desc = 0, irq_en = 0, err_code = 0;
  uint8_t done = 0, error = 0, aborted = 0, start_err = 0, phase = 0, result_error = 0, req_write = 0, taken = 0;
  const bool ok = in.u64(n.m_now) && in.u64(desc) && in.u64(cur) && in.u32(max_desc) && in.u32(irq_en) &&
                  in.u32(err_code) && in.u8(done) && in.u8(error) && in.u8(aborted) && in.u8(start_err) &&
                  in.u8(phase) && in.u32(n.m_word) && in.u64(n.m_src) && in.u64(n.m_dst) && in.u64(n.m_next) &&
                  in.u32(n.m_len) && in.u32(n.m_flags) && in.u32(n.m_offset) && in.u32(n.m_lsz) &&
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
  n.m_phase = static_cast<Phase>(phase);
  n.m_result_error = result_error;
  n.m_req_write = req_write;
  n.m_taken = taken;
  if (max_desc > 0xff) return "max_desc: more than 8 bits";
  if (irq_en > 0xf) return "irq_enable: unknown bits";
  if (err_code > kAlign) return "err_code: no such code";
  if (n.m_word > 3) return "word: beyond the descriptor";
  if (n.m_lsz > 3 || n.m_req_lsz > 3) return "beat size: more than 8 bytes";
  n.reg(DESC_LO) = static_cast<uint32_t>(desc);
  n.reg(DESC_HI) = static_cast<uint32_t>(desc >> 32);
  n.set_cur(cur);
  n.reg(MAX_DESC) = max_desc;
  n.reg(IRQ_ENABLE) = irq_en;
  n.reg(STATUS) = (done ? kDone : 0u) | (error ? kError : 0u) | (aborted ? kAborted : 0u) |
                  (start_err ? kStartErr : 0u) | (err_code << kErrCodeShift);
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
      const Cycle expect = n.m_req_write ? n.m_take_at : n.m_take_at + 1 + m_latency;
      if (n.m_take_at > n.m_now || n.m_done_at <= n.m_now || (m_port && n.m_done_at != expect))
        return "done_at: not reachable from the saved cycle";
    }
    n.m_next_edge = n.m_taken ? n.m_done_at : n.m_take_at;
  } else if (n.m_taken && !n.m_req_write && n.m_done_at > n.m_now) {
    return "phase: idle with a read in flight";
  }
  tandem::DmaPort* port = m_port;
  tandem::DmaPort* memory = m_memory;
  const unsigned latency = m_latency;
  *this = n;
  m_port = port;
  m_memory = memory;
  m_latency = latency;
  return "";
}

// Instantiated here, where read(), write() and irq() are defined, so that the step inlines them.
tandem::LockstepFastPath DmaModel::lockstep_fast_path() { return tandem::lockstep_fast_path<DmaModel>(); }

}  // namespace models
