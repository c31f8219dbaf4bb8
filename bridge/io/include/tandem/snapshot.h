// Snapshot files: a model's saved state behind a header that says which device and which
// register map it belongs to. Everything read from a snapshot is untrusted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/device.h"

namespace tandem {

// Format v1, little-endian:
//   "TDMSNAP1"  magic (8 bytes)
//   u32         format version (1)
//   u16 + bytes device name
//   u64         register-map hash (regmap_hash)
//   u32 + bytes the model's own state (Device::save)
//   u64         FNV-1a of every byte before it
struct Snapshot {
  std::string device;
  uint64_t regmap_hash = 0;
  std::vector<uint8_t> state;
};

// FNV-1a over every register's name, offset, width, reset and access: a snapshot taken
// under another revision of the map is refused.
uint64_t regmap_hash(const RegisterMap& map);

std::vector<uint8_t> encode_snapshot(const Snapshot& s);
// Throws Error "what is wrong (byte N)" for anything malformed; `source` prefixes messages.
Snapshot decode_snapshot(const std::vector<uint8_t>& bytes, const std::string& source);

Snapshot take_snapshot(const DeviceBinding& binding, const Device& model);
// Checks the header against `binding` and restores into `model`; returns "" when accepted,
// otherwise the reason (the model is then unchanged).
std::string restore_snapshot(const DeviceBinding& binding, const Snapshot& s, Device& model);

}  // namespace tandem
