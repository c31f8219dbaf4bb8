// policyblock binding: the register map is devices/policyblock/policyblock.rdl, embedded in
// the build (tandem_regs/policyblock.hpp); the RTL factory is added by tandem_add_device().
#include <tandem/binding.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem_regs/policyblock.hpp>

#include "models/policyblock/policyblock_model.h"

namespace tandem {

DeviceBinding describe_policyblock() {
  const MapSpec spec = parse_rdl(tandem_regs::policyblock::kRdlText, tandem_regs::policyblock::kRdlFile);
  DeviceBinding b;
  b.name = "policyblock";
  b.description = "one register field of every access policy (the reference of tandem regtest)";
  b.addr_width = 8;  // paddr[7:0]
  b.regmap = to_register_map(spec);
  b.make_model = [] { return std::make_unique<models::PolicyblockModel>(); };
  return b;
}

}  // namespace tandem
