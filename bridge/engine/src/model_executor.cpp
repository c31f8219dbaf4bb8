// The model alone: a short path for one-beat accesses, the general path for the rest.
#include "tandem/model_executor.h"

#include <algorithm>

#include <fmt/format.h>

#include "access_checks.h"
#include "tandem/error.h"

namespace tandem {

using detail::check_step;
using detail::one_beat_access;

ModelExecutor::ModelExecutor(const DeviceBinding& binding, unsigned mem_latency)
    : m_pins(make_pin_source(binding)), m_port(m_memory, mem_latency, false), m_model(binding.make_model()),
      m_bus_bytes(binding.data_bytes()), m_access_edges(binding.access_edges - binding.trailing_edges),
      m_trailing_edges(binding.trailing_edges), m_addr_limit(binding.addr_limit()),
      m_short_limit(m_model->declares_wait_states() || (m_pins && m_pins->hears_writes()) ? 0 : m_addr_limit),
      m_wait_states(m_model->declares_wait_states()), m_reset_cycles(binding.hints.reset_cycles) {
  if (binding.access_edges == 0 || binding.trailing_edges >= binding.access_edges)
    throw Error(fmt::format("device '{}': the binding names no bus (access_edges 0): bind it with tandem_add_device",
                            binding.name));
  m_model->attach_dma(&m_port);
  m_model_keeps_memory = m_model->keeps_guest_memory();
  if (m_model_keeps_memory) m_memory.set_source(&m_model_ram);
  if (m_pins) m_model->attach_pins(m_pins.get());
  m_now = m_reset_cycles;
  m_model->reset(m_now);
  if (m_pins) m_pins->on_reset(m_now);
}

// The model is lazy: idle steps only move the clock, so it is brought up to now here.
uint32_t ModelExecutor::irq() const {
  m_model->advance(m_now);
  return m_model->irq();
}

std::string ModelExecutor::restore_model(const std::vector<uint8_t>& state, Cycle at) {
  StateReader in(state);
  std::string why = m_model->restore(in);
  if (why.empty()) m_now = std::max(m_now, at);
  return why;
}

uint64_t ModelExecutor::mem_read(uint64_t addr, unsigned size) {
  m_model->advance(m_now);
  if (m_model_keeps_memory) m_memory.clear();  // read afresh: the model's device may have written it
  return m_memory.read(addr, size);
}

// The common step, a one-beat access of a legal size inside the window, takes this short
// path with no stack frame of its own: the model alone runs tens of millions of steps a
// second, so the checks and the beat splitting of the general path cost a third of a step.
// A model that declares wait states never takes it (m_short_limit is 0 then).
StepResult ModelExecutor::execute(const Step& step) {
  const unsigned size = step.size;
  if (one_beat_access(step, m_short_limit, m_bus_bytes)) {
    m_now += m_access_edges;  // the bus's own edges up to the access: the model declares no wait states
    const BusResponse m = step.kind == StepKind::write ? m_model->write(step.addr, step.data, size, m_now)
                                                       : m_model->read(step.addr, size, m_now);
    m_now += m_trailing_edges;
    return {m.data & size_mask(size), m.error};
  }
  return execute_general(step);
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
        // The bus's own edges, then the wait states the model declares.
        m_now += m_access_edges + (m_wait_states ? m_model->wait_states(b.addr, write, b.size) : 0u);
        BusResponse m = write ? m_model->write(b.addr, (step.data >> b.shift) & size_mask(b.size), b.size, m_now)
                              : m_model->read(b.addr, b.size, m_now);
        if (write && m_pins && !m.error)
          m_pins->on_write(b.addr, (step.data >> b.shift) & size_mask(b.size), b.size, m_now);
        m_now += m_trailing_edges;
        r.data |= (m.data & size_mask(b.size)) << b.shift;
        r.error |= m.error;
      }
      break;
    }
    case StepKind::idle: m_now += step.data; break;
    case StepKind::reset:
      m_model->advance(m_now);  // DMA accesses due before the reset still happen
      m_now += m_reset_cycles;
      m_model->reset(m_now);
      if (m_pins) m_pins->on_reset(m_now);
      break;
    case StepKind::mem_write:
      // Accesses up to now see the memory before this write, later ones see it.
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

}  // namespace tandem
