// Built-in register tests, three-way: what the register map declares, what the RTL does and
// what the model does. Both sides run every test program in lockstep (tandem::Lockstep), so
// any RTL/model difference is caught as usual; each read is also checked against the map's
// prediction (field_read/field_write of every field's access policy), and a failure says
// which side disagrees with the map: the RTL, the model, or both.
//
// Tests (the RegTest bits of regmap.h):
//   hw_reset  every register reads its reset value after reset, also after random writes to
//             every register followed by a reset
//   rw        random values written to each register read back as the fields' policies say
//   bit_bash  each writable bit of each register toggled (twice); all bits of the register
//             are checked after each write, so a side effect on another bit is noticed
//   aliasing  a write to one register leaves every other register unchanged (after a fill
//             of every register with random values)
//   unmapped  accesses to holes answer as the map declares (RegisterMap::holes) and leave
//             every register unchanged
//   access    each field whose policy is not plain RW (RO, WO, RC, W1C, write-once, ...) gets
//             writes of all ones, zero and random data, each followed by two reads
//
// Exclusions: a volatile field (RegisterMap/Field::is_volatile; a volatile register without
// volatile fields is volatile throughout) is never checked against the map, only RTL against
// model (rw, bit_bash and aliasing still write it; access leaves it out); donttest and dontcompare bits are never
// checked against the map; a field or register skips the tests in its skip_tests set; an `action` field is written only
// with its reset value; a selector register (Hints::selectors) only with legal values, and it is not an aliasing writer
// (its writes change what the window registers show, by design).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tandem/binding.h"

namespace tandem {

struct RegtestOptions {
  uint64_t seed = 1;
  uint32_t tests = kTestAll;  // RegTest bits to run
  unsigned rw_values = 8;     // random values per register in `rw`
  unsigned max_holes = 64;    // hole offsets `unmapped` visits (spread over the map's span)
  size_t max_failures = 100;  // failures kept in the report (all are counted)
  // Known RTL-vs-model differences (waiver.h): counted in RegtestReport::waived, not failures.
  // Checks against the map are not waived: a waiver says the two sides may differ, not the map.
  const WaiverSet* waivers = nullptr;
};

// Who disagrees: the RTL with the map, the model with the map, both with the map (they agree
// with each other), or the RTL with the model where the map states nothing (volatile bits,
// interrupt lines, error responses the map leaves open).
enum class RegtestSide : uint8_t { rtl, model, both, rtl_vs_model };
const char* side_name(RegtestSide s);  // "RTL", "model", "both", "RTL vs model"

struct RegtestFailure {
  std::string test;   // "hw_reset", ...
  std::string reg;    // register name, or "unmapped 0x40"
  std::string field;  // the first field whose bits disagree ("" for the register / a hole)
  uint64_t offset = 0;
  RegtestSide side = RegtestSide::both;
  std::string what;       // "read data", "read error", "write error", or a lockstep kind ("irq")
  uint64_t expected = 0;  // the map's value (compared bits only)
  uint64_t rtl = 0;
  uint64_t model = 0;
  uint64_t mask = 0;    // the bits compared against the map
  uint64_t step = 0;    // index of the step in the test's program
  std::string context;  // what the test did just before: "after reset", "after write 0x5 to CTRL"
  std::string message;  // one line naming test, register.field, side and values
};

struct RegtestTestResult {
  std::string name;
  uint64_t checks = 0;  // register reads / error responses checked against the map
  uint64_t failures = 0;
  bool run = false;  // false: not selected
};

struct RegtestReport {
  std::string device;
  std::vector<RegtestTestResult> tests;  // in RegTest bit order
  std::vector<RegtestFailure> failures;  // the first options.max_failures
  uint64_t failure_count = 0;
  uint64_t checks = 0;
  uint64_t steps = 0;
  double seconds = 0;
  std::vector<WaiverUse> waived;  // with options.waivers
  bool passed() const { return failure_count == 0; }
};

// Run the selected tests on `binding` (its RTL and model in lockstep). Throws Error when the
// map cannot be tested (a register beyond the address window, wider than 64 bits).
RegtestReport run_regtest(const DeviceBinding& binding, const RegtestOptions& options = {});

// Text report: one line per test, then one line per failure.
std::string format_regtest(const RegtestReport& report);

}  // namespace tandem
