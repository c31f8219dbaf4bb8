// Binds the C MMIO interface of firmware drivers to any Executor.
#pragma once

#include "tandem/lockstep.h"
#include "tandem/mmio.h"

namespace tandem {

// The returned struct points at `executor`; keep the executor alive while the driver runs.
// In lockstep every access is compared; stop driving once executor.diverged() (Lockstep).
tandem_mmio mmio_for(Executor& executor);

}  // namespace tandem
