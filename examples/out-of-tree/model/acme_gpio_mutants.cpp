// A seeded bug of the example's C model, for the runner acme-mutants: acme_gpio.rise_only
// records only lines that rise in IRQ_STATUS (an edge-detect written where the datasheet says
// change-detect). It is the same C device with another config (acme_gpio_config.rise_only),
// as an emulator selects a device variant by its properties. tandem must catch it:
// `acme-mutants run --device acme_gpio.rise_only` exits 1.
#include <memory>
#include <vector>

#include <tandem/binding.h>
#include <tandem/c_device_adapter.h>

#include "acme_gpio.h"

namespace tandem {

namespace {
const acme_gpio_config kRiseOnly = {acme_gpio_defaults.nbits, 1};

// The adapter keeps a reference to its table: a static one.
const tandem_c_device& rise_only_device() {
  static const tandem_c_device device = [] {
    tandem_c_device d = acme_gpio_device;
    d.config = &kRiseOnly;
    return d;
  }();
  return device;
}
}  // namespace

void add_runner_devices(std::vector<DeviceBinding>& devices) {
  DeviceBinding b = devices.at(0);
  b.name = "acme_gpio.rise_only";
  b.description = "MUTANT: IRQ_STATUS records rising lines only";
  b.make_model = [] { return std::make_unique<CDeviceAdapter>(rise_only_device()); };
  devices.push_back(std::move(b));
}

}  // namespace tandem
