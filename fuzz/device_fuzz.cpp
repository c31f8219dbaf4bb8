// libFuzzer target: one device's model and RTL in lockstep on a program decoded from the
// fuzzer's bytes (bridge/search/include/tandem/fuzz_decode.h). A divergence is a finding: the report
// goes to stderr and the process aborts, so libFuzzer saves the input as a crash artifact;
// `tandem fuzz` decodes that file back into the program, shrinks it and writes a replay file.
// A sanitizer report in the model (or the bridge) is a finding the same way.
//
// Built once per device with -DTANDEM_FUZZ=ON (clang): fuzz_<device>, the device named by
// TANDEM_FUZZ_DEVICE at compile time and looked up in the mutant catalog (bundled devices and
// their seeded-bug variants). The binary is a plain libFuzzer target: ClusterFuzz/OSS-Fuzz run
// it unchanged, e.g.  ./fuzz_seldev -max_total_time=60 corpus/
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <tandem/fuzz_decode.h>
#include <tandem/program_run.h>
#include <tandem/report.h>
#include <tandem/shrink.h>

#include "tests/mutants/mutants.h"

#ifndef TANDEM_FUZZ_DEVICE
#error "define TANDEM_FUZZ_DEVICE to the catalog name of the device to fuzz"
#endif

namespace {

// The catalog is built once per process: LLVMFuzzerTestOneInput has no context argument.
const tandem::DeviceBinding& fuzzed_device() {
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  return catalog.get(TANDEM_FUZZ_DEVICE);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzzed_device();  // an unknown device fails here, before the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const tandem::DeviceBinding& binding = fuzzed_device();
  const tandem::Program program = tandem::decode_fuzz_input(data, size, binding);
  const tandem::ProgramRun run = tandem::run_program(binding, program);  // as `tandem replay` runs it
  if (run.divergence) {
    const std::string report = tandem::format_divergence(*run.divergence, binding);
    std::fprintf(stderr, "tandem: divergence (%zu steps decoded)\n%s\n", program.size(), report.c_str());
    std::abort();
  }
  return 0;
}
