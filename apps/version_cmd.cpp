// `tandem --version`.
#include "version_cmd.h"

#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "options.h"

#ifndef TANDEM_VERSION
#error "the build defines TANDEM_VERSION (the CMake project version)"
#endif
#ifndef TANDEM_VERILATOR_VERSION
#error "the build defines TANDEM_VERILATOR_VERSION (the Verilator the RTL was verilated with)"
#endif

namespace tandem {

void VersionCommand::add_to(CLI::App& app) {
  app.add_flag("--version", m_version,
               "print the version of this program and of Verilator, and each device's build id");
}

std::optional<int> VersionCommand::run(const CliContext& context) {
  if (!m_version) return std::nullopt;
  std::cout << version_text(context);
  return kExitClean;
}

std::string version_text(const CliContext& context) {
  std::string out = fmt::format("{} {}\nVerilator {}\n", context.program, TANDEM_VERSION, TANDEM_VERILATOR_VERSION);
  out += "device                       build id\n";
  for (const DeviceBinding& d : context.catalog.devices())
    out += fmt::format("{:<28} {}\n", d.name, d.build_id.empty() ? "(none)" : d.build_id);
  return out;
}

}  // namespace tandem
