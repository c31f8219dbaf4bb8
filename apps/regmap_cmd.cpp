// `tandem regmap diff`.
#include "regmap_cmd.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include <tandem/map_spec.h>
#include <tandem/regmap_diff.h>

namespace tandem {

void RegmapCommands::add_to(CLI::App& app) {
  m_regmap = app.add_subcommand("regmap", "work with register-map descriptions (SystemRDL, CMSIS-SVD)");
  m_regmap->require_subcommand(1);
  m_diff = m_regmap->add_subcommand("diff",
                                    "semantic diff of two map revisions; exit 1 when something incompatible changed");
  m_diff->add_option("OLD", m_old, "the old map (.rdl, .svd or .xml)")->required();
  m_diff->add_option("NEW", m_new, "the new map (.rdl, .svd or .xml)")->required();
  m_diff->add_flag("--json", m_json, "print JSON");
}

std::optional<int> RegmapCommands::run(const CliContext&) {
  if (!m_regmap || !*m_regmap) return std::nullopt;
  if (*m_diff) return diff();
  return std::nullopt;
}

int RegmapCommands::diff() const {
  const MapSpec old_map = load_map_spec(m_old);
  const MapSpec new_map = load_map_spec(m_new);
  const MapDiff d = diff_maps(old_map, new_map);
  std::cout << (m_json ? diff_json(d, m_old, m_new) + "\n" : diff_text(d, m_old, m_new));
  return d.compatible() ? 0 : 1;
}

}  // namespace tandem
