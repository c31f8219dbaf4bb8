// SystemRDL 2.0, the subset documented in docs/regmap.md, read into an elaborated MapSpec.
// Anything outside the subset is an Error "FILE:LINE:COL: unsupported construct 'X'".
#pragma once

#include <string>

#include "tandem/map_spec.h"

namespace tandem {

// Elaborate `top` (default: the last top-level addrmap no other component instantiates).
// Throws Error "FILE:LINE:COL: problem".
MapSpec parse_rdl(const std::string& text, const std::string& file, const std::string& top = "");
MapSpec load_rdl(const std::string& path, const std::string& top = "");

}  // namespace tandem
