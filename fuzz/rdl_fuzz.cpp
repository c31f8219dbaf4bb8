// libFuzzer entry point: the SystemRDL reader on arbitrary bytes.
#include <cstddef>
#include <cstdint>

#include <tandem/rdl.h>

#include "map_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tandem::fuzz::run_one(data, size, "fuzz.rdl",
                        [](const std::string& text, const std::string& file) { return tandem::parse_rdl(text, file); });
  return 0;
}
