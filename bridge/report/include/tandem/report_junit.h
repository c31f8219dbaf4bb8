// JUnit XML for CI systems: one <testsuite> per device, one <testcase> per (device, strategy,
// seed) job, a <failure> carrying the divergence summary and the replay file's path.
#pragma once

#include <string>
#include <vector>

#include "tandem/campaign.h"

namespace tandem {

// `name` is the <testsuites> name (the program: "tandem", "tandem-mutants").
std::string junit_xml(const std::string& name, const std::vector<RunRecord>& runs);

}  // namespace tandem
