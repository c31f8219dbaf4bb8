// Shared helpers for the Catch2 suite: the catalogs the programs use.
#pragma once

#include <tandem/binding.h>

#include "tests/mutants/mutants.h"

namespace tandem {
std::vector<DeviceBinding> bundled_devices();
DeviceBinding binding_apb_test8();
DeviceBinding binding_apb_test16();
DeviceBinding binding_apb_test32();

// One catalog per test binary run: bundled devices and every mutant.
inline const Catalog& test_catalog() {
  static const Catalog catalog(mutant_catalog());
  return catalog;
}
}  // namespace tandem
