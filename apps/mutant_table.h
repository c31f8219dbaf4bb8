// `tandem-mutants table`: every seeded-bug mutant against every stimulus strategy (and the
// coverage-guided fuzzer where a fuzz binary exists): steps and seconds to the first
// divergence, and the length of the shrunk reproducer. A measurement, not a test.
#pragma once

namespace tandem {

// argv[1] is "table". Exit status 0 (the table was measured) or 2 (bad usage).
int run_mutant_table(int argc, char** argv);

}  // namespace tandem
