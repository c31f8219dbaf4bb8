// Register-map coverage as files and pages: the JSON of `--coverage FILE`, its reader for
// `tandem coverage merge`, the text summary and the HTML section.
#pragma once

#include <string>
#include <vector>

#include "tandem/coverage.h"

namespace tandem {

// {"coverage": [ {"device", "runs", "steps", "bins_hit", "bins_total", "percent",
//   "groups": [ {"group", "bins_hit", "bins_total", "percent", "bins": [ {"bin", "hits"} ]} ]} ]}
// (docs/coverage.md). Devices in the given order, groups in the order of their first bin.
std::string coverage_json(const std::vector<DeviceCoverage>& devices);
// The array under "coverage" alone, for a report that carries it beside its runs.
std::string coverage_array_json(const std::vector<DeviceCoverage>& devices);

// Reads what coverage_json() wrote. Throws Error "`path`: problem" for anything else (not JSON,
// a missing or mistyped key, a percentage or hit count that does not add up).
std::vector<DeviceCoverage> parse_coverage_json(const std::string& text, const std::string& path);

// Adds `from` into `into`, device by device (a device only `from` has is appended). Throws Error
// "`from_path`: ..." when a device's bins differ (merge_coverage).
void merge_coverage_set(std::vector<DeviceCoverage>& into, const std::vector<DeviceCoverage>& from,
                        const std::string& from_path);

// Per device and group the bins hit and the percentage, then every bin never hit.
std::string format_coverage(const std::vector<DeviceCoverage>& devices);

// A <section> with a table per device: each register's percentage and its bins never hit.
std::string coverage_html(const std::vector<DeviceCoverage>& devices);

}  // namespace tandem
