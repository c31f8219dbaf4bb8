// Checkpoint files: a lockstep run saved between steps, resumable by a fresh engine of the same
// device build.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tandem/binding.h"

namespace tandem {

// A checkpoint file (TDMCKPT1): device, build id, register-map hash, strategy, seed, the step
// reached, the step budget of the run that wrote it (format version 2; 0 = not recorded, as in
// version 1 files), then Lockstep::save_checkpoint, then an FNV-1a checksum. The stimulus is
// resumed by regenerating it from (strategy, seed) and skipping the steps already run.
struct Checkpoint {
  std::string device, build_id, strategy;
  uint64_t regmap_hash = 0, seed = 0, step = 0;
  uint64_t budget = 0;          // the writing run's --steps; 0 when the file does not say
  std::vector<uint8_t> engine;  // Lockstep::save_checkpoint
};
std::vector<uint8_t> encode_checkpoint(const Checkpoint& c);
// Error "PATH: what is wrong" for a damaged file ...
Checkpoint decode_checkpoint(const std::vector<uint8_t>& bytes, const std::string& path);
// ... and for one of another device, build or register map than `binding`.
void check_checkpoint(const Checkpoint& c, const DeviceBinding& binding, const std::string& path);

// Writes `c` to `path` through a temporary file renamed over it: a run killed while writing
// keeps its previous checkpoint. Error "PATH: ..." when it cannot.
void write_checkpoint_file(const std::string& path, const Checkpoint& c);

}  // namespace tandem
