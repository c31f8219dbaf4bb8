// A lockstep run recorded for people: every step with its edges, every bus beat with both
// sides' answers, both sides' interrupt lines where they change, every DMA access of either
// side. The waves writer (waves.h) and the HTML report (report_html.h) draw from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/lockstep.h"
#include "tandem/lockstep_observer.h"
#include "tandem/program_run.h"
#include "tandem/shrink.h"

namespace tandem {

struct CosimStep {
  size_t index = 0;
  Step step;
  Cycle from = 0, to = 0;  // the edges before and after it
};

struct CosimIrq {
  Cycle at = 0;
  uint32_t rtl = 0, model = 0;  // both sides' lines from edge `at` on
};

struct CosimDma {
  bool rtl_side = false;
  DmaAccess access;
};

struct CosimRecord {
  Cycle start = 0;  // the edge after the initial reset, where the comparison begins
  Cycle end = 0;    // the last edge the run reached
  std::vector<CosimStep> steps;
  std::vector<BeatObservation> beats;
  std::vector<CosimIrq> irq;  // changes only (the first entry is the state at `start`)
  std::vector<CosimDma> dma;  // in edge order per side

  // Both sides' lines in effect at edge `at`.
  CosimIrq irq_at(Cycle at) const;
  // The highest interrupt line either side raised, plus one (at least 1).
  unsigned irq_width() const;
};

class CosimRecorder final : public LockstepObserver {
 public:
  void on_step(size_t index, const Step& step, Cycle from, Cycle to) override;
  void on_beat(const BeatObservation& beat) override;
  void on_irq(Cycle at, uint32_t rtl, uint32_t model) override;
  void on_dma(bool rtl_side, const DmaAccess& access) override;

  CosimRecord& record() { return m_record; }

 private:
  CosimRecord m_record;
};

// A program run once more in lockstep with the recorder attached and, when `fst_path` is not
// empty, the RTL traced into it (FST). The run is what run_program() gives.
struct RecordedRun {
  ProgramRun run;
  CosimRecord record;
};
// `waivers` (may be null) as the run being shown had them; bus_timing: the run's
// RtlOptions::bus_timing (a replay file's header says which).
RecordedRun run_recorded(const DeviceBinding& binding, const Program& program, const std::string& fst_path = "",
                         const WaiverSet* waivers = nullptr, uint64_t bus_timing = 0);

}  // namespace tandem
