// `tandem fuzz`: drive a device's libFuzzer binary (fuzz_<device>, built with -DTANDEM_FUZZ=ON),
// then turn each finding into a minimal replay file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tandem/binding.h>
#include <tandem/campaign.h>

#include "command.h"

namespace tandem {

// What one libFuzzer run gave: the run record (job.strategy "fuzz", job.steps = inputs the
// fuzzer executed, the divergence with its replay path when it found one).
struct FuzzOutcome {
  RunRecord record;
  size_t finding_steps = 0;          // steps the crash input decodes to (0: no finding)
  size_t shrunk_steps = 0;           // steps of the written replay file
  std::string log;                   // the fuzzer's log file
  std::vector<std::string> corpora;  // the corpus directories it ran (--coverage replays them)
};

struct FuzzRun {
  std::string fuzzer;  // the libFuzzer binary
  double seconds = 60;
  uint64_t seed = 1;  // base seed; the libFuzzer seed is derived from it and the shard
  unsigned shard_k = 1, shard_n = 1;
  std::string out_dir = "tandem-out";
  bool seeds = true;                        // seed corpus from the binding's driver-manual sequences (fuzz_seeds)
  bool dict = true;                         // libFuzzer dictionary from the register map (fuzz_dictionary)
  std::string waivers_path;                 // --waivers: handed to the fuzzer as TANDEM_WAIVERS
  const WaiverSet* waivers = nullptr;       // the same waivers (and the bindings'), for replay and shrinking
  uint64_t max_cycles = kDefaultMaxCycles;  // the fuzz target's TANDEM_MAX_CYCLES, and the decoding of findings
  bool progress = false;                    // a progress line on stderr while the fuzzer runs
};

// fuzz_<device> next to this program, or `given` when not empty; Error (one line saying how to
// build it) when there is none.
std::string find_fuzzer(const std::string& device, const std::string& given, const std::string& dir = "");

// The dictionary and seed corpus the binding gives its fuzzer, regenerated in `out_dir`:
// <device>.dict and seeds-<device>/ (one file per driver-manual sequence), each when asked for.
struct FuzzInputs {
  std::string dict, seeds;
  size_t seed_count = 0;
};
FuzzInputs write_fuzz_inputs(const DeviceBinding& binding, const std::string& out_dir, bool dict, bool seeds);

// Run the fuzzer once, then decode, replay, shrink and write its finding. Error when the fuzzer
// cannot run or fails without a finding.
FuzzOutcome fuzz_device(const DeviceBinding& binding, const FuzzRun& run);

class FuzzCommand final : public Command {
 public:
  void add_to(CLI::App& app) override;
  std::optional<int> run(const CliContext& context) override;

 private:
  int fuzz(const Catalog& catalog, const std::string& program) const;

  CLI::App* m_cmd = nullptr;
  std::string m_device;
  double m_seconds = 60;
  std::string m_shard;
  std::string m_out = "tandem-out";
  std::string m_fuzzer;
  uint64_t m_seed = 1;
  bool m_json = false;
  bool m_no_seeds = false;
  bool m_no_dict = false;
  std::string m_waivers;
  std::string m_coverage;
  bool m_quiet = false;
  bool m_prepare_only = false;
  uint64_t m_max_cycles = kDefaultMaxCycles;
};

}  // namespace tandem
