// Executors run steps: on the model alone, on the RTL alone, or on both in lockstep, where
// every read, error response, interrupt line and DMA access is compared and the first
// divergence stops.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/device.h"
#include "tandem/guest_memory.h"
#include "tandem/rtl_target.h"
#include "tandem/step.h"

namespace tandem {

class LockstepObserver;  // lockstep_observer.h

enum class DivergenceKind : uint8_t {
  read_data, read_error, write_error, irq, dma, hang, protocol, sanitizer, restore
};
const char* kind_name(DivergenceKind k);

struct Stats {
  uint64_t steps = 0;
  uint64_t cycles = 0;
  uint64_t reads = 0;         // reads whose data and error were compared
  uint64_t writes = 0;        // writes whose error response was compared
  uint64_t irq_checks = 0;    // cycles at which the interrupt lines were compared
  uint64_t dma_accesses = 0;  // DMA accesses compared
  bool compared_nothing() const { return reads + writes + irq_checks + dma_accesses == 0; }
};

struct Divergence {
  DivergenceKind kind = DivergenceKind::read_data;
  uint64_t step = 0;    // index of the diverging step in the program
  Cycle cycle = 0;      // clock edge at which the two sides first differ
  std::string reg;      // register (or interrupt line) name
  uint64_t rtl = 0;
  uint64_t model = 0;
  std::string detail;   // one line a person can act on
  std::vector<Step> recent;  // the last steps, the diverging one last
  std::string replay;   // path of the replay file, once written
};

// One access split into bus-width transfers (an access never straddles two on the model).
struct Beat {
  uint64_t addr;
  unsigned size;
  unsigned shift;  // bit position of this beat's bytes within the access value
};
struct BeatList {
  std::array<Beat, 8> beats;
  unsigned count = 0;
};
BeatList split_access(uint64_t addr, unsigned size, unsigned bus_bytes);

class Executor {
 public:
  virtual ~Executor() = default;
  virtual StepResult execute(const Step& step) = 0;
  virtual Cycle now() const = 0;
  virtual uint32_t irq() const = 0;
  // True once the executor refuses further steps (a lockstep run after its divergence).
  virtual bool stopped() const { return false; }
  // Guest memory as the device's DMA sees it now (`size` 1 to 8 bytes, little-endian); not a
  // step. Guest-memory writes are steps (StepKind::mem_write).
  virtual uint64_t mem_read(uint64_t addr, unsigned size) = 0;
};

// The model on its own: what firmware tests and virtual platforms run. Its DMA port serves
// the model from its own guest memory with the given latency (the RTL side's default).
class ModelExecutor final : public Executor {
 public:
  explicit ModelExecutor(const DeviceBinding& binding, unsigned mem_latency = RtlOptions().mem_latency);
  StepResult execute(const Step& step) override;
  Cycle now() const override { return m_now; }
  uint32_t irq() const override;  // brings the model up to now() first
  uint64_t mem_read(uint64_t addr, unsigned size) override;
  Device& model() { return *m_model; }
  GuestMemory& memory() { return m_memory; }
  // Restores a saved state (Device::restore) into the model; when accepted the clock moves on
  // to `at` if that is later (the model catches up lazily). Returns "" or the refusal.
  std::string restore_model(const std::vector<uint8_t>& state, Cycle at);

 private:
  StepResult execute_general(const Step& step);  // every step the short path does not take

  GuestMemory m_memory;
  MemoryPort m_port;
  std::unique_ptr<Device> m_model;
  unsigned m_bus_bytes;
  uint64_t m_addr_limit;
  // The short path's window: m_addr_limit, or 0 for a model that declares wait states, so
  // that every access of such a model takes execute_general (which asks it) while the short
  // path pays nothing for the declaration.
  uint64_t m_short_limit;
  bool m_wait_states;  // the model declares its wait states (Device::declares_wait_states)
  unsigned m_reset_cycles;
  Cycle m_now = 0;
};

// The RTL on its own, under the bus driver.
class RtlExecutor final : public Executor {
 public:
  RtlExecutor(const DeviceBinding& binding, const RtlOptions& options = {});
  StepResult execute(const Step& step) override;
  Cycle now() const override { return m_rtl->now(); }
  uint32_t irq() const override { return m_rtl->irq(); }
  uint64_t mem_read(uint64_t addr, unsigned size) override { return m_rtl->memory().read(addr, size); }
  bool hung() const { return m_hung; }
  GuestMemory& memory() { return m_rtl->memory(); }
  RtlTarget& rtl() { return *m_rtl; }  // its dma_log() holds the last step's accesses

 private:
  StepResult execute_general(const Step& step);  // every step the short path does not take

