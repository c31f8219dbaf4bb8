// The mutant catalog: bundled devices, each followed by its seeded-bug variants.
#include "mutants.h"

#include <tandem/error.h>

namespace tandem {

std::vector<DeviceBinding> bundled_devices();

std::vector<Mutant> all_mutants() {
  std::vector<Mutant> out = seldev_mutants();
  for (Mutant& m : timer_mutants()) out.push_back(std::move(m));
  for (Mutant& m : dma_mutants()) out.push_back(std::move(m));
  for (Mutant& m : uart16550_mutants()) out.push_back(std::move(m));
  return out;
}

std::vector<DeviceBinding> mutant_catalog() {
  std::vector<DeviceBinding> out;
  const std::vector<Mutant> mutants = all_mutants();
  for (const DeviceBinding& base : bundled_devices()) {
    out.push_back(base);
    for (const Mutant& m : mutants) {
      if (m.device != base.name) continue;
      DeviceBinding b = base;
      b.name = m.name;
      b.description = "MUTANT (" + m.bug_class + "): " + m.description;
      b.make_model = m.make_model;
      out.push_back(std::move(b));
    }
  }
  return out;
}

}  // namespace tandem
