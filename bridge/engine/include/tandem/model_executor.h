// The model on its own: what firmware tests and virtual platforms run, tens of millions of
// steps a second. Time is lazy: an idle step only moves the clock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/executor.h"
#include "tandem/guest_memory.h"

namespace tandem {

// Its DMA port serves the model from its own guest memory with the given latency (the RTL
// side's default). Each bus transfer takes the binding's bus minimum (DeviceBinding::
// access_edges) plus the wait states the model declares, so the model alone keeps the
// device's time. A device with output pins and a line model has them reported to the source
// (PinSource::on_outputs) as the RTL's harness reports them, at the edges the model's
// next_event names and at access edges, so that a model run alone feeds a line model.
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
  // The binding's line model (null without pins), told of the output pins up to now() first.
  PinSource* pins();
  // The same, as it stands (no report brought up to date): for a look that must change nothing.
  const PinSource* pin_source() const { return m_pins.get(); }
  // Brings the model up to edge `e` (at most now()), the output pins of every edge on the way
  // reported to the line model first: for a caller that walks the model's events itself.
  void advance_model(Cycle e) {
    if (m_reports) report_outputs(e);
    m_model->advance(e);
  }

 private:
  StepResult execute_general(const Step& step);    // every step the short path does not take
  StepResult execute_mem_write(const Step& step);  // a guest-memory write, or execute_general
  BusResponse access_beat(const Beat& b, bool write, uint64_t value);
  void reset_model();
  // The output pins' changes at every edge after the last one reported, up to `until`.
  void report_outputs(Cycle until) const;
  void note_outputs(Cycle at) const;  // the model stands at `at`: report its outputs if they changed

  std::unique_ptr<PinSource> m_pins;  // the input pins' line model (pins.h), null without
  GuestMemory m_memory;
  MemoryPort m_port;
  std::unique_ptr<Device> m_model;
  ModelRam m_model_ram{m_model};  // m_memory's source when the model keeps guest memory itself
  bool m_model_keeps_memory = false;
  // A guest-memory write is advance() and a write to m_memory: the model does not keep its
  // own memory and no output pins are reported (execute's short path for it).
  bool m_plain_memory = false;
  unsigned m_bus_bytes;
  unsigned m_access_edges;    // a transfer's edges up to its access edge, without wait states
  unsigned m_trailing_edges;  // and after it (DeviceBinding::trailing_edges)
  uint64_t m_addr_limit;
  // The short path's window: m_addr_limit, or 0 for a model that declares wait states, so
  // that every access of such a model takes execute_general (which asks it) while the short
  // path pays nothing for the declaration.
  uint64_t m_short_limit;
  bool m_wait_states;  // the model declares its wait states (Device::declares_wait_states)
  unsigned m_reset_cycles;
  Cycle m_now = 0;
  bool m_window = false;  // the line model serves a window of offsets (PinSource::serves)
  // Reporting the output pins (a device with output pins and a line model only): where they
  // start in irq(), their mask, the last value reported and the edge reported up to.
  bool m_reports = false;
  unsigned m_output_shift = 0;
  uint32_t m_output_mask = 0;
  mutable uint32_t m_outputs = 0;
  mutable Cycle m_reported = 0;
};

}  // namespace tandem
