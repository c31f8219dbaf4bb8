// Seeded-bug models of the policy block (rtl/policyblock): the two bug classes `tandem regtest`
// must name — a wrong reset value and a W1C field treated as RW. The policy block is a test
// device (not bundled), so these mutants live outside mutant_catalog().
#pragma once

#include <vector>

#include "mutants.h"

namespace tandem {

std::vector<Mutant> policyblock_mutants();

}  // namespace tandem
