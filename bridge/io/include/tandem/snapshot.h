// Snapshot files: a model's saved state behind a header that says which device and which
// register map it belongs to. Everything read from a snapshot is untrusted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/device.h"

namespace tandem {

// Format v1 and v2, little-endian:
//   "TDMSNAP1"  magic (8 bytes)
//   u32         format version (1, or 2 when it carries a line model's state)
//   u16 + bytes device name
//   u64         register-map hash (regmap_hash)
//   u32 + bytes the model's own state (Device::save)
//   u32 + bytes v2 only: the line model's state (PinSource::save, pins.h)
//   u64         FNV-1a of every byte before it
// A snapshot without line-model state is written as v1, so files of devices without one are
// what they always were; a v1 file reads as having none.
struct Snapshot {
  std::string device;
  uint64_t regmap_hash = 0;
  std::vector<uint8_t> state;
  std::vector<uint8_t> pins;  // the line model's state; empty for none
};

// FNV-1a over every register's name, offset, width, reset and access: a snapshot taken
// under another revision of the map is refused.
uint64_t regmap_hash(const RegisterMap& map);

std::vector<uint8_t> encode_snapshot(const Snapshot& s);
// Throws Error "what is wrong (byte N)" for anything malformed; `source` prefixes messages.
Snapshot decode_snapshot(const std::vector<uint8_t>& bytes, const std::string& source);

// `pins`: the line model of the run (ModelExecutor::pins()), null for a device without one.
Snapshot take_snapshot(const DeviceBinding& binding, const Device& model, const PinSource* pins = nullptr);
// Checks the header against `binding` and restores into `model` and the line model `pins`;
// returns "" when accepted, otherwise the reason (both are then unchanged). A snapshot that
// carries line-model state is refused for a device without a line model.
std::string restore_snapshot(const DeviceBinding& binding, const Snapshot& s, Device& model, PinSource* pins = nullptr);

}  // namespace tandem
