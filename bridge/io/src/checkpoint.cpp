// The checkpoint file: a header naming device, build, register map, strategy, seed and step,
// then the engine's checkpoint, then a checksum.
#include "tandem/checkpoint.h"

#include <algorithm>

#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/files.h"
#include "tandem/snapshot.h"
#include "tandem/state_stream.h"

namespace tandem {

namespace {
constexpr char kMagic[8] = {'T', 'D', 'M', 'C', 'K', 'P', 'T', '1'};
constexpr uint32_t kVersion = 2;  // 2 added the run's step budget; version 1 files are still read
}  // namespace

std::vector<uint8_t> encode_checkpoint(const Checkpoint& c) {
  StateWriter w;
  w.bytes.assign(kMagic, kMagic + 8);
  w.u32(kVersion);
  put_string(w, c.device);
  put_string(w, c.build_id);
  w.u64(c.regmap_hash);
  put_string(w, c.strategy);
  w.u64(c.seed);
  w.u64(c.step);
  w.u64(c.budget);
  put_blob(w, c.engine);
  w.u64(fnv1a(w.bytes.data(), w.bytes.size()));
  return std::move(w.bytes);
}

Checkpoint decode_checkpoint(const std::vector<uint8_t>& bytes, const std::string& path) {
  if (bytes.size() < 20 || !std::equal(kMagic, kMagic + 8, bytes.begin()))
    throw Error(path + ": not a tandem checkpoint (bad magic)");
  uint64_t sum = 0;
  for (unsigned i = 0; i < 8; ++i) sum |= uint64_t(bytes[bytes.size() - 8 + i]) << (8 * i);
  if (sum != fnv1a(bytes.data(), bytes.size() - 8))
    throw Error(path + ": checksum mismatch: the checkpoint was altered or damaged");
  const std::vector<uint8_t> body(bytes.begin() + 8, bytes.end() - 8);
  StateReader in(body);
  Checkpoint c;
  uint32_t version = 0;
  if (!in.u32(version)) throw Error(path + ": truncated checkpoint");
  if (version < 1 || version > kVersion)
    throw Error(fmt::format("{}: checkpoint format version {} (this build reads 1 to {})", path, version, kVersion));
  if (!get_string(in, c.device) || !get_string(in, c.build_id) || !in.u64(c.regmap_hash) ||
      !get_string(in, c.strategy) || !in.u64(c.seed) || !in.u64(c.step) || (version >= 2 && !in.u64(c.budget)) ||
      !get_blob(in, c.engine, uint64_t(1) << 34) || !in.at_end())
    throw Error(path + ": truncated or malformed checkpoint");
  return c;
}

void check_checkpoint(const Checkpoint& c, const DeviceBinding& binding, const std::string& path) {
  if (c.device != binding.name)
    throw Error(fmt::format("{}: checkpoint of device '{}', not '{}'", path, c.device, binding.name));
  if (c.build_id != binding.build_id)
    throw Error(fmt::format("{}: checkpoint from another build of '{}' (build {}, this build {})", path, c.device,
                            c.build_id.empty() ? "unknown" : c.build_id,
                            binding.build_id.empty() ? "unknown" : binding.build_id));
  if (c.regmap_hash != regmap_hash(binding.regmap))
    throw Error(fmt::format("{}: checkpoint taken under another register map of '{}'", path, c.device));
}

void write_checkpoint_file(const std::string& path, const Checkpoint& c) {
  write_file_atomic(path, encode_checkpoint(c));
}

}  // namespace tandem
