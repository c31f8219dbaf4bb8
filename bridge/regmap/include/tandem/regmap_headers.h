// The headers generated from a register map (tandem-rdlgen, run by tandem_add_device's MAP):
// one register-map description, one source of truth for models, bindings and firmware.
#pragma once

#include <string>

#include "tandem/map_spec.h"

namespace tandem {

// C++: namespace tandem_regs::NAME { REG, REG_RESET, REG_FIELD_LSB, REG_FIELD_MASK,
// REG_FIELD_RESET, enums, kRdlText (`rdl_text`, the description itself), kRdlFile (`shown`) }.
std::string cxx_header(const MapSpec& map, const std::string& name, const std::string& shown,
                       const std::string& rdl_text);
// C: NAME_REG, NAME_REG_FIELD_MASK, ... (NAME in upper case), for firmware drivers.
std::string c_header(const MapSpec& map, const std::string& name, const std::string& shown);

}  // namespace tandem
