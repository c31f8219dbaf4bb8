// The functional model of ACME_GPIO (rtl/ACME_GPIO.sv): what the datasheet says, with no
// timing (every register changes only on a bus write).
#pragma once

#include <cstdint>
#include <string>

#include <tandem/device.h>

namespace acme {

class GpioModel : public tandem::Device {
 public:
  explicit GpioModel(unsigned nbits);

  void reset(tandem::Cycle now) override;
  tandem::BusResponse read(uint64_t offset, unsigned size, tandem::Cycle now) override;
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle now) override;
  void advance(tandem::Cycle) override {}
  tandem::Cycle next_event(tandem::Cycle) const override { return tandem::kNever; }
  uint32_t irq() const override { return (m_status & m_enable) != 0 ? 1u : 0u; }
  void save(tandem::StateWriter& out) const override;
  std::string restore(tandem::StateReader& in) override;

 protected:
  // The IRQ_STATUS bits a DATA write sets: every line that changed, either way. A seeded-bug
  // variant (acme_gpio_mutants.cpp) overrides it.
  virtual uint32_t changed_lines(uint32_t before, uint32_t after) const { return before ^ after; }

 private:
  uint32_t m_bits;
  uint32_t m_mask;
  uint32_t m_data = 0;
  uint32_t m_enable = 0;
  uint32_t m_status = 0;
};

}  // namespace acme
