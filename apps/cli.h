// The tandem command line, shared by `tandem` (bundled devices) and `tandem-mutants`
// (bundled devices plus their seeded-bug models): the catalog is the only difference.
#pragma once

#include <string>

#include <tandem/binding.h>

namespace tandem {

// Exit status: 0 no divergence, 1 divergence found, 2 bad usage or bad input.
int run_cli(int argc, char** argv, const Catalog& catalog, const std::string& program);

}  // namespace tandem
