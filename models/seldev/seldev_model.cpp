// seldev model: each rule below mirrors one documented rule of rtl/seldev/seldev.sv.
#include "seldev_model.h"

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
  m_units = {};
  m_enable = false;
  m_sel = 0;
  m_done = 0;
  m_done_ie = done_ie_reset();
  m_err_ie = false;
  m_errors = 0;
  m_now = now;
  m_next_done = tandem::kNever;
}

void SeldevModel::complete(Unit& u) {
  u.busy = false;
  u.acc = u.result;
  m_done |= 1u << (&u - m_units.data());
}

void SeldevModel::update_next_done() {
  m_next_done = tandem::kNever;
  for (const Unit& u : m_units)
    if (u.busy) m_next_done = std::min(m_next_done, u.done_at);
}

void SeldevModel::advance(Cycle now) { catch_up(now); }

void SeldevModel::complete_until(Cycle now) {
  for (Unit& u : m_units)
    if (u.busy && u.done_at <= now) complete(u);
  update_next_done();
}

Cycle SeldevModel::next_event(Cycle now) const {
  const Cycle delay = irq_delay();
  if (delay == 0 && m_next_done > now) return m_next_done;  // the correct model: O(1)
  Cycle next = tandem::kNever;
  for (unsigned i = 0; i < kUnits; ++i) {
    const Unit& u = m_units[i];
    if (u.busy || (delay && (m_done >> i & 1u))) {
      const Cycle at = u.done_at + delay;
      if (at > now) next = std::min(next, at);
    }
  }
  return next;
}

uint32_t SeldevModel::irq() const {
  if (m_err_ie && m_errors != 0) return 1u;
  uint32_t pending = m_done & m_done_ie;
  if (const Cycle delay = irq_delay()) {
    // Late-irq mutant: a completion reaches the line `delay` edges after DONE sets.
    for (unsigned i = 0; i < kUnits; ++i)
      if (m_units[i].done_at + delay > m_now) pending &= ~(1u << i);
  }
  return pending != 0 ? 1u : 0u;
}

uint32_t SeldevModel::status() const {
  uint32_t busy = 0;
  for (unsigned i = 0; i < kUnits; ++i) busy |= uint32_t(m_units[i].busy) << i;
  return m_done | (busy << 8) | m_errors;
}

// One indexed load from the word's value instead of a switch: a random register program
// mispredicts a switch's jump on nearly every read, which cost more than computing all nine.
uint32_t SeldevModel::read_word(uint64_t word_offset) {
  const Unit& u = selected();
  const uint32_t words[U_CMD / 4 + 1] = {
      kId,                                          // ID
      m_enable ? 1u : 0u,                           // CTRL
      status(),                                     // STATUS
      m_sel,                                        // UNIT_SELECT
      m_done_ie | (m_err_ie ? kErrIrqEnable : 0u),  // IRQ_ENABLE
      0, 0, 0,                                      // holes (read() answers them with an error)
      (u.delay << 8) | u.op,                        // U_CFG
      u.operand,                                    // U_OPERAND
      u.acc,                                        // U_ACC
      0,                                            // U_CMD reads 0
  };
  return word_offset <= U_CMD ? words[word_offset / 4] : 0;
}

void SeldevModel::soft_reset() {
  for (Unit& u : m_units) u = Unit{};
  m_done = 0;
  m_sel = 0;
  m_next_done = tandem::kNever;
}

// Returns the PSLVERR the hardware gives. `lanes` is the byte-lane mask of the access.
bool SeldevModel::write_word(uint64_t word_offset, uint32_t value, uint32_t lanes, Cycle now) {
  auto merged = [&](uint32_t cur) { return (cur & ~lanes) | (value & lanes); };
  const bool window = word_offset >= U_CFG && word_offset <= U_CMD;
  if (window && selected().busy) {
    m_errors |= kBusyErr;
    return true;
  }
  switch (word_offset) {
    case CTRL: {
      const uint32_t v = merged(m_enable ? 1u : 0u);
      m_enable = v & 1u;
      if (v & 2u) soft_reset();
      return false;
    }
    case STATUS: {
      const uint32_t w1c = value & lanes;
      m_done &= ~(w1c & ((1u << kUnits) - 1));
      m_errors &= ~(w1c & (kSelErr | kStartErr | kBusyErr));
      return false;
    }
    case UNIT_SELECT: {
      const uint32_t v = merged(m_sel);
      if (!select_in_range(v)) {
        m_errors |= kSelErr;
        return true;
      }
      m_sel = v;
      return false;
    }
    case IRQ_ENABLE: {
      const uint32_t v = merged(m_done_ie | (m_err_ie ? kErrIrqEnable : 0u));
      m_done_ie = v & ((1u << kUnits) - 1);
      m_err_ie = (v & kErrIrqEnable) != 0;
      return false;
    }
    case U_CFG: {
      Unit& u = selected();
      const uint32_t v = merged((u.delay << 8) | u.op);
      u.op = v & 3u;
      u.delay = (v >> 8) & 0xffu;
      return false;
    }
    case U_OPERAND: selected().operand = merged(selected().operand); return false;
    case U_ACC: selected().acc = merged(selected().acc); return false;
    case U_CMD: {
      if (!(value & lanes & 1u)) return false;
      if (!start_allowed()) {
        m_errors |= kStartErr;
        return false;
      }
      Unit& u = selected();
      u.busy = true;
      u.result = op_result(u.op, u.acc, u.operand);
      u.done_at = now + op_latency(u.op, u.delay);
      m_next_done = std::min(m_next_done, u.done_at);
      return false;
    }
    default: return false;  // ID: read-only, writes ignored
  }
}

