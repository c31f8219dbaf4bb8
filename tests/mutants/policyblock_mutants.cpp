// policyblock mutants.
#include "policyblock_mutants.h"

#include "models/policyblock/policyblock_model.h"

namespace tandem {

namespace {
using P = models::PolicyblockModel;

// Wrong reset value: the RW register comes out of reset as 0x00 instead of 0x5A.
class WrongReset final : public P {
  uint8_t reset_value(unsigned policy) const override { return policy == RW ? 0x00 : P::reset_value(policy); }
};

// W1C as RW: writes to the W1C register store the data instead of clearing the ones.
class W1cAsRw final : public P {
  unsigned behaviour(unsigned policy) const override { return policy == W1C ? RW : policy; }
};
}  // namespace

std::vector<Mutant> policyblock_mutants() {
  return {
      {"policyblock", "policyblock.wrong_reset", "wrong reset value", "RW.P resets to 0x00 instead of 0x5A",
       DivergenceKind::read_data, "RW", [] { return std::make_unique<WrongReset>(); }},
      {"policyblock", "policyblock.w1c_as_rw", "wrong access policy", "W1C.P is read-write instead of write-1-to-clear",
       DivergenceKind::read_data, "W1C", [] { return std::make_unique<W1cAsRw>(); }},
  };
}

}  // namespace tandem
