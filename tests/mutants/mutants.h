// Seeded-bug models ("mutants"): each carries one bug class emulator device models are
// known for, and the divergence tandem must report for it. Built for tests and
// tandem-mutants only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tandem/binding.h>
#include <tandem/lockstep.h>

namespace tandem {

struct Mutant {
  std::string device;     // the correct device it is a variant of
  std::string name;       // catalog name: <device>.<mutant>
  std::string bug_class;  // "unchecked index", "assumed ordering", ...
  std::string description;
  DivergenceKind expected_kind;  // what the default campaign reports (seed 1)
  std::string expected_register;
  std::function<std::unique_ptr<Device>()> make_model;
};

std::vector<Mutant> seldev_mutants();
std::vector<Mutant> timer_mutants();
std::vector<Mutant> dma_mutants();
std::vector<Mutant> uart16550_mutants();
std::vector<Mutant> all_mutants();

// Every bundled device, then each mutant as a device with the correct RTL and the buggy model.
std::vector<DeviceBinding> mutant_catalog();

}  // namespace tandem
