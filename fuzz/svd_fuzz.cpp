// libFuzzer entry point: the CMSIS-SVD reader on arbitrary bytes.
#include <cstddef>
#include <cstdint>

#include <tandem/svd.h>

#include "map_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tandem::fuzz::run_one(data, size, "fuzz.svd",
                        [](const std::string& text, const std::string& file) { return tandem::parse_svd(text, file); });
  return 0;
}
