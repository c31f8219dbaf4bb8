// The mutant catalog: bundled devices, each followed by its seeded-bug variants.
#include "mutants.h"

#include <tandem/error.h>

namespace tandem {

std::vector<DeviceBinding> bundled_devices();

std::vector<Mutant> mutants_of(const std::string& device) {
  std::vector<Mutant> out;
  for (Mutant& m : all_mutants())
    if (m.device == device) out.push_back(std::move(m));
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
