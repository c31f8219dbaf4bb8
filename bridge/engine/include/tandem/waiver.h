// Matching waivers (waiver_set.h) against divergences: the predicate the lockstep engine consults
// when it is about to report one (WaiverMatcher), the checks of a set against the devices it
// names, and the signature of a divergence; docs/waivers.md is the user's reference.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/divergence.h"
#include "tandem/waiver_set.h"

namespace tandem {

// Kinds a run can go on past; `hang`, `sanitizer`, `restore` and `crash` leave nothing to compare after.
bool waivable(DivergenceKind kind);
// The kind of a name ("read_data", ...); nullopt for an unknown name.
std::optional<DivergenceKind> kind_from_name(const std::string& name);

// Add the counts of `more` to `total` (uses of one set by several engines, as by one).
void merge_waiver_uses(std::vector<WaiverUse>& total, const std::vector<WaiverUse>& more);

// Check every waiver against its device: the device known, the register, field, interrupt line
// and condition field exist and make sense for the kind. Throws Error "WHERE: problem".
void check_waivers(const WaiverSet& set, const Catalog& catalog);

// Which divergence a waiver stands for, as keep-going and `tandem waive` record it: device,
// kind, register, and the bits of every field with a differing bit (a differing bit no field
// holds stands for itself); the interrupt lines that differ for kind irq.
Waiver signature_of(const Divergence& d, const DeviceBinding& binding);

// The register bits of a read_data divergence that differ, in register bit positions (a
// narrow access at REG+n is shifted up by n bytes).
uint64_t differing_register_bits(const Divergence& d, const DeviceBinding& binding);

// The waivers of one device resolved against its binding, and the state their conditions need.
class WaiverMatcher {
 public:
  // Only the set's waivers for binding.name; Error as check_waivers for one that does not fit.
  WaiverMatcher(const WaiverSet& set, const DeviceBinding& binding);

  bool empty() const { return m_rules.empty(); }
  // Conditions read the values software wrote: the engine reports every write and reset then.
  bool tracks_writes() const { return !m_tracked.empty(); }
  void on_write(uint64_t addr, uint64_t data, unsigned size);
  void on_reset();

  // The index (in the set) of the first waiver that matches `d`; counted in uses().
  std::optional<size_t> match(const Divergence& d);
  // Whether a waiver would match `d` now, without counting it, among those that say what may
  // differ (`values`: `bits`, `rtl` or `model`, so the two values count as the same) or among
  // the conditional ones of any difference (`conditional_any`: `when` alone, a judgement that
  // may not hold after later writes).
  enum class Scope { values, conditional_any };
  bool would_match(const Divergence& d, Scope scope) const;
  const std::vector<WaiverUse>& uses() const { return m_uses; }

 private:
  struct Rule {
    size_t index;
    Waiver waiver;
    uint64_t mask;       // register bits (lines) the divergence may differ in
    unsigned lsb;        // of the field, 0 without one
    int condition = -1;  // index in m_tracked
    uint64_t cond_mask = 0;
    unsigned cond_lsb = 0;
  };
  struct Tracked {
    uint64_t offset;
    unsigned bytes;
    uint64_t reset;
    uint64_t value;
  };
  bool matches(const Rule& r, const Divergence& d) const;
  uint64_t register_shift(const Divergence& d) const;
  void resolve(size_t index, const Waiver& w);
  void resolve_condition(Rule& rule, const WaiverCondition& c);
  int track(const Register& reg);

  const DeviceBinding& m_binding;
  std::vector<Rule> m_rules;
  std::vector<Tracked> m_tracked;
  std::vector<WaiverUse> m_uses;
};

}  // namespace tandem
