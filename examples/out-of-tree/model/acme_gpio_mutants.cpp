// Seeded bugs of the example's C model, for the runner acme-mutants: acme_gpio.rise_only
// records only lines that rise in IRQ_STATUS (an edge-detect written where the datasheet says
// change-detect); acme_gpio.pin_stuck keeps GPIO_O[7] low though DATA reads back right (only
// the pin comparison sees it). Each is the same C device with another config, as an emulator
// selects a device variant by its properties. tandem must catch both:
// `acme-mutants run --device acme_gpio.rise_only` and `--device acme_gpio.pin_stuck` exit 1.
#include <memory>
#include <vector>

#include <tandem/binding.h>
#include <tandem/c_device_adapter.h>

#include "acme_gpio.h"

namespace tandem {

namespace {
const acme_gpio_config kRiseOnly = {acme_gpio_defaults.nbits, 1, 0};
const acme_gpio_config kPinStuck = {acme_gpio_defaults.nbits, 0, 0x80};

// The adapter keeps a reference to its table: a static one per variant.
template <const acme_gpio_config* Config>
const tandem_c_device& variant_device() {
  static const tandem_c_device device = [] {
    tandem_c_device d = acme_gpio_device;
    d.config = Config;
    return d;
  }();
  return device;
}
}  // namespace

void add_runner_devices(std::vector<DeviceBinding>& devices) {
  DeviceBinding b = devices.at(0);
  b.name = "acme_gpio.rise_only";
  b.description = "MUTANT: IRQ_STATUS records rising lines only";
  b.make_model = [] { return std::make_unique<CDeviceAdapter>(variant_device<&kRiseOnly>()); };
  devices.push_back(b);
  b.name = "acme_gpio.pin_stuck";
  b.description = "MUTANT: GPIO_O[7] stuck low (DATA reads back right)";
  b.make_model = [] { return std::make_unique<CDeviceAdapter>(variant_device<&kPinStuck>()); };
  devices.push_back(std::move(b));
}

}  // namespace tandem
