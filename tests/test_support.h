// Shared helpers for the Catch2 suite: the catalogs the programs use.
#pragma once

#include <tandem/binding.h>
#include <tandem/lockstep_observer.h>

#include "tests/mutants/mutants.h"

namespace tandem {
std::vector<DeviceBinding> bundled_devices();
DeviceBinding binding_apb_test8();
DeviceBinding binding_apb_test16();
DeviceBinding binding_apb_test32();

// Records nothing. Its presence alone changes the engine's path: every access goes through the
// general path, and the interrupt walk stops at every model event (no irq_events_apart).
struct NullObserver final : LockstepObserver {
  void on_step(size_t, const Step&, Cycle, Cycle) override {}
  void on_beat(const BeatObservation&) override {}
  void on_irq(Cycle, uint32_t, uint32_t) override {}
  void on_dma(bool, const DmaAccess&) override {}
};

// One catalog per test binary run: bundled devices and every mutant.
inline const Catalog& test_catalog() {
  static const Catalog catalog(mutant_catalog());
  return catalog;
}
}  // namespace tandem
