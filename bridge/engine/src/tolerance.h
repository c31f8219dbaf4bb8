// Timing tolerances of one device in a lockstep run (waiver_set.h, Tolerance): per interrupt line
// how long the two sides may differ, and per register bits how far apart in time a read's value
// may settle. The settling check probes the model at other edges in fresh instances restored from
// snapshots it keeps of the model at each step's start; the run's own model is never touched.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/guest_memory.h"
#include "tandem/waiver_set.h"

namespace tandem {

class Tolerances {
 public:
  // The set's tolerances for binding.name, then its register map's (settle_cycles); Error
  // "WHERE: problem" for one that does not fit.
  Tolerances(const WaiverSet& set, const DeviceBinding& binding);
  // Does `set` (may be null) or the binding's map declare any tolerance for the device?
  static bool declared_by(const WaiverSet* set, const DeviceBinding& binding);

  bool has_settle() const { return !m_settle.empty(); }
  bool has_lines() const { return m_per_line; }

  // ---- interrupt lines
  // The lines that differ (`diff`, the RTL's lines `rtl`) at edge `at`: each line's mismatch
  // start is tracked; returns the edge at which the first of them runs out of its tolerance,
  // and that line's start.
  struct IrqDeadline {
    Cycle deadline = kNever;
    Cycle since = kNever;
    uint32_t line = 0;  // the line (one bit) that runs out first
  };
  IrqDeadline irq_deadline(uint32_t diff, uint32_t rtl, Cycle at);
  void clear_lines() { m_line_since.fill(kNever); }

  // ---- settling reads
  // Before each step, with the model as it stands (its state is saved), at edge `now`.
  void before_step(const Device& model, Cycle now);
  void on_reset() { m_snapshots.clear(); }
  // The bits of a read's difference `diff` (lane 0 of a `size`-byte read at `addr`, answered at
  // edge `done`, RTL `rtl`) that no tolerance accepts; `note` says, for the bits a tolerance
  // covers but that did not settle within it, where they did settle (or that they did not).
  uint64_t unsettled(uint64_t addr, unsigned size, Cycle done, uint64_t rtl, uint64_t diff, const GuestMemory& memory,
                     unsigned mem_latency, std::string& note) const;

 private:
  struct Settle {
    std::string where;
    uint64_t offset;  // the register's
    unsigned bytes;
    uint64_t mask;  // register bit positions
    unsigned cycles;
  };
  struct Snapshot {
    Cycle cycle;
    std::vector<uint8_t> state;
  };
  // The model's lane-0 value of the read at edge t, from the latest snapshot before t.
  std::optional<uint64_t> probe(uint64_t addr, unsigned size, Cycle t, const GuestMemory& memory,
                                unsigned mem_latency) const;
  std::optional<int64_t> settle_offset(const Settle& s, uint64_t addr, unsigned size, Cycle done, uint64_t rtl,
                                       uint64_t lane_mask, unsigned limit, const GuestMemory& memory,
                                       unsigned mem_latency) const;

  void add_map_tolerances();

  const DeviceBinding& m_binding;
  std::vector<Settle> m_settle;
  unsigned m_max_cycles = 0;  // the largest settle tolerance: how far back snapshots reach
  std::deque<Snapshot> m_snapshots;
  bool m_per_line = false;
  std::array<unsigned, 32> m_line_tolerance{};
  std::array<Cycle, 32> m_line_since{};
  std::array<bool, 32> m_line_rtl_high{};  // the RTL's side of each line's mismatch
};

}  // namespace tandem
