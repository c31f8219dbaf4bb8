// Lockstep: the model and the RTL run the same steps; every read, error response, interrupt
// line and DMA access is compared, and the first divergence stops the run.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/device.h"
#include "tandem/divergence.h"
#include "tandem/error.h"
#include "tandem/executor.h"
#include "tandem/guest_memory.h"
#include "tandem/rtl_target.h"
#include "tandem/step.h"
#include "tandem/waiver.h"

namespace tandem {

class LockstepObserver;  // lockstep_observer.h
class Tolerances;        // src/tolerance.h

// Where a long idle gap stands, for a progress display on another thread: the engine runs
// gaps longer than kIdleChunk in chunks and stores the cycles done after each.
struct IdleProgress {
  static constexpr uint64_t kIdleChunk = uint64_t(1) << 20;
  std::atomic<uint64_t> done{0}, total{0};  // total 0: no long gap running
};

// An idle gap or reset that would take the RTL beyond LockstepOptions::max_cycles, refused
// before any of its cycles run: the input asked for more RTL time than the run may spend.
class CycleBudgetError : public Error {
 public:
  CycleBudgetError(uint64_t step, Cycle now, uint64_t cycles, uint64_t budget);
  uint64_t step;  // index of the refused step in the run
  Cycle now;      // the edge the RTL stood at
  uint64_t cycles, budget;
};

struct LockstepOptions {
  RtlOptions rtl;                         // rtl.mem_latency is also the latency of the model's DMA port
  bool savable_rtl = false;               // build the RTL side with binding.make_savable_rtl (checkpoints)
  size_t recent_steps = 12;               // how many steps a divergence report carries
  bool dma_cycles = false;                // also compare the edge of each DMA access (default: order only)
  LockstepObserver* observer = nullptr;   // not owned; records the run (waves, reports)
  uint64_t max_cycles = 0;                // > 0: the RTL edge no idle gap or reset may pass (CycleBudgetError)
  IdleProgress* idle_progress = nullptr;  // not owned; set: long idle gaps run in chunks and report here
  // Not owned; known differences this run counts and goes on past (waiver.h). Null or a set
  // with nothing for this device: every divergence stops the run, at no cost per step.
  const WaiverSet* waivers = nullptr;
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
  // interrupt comparison, stats, the last steps and the line model's state (PinSource::save,
  // a section a checkpoint without it simply lacks: the source then keeps its own state).
  // restore_checkpoint() on a fresh engine of
  // the same binding and build (or on a used one, diverged or not) continues exactly where the
  // saved one stood; "" or the reason.
  void save_checkpoint(StateWriter& out) const;
  std::string restore_checkpoint(StateReader& in);

  // Whether the steps run the binding's path over the model's class (DeviceBinding::
  // lockstep_fast: a model of exactly that class), not the general one.
  bool runs_model_class_path() const {
    return m_binding.lockstep_fast.step != nullptr && m_step_path == m_binding.lockstep_fast.step;
  }
  bool diverged() const { return m_divergence.has_value(); }
  bool stopped() const override { return diverged(); }
  const std::optional<Divergence>& divergence() const { return m_divergence; }
  PinSource* pins() { return m_pins.get(); }  // the line model both sides share, null without pins
  // Each waiver that matched in this run, with its count and first divergence (empty without one).
  const std::vector<WaiverUse>& waived() const;
  // The run's counts. irq_checks counts the edges compared since the last reset lazily (the
  // step path only moves m_irq_now): the edges up to m_irq_now less those up to m_irq_counted.
  Stats stats() const {
    Stats s = m_stats;
    s.irq_checks += m_irq_now - m_irq_counted;
    return s;
  }
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

  // The step path over the model's class (lockstep_fast.h): over Device for any model, over
  // the binding's class (DeviceBinding::lockstep_fast) for a model of exactly that class.
  template <class M>
  friend LockstepFastPath lockstep_fast_path();
  template <class M>
  static StepResult step_as(Lockstep& lockstep, const Step& step);
  template <class M>
  StepResult execute_as(const Step& step);
  template <class M>
  StepResult short_access(M& model, const Step& step, bool write);
  template <class M>
  void write_guest_memory(M& model, const Step& step);
  template <class M>
  void compare_irq_at_access(const M& model, Cycle done);
  template <class M>
  bool irq_quiet_until(const M& model, Cycle limit) const;
  template <class M>
  void compare_irq_until(M& model, Cycle limit);
  template <class M>
  void compare_irq_edges_until(M& model, Cycle limit);
  template <class M>
  void walk_irq_until(M& model, Cycle limit, Cycle e);
  template <class M>
  bool skip_model_edges(M& model, Cycle limit);
  // Empties the RTL's line-change log once every entry has been taken, so that the next step
  // finds it empty (irq_quiet_until) and the log never grows over a run.
  void drop_taken_irq_log() {
    std::vector<IrqChange>& log = m_rtl->irq_log();
    if (m_log_pos != log.size()) return;
    log.clear();
    m_log_pos = 0;
  }
  void compare_irq_until(Cycle limit) { compare_irq_until(*m_model, limit); }
  void compare_irq_at_access(Cycle done) { compare_irq_at_access(*m_model, done); }
  // The binding's step path when the model is of exactly its class, else the one over Device.
  void choose_step_path();
  StepResult crashed(const ModelCrash& e);  // the step that made the model crash: a divergence

