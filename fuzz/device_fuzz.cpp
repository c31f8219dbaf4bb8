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
//
// Bounded like `tandem replay`: the decoder cuts an input before the step that would need more
// RTL cycles than TANDEM_MAX_CYCLES (default tandem::kDefaultMaxCycles; `tandem fuzz
// --max-cycles` sets it), and the engine refuses the rest (wait states): such an input is
// rejected (-1, kept out of the corpus), never a finding or a day-long iteration.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <tandem/error.h>
#include <tandem/fuzz_decode.h>
#include <tandem/program_run.h>
#include <tandem/report.h>
#include <tandem/shrink.h>
#include <tandem/waiver_file.h>

#include "tests/mutants/mutants.h"

#ifndef TANDEM_FUZZ_DEVICE
#error "define TANDEM_FUZZ_DEVICE to the catalog name of the device to fuzz"
#endif

namespace {

uint64_t max_cycles() {
  static const uint64_t value = [] {
    const char* text = std::getenv("TANDEM_MAX_CYCLES");
    const uint64_t v = text != nullptr ? std::strtoull(text, nullptr, 10) : 0;
    return v != 0 ? v : tandem::kDefaultMaxCycles;
  }();
  return value;
}

// The catalog is built once per process: LLVMFuzzerTestOneInput has no context argument.
const tandem::Catalog& fuzz_catalog() {
  static const tandem::Catalog catalog(tandem::mutant_catalog());
  return catalog;
}

const tandem::DeviceBinding& fuzzed_device() { return fuzz_catalog().get(TANDEM_FUZZ_DEVICE); }

// Known differences: the bindings' own and those of the file TANDEM_WAIVERS names (`tandem fuzz
// --waivers` sets it); a waived divergence is not a finding.
const tandem::WaiverSet& fuzz_waivers() {
  static const tandem::WaiverSet set = [] {
    const char* path = std::getenv("TANDEM_WAIVERS");
    return tandem::command_waivers(fuzz_catalog(), path ? path : "");
  }();
  return set;
}

}  // namespace

// ASan holds freed memory back in a quarantine (256 MB by default) to catch use after free. The
// engine each input builds allocates afresh, so with the default every input's blocks land on
// pages the kernel has not yet mapped: 10% of a run went to page faults (docs/measurements.md,
// "Fuzzing"). 64 MB is what FuzzBench fuzzes with (the ClusterFuzz options in
// google/fuzzbench common/sanitizer.py) and still holds hundreds of inputs' worth of freed
// blocks. Built without ASan this is never asked; ASAN_OPTIONS overrides it.
extern "C" const char* __asan_default_options() { return "quarantine_size_mb=64"; }

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  try {
    max_cycles();
    fuzzed_device();  // an unknown device or a bad waiver file fails here, before the first input
    fuzz_waivers();
  } catch (const tandem::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::exit(2);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const tandem::DeviceBinding& binding = fuzzed_device();
  tandem::FuzzDecodeOptions decode;
  decode.max_cycles = max_cycles();
  const tandem::Program program = tandem::decode_fuzz_input(data, size, binding, decode);
  tandem::LockstepOptions options;
  options.max_cycles = max_cycles();
  options.waivers = &fuzz_waivers();
  tandem::ProgramRun run;
  try {
    run = tandem::run_program(binding, program, options);  // as `tandem replay` runs it
  } catch (const tandem::CycleBudgetError&) {
    return -1;
  }
  if (run.divergence) {
    const std::string report = tandem::format_divergence(*run.divergence, binding);
    std::fprintf(stderr, "tandem: divergence (%zu steps decoded)\n%s\n", program.size(), report.c_str());
    std::abort();
  }
  return 0;
}
