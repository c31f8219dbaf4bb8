// Triage: a campaign's distinct divergences grouped by register and field, each once with its
// count and a one-line meaning decoded from the register map ("INT_ENABLE.IE: RTL 0x0, model
// 0x4, after a write of 0x4 to INT_ENABLE"), so "8 distinct differences" reads at a glance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/campaign.h"

namespace tandem {

struct TriageEntry {
  std::string device;
  DivergenceKind kind = DivergenceKind::read_data;
  std::string where;    // "ID bits 15:8", "INT_ENABLE.IE", "irq": register and field, as grouped
  std::string meaning;  // the first occurrence decoded: fields' values on both sides, what came before
  uint64_t count = 0;   // occurrences over every run
  size_t runs = 0;      // runs it occurred in
  std::string first;    // "timer_vendor all seed 1, step 39"
  std::string replay;   // the first occurrence's replay file
};

// Each distinct divergence of `runs` once (--keep-going runs' `distinct`, other runs' divergence),
// grouped by device, register and field, sorted by device, register, field.
std::vector<TriageEntry> triage(const std::vector<RunRecord>& runs, const Catalog& catalog);

// One line a divergence means, from the map: "INT_STATUS.MATCH: RTL 0x0, model 0x4, after ...".
std::string divergence_meaning(const Divergence& d, const DeviceBinding& binding);

// "N distinct differences" and a line per entry (empty for no entry).
std::string format_triage(const std::vector<TriageEntry>& entries);
// The same as an HTML section (empty for no entry).
std::string triage_html(const std::vector<TriageEntry>& entries);

}  // namespace tandem
