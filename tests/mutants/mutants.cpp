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

namespace {
// The bundled device `<device>_<bus>` (seldev_axi4lite, uart16550_wishbone, ...) is `device`'s
// RTL behind another bus front end with the same model: a seeded bug of `device` is one of it too.
bool same_model(const std::string& bundled, const std::string& device) {
  if (bundled == device) return true;
  for (const char* bus : {"axi4lite", "wishbone", "wishbone_pipelined"})
    if (bundled == device + "_" + bus) return true;
  return false;
}
}  // namespace

std::vector<DeviceBinding> mutant_catalog() {
  std::vector<DeviceBinding> out;
  const std::vector<Mutant> mutants = all_mutants();
  for (const DeviceBinding& base : bundled_devices()) {
    out.push_back(base);
    for (const Mutant& m : mutants) {
      if (!same_model(base.name, m.device)) continue;
      DeviceBinding b = base;
      b.name = base.name + m.name.substr(m.device.size());  // seldev_axi4lite.trust_select
      b.description = "MUTANT (" + m.bug_class + "): " + m.description;
      b.make_model = m.make_model;
      out.push_back(std::move(b));
    }
  }
  return out;
}

}  // namespace tandem
