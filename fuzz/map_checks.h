// What every map a reader accepts must satisfy, and what diff must say about it; the fuzz
// entry points trap (a crash libFuzzer reports) when either does not hold.
#pragma once

#include <string>

#include <tandem/error.h>
#include <tandem/map_spec.h>
#include <tandem/regmap_diff.h>

namespace tandem::fuzz {

inline void require(bool ok) {
  if (!ok) __builtin_trap();
}

inline void check_map(const MapSpec& spec) {
  uint64_t end = 0;
  for (size_t i = 0; i < spec.registers.size(); ++i) {
    const RegisterSpec& r = spec.registers[i];
    require(r.width >= 8 && r.width <= 64 && (r.width & (r.width - 1)) == 0);
    require(r.access_width >= 8 && r.access_width <= r.width);
    if (i > 0) require(r.offset >= end);
    end = r.offset + r.bytes();
    require(!r.fields.empty());
    unsigned next_lsb = 0;
    for (const FieldSpec& f : r.fields) {
      require(f.width >= 1 && f.lsb + f.width <= r.width);
      require(f.lsb >= next_lsb);
      next_lsb = f.lsb + f.width;
      require(classify(f.access) == f.policy);
      if (f.reset) require((*f.reset & ~(f.mask() >> f.lsb)) == 0);
    }
    require((r.reset() & ~r.reset_mask()) == 0);
  }
  const RegisterMap map = to_register_map(spec);
  require(map.registers.size() == spec.registers.size());
  selector_hints(spec);
}

inline void check_diff(const MapSpec& spec) {
  const MapDiff same = diff_maps(spec, spec);
  require(same.changes.empty());
  if (spec.registers.empty()) return;
  MapSpec less = spec;
  less.registers.erase(less.registers.begin());
  const MapDiff d = diff_maps(spec, less);
  require(d.changes.size() == 1 && d.changes[0].kind == ChangeKind::register_removed && !d.compatible());
  const MapDiff back = diff_maps(less, spec);
  require(back.changes.size() == 1 && back.changes[0].kind == ChangeKind::register_added && back.compatible());
  diff_text(d, "a", "b");
  diff_json(d, "a", "b");
}

// Parse with `read`; a rejection must be an Error that names `file`.
template <typename Read>
void run_one(const uint8_t* data, size_t size, const std::string& file, Read read) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const MapSpec spec = read(text, file);
    check_map(spec);
    check_diff(spec);
  } catch (const Error& e) {
    require(std::string(e.what()).rfind(file + ":", 0) == 0);
  }
}

}  // namespace tandem::fuzz
