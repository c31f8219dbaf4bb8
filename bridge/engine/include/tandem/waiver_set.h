// Waivers: known differences between a model and its RTL, declared so a run counts and lists
// them and goes on instead of stopping. The plain records, filled from a waiver file (bridge/io)
// or shipped by a binding; matching is waiver.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/divergence.h"

namespace tandem {

// "REG.FIELD=VALUE": the value software last wrote to a plain read-write field since the last
// reset (the map's reset value before any write). Both sides see the same writes, so the
// condition holds for both; a field the hardware can change on its own, or whose reset value
// the map does not define, cannot be evaluated exactly and is refused.
struct WaiverCondition {
  std::string reg;
  std::string field;  // empty: the whole register
  uint64_t value = 0;
  std::string text;  // as written, for reports
};

struct Waiver {
  std::string where;  // "FILE:LINE" of the declaration (or "binding DEVICE")
  std::string device;
  DivergenceKind kind = DivergenceKind::read_data;
  std::string reg;                // empty: any register (or any interrupt line, any DMA field)
  std::string field;              // empty: the whole register
  std::optional<uint64_t> bits;   // register bit positions (interrupt lines for kind irq)
  std::optional<uint64_t> rtl;    // the field's value when `field` is set, else the value under the mask
  std::optional<uint64_t> model;  // likewise
  std::optional<WaiverCondition> when;
  std::string reason;
  std::string expires;  // "YYYY-MM-DD" or empty
};

// A timing tolerance: implementation timing the datasheet does not fix (also declared in a
// register map: Register/Field::settle_cycles, the map property tandem_settle_cycles). On a register (or some of
// its bits), "settles within `cycles`": a read whose RTL value equals the model's value at some
// edge within `cycles` edges of the access edge, earlier or later, is a match. On an interrupt
// line: the two sides' line may differ for up to `cycles` edges (the device's
// Hints::irq_tolerance for the lines without one).
constexpr unsigned kMaxToleranceCycles = 4096;  // a settling check probes the model at up to 2N edges

struct Tolerance {
  std::string where;  // "FILE:LINE"
  std::string device;
  std::string reg;               // a register ...
  std::string field;             // ... or one of its fields
  std::optional<uint64_t> bits;  // ... or some of its bits (register positions)
  std::string irq;               // or an interrupt line (a name of Hints::irq_lines, or "irq[N]")
  unsigned cycles = 0;
  std::string reason;
};

// A waiver for device X covers X and its seeded-bug variants X.NAME (tests/mutants): a mutant
// is the device with one bug more, and the device's known differences are still known there.
bool covers_device(const Waiver& w, const std::string& device);
bool covers_device(const Tolerance& t, const std::string& device);

struct WaiverSet {
  std::vector<Waiver> waivers;
  std::vector<Tolerance> tolerances;
  bool empty() const { return waivers.empty() && tolerances.empty(); }
  bool applies_to(const std::string& device) const;
};

// One waiver's use in a run: how many divergences it waived and the first of them.
struct WaiverUse {
  size_t waiver = 0;  // index in the WaiverSet
  uint64_t count = 0;
  Divergence first;
};

}  // namespace tandem
