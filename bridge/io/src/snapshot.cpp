// Snapshot encoding and checked decoding.
#include "tandem/snapshot.h"

#include <cstring>

#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/state_stream.h"

namespace tandem {

namespace {
constexpr char kMagic[8] = {'T', 'D', 'M', 'S', 'N', 'A', 'P', '1'};
constexpr uint32_t kVersion = 2;         // 2 added the line model's state; written only when there is some
constexpr size_t kMaxState = 64u << 20;  // no bundled model comes near; a larger claim is a lie

void put(std::vector<uint8_t>& out, uint64_t v, unsigned n) {
  for (unsigned i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

class Cursor {
 public:
  Cursor(const std::vector<uint8_t>& b, const std::string& source) : m_b(b), m_source(source) {}
  uint64_t get(unsigned n, const char* what) {
    if (m_b.size() - m_pos < n) fail(fmt::format("truncated {}", what));
    uint64_t v = 0;
    for (unsigned i = 0; i < n; ++i) v |= uint64_t(m_b[m_pos + i]) << (8 * i);
    m_pos += n;
    return v;
  }
  std::vector<uint8_t> bytes(size_t n, const char* what) {
    if (m_b.size() - m_pos < n) fail(fmt::format("truncated {}", what));
    std::vector<uint8_t> v(m_b.begin() + static_cast<long>(m_pos), m_b.begin() + static_cast<long>(m_pos + n));
    m_pos += n;
    return v;
  }
  size_t pos() const { return m_pos; }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(fmt::format("{}: {} (byte {})", m_source, what, m_pos));
  }

 private:
  const std::vector<uint8_t>& m_b;
  const std::string& m_source;
  size_t m_pos = 0;
};
}  // namespace

uint64_t regmap_hash(const RegisterMap& map) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const Register& r : map.registers) {
    const std::string line =
        fmt::format("{}@{:x}/{}={:x}:{}\n", r.name, r.offset, r.width, r.reset, access_name(r.access));
    h = fnv1a(reinterpret_cast<const uint8_t*>(line.data()), line.size(), h);
  }
  return h;
}

std::vector<uint8_t> encode_snapshot(const Snapshot& s) {
  std::vector<uint8_t> out(kMagic, kMagic + 8);
  put(out, s.pins.empty() ? 1 : kVersion, 4);
  put(out, s.device.size(), 2);
  out.insert(out.end(), s.device.begin(), s.device.end());
  put(out, s.regmap_hash, 8);
  put(out, s.state.size(), 4);
  out.insert(out.end(), s.state.begin(), s.state.end());
  if (!s.pins.empty()) {
    put(out, s.pins.size(), 4);
    out.insert(out.end(), s.pins.begin(), s.pins.end());
  }
  put(out, fnv1a(out.data(), out.size()), 8);
  return out;
}

Snapshot decode_snapshot(const std::vector<uint8_t>& bytes, const std::string& source) {
  Cursor c(bytes, source);
  const std::vector<uint8_t> magic = c.bytes(8, "magic");
  if (std::memcmp(magic.data(), kMagic, 8) != 0) throw Error(source + ": not a tandem snapshot (bad magic)");
  const uint64_t version = c.get(4, "version");
  if (version < 1 || version > kVersion)
    c.fail(fmt::format("format version {} (this build reads 1 to {})", version, kVersion));
  Snapshot s;
  const uint64_t name_len = c.get(2, "device name length");
  if (name_len == 0 || name_len > 128) c.fail(fmt::format("device name length {} (1 to 128)", name_len));
  const std::vector<uint8_t> name = c.bytes(name_len, "device name");
  s.device.assign(name.begin(), name.end());
  for (char ch : s.device)
    if (ch < 0x21 || ch > 0x7e) c.fail("device name is not printable");
  s.regmap_hash = c.get(8, "register-map hash");
  const uint64_t state_len = c.get(4, "state length");
  if (state_len > kMaxState) c.fail(fmt::format("state length {} over the {} limit", state_len, kMaxState));
  s.state = c.bytes(state_len, "state");
  if (version >= 2) {
    const uint64_t pins_len = c.get(4, "line-model state length");
    if (pins_len > kMaxState) c.fail(fmt::format("line-model state length {} over the {} limit", pins_len, kMaxState));
    s.pins = c.bytes(pins_len, "line-model state");
  }
  const size_t body = c.pos();
  const uint64_t sum = c.get(8, "checksum");
  if (sum != fnv1a(bytes.data(), body)) c.fail("checksum mismatch: the file was altered or damaged");
  if (c.pos() != bytes.size()) c.fail("trailing bytes after the checksum");
  return s;
}

Snapshot take_snapshot(const DeviceBinding& binding, const Device& model, const PinSource* pins) {
  StateWriter w;
  model.save(w);
  return {binding.name, regmap_hash(binding.regmap), std::move(w.bytes), save_pin_source(pins)};
}

std::string restore_snapshot(const DeviceBinding& binding, const Snapshot& s, Device& model, PinSource* pins) {
  if (s.device != binding.name) return fmt::format("snapshot is of device '{}', not '{}'", s.device, binding.name);
  if (s.regmap_hash != regmap_hash(binding.regmap))
    return fmt::format("snapshot was taken under another register map of '{}' (hash {:#x}, this build {:#x})", s.device,
                       s.regmap_hash, regmap_hash(binding.regmap));
  if (!s.pins.empty() && pins == nullptr)
    return fmt::format("pins: the snapshot carries {} bytes of a line model's state, and device '{}' has no line model",
                       s.pins.size(), binding.name);
  StateWriter before;
  model.save(before);
  StateReader r(s.state);
  if (std::string why = model.restore(r); !why.empty()) return why;
  if (std::string why = restore_pin_source(pins, s.pins); !why.empty()) {
    // The model took its part: put back what it had, so that a refusal changes neither.
    StateReader back(before.bytes);
    model.restore(back);
    return why;
  }
  return "";
}

}  // namespace tandem
