// The `edges` strategy (internal to the search library): stimulus aimed at the device's own
// event edges, which stimulus.cpp mixes into `all`.
#pragma once

#include <cstdint>
#include <memory>

#include "tandem/binding.h"
#include "tandem/stimulus.h"

namespace tandem {

// A stimulus that keeps a private model of the device up to date with every step of the
// program, its own and those other strategies emit (observe), so that it can ask the model
// where its outputs next change while the program is still being generated.
class ObservingStimulus : public Stimulus {
 public:
  // A step another generator emitted into the same program: the private model takes it too.
  virtual void observe(const Step& step) = 0;
};

// False for a binding the strategy cannot run (no model factory, or no bus bound).
bool edges_applies(const DeviceBinding& binding);

// Throws Error when !edges_applies(binding).
std::unique_ptr<ObservingStimulus> make_edge_stimulus(const DeviceBinding& binding, uint64_t seed);

}  // namespace tandem
