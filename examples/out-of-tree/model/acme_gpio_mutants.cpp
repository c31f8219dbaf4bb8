// A seeded bug of the example's model, for the runner acme-mutants: acme_gpio.rise_only
// records only lines that rise in IRQ_STATUS (an edge-detect written where the datasheet says
// change-detect). tandem must catch it: `acme-mutants run --device acme_gpio.rise_only` exits 1.
#include <memory>
#include <vector>

#include <tandem/binding.h>

#include "acme_gpio_model.h"

namespace {
class RiseOnlyModel final : public acme::GpioModel {
 public:
  using GpioModel::GpioModel;

 protected:
  uint32_t changed_lines(uint32_t before, uint32_t after) const override { return ~before & after; }
};
}  // namespace

namespace tandem {

void add_runner_devices(std::vector<DeviceBinding>& devices) {
  DeviceBinding b = devices.at(0);
  b.name = "acme_gpio.rise_only";
  b.description = "MUTANT: IRQ_STATUS records rising lines only";
  b.make_model = [] { return std::make_unique<RiseOnlyModel>(8); };
  devices.push_back(std::move(b));
}

}  // namespace tandem
