// The tandem command line, shared by `tandem` (bundled devices) and `tandem-mutants`
// (bundled devices plus their seeded-bug models, and its `table` command): the catalog and the
// extra commands are the only difference.
#pragma once

#include <string>

#include <tandem/binding.h>

#include "command.h"

namespace tandem {

// Exit status: 0 no divergence, 1 divergence found, 2 bad usage or bad input.
int run_cli(int argc, char** argv, const Catalog& catalog, const std::string& program, Commands extra = {});

}  // namespace tandem
