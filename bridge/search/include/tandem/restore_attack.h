// Attacking a model's restore path. Saved state is untrusted input: a crafted snapshot must
// either be refused (with the field named) or leave a model that behaves like hardware.
//
// - probe_restore(): restore a state into a fresh model and, when it is accepted, check it
//   against invariants every device has (interrupt lines within the declared ones, selector
//   registers within their range, restore/save round trip), then run random stimulus on it.
// - attack_restore(): systematic field mutations of real saved states (every byte offset set
//   to boundary values, every count grown past a FIFO's depth) offered to a model and to a
//   reference model of the same device; a state the model accepts and the reference refuses
//   (or the reverse) is a divergence of kind `restore` naming the reference's field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/lockstep.h"

namespace tandem {

// One edit of a saved state's bytes.
struct StateMutation {
  enum class Kind : uint8_t { set, grow } kind = Kind::set;
  size_t offset = 0;     // byte offset in the state
  unsigned width = 1;    // set: bytes written little-endian (1, 2, 4 or 8)
  uint64_t value = 0;    // set: the value; grow: the new count (a u32 at offset)
  unsigned element = 0;  // grow: bytes per element after the count
  std::vector<uint8_t> apply(const std::vector<uint8_t>& state) const;
  std::string describe() const;
};

// Every systematic mutation of `state`: set (each offset, widths 1/4/8, boundary values) and
// grow (each plausible u32 count, element sizes 1..16, counts past 16/32/64 entries).
std::vector<StateMutation> state_mutations(const std::vector<uint8_t>& state);

struct ProbeOptions {
  uint64_t steps = 10000;  // random steps run on an accepted state
  uint64_t seed = 1;
  std::string strategy = "all";
  // The edge the probe's clock resumes at: at or past the cycle of any state the bundled
  // models accept (they refuse cycles from 2^62 on, far beyond any real run).
  Cycle start = Cycle(1) << 62;
};

struct ProbeResult {
  bool accepted = false;
  std::string reason;     // the model's refusal, when not accepted
  std::string violation;  // accepted, then an invariant failed: what and where ("" when none)
  uint64_t steps = 0;     // steps run after the restore
};

// Throws nothing for bad states; Error only for a broken binding.
ProbeResult probe_restore(const DeviceBinding& binding, const std::vector<uint8_t>& state,
                          const ProbeOptions& options = {});

// The invariants alone, on a model that has just accepted a state: "" when all hold.
std::string check_restored_model(const DeviceBinding& binding, Device& model, const std::vector<uint8_t>& state);

struct AttackOptions {
  uint64_t seed = 1;
  uint64_t steps = 3000;    // steps of the lockstep run (of the reference) the states come from
  unsigned snapshots = 12;  // states saved along it
  std::string strategy = "all";
};

struct AttackReport {
  uint64_t states = 0;   // saved states attacked
  uint64_t tried = 0;    // mutated states offered
  uint64_t refused = 0;  // refused by the model
  // kind restore: the first verdict that differs; `step` is the step of the lockstep run
  // (strategy and seed of the options) after which the attacked state was saved.
  std::optional<Divergence> divergence;
  std::vector<uint8_t> state;  // the mutated state behind it
  std::string mutation;        // how it was made
};

// `subject` and `reference` bind the same device (same register map, same state format);
// the reference's model is the specification of what restore must refuse.
AttackReport attack_restore(const DeviceBinding& subject, const DeviceBinding& reference,
                            const AttackOptions& options = {});

// The device whose model specifies what `name`'s restore must refuse: for a seeded-bug variant
// `<device>.<bug>` the catalog's `<device>` (when it has one), otherwise the device itself.
const DeviceBinding& restore_reference(const Catalog& catalog, const std::string& name);

// The short attack the default campaign runs per device: few enough states to stay a small
// part of the campaign's time, enough to reach every field of every bundled state format.
AttackOptions campaign_attack_options(uint64_t seed = 1);

struct DeviceAttack {
  std::string device;
  std::string reference;
  AttackReport report;
};

DeviceAttack attack_device(const Catalog& catalog, const std::string& device, const AttackOptions& options);

}  // namespace tandem
