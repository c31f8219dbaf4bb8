// Model of rtl/policyblock.
#include "policyblock_model.h"

namespace models {

using tandem::BusResponse;
using tandem::Cycle;

void PolicyblockModel::reset(Cycle now) {
  for (unsigned p = 0; p < kPolicies; ++p) m_fields[p] = {reset_value(p), false};
  m_mixed_rw = {kMixedResets[0], false};
  m_mixed_w1c = {kMixedResets[1], false};
  m_mixed_ro = {kMixedResets[2], false};
  m_mixed_rc = {kMixedResets[3], false};
  m_now = now;
}

uint8_t PolicyblockModel::field_read(unsigned policy, Field& f, uint8_t ones) {
  const uint8_t data = (policy == WO || policy == W1) ? 0 : f.value;
  switch (policy) {
    case RC:
    case WRC:
    case WSRC:
    case W1SRC:
    case W0SRC: f.value = 0; break;
    case RS:
    case WRS:
    case WCRS:
    case W1CRS:
    case W0CRS: f.value = ones; break;
    default: break;
  }
  return data;
}

void PolicyblockModel::field_write(unsigned policy, Field& f, uint8_t d, uint8_t ones) {
  d &= ones;
  uint8_t& v = f.value;
  switch (policy) {
    case RW:
    case WO:
    case WRC:
    case WRS: v = d; break;
    case WC:
    case WCRS: v = 0; break;
    case WS:
    case WSRC: v = ones; break;
    case W1C:
    case W1CRS: v = v & ~d; break;
    case W1S:
    case W1SRC: v = v | d; break;
    case W1T: v = v ^ d; break;
    case W0C:
    case W0CRS: v = v & d; break;
    case W0S:
    case W0SRC: v = (v | ~d) & ones; break;
    case W0T: v = (v ^ ~d) & ones; break;
    case W1:
    case RW1:
      if (!f.written) v = d;
      break;
    default: break;  // RO, RC, RS
  }
  f.written = true;
}

uint32_t PolicyblockModel::read_word(uint64_t word, Cycle) {
  if (word == ID) return kId;
  if (word == MIXED)
    return field_read(RW, m_mixed_rw, 0xF) | (field_read(W1C, m_mixed_w1c, 0xF) << 4) |
           (uint32_t(field_read(RO, m_mixed_ro, 0xFF)) << 8) | (uint32_t(field_read(RC, m_mixed_rc, 0x1)) << 16);
  const unsigned p = static_cast<unsigned>((word - offset_of(0)) / 4);
  return field_read(behaviour(p), m_fields[p], 0xFF);
}

void PolicyblockModel::write_word(uint64_t word, uint32_t value, uint32_t lanes, Cycle) {
  const uint32_t v = value & lanes;
  auto lane = [&](unsigned n) { return ((lanes >> (8 * n)) & 0xFF) != 0; };
  if (word == ID) return;
  if (word == MIXED) {
    if (lane(0)) {
      field_write(RW, m_mixed_rw, v & 0xF, 0xF);
      field_write(W1C, m_mixed_w1c, (v >> 4) & 0xF, 0xF);
    }
    if (lane(1)) field_write(RO, m_mixed_ro, (v >> 8) & 0xFF, 0xFF);
    if (lane(2)) field_write(RC, m_mixed_rc, (v >> 16) & 0x1, 0x1);
    return;
  }
  const unsigned p = static_cast<unsigned>((word - offset_of(0)) / 4);
  if (lane(0)) field_write(behaviour(p), m_fields[p], v & 0xFF, 0xFF);
}

BusResponse PolicyblockModel::read(uint64_t offset, unsigned size, Cycle now) {
  return tandem::WordRegisters<PolicyblockModel>::read(*this, offset, size, now);
}

BusResponse PolicyblockModel::write(uint64_t offset, uint64_t value, unsigned size, Cycle now) {
  return tandem::WordRegisters<PolicyblockModel>::write(*this, offset, value, size, now);
}

void PolicyblockModel::save(tandem::StateWriter& out) const {
  for (const Field& f : m_fields) {
    out.u8(f.value);
    out.u8(f.written);
  }
  out.u8(m_mixed_rw.value);
  out.u8(m_mixed_w1c.value);
  out.u8(m_mixed_rc.value);
}

std::string PolicyblockModel::restore(tandem::StateReader& in) {
  std::array<Field, kPolicies> fields;
  for (Field& f : fields) {
    uint8_t w = 0;
    if (!in.u8(f.value) || !in.u8(w)) return "truncated policy field";
    if (w > 1) return "policy field 'written' flag is not 0 or 1";
    f.written = w != 0;
  }
  uint8_t rw = 0, w1c = 0, rc = 0;
  if (!in.u8(rw) || !in.u8(w1c) || !in.u8(rc)) return "truncated MIXED";
  if (rw > 0xF || w1c > 0xF || rc > 1) return "MIXED field value wider than its field";
  if (!in.at_end()) return "trailing bytes";
  m_fields = fields;
  m_mixed_rw.value = rw;
  m_mixed_w1c.value = w1c;
  m_mixed_rc.value = rc;
  return "";
}

}  // namespace models
