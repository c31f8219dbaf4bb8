// The model alone: a short path for one-beat accesses, the general path for the rest.
#include "tandem/model_executor.h"

#include <algorithm>

#include <fmt/format.h>

#include "tandem/access_checks.h"
#include "tandem/error.h"

namespace tandem {

using detail::check_step;
using detail::legal_size;
using detail::one_beat_access;

ModelExecutor::ModelExecutor(const DeviceBinding& binding, unsigned mem_latency)
    : m_pins(make_pin_source(binding)), m_port(m_memory, mem_latency, false), m_model(binding.make_model()),
      m_bus_bytes(binding.data_bytes()), m_access_edges(binding.access_edges - binding.trailing_edges),
      m_trailing_edges(binding.trailing_edges), m_addr_limit(binding.addr_limit()),
      m_short_limit(m_model->declares_wait_states() || (m_pins && m_pins->hears_writes()) ? 0 : m_addr_limit),
      m_wait_states(m_model->declares_wait_states()), m_reset_cycles(binding.hints.reset_cycles) {
  set_interrupt_lines(binding.hints.irq_lines.size(), !binding.hints.pins.empty());
  if (binding.access_edges == 0 || binding.trailing_edges >= binding.access_edges)
    throw Error(fmt::format("device '{}': the binding names no bus (access_edges 0): bind it with tandem_add_device",
                            binding.name));
  if (m_pins) {
    const PinLayout layout = lay_out_pins(binding.name, binding.hints.irq_lines, binding.hints.pins);
    m_window = m_pins->has_window();
    m_reports = layout.output_bits > 0;
    m_output_shift = layout.output_shift;
    m_output_mask = layout.output_bits >= 32 ? ~0u : (1u << layout.output_bits) - 1;
    if (m_window || m_reports) m_short_limit = 0;
  }
  m_model->attach_dma(&m_port);
  m_model_keeps_memory = m_model->keeps_guest_memory();
  m_plain_memory = !m_model_keeps_memory && !m_reports;
  if (m_model_keeps_memory) m_memory.set_source(&m_model_ram);
  if (m_pins) m_model->attach_pins(m_pins.get());
  m_now = m_reset_cycles;
  reset_model();
}

// Reset completing at m_now. Output changes inside the reset window are reported at its last
// edge (the RTL's harness reports them at the edge within it where they happen).
void ModelExecutor::reset_model() {
  m_model->reset(m_now);
  if (!m_pins) return;
  if (m_reports) {
    note_outputs(m_now);
    m_reported = m_now;
  }
  m_pins->on_reset(m_now);
}

void ModelExecutor::report_outputs(Cycle until) const {
  if (until <= m_reported) return;
  for (Cycle e = m_model->next_event(m_reported); e <= until; e = m_model->next_event(e)) {
    m_model->advance(e);
    note_outputs(e);
  }
  m_reported = until;
}

void ModelExecutor::note_outputs(Cycle at) const {
  const uint32_t v = (m_model->irq() >> m_output_shift) & m_output_mask;
  if (v == m_outputs) return;
  m_outputs = v;
  m_pins->on_outputs(at, v);
}

PinSource* ModelExecutor::pins() {
  if (m_reports) report_outputs(m_now);
  return m_pins.get();
}

// The model is lazy: idle steps only move the clock, so it is brought up to now here.
uint32_t ModelExecutor::irq() const {
  if (m_reports) report_outputs(m_now);
  m_model->advance(m_now);
  return m_model->irq();
}

std::string ModelExecutor::restore_model(const std::vector<uint8_t>& state, Cycle at) {
  StateReader in(state);
  std::string why = m_model->restore(in);
  if (!why.empty()) return why;
  m_now = std::max(m_now, at);
  if (m_reports) {
    m_model->advance(m_now);
    m_reported = m_now;
    note_outputs(m_now);
  }
  return "";
}

uint64_t ModelExecutor::mem_read(uint64_t addr, unsigned size) {
  if (m_reports) report_outputs(m_now);
  m_model->advance(m_now);
  if (m_model_keeps_memory) m_memory.clear();  // read afresh: the model's device may have written it
  return m_memory.read(addr, size);
}

// The common step, a one-beat access of a legal size inside the window, takes this short
// path with no stack frame of its own: the model alone runs tens of millions of steps a
// second, so the checks and the beat splitting of the general path cost a third of a step.
// A model that declares wait states, or a line model that hears writes, serves a window or
// hears the output pins, closes it (m_short_limit is 0 then).
StepResult ModelExecutor::execute(const Step& step) {
  const unsigned size = step.size;
  if (one_beat_access(step, m_short_limit, m_bus_bytes)) {
    m_now += m_access_edges;  // the bus's own edges up to the access: the model declares no wait states
    const BusResponse m = step.kind == StepKind::write ? m_model->write(step.addr, step.data, size, m_now)
                                                       : m_model->read(step.addr, size, m_now);
    m_now += m_trailing_edges;
    return {m.data & size_mask(size), m.error};
  }
  // The other common steps, an idle gap and (a DMA device's) guest-memory write, as
  // execute_general does them, without its frame.
  if (step.kind == StepKind::idle) {  // the model is lazy: an idle step only moves the clock
    m_now += step.data;
    return {};
  }
  if (step.kind == StepKind::mem_write) return execute_mem_write(step);
  return execute_general(step);
}

// Its own frame, smaller than execute_general's and kept out of execute's.
__attribute__((noinline)) StepResult ModelExecutor::execute_mem_write(const Step& step) {
  if (!m_plain_memory || !legal_size(step.size)) return execute_general(step);
  m_model->advance(m_now);  // accesses up to now see the memory before this write
  m_memory.write(step.addr, step.data, step.size);
  return {};
}

__attribute__((noinline)) StepResult ModelExecutor::execute_general(const Step& step) {
  check_step(step, m_addr_limit);
  StepResult r;
  switch (step.kind) {
    case StepKind::read:
    case StepKind::write: {
      const bool write = step.kind == StepKind::write;
      const BeatList beats = split_access(step.addr, step.size, m_bus_bytes);
      for (unsigned i = 0; i < beats.count; ++i) {
        const Beat& b = beats.beats[i];
        const BusResponse m = access_beat(b, write, (step.data >> b.shift) & size_mask(b.size));
        r.data |= (m.data & size_mask(b.size)) << b.shift;
        r.error |= m.error;
      }
      break;
    }
    case StepKind::idle: m_now += step.data; break;
    case StepKind::reset:
      if (m_reports) report_outputs(m_now);
      m_model->advance(m_now);  // DMA accesses due before the reset still happen
      m_now += m_reset_cycles;
      reset_model();
      break;
    case StepKind::mem_write:
      // Accesses up to now see the memory before this write, later ones see it.
      if (m_reports) report_outputs(m_now);
      m_model->advance(m_now);
      if (!m_model_keeps_memory) {
        m_memory.write(step.addr, step.data, step.size);
      } else {  // queued with the model's next command; the cache would need a page read first
        m_model->guest_write(step.addr, step.data, step.size, m_now);
        m_memory.clear();
      }
      break;
  }
  return r;
}

// One bus transfer: the bus's own edges, then the wait states the model declares; or, in the
// line model's window, a zero-wait transfer the source answers (PinSource::serves).
BusResponse ModelExecutor::access_beat(const Beat& b, bool write, uint64_t value) {
  if (m_window && m_pins->serves(b.addr)) {
    m_now += m_access_edges;
    if (m_reports) report_outputs(m_now);
    m_model->advance(m_now);
    const BusResponse r = m_pins->serve(b.addr, write, value, b.size, m_now);
    m_now += m_trailing_edges;
    return {write ? 0 : r.data, r.error};
  }
  m_now += m_access_edges + (m_wait_states ? m_model->wait_states(b.addr, write, b.size) : 0u);
  if (m_reports) report_outputs(m_now - 1);
  const BusResponse m = write ? m_model->write(b.addr, value, b.size, m_now) : m_model->read(b.addr, b.size, m_now);
  if (m_reports) {
    note_outputs(m_now);
    m_reported = m_now;
  }
  if (write && m_pins && !m.error) m_pins->on_write(b.addr, value, b.size, m_now);
  m_now += m_trailing_edges;
  return m;
}

}  // namespace tandem
