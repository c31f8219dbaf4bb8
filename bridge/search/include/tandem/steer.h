// Coverage steering: the bins a campaign has not hit yet, turned into the accesses that would
// hit them, and a stimulus that spends a share of its steps on those accesses.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/campaign.h"
#include "tandem/coverage.h"
#include "tandem/stimulus.h"

namespace tandem {

// What a stimulus does to hit one bin (see expand_aim() in steer.cpp for the steps of each).
enum class AimKind : uint8_t {
  field_value,    // write the register with the field at `value` (mode below), read it back
  read_after,     // `value`: 0 reset, 1 zero, 2 all ones, 3 another value written; then a read
  select,         // write `value` to a selector register, read it back
  clear_set_bit,  // a driver sequence, a read, then the clearing write (W1C ones, W0C zeros)
  read_clears,    // a driver sequence, then reads (a read-to-clear field seen set)
  write_twice,    // a write-once field written a second time
  write_any,      // a read-only field written
  read_any,       // a write-only field read
  irq,            // a driver sequence, a wait, then the status registers serviced
  reset_after_write,
  reset_after_sequence,  // a driver sequence (an interrupt raised, DMA in flight), a wait, a reset
  dma_value,             // a DMA setup with one of its words replaced by an address near `value`
  desc_word,             // a descriptor word written near 2^32 (`value` 32) or 2^64 (64)
};

// The value a field_value aim writes into its field.
enum class FieldMode : uint8_t { zero, ones, bit_one, bit_zero, near_top, near_zero };

struct SteerAim {
  std::string group, bin;  // the bin, as coverage names it
  AimKind kind = AimKind::field_value;
  size_t reg = 0;               // register groups: the index of the register in the map
  unsigned lsb = 0, width = 0;  // field_value, clear_set_bit: the field
  FieldMode mode = FieldMode::zero;
  uint64_t value = 0;  // see AimKind
  // Whether the aim's own steps hit the bin (a value written, a read after a write), so that
  // aiming kSureTries times is enough; otherwise (a bit the device sets, an interrupt) the bin
  // depends on the device's timing and is aimed at up to kUnsureTries times.
  bool sure = false;
};

// The aims toward the bins of `covered` (one device's coverage, the bins of its plan) that have
// no hits. `unaimed` lists the bins without an aim: the event-coincidence bins ("access ... an
// output edge", the event-edge strategy's to reach) and any bin a newer build added.
// Throws Error when `covered` is not `binding`'s coverage (another device, another build).
struct Steering {
  std::string device;
  std::vector<SteerAim> aims;
  size_t unhit = 0;  // bins without hits: aims.size() + unaimed.size()
  std::vector<std::string> unaimed;
};
Steering steering_toward(const DeviceBinding& binding, const DeviceCoverage& covered);

// At a step, with chance 1 in kSteerOneIn while aims have taken less than a quarter of the
// steps so far, the stimulus emits an aim's steps instead of `base`'s next step. The aims are
// taken in a seeded round-robin order, the `sure` ones first, each at most kSureTries times,
// then the others, each at most kUnsureTries times. Same base, steering and seed: the same steps. Without
// aims it is `base` unchanged.
constexpr uint64_t kSteerOneIn = 8;
constexpr unsigned kSureTries = 2;
constexpr unsigned kUnsureTries = 8;
std::unique_ptr<Stimulus> steer_stimulus(std::unique_ptr<Stimulus> base, const DeviceBinding& binding,
                                         std::shared_ptr<const Steering> steering, uint64_t seed);

// A job's stimulus: its strategy and seed, steered when job.steering is set. Every place that
// runs or regenerates a job's steps (run_job, keep-going, shrinking) goes through these.
std::unique_ptr<Stimulus> job_stimulus(const DeviceBinding& binding, const Job& job);
Program job_program(const DeviceBinding& binding, const Job& job, uint64_t steps);

}  // namespace tandem
