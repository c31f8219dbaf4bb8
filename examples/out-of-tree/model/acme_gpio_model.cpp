// ACME_GPIO's functional model (acme_gpio_model.h).
#include "acme_gpio_model.h"

namespace acme {

namespace {
constexpr unsigned kWordBytes = 4;
constexpr uint32_t kIdBase = 0x4AC30000;
enum Word : unsigned { kData = 0, kIrqEnable = 1, kIrqStatus = 2, kId = 3 };
unsigned word_of(uint64_t offset) { return static_cast<unsigned>(offset >> 2) & 3u; }
}  // namespace

GpioModel::GpioModel(unsigned nbits) : m_bits(nbits), m_mask(nbits >= 32 ? 0xFFFFFFFFu : (1u << nbits) - 1u) {}

void GpioModel::reset(tandem::Cycle) {
  m_data = 0;
  m_enable = 0;
  m_status = 0;
}

tandem::BusResponse GpioModel::read(uint64_t offset, unsigned size, tandem::Cycle) {
  uint32_t word = 0;
  switch (word_of(offset)) {
    case kData: word = m_data; break;
    case kIrqEnable: word = m_enable; break;
    case kIrqStatus: word = m_status; break;
    default: word = kIdBase | m_bits;
  }
  return {tandem::lane_extract(word, offset, size, kWordBytes), false};
}

tandem::BusResponse GpioModel::write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle) {
  const auto merged = [&](uint32_t old) {
    return static_cast<uint32_t>(tandem::lane_merge(old, offset, value, size, kWordBytes)) & m_mask;
  };
  switch (word_of(offset)) {
    case kData: {
      const uint32_t after = merged(m_data);
      m_status |= changed_lines(m_data, after) & m_mask;
      m_data = after;
      break;
    }
    case kIrqEnable: m_enable = merged(m_enable); break;
    case kIrqStatus: m_status &= ~static_cast<uint32_t>(tandem::lane_merge(0, offset, value, size, kWordBytes)); break;
    default: break;  // ID is read-only; the write is ignored
  }
  return {};
}

void GpioModel::save(tandem::StateWriter& out) const {
  out.u32(m_data);
  out.u32(m_enable);
  out.u32(m_status);
}

std::string GpioModel::restore(tandem::StateReader& in) {
  uint32_t data = 0, enable = 0, status = 0;
  if (!in.u32(data) || !in.u32(enable) || !in.u32(status)) return "truncated ACME_GPIO state";
  if (((data | enable | status) & ~m_mask) != 0) return "a register has bits beyond NBITS";
  if (!in.at_end()) return "trailing bytes";
  m_data = data;
  m_enable = enable;
  m_status = status;
  return "";
}

}  // namespace acme
