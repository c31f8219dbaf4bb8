// What a binding that reuses another device's model changes (tandem_add_device MODEL_OF,
// cmake/TandemReuse.cmake): per-field reset overrides on its register map, and the options the
// reused model is built with. Each value carries where it was given, so a bad one is refused
// with one line naming the file and the argument.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tandem/regmap.h"

namespace tandem {

// "REG.FIELD" = "0x1F" (the text as given), from `where` ("CMakeLists.txt: RESET_OVERRIDES").
struct ResetOverride {
  std::string field;
  std::string value;
  std::string where;
};

// Sets each field's reset value (and its register's) in `map`. Throws Error "<where>
// REG.FIELD=V: <problem>" for an unknown register or field, a value that is not a number or
// that does not fit the field.
void apply_reset_overrides(RegisterMap& map, const std::vector<ResetOverride>& overrides);

// One option of a model: key = value, from `where` ("vendor.toml:3", "CMakeLists.txt:
// MODEL_OPTIONS").
struct ModelOption {
  std::string key;
  std::string value;
  std::string where;
};

// The options a reusable model is built with; a bundled binding that takes any defines
// `DeviceBinding describe_<device>_with(const ModelOptions&)` and reads them here.
class ModelOptions {
 public:
  ModelOptions() = default;
  explicit ModelOptions(std::vector<ModelOption> options) : m_options(std::move(options)) {}

  // Throws Error "<where> key=value: <device>'s model has no option 'key' (its options: ...)"
  // for the first option not in `known`.
  void check_known(const std::string& device, const std::vector<std::string>& known) const;
  // The value of `key` as a number below 2^bits (decimal or 0x hex), `fallback` when it is not
  // given (the last one given wins). Throws Error naming where it was given otherwise.
  uint64_t number(const std::string& key, unsigned bits, uint64_t fallback) const;

 private:
  std::vector<ModelOption> m_options;
};

}  // namespace tandem