  StepResult execute_general(const Step& step);  // every step the short path does not take
  void check_budget(uint64_t cycles) const;
  template <class M>
  void run_idle(M& model, uint64_t cycles);
  StepResult access(const Step& step);
  BusResponse serve_beat(const Beat& b, bool write, uint64_t value);
  void remember(const Step& step) { m_recent[m_recent_count++ & m_recent_mask] = step; }
  void end_step(const Step& step, Cycle before);
  void end_short_step(Cycle before);
  void configure_for_model();
  void report_fault(const Beat& b, bool write, const BeatResult& br);
  void report_beat(const Beat& b, bool write, const BeatResult& br, bool model_error, uint64_t rtl_value,
                   uint64_t model_value);
  uint64_t compared_bits(const Beat& b, Cycle done, uint64_t rtl, uint64_t diff, std::string& note) const;
  void check_irq(Cycle at);
  void check_irq_edge(Cycle at);
  std::optional<DmaMismatch> find_dma_mismatch() const;
  bool report_dma(const DmaMismatch& m);
  void drop_dma(size_t n);
  void compare_dma();
  void expect_dma();
  void retire_matched_dma();
  void unmatch_dma();
  void settle_dma();
  void settle_dma_rest();
  void forget_rtl_dma();
  void finish_kept_memory();
  void compare_serial(bool at_end);
  void restart_serial();
  void feed_model(Cycle until);
  bool same_character(unsigned rtl, unsigned model) const;
  bool serial_waived(unsigned rtl, unsigned model, WaiverMatcher::Scope scope) const;
  bool serial_diverge(uint64_t rtl, uint64_t model, std::string detail);
  void observe_dma(size_t rtl_count, size_t model_count);
  // Records the run's divergence and returns true, or returns false when a waiver matched it.
  bool diverge(DivergenceKind kind, Cycle cycle, std::string reg, uint64_t rtl, uint64_t model, std::string detail,
               uint64_t addr = 0);
  bool take_waiver(const Divergence& d);

  const DeviceBinding& m_binding;
  std::unique_ptr<PinSource> m_pins;  // both sides' input pins (null without); outlives them
  std::unique_ptr<RtlTarget> m_rtl;
  GuestMemory m_model_memory;
  MemoryPort m_model_port;
  std::unique_ptr<Device> m_model;
  StepResult (*m_step_path)(Lockstep&, const Step&) = nullptr;  // choose_step_path(): what execute() calls
  // A model that keeps guest memory itself (Device::keeps_guest_memory): m_model_memory is a
  // cache of it, dropped before each comparison, and only memory contents are compared.
  ModelRam m_model_ram{m_model};
  bool m_model_keeps_memory = false;
  LockstepOptions m_options;
  unsigned m_bus_bytes;
  unsigned m_min_edges;  // the bus's edges per transfer without wait states (RtlTarget::min_edges)
  uint64_t m_addr_limit;
  bool m_model_wait_states = false;  // the model declares its wait states: compare them
  bool m_irq_events_apart = false;   // the walk may skip the model's edges (Device::next_irq_event)
  // The short path's window: m_addr_limit, or 0 when every access must take access() (an
  // observer, or a model that declares wait states).
  uint64_t m_short_limit = 0;
  // Idle and guest-memory-write steps may skip execute_general: no serial stream, no feed, no
  // settle tolerance.
  bool m_plain_steps = false;
  Stats m_stats;
  std::optional<Divergence> m_divergence;
  std::unique_ptr<WaiverMatcher> m_waivers;  // null when no waiver names this device
  std::unique_ptr<Tolerances> m_tolerances;  // null when no tolerance names this device

  // Interrupt comparison: both sides' lines as of edge m_irq_now.
  Cycle m_irq_now = 0;
  Cycle m_irq_counted = 0;  // m_stats.irq_checks holds the compared edges up to this one
  uint32_t m_rtl_irq = 0;
  uint32_t m_model_irq = 0;
  size_t m_log_pos = 0;
  Cycle m_mismatch_since = kNever;
  Cycle m_irq_deadline = kNever;  // the edge a pending mismatch becomes a divergence at
  uint32_t m_irq_waived = 0;      // lines whose mismatch a waiver took, until they agree again
  std::string m_tolerance_note;   // for the divergence being reported: beyond which tolerance, by how much

  // The character streams (a model side that sends bytes, a line model that decodes the RTL's
  // transmit line): what each side sent and has yet to be matched, and how many were matched.
  bool m_serial = false;
  bool m_feed = false;  // the line model feeds characters the model side receives as bytes
  std::string m_serial_pin;
  std::string m_rtl_serial, m_model_serial;
  uint64_t m_serial_matched = 0;

  // The last steps, for reports: a ring of a power-of-two size at least recent_steps, and
  // how many steps went into it; the last min(that, recent_steps) are the report's.
  std::vector<Step> m_recent;
  size_t m_recent_mask = 0;
  uint64_t m_recent_count = 0;
  std::vector<Step> recent_steps() const;  // oldest first
};

}  // namespace tandem
