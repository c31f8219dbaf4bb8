// Device bindings and the catalog a program hands to the engine.
#include "tandem/binding.h"

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

std::string DeviceBinding::irq_line_name(uint32_t diff) const {
  unsigned line = 0;
  while (line < 32 && !(diff & (1u << line))) ++line;
  if (line < hints.irq_lines.size()) return hints.irq_lines[line];
  return fmt::format("irq[{}]", line);
}

const DeviceBinding& Catalog::get(const std::string& name) const {
  std::string known;
  for (const DeviceBinding& d : m_devices) {
    if (d.name == name) return d;
    known += (known.empty() ? "" : ", ") + d.name;
  }
  throw Error(fmt::format("unknown device '{}' (known: {})", name, known));
}

}  // namespace tandem
