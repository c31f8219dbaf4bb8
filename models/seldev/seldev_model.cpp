// seldev model: each rule below mirrors one documented rule of rtl/seldev/seldev.sv.
#include "seldev_model.h"

#include <tandem/lockstep_fast.h>

#include <algorithm>

namespace models {

using tandem::BusResponse;
using tandem::Cycle;

namespace {
// kCrcTable[b]: eight bit-steps of the reflected CRC-32 (polynomial 0xEDB88320) on state b.
constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ ((crc & 1u) ? 0xEDB88320u : 0u);
    t[b] = crc;
  }
  return t;
}
constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();
}  // namespace

uint32_t SeldevModel::op_result(uint32_t op, uint32_t acc, uint32_t operand) {
  switch (op & 3) {
    case 0: return acc + operand;
    case 1: return acc ^ operand;
    case 2: {
      // The RTL shifts the operand in one bit a cycle, LSB first (reflected CRC-32, no
      // init or final xor: the accumulator is the state). A byte at a time through a table
      // gives the same value in a quarter of the work.
      uint32_t crc = acc;
      for (int i = 0; i < 32; i += 8) crc = (crc >> 8) ^ kCrcTable[(crc ^ (operand >> i)) & 0xffu];
      return crc;
    }
    default: return acc * operand;
  }
}

unsigned SeldevModel::op_latency(uint32_t op, uint32_t delay) {
  static constexpr unsigned kBase[4] = {2, 1, 8, 4};
  return kBase[op & 3] + (delay & 0xff);
}

void SeldevModel::reset(Cycle now) {
  for (uint32_t& w : m_words) w = 0;
  word(ID / 4) = kId;
  word(IRQ_ENABLE / 4) = done_ie_reset();
  m_units = {};
  m_now = now;
  m_next_done = tandem::kNever;
}

void SeldevModel::complete(unsigned unit) {
  window(unit, 2) = m_units[unit].result;                                               // U_ACC takes the result
  word(STATUS / 4) = (word(STATUS / 4) & ~(1u << (kBusyShift + unit))) | (1u << unit);  // BUSY off, DONE on
}

void SeldevModel::update_next_done() {
  m_next_done = tandem::kNever;
  for (unsigned i = 0; i < kUnits; ++i)
    if (busy(i)) m_next_done = std::min(m_next_done, m_units[i].done_at);
}

void SeldevModel::advance(Cycle now) { catch_up(now); }

void SeldevModel::complete_until(Cycle now) {
  for (unsigned i = 0; i < kUnits; ++i)
    if (busy(i) && m_units[i].done_at <= now) complete(i);
  update_next_done();
}

Cycle SeldevModel::next_event(Cycle now) const {
  const Cycle delay = m_irq_delay;
  if (delay == 0 && m_next_done > now) return m_next_done;  // the correct model: O(1)
  Cycle next = tandem::kNever;
  for (unsigned i = 0; i < kUnits; ++i) {
    if (busy(i) || (delay && (done() >> i & 1u))) {
      const Cycle at = m_units[i].done_at + delay;
      if (at > now) next = std::min(next, at);
    }
  }
  return next;
}

// Without branches on the enables and status bits: random writes flip them at every step,
// and lockstep asks for the line after every access.
uint32_t SeldevModel::irq() const {
  uint32_t pending = done() & done_ie();
  if (__builtin_expect(m_irq_delay != 0, 0)) {
    // Late-irq mutant: a completion reaches the line `delay` edges after DONE sets.
    for (unsigned i = 0; i < kUnits; ++i)
      if (m_units[i].done_at + m_irq_delay > m_now) pending &= ~(1u << i);
  }
  // Bitwise on purpose (no branch): the flags as 0/1 words.
  return (static_cast<uint32_t>(err_ie()) & static_cast<uint32_t>(errors() != 0)) | static_cast<uint32_t>(pending != 0);
}

namespace {
using R = SeldevModel;
namespace regs = tandem_regs::seldev;
// Per word: the bits a write stores, and the bits a written 1 clears. Neither for ID
// (read-only), the holes (refused before they get here) or U_CMD (an action that reads 0).
// UNIT_SELECT stores the whole value, so that the range check sees all of it.
constexpr uint32_t kStored[R::U_CMD / 4 + 1] = {
    0,                                                             // ID
    regs::CTRL_ENABLE_MASK,                                        // CTRL (SOFT_RESET is an action)
    0,                                                             // STATUS
    ~0u,                                                           // UNIT_SELECT
    regs::IRQ_ENABLE_DONE_IE_MASK | regs::IRQ_ENABLE_ERR_IE_MASK,  // IRQ_ENABLE
    0,
    0,
    0,                                             // holes
    regs::U_CFG_OP_MASK | regs::U_CFG_DELAY_MASK,  // U_CFG
    ~0u,                                           // U_OPERAND
    ~0u,                                           // U_ACC
    0,                                             // U_CMD
};
// Per word: the bits whose written 1 is an action.
constexpr uint32_t kAction[R::U_CMD / 4 + 1] = {0, regs::CTRL_SOFT_RESET_MASK, 0, 0, 0, 0, 0, 0, 0, 0,
                                                0, regs::U_CMD_START_MASK};
constexpr uint32_t kClearedBy1 = regs::STATUS_DONE_MASK | R::kSelErr | R::kStartErr | R::kBusyErr;
// All ones when `b`, else 0: selects by masking, which the compiler cannot turn into branches.
constexpr uint32_t all_if(bool b) { return 0u - static_cast<uint32_t>(b); }
}  // namespace

