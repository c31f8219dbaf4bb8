// libFuzzer entry point attacking one device's restore path (TANDEM_RESTORE_DEVICE, built once
// per bundled device). The input is a snapshot file (TDMSNAP1: its checksum is recomputed so
// mutations reach the state) or a bare model state. Every state the model accepts must pass
// the invariants and run 10^4 random steps (probe_restore) without a sanitizer report; an
// endless loop shows up as a libFuzzer timeout (run with -timeout=N).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <tandem/error.h>
#include <tandem/restore_attack.h>
#include <tandem/snapshot.h>

#ifndef TANDEM_RESTORE_DEVICE
#error "define TANDEM_RESTORE_DEVICE to the binding_<device> function of the device under attack"
#endif

namespace tandem {
DeviceBinding TANDEM_RESTORE_DEVICE();
}

namespace {

using tandem::fnv1a;

const tandem::DeviceBinding& binding() {
  static const tandem::DeviceBinding b = tandem::TANDEM_RESTORE_DEVICE();
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tandem;
  const DeviceBinding& b = binding();
  std::vector<uint8_t> state(data, data + size);
  if (size >= 16 && std::memcmp(data, "TDMSNAP1", 8) == 0) {
    const uint64_t sum = fnv1a(state.data(), size - 8);
    for (unsigned i = 0; i < 8; ++i) state[size - 8 + i] = uint8_t(sum >> (8 * i));
    try {
      const Snapshot s = decode_snapshot(state, "input");
      if (s.device != b.name || s.regmap_hash != regmap_hash(b.regmap)) return 0;
      state = s.state;
    } catch (const Error&) {
      return 0;
    }
  }
  ProbeOptions options;
  options.steps = 10000;
  options.seed = fnv1a(state.data(), state.size());
  const ProbeResult r = probe_restore(b, state, options);
  if (r.accepted && !r.violation.empty()) {
    std::fprintf(stderr, "%s: restore accepted a state that breaks an invariant: %s\n", b.name.c_str(),
                 r.violation.c_str());
    std::abort();
  }
  return 0;
}