namespace {
// The mapped words as a bit set over word indices: a shift and a test instead of a second
// jump table, whose branch a random register program would mispredict on every access.
constexpr uint64_t bit(uint64_t word_offset) { return uint64_t(1) << (word_offset / 4); }
constexpr uint64_t kMapped = bit(SeldevModel::ID) | bit(SeldevModel::CTRL) | bit(SeldevModel::STATUS) |
                             bit(SeldevModel::UNIT_SELECT) | bit(SeldevModel::IRQ_ENABLE) | bit(SeldevModel::U_CFG) |
                             bit(SeldevModel::U_OPERAND) | bit(SeldevModel::U_ACC) | bit(SeldevModel::U_CMD);
static_assert(SeldevModel::U_CMD / 4 < 64, "the map fits the bit set");
bool mapped(uint64_t word_offset) { return word_offset / 4 < 64 && ((kMapped >> (word_offset / 4)) & 1u); }
}  // namespace

BusResponse SeldevModel::read(uint64_t offset, unsigned size, Cycle now) {
  catch_up(now - 1);
  const uint64_t word = offset & 0xffc;
  BusResponse r;
  if (offset > 0xfff || !mapped(word)) {
    r.error = true;
  } else {
    r.data = tandem::lane_extract(read_word(word), offset, size, 4);
  }
  catch_up(now);
  return r;
}

BusResponse SeldevModel::write(uint64_t offset, uint64_t value, unsigned size, Cycle now) {
  catch_up(now - 1);
  const uint64_t word = offset & 0xffc;
  BusResponse r;
  if (offset > 0xfff || !mapped(word)) {
    r.error = true;
    catch_up(now);
    return r;
  }
  const uint32_t lanes = static_cast<uint32_t>(tandem::lane_mask(offset, size, 4));
  const uint32_t wdata = static_cast<uint32_t>(value << (8 * (offset % 4)));
  // The write sees the state before edge `now`; completions at that same edge come after it,
  // so a completion's DONE wins over a W1C, and a soft reset (which clears BUSY) wins over
  // a completion.
  r.error = write_word(word, wdata, lanes, now);
  m_now = now;
  if (m_next_done <= now) {
    for (Unit& u : m_units)
      if (u.busy && u.done_at == now) complete(u);
    update_next_done();
  }
  return r;
}

void SeldevModel::save(tandem::StateWriter& out) const {
  out.u32(1);  // format version
  out.u8(m_enable);
  out.u32(m_sel);
  out.u32(m_done);
  out.u32(m_done_ie);
  out.u8(m_err_ie);
  out.u32(m_errors);
  out.u64(m_now);
  for (const Unit& u : m_units) {
    out.u32(u.op);
    out.u32(u.delay);
    out.u32(u.operand);
    out.u32(u.acc);
    out.u32(u.result);
    out.u8(u.busy);
    out.u64(u.done_at);
  }
}

std::string SeldevModel::restore(tandem::StateReader& in) {
  uint32_t version = 0;
  if (!in.u32(version) || version != 1) return "version: expected 1";
  SeldevModel next;
  uint8_t b = 0;
  bool ok = in.u8(b);
  next.m_enable = b;
  ok = ok && b <= 1 && in.u32(next.m_sel) && in.u32(next.m_done) && in.u32(next.m_done_ie) && in.u8(b);
  if (!ok) return "header: truncated or not boolean";
  next.m_err_ie = b;
  if (b > 1) return "err_ie: not boolean";
  if (!in.u32(next.m_errors) || !in.u64(next.m_now)) return "errors: truncated";
  if (next.m_now >= (tandem::Cycle(1) << 62)) return "cycle: beyond 2^62";
  if (next.m_sel >= kUnits) return "unit_select: out of range";
  if (next.m_done >> kUnits) return "done: bits beyond the units";
  if (next.m_done_ie >> kUnits) return "irq_enable: bits beyond the units";
  if (next.m_errors & ~(kSelErr | kStartErr | kBusyErr)) return "errors: unknown bits";
  for (unsigned i = 0; i < kUnits; ++i) {
    Unit& u = next.m_units[i];
    if (!in.u32(u.op) || !in.u32(u.delay) || !in.u32(u.operand) || !in.u32(u.acc) || !in.u32(u.result) ||
        !in.u8(b) || !in.u64(u.done_at))
      return "unit: truncated";
    u.busy = b;
    if (b > 1) return "unit.busy: not boolean";
    if (u.op > 3) return "unit.op: out of range";
    if (u.delay > 0xff) return "unit.delay: out of range";
    if (u.busy && (u.done_at <= next.m_now || u.done_at > next.m_now + op_latency(u.op, u.delay)))
      return "unit.done_at: not reachable from the saved cycle";
    // A busy unit refuses writes, so its result is still what its inputs give.
    if (u.busy && u.result != op_result(u.op, u.acc, u.operand))
      return "unit.result: not the result of the unit's operation";
  }
  if (!in.at_end()) return "trailing bytes";
  m_units = next.m_units;
  m_enable = next.m_enable;
  m_sel = next.m_sel;
  m_done = next.m_done;
  m_done_ie = next.m_done_ie;
  m_err_ie = next.m_err_ie;
  m_errors = next.m_errors;
  m_now = next.m_now;
  update_next_done();
  return "";
}

}  // namespace models