// The word's value: one load from the global word or the selected unit's window word.
inline uint32_t SeldevModel::read_word(uint64_t word_offset, Cycle) const {
  const unsigned idx = static_cast<unsigned>(word_offset / 4);
  return m_words[idx + (size_t(kWindowWords) * sel() & all_if(idx >= kWindowAt))];
}

void SeldevModel::soft_reset() {
  for (unsigned i = kWindowAt; i < kWords; ++i) m_words[i] = 0;
  word(STATUS / 4) &= ~(kDoneBits | tandem_regs::seldev::STATUS_BUSY_MASK);  // error flags stay
  word(UNIT_SELECT / 4) = 0;
  m_units = {};
  m_next_done = tandem::kNever;
}

void SeldevModel::start(unsigned unit, Cycle now) {
  if (!start_allowed()) {
    word(STATUS / 4) |= kStartErr;
    return;
  }
  Unit& u = m_units[unit];
  word(STATUS / 4) |= 1u << (kBusyShift + unit);
  u.result = op_result(op(unit), window(unit, 2), window(unit, 1));
  u.done_at = now + op_latency(op(unit), delay(unit));
  m_next_done = std::min(m_next_done, u.done_at);
}

// Returns the PSLVERR the hardware gives. `lanes` is the byte-lane mask of the access;
// `word_offset` is a mapped word (read() and write() refuse the rest). Every rule is a mask
// (see m_words); only the two actions, soft reset and start, branch.
void SeldevModel::apply_edge_first(unsigned idx, Cycle now) {
  const bool status = idx == STATUS / 4 && (m_edge_first & kStatusEdgeFirst);
  const bool window = idx >= kWindowAt && (m_edge_first & kWindowEdgeFirst);
  if (status || window) catch_up(now);
}

inline bool SeldevModel::write_word(uint64_t word_offset, uint32_t value, uint32_t lanes, Cycle now) {
  const unsigned idx = static_cast<unsigned>(word_offset / 4);
  if (__builtin_expect(m_edge_first != 0, 0)) apply_edge_first(idx, now);
  const unsigned unit = sel();
  const uint32_t in_window = all_if(idx >= kWindowAt);
  // A window write while the selected unit is busy is refused: PSLVERR, STATUS.BUSY_ERR.
  const uint32_t refused = in_window & all_if(busy(unit));
  uint32_t& w = m_words[idx + (size_t(kWindowWords) * unit & in_window)];
  const uint32_t mask = ~refused & kStored[idx] & lanes;
  const uint32_t merged = (w & ~mask) | (value & mask);
  // An out-of-range UNIT_SELECT is refused: PSLVERR, STATUS.SEL_ERR, the select unchanged.
  const uint32_t bad_select = all_if((idx == UNIT_SELECT / 4) & (merged >= m_select_limit));
  w = (merged & ~bad_select) | (w & bad_select);
  // STATUS: the errors just raised, and a written 1 clears DONE and the error flags.
  const uint32_t cleared = value & lanes & kClearedBy1 & all_if(idx == STATUS / 4);
  word(STATUS / 4) = (word(STATUS / 4) | (refused & kBusyErr) | (bad_select & kSelErr)) & ~cleared;
  // The actions, one rarely taken branch for both: CTRL.SOFT_RESET and U_CMD.START.
  const uint32_t action = ~refused & value & lanes & kAction[idx];
  if (__builtin_expect(action != 0, 0)) {
    if (idx == CTRL / 4)
      soft_reset();
    else
      start(unit, now);
  }
  return (refused | bad_select) != 0;
}