  std::unique_ptr<RtlTarget> m_rtl;
  unsigned m_reset_cycles;
  uint64_t m_addr_limit;
  unsigned m_bus_bytes;
  bool m_hung = false;
};

struct LockstepOptions {
  RtlOptions rtl;            // rtl.mem_latency is also the latency of the model's DMA port
  bool savable_rtl = false;  // build the RTL side with binding.make_savable_rtl (checkpoints)
  size_t recent_steps = 12;  // how many steps a divergence report carries
  bool dma_cycles = false;   // also compare the edge of each DMA access (default: order only)
  LockstepObserver* observer = nullptr;  // not owned; records the run (waves, reports)
};

class Lockstep final : public Executor {
 public:
  Lockstep(const DeviceBinding& binding, const LockstepOptions& options = {});
  ~Lockstep() override;

  // Runs one step on both sides and returns the RTL's answer. After a divergence further
  // steps are refused (Error): the first divergence is the report.
  StepResult execute(const Step& step) override;
  Cycle now() const override { return m_rtl->now(); }
  uint32_t irq() const override { return m_rtl->irq(); }
  // The RTL side's guest memory; a byte the model's memory holds differently is a divergence.
  uint64_t mem_read(uint64_t addr, unsigned size) override;

  // The end of a run: DMA accesses one side made and the other did not, then the final
  // contents of both guest memories. Idempotent; nothing after a divergence.
  void finish();

  // Migration: save the model, restore the state into a fresh instance and carry on with
  // that one, so a save or restore that drops anything shows up as a later divergence. A
  // refused restore is itself a divergence of kind `restore`. Returns false then.
  bool migrate_model();
  // Restores `state` into a fresh model instance and carries on with it when accepted (the
  // model must stand at the RTL's edge, as a checkpoint's does). Returns "" or the refusal;
  // a refusal leaves the run as it was.
  std::string load_model_state(const std::vector<uint8_t>& state);

  // Checkpoint of the whole run between steps: the RTL side (RtlTarget::save, a top verilated
  // with --savable), the model's saved state, both guest memories, pending logs, the
  // interrupt comparison, stats and the last steps. restore_checkpoint() on a fresh engine of
  // the same binding and build continues exactly where the saved one stood; "" or the reason.
  void save_checkpoint(StateWriter& out) const;
  std::string restore_checkpoint(StateReader& in);

  bool diverged() const { return m_divergence.has_value(); }
  bool stopped() const override { return diverged(); }
  const std::optional<Divergence>& divergence() const { return m_divergence; }
  const Stats& stats() const { return m_stats; }
  Device& model() { return *m_model; }
  RtlTarget& rtl() { return *m_rtl; }
  GuestMemory& rtl_memory() { return m_rtl->memory(); }
  GuestMemory& model_memory() { return m_model_memory; }

 private:
  // The first pair of DMA accesses (as far as both sides have made them) that differ.
  struct DmaMismatch {
    size_t pos;         // position in both logs
    const char* field;  // "direction", "size", "addr", "data" or "cycle"
    uint64_t rtl, model;
  };

  StepResult execute_general(const Step& step);  // every step the short path does not take
  template <bool Write>
  StepResult short_access(const Step& step);
  StepResult access(const Step& step);
  void remember(const Step& step) { m_recent[m_recent_count++ & m_recent_mask] = step; }
  void end_step(const Step& step, Cycle before);
  void set_model_wait_states();
  void report_hang(const Beat& b, bool write, Cycle done);
  void report_beat(const Beat& b, bool write, Cycle done, bool rtl_error, bool model_error, uint64_t rtl_value,
                   uint64_t model_value);
  void compare_irq_at_access(Cycle done);
  void compare_irq_until(Cycle limit);
  void walk_irq_until(Cycle limit, Cycle e);
  void check_irq(Cycle at);
  void check_irq_edge(Cycle at);
  std::optional<DmaMismatch> find_dma_mismatch() const;
  void report_dma(const DmaMismatch& m);
  void compare_dma();
  void observe_dma(size_t rtl_count, size_t model_count);
  void diverge(DivergenceKind kind, Cycle cycle, std::string reg, uint64_t rtl, uint64_t model,
               std::string detail);

  const DeviceBinding& m_binding;
  std::unique_ptr<RtlTarget> m_rtl;
  GuestMemory m_model_memory;
  MemoryPort m_model_port;
  std::unique_ptr<Device> m_model;
  LockstepOptions m_options;
  unsigned m_bus_bytes;
  uint64_t m_addr_limit;
  bool m_model_wait_states = false;  // the model declares its wait states: compare them
  // The short path's window: m_addr_limit, or 0 when every access must take access() (an
  // observer, or a model that declares wait states).
  uint64_t m_short_limit = 0;
  Stats m_stats;
  std::optional<Divergence> m_divergence;

  // Interrupt comparison: both sides' lines as of edge m_irq_now.
  Cycle m_irq_now = 0;
  uint32_t m_rtl_irq = 0;
  uint32_t m_model_irq = 0;
  size_t m_log_pos = 0;
  Cycle m_mismatch_since = kNever;

  // The last steps, for reports: a ring of a power-of-two size at least recent_steps, and
  // how many steps went into it; the last min(that, recent_steps) are the report's.
  std::vector<Step> m_recent;
  size_t m_recent_mask = 0;
  uint64_t m_recent_count = 0;
  std::vector<Step> recent_steps() const;  // oldest first
};

}  // namespace tandem
