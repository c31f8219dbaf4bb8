// The RTL alone under its bus driver: a short path for one-beat accesses, the general path for
// the rest.
#include "tandem/rtl_executor.h"

#include "tandem/access_checks.h"

namespace tandem {

using detail::check_step;
using detail::one_beat_access;
using detail::to_bus_beat;

RtlExecutor::RtlExecutor(const DeviceBinding& binding, const RtlOptions& options)
    : m_pins(make_pin_source(binding)), m_rtl(binding.make_rtl(options)), m_reset_cycles(binding.hints.reset_cycles),
      m_addr_limit(binding.addr_limit()), m_trailing_edges(binding.trailing_edges),
      m_window(m_pins && m_pins->has_window()),
      m_short_limit(m_pins && (m_pins->hears_writes() || m_window) ? 0 : m_addr_limit),
      m_bus_bytes(m_rtl->data_bytes()) {
  set_interrupt_lines(binding.hints.irq_lines.size(), !binding.hints.pins.empty());
  if (m_pins) m_rtl->attach_pins(m_pins.get());
  m_rtl->reset(m_reset_cycles);
  if (m_pins) m_pins->on_reset(m_rtl->now());
}

StepResult RtlExecutor::execute(const Step& step) {
  // The short path: an access of one bus beat, the most common step.
  if (one_beat_access(step, m_short_limit, m_bus_bytes)) {
    m_rtl->irq_log().clear();
    m_rtl->dma_log().clear();
    const uint64_t mask = detail::beat_mask(step.size);
    const BeatResult br = m_rtl->access(detail::short_bus_beat(step, step.kind == StepKind::write, mask, m_bus_bytes));
    m_hung |= br.hung;
    return {(br.rdata >> lane_shift(step.addr, m_bus_bytes)) & mask, br.error};
  }
  return execute_general(step);
}

__attribute__((noinline)) StepResult RtlExecutor::execute_general(const Step& step) {
  check_step(step, m_addr_limit);
  StepResult r;
  m_rtl->irq_log().clear();
  m_rtl->dma_log().clear();
  switch (step.kind) {
    case StepKind::read:
    case StepKind::write: {
      const bool write = step.kind == StepKind::write;
      const unsigned bus_bytes = m_bus_bytes;
      const BeatList beats = split_access(step.addr, step.size, bus_bytes);
      for (unsigned i = 0; i < beats.count; ++i) {
        const Beat& b = beats.beats[i];
        if (m_window && m_pins->serves(b.addr)) {
          const BusResponse sr = serve_beat(b, write, (step.data >> b.shift) & size_mask(b.size));
          r.data |= (sr.data & size_mask(b.size)) << b.shift;
          r.error |= sr.error;
          continue;
        }
        BeatResult br = m_rtl->access(to_bus_beat(b, write, step.data, bus_bytes));
        m_hung |= br.hung;
        r.data |= lane_extract(br.rdata, b.addr, b.size, bus_bytes) << b.shift;
        r.error |= br.error;
        if (write && m_pins && !br.error)
          m_pins->on_write(b.addr, (step.data >> b.shift) & size_mask(b.size), b.size, m_rtl->now());
      }
      break;
    }
    case StepKind::idle: m_rtl->run(step.data); break;
    case StepKind::reset:
      m_rtl->reset(m_reset_cycles);
      if (m_pins) m_pins->on_reset(m_rtl->now());
      break;
    case StepKind::mem_write: m_rtl->memory().write(step.addr, step.data, step.size); break;
  }
  return r;
}

// A beat the line model serves (PinSource::serves): the bus stays idle for the edges of a
// zero-wait transfer, and the source answers at its access edge.
BusResponse RtlExecutor::serve_beat(const Beat& b, bool write, uint64_t value) {
  m_rtl->run(m_rtl->min_edges() - m_trailing_edges);
  const BusResponse r = m_pins->serve(b.addr, write, value, b.size, m_rtl->now());
  m_rtl->run(m_trailing_edges);
  return {write ? 0 : r.data, r.error};
}

}  // namespace tandem
