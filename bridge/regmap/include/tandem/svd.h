// CMSIS-SVD (the register description MCU vendors ship) read into an elaborated MapSpec.
#pragma once

#include <string>

#include "tandem/map_spec.h"

namespace tandem {

// A device with one peripheral becomes that peripheral's map (offsets relative to its base
// address, names without a prefix); with several, registers are "PERIPH.REG" at absolute
// addresses. Throws Error "FILE:LINE: problem".
MapSpec parse_svd(const std::string& text, const std::string& file);
MapSpec load_svd(const std::string& path);

}  // namespace tandem
