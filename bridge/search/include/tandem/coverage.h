// Register-map functional coverage: bins derived from a device's register map and binding
// hints alone (no per-device code), hit by watching a lockstep run through its observer hook.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "tandem/binding.h"
#include "tandem/lockstep_observer.h"

namespace tandem {

// One thing a run should have done. `group` is a register name, or "irq", "reset", "dma".
struct CoverageBin {
  std::string group;
  std::string name;
  uint64_t hits = 0;
};

// The bins of one device, in the order coverage_plan() defines them (merging relies on it).
struct DeviceCoverage {
  std::string device;
  uint64_t steps = 0;  // steps observed, over every run merged in
  uint64_t runs = 0;
  std::vector<CoverageBin> bins;

  size_t hit_count() const;
  double percent() const;  // of bins hit; 100 for a device with no bins
};

// Every bin `binding` defines, none hit. The bins, per register R and field F (a register
// without fields is one field named after it):
//   F written 0 / all ones; F[b] written 1 / 0 for each bit b of a field wider than one bit;
//   F's policy side effect (W1C clearing a set bit, a read clearing a set value, a write-once
//   field's second write, a read-only field written, a write-only field read);
//   read after reset / after 0 / all ones / another value written to R;
//   selectors (hints): select 0..N-1, N, N+1, all ones;
//   bus masters: fields of 16+ bits written within 16 of their top, and of zero;
//   devices with interrupts or DMA: an access to R on, one edge before, one edge after an edge
//   where the model's outputs change (an interrupt line, a DMA access).
// Group "irq": each line raised and cleared. Group "reset": reset after a write, with an
// interrupt raised, and (bus masters) with DMA in flight. Group "dma": accesses in each hint
// region and its last 8 bytes, below and across 2^32, near 2^64; descriptor words written near
// 2^32 and 2^64.
DeviceCoverage coverage_plan(const DeviceBinding& binding);

// Adds `from`'s hits, steps and runs into `into`. Throws Error naming the first difference when
// the two are not the same device's same bins (another device, another build of its map).
void merge_coverage(DeviceCoverage& into, const DeviceCoverage& from);

// Watches one or more lockstep runs of one device (attach as LockstepOptions::observer; the
// engine then takes its general path, which a test proves gives the same results).
class CoverageCollector final : public LockstepObserver {
 public:
  explicit CoverageCollector(const DeviceBinding& binding);
  const DeviceCoverage& coverage() const { return m_coverage; }
  // A new run begins (from reset): per-run state is cleared; hits stay.
  void begin_run();

  void on_step(size_t index, const Step& step, Cycle from, Cycle to) override;
  void on_beat(const BeatObservation& beat) override;
  void on_irq(Cycle at, uint32_t rtl, uint32_t model) override;
  void on_dma(bool rtl_side, const DmaAccess& access) override;

 private:
  static constexpr size_t kNone = ~size_t(0);
  struct FieldBins {
    unsigned lsb = 0, width = 0;
    AccessPolicy policy = AccessPolicy::rw;
    size_t zero = kNone, ones = kNone, side_effect = kNone, near_top = kNone, near_zero = kNone;
    std::vector<size_t> bit_one, bit_zero;
  };
  struct RegisterBins {
    const Register* reg = nullptr;
    std::vector<FieldBins> fields;
    size_t read_after[4] = {kNone, kNone, kNone, kNone};  // reset, 0, all ones, other
    size_t select_base = kNone, select_count = 0;         // select 0..N-1, N, N+1, all ones
    size_t edge_before = kNone, edge_on = kNone, edge_after = kNone;
    // per run
    unsigned last_write = 0;  // index into read_after
    uint64_t last_read = 0;   // the RTL's last read data of the register
    unsigned writes = 0;
  };
  struct RecentAccess {
    size_t reg;
    Cycle done;
  };

  void plan_register(const Register& r);
  void plan_field(RegisterBins& rb, const std::string& name, unsigned lsb, unsigned width, AccessPolicy p);
  size_t add(const std::string& group, const std::string& name);
  void hit(size_t bin);
  void on_write(RegisterBins& rb, uint64_t value, uint64_t written_mask);
  void on_read(RegisterBins& rb, uint64_t value, uint64_t read_mask);
  void field_write(const FieldBins& f, const RegisterBins& rb, uint64_t value, uint64_t written_mask);
  void coincide(size_t reg, Cycle access, Cycle event);
  void on_reset_step(Cycle from);
  void clear_run_state();
  void on_mem_write(const Step& step);

  const DeviceBinding& m_binding;
  DeviceCoverage m_coverage;
  std::vector<RegisterBins> m_registers;
  std::vector<size_t> m_irq_raised, m_irq_cleared;
  size_t m_reset_after_write = kNone, m_reset_irq = kNone, m_reset_dma = kNone;
  std::vector<size_t> m_dma_bins;        // see coverage_plan()
  std::vector<size_t> m_desc_word_bins;  // near 2^32, near 2^64
  bool m_events = false;                 // the device has outputs that change on their own
  // per run
  uint32_t m_rtl_irq = 0, m_model_irq = 0;
  bool m_written_since_reset = false;
  Cycle m_last_rtl_dma = 0;
  bool m_any_dma = false;
  std::deque<RecentAccess> m_recent_accesses;
  std::deque<Cycle> m_recent_events;
  // The RTL's lines at their last changes: the engine reports a step after its edges, so a
  // reset step's own edges have already cleared the lines by the time it is seen.
  std::deque<std::pair<Cycle, uint32_t>> m_irq_changes;
  uint32_t irq_before(Cycle at) const;
};

}  // namespace tandem
