// Reports of runs and divergences: human text (fmt) and the JSON contract of DESIGN.md.
#pragma once

#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/campaign.h"
#include "tandem/lockstep.h"
#include "tandem/restore_attack.h"

namespace tandem {

// Several lines: what diverged, both sides' values, and the steps that led there.
std::string format_divergence(const Divergence& d, const DeviceBinding& binding);

// One table, a row per run, and a closing line "N runs, N diverged".
std::string format_summary(const std::vector<RunRecord>& runs);

// The lines after the summary table: divergences waivers took (count, waiver, reason) and
// waivers that matched nothing. (The distinct divergences of --keep-going runs: triage.h.)
std::string format_waived(const std::vector<RunRecord>& runs);

// {"runs": [...]} exactly as DESIGN.md's contract, pretty-printed; each run also carries
// "job" (its position in the campaign before sharding, what `tandem merge` orders by) and
// "interrupted": true when a stop request ended it. `interrupted` marks the whole report so
// (a partial campaign: `"interrupted": true` beside "runs").
std::string runs_json(const std::vector<RunRecord>& runs, bool interrupted = false);
// The same, with the default campaign's restore attacks under "restore_attacks".
std::string runs_json(const std::vector<RunRecord>& runs, bool interrupted, const std::vector<DeviceAttack>& attacks);
// One object per attack: device, reference, states, tried, refused, divergence (or null), mutation.
std::string attack_json(const DeviceAttack& attack);
// "restore attack <device>: ..." one line per attack, naming field and value when it diverged.
std::string format_attack(const DeviceAttack& attack);

// {"devices": [...]}.
std::string devices_json(const std::vector<DeviceBinding>& devices);

}  // namespace tandem