namespace {
// The mapped words as a bit set over word indices: a shift and a test instead of a second
// jump table, whose branch a random register program would mispredict on every access.
constexpr uint64_t bit(uint64_t word_offset) { return uint64_t(1) << (word_offset / 4); }
constexpr uint64_t kMapped = bit(SeldevModel::ID) | bit(SeldevModel::CTRL) | bit(SeldevModel::STATUS) |
                             bit(SeldevModel::UNIT_SELECT) | bit(SeldevModel::IRQ_ENABLE) | bit(SeldevModel::U_CFG) |
                             bit(SeldevModel::U_OPERAND) | bit(SeldevModel::U_ACC) | bit(SeldevModel::U_CMD);
static_assert(SeldevModel::U_CMD / 4 < 64, "the map fits the bit set");
}  // namespace

inline bool SeldevModel::mapped(uint64_t word_offset) {
  return word_offset / 4 < 64 && ((kMapped >> (word_offset / 4)) & 1u);
}

BusResponse SeldevModel::read(uint64_t offset, unsigned size, Cycle now) {
  return tandem::WordRegisters<SeldevModel>::read(*this, offset, size, now);
}

BusResponse SeldevModel::write(uint64_t offset, uint64_t value, unsigned size, Cycle now) {
  return tandem::WordRegisters<SeldevModel>::write(*this, offset, value, size, now);
}

void SeldevModel::save(tandem::StateWriter& out) const {
  out.u32(1);  // format version
  out.u8(enabled());
  out.u32(word(UNIT_SELECT / 4));
  out.u32(done());
  out.u32(done_ie());
  out.u8(err_ie());
  out.u32(errors());
  out.u64(m_now);
  for (unsigned i = 0; i < kUnits; ++i) {
    out.u32(op(i));
    out.u32(delay(i));
    out.u32(window(i, 1));
    out.u32(window(i, 2));
    out.u32(m_units[i].result);
    out.u8(busy(i));
    out.u64(m_units[i].done_at);
  }
}

std::string SeldevModel::restore(tandem::StateReader& in) {
  uint32_t version = 0;
  if (!in.u32(version) || version != 1) return "version: expected 1";
  uint8_t enable = 0, err_ie = 0;
  uint32_t select = 0, done = 0, done_ie = 0, errors = 0;
  Cycle now = 0;
  bool ok = in.u8(enable);
  ok = ok && enable <= 1 && in.u32(select) && in.u32(done) && in.u32(done_ie) && in.u8(err_ie);
  if (!ok) return "header: truncated or not boolean";
  if (err_ie > 1) return "err_ie: not boolean";
  if (!in.u32(errors) || !in.u64(now)) return "errors: truncated";
  if (now >= (tandem::Cycle(1) << 62)) return "cycle: beyond 2^62";
  if (select >= kUnits) return "unit_select: out of range";
  if (done >> kUnits) return "done: bits beyond the units";
  if (done_ie >> kUnits) return "irq_enable: bits beyond the units";
  if (errors & ~kErrBits) return "errors: unknown bits";
  std::array<Unit, kUnits> units{};
  uint32_t cfg[kUnits] = {}, operand[kUnits] = {}, acc[kUnits] = {};
  uint32_t busy_bits = 0;
  for (unsigned i = 0; i < kUnits; ++i) {
    Unit& u = units[i];
    uint32_t op = 0, delay = 0;
    uint8_t busy = 0;
    if (!in.u32(op) || !in.u32(delay) || !in.u32(operand[i]) || !in.u32(acc[i]) || !in.u32(u.result) || !in.u8(busy) ||
        !in.u64(u.done_at))
      return "unit: truncated";
    if (busy > 1) return "unit.busy: not boolean";
    if (op > 3) return "unit.op: out of range";
    if (delay > 0xff) return "unit.delay: out of range";
    cfg[i] = op | (delay << 8);
    if (busy && (u.done_at <= now || u.done_at > now + op_latency(op, delay)))
      return "unit.done_at: not reachable from the saved cycle";
    // A busy unit refuses writes, so its result is still what its inputs give.
    if (busy && u.result != op_result(op, acc[i], operand[i]))
      return "unit.result: not the result of the unit's operation";
    busy_bits |= uint32_t(busy) << i;
  }
  if (!in.at_end()) return "trailing bytes";
  m_units = units;
  word(CTRL / 4) = enable;
  word(STATUS / 4) = done | (busy_bits << kBusyShift) | errors;
  word(UNIT_SELECT / 4) = select;
  word(IRQ_ENABLE / 4) = done_ie | (err_ie ? kErrIrqEnable : 0u);
  for (unsigned i = 0; i < kUnits; ++i) {
    window(i, 0) = cfg[i];
    window(i, 1) = operand[i];
    window(i, 2) = acc[i];
    window(i, 3) = 0;
  }
  m_now = now;
  update_next_done();
  return "";
}

// Instantiated here, where read(), write() and irq() are defined, so that the step inlines them.
tandem::LockstepFastPath SeldevModel::lockstep_fast_path() { return tandem::lockstep_fast_path<SeldevModel>(); }

}  // namespace models
