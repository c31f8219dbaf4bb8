// Lockstep's step path as a template over the model's class. The engine runs it over Device
// (every call into the model virtual); a binding whose model class is known may hand the
// engine the same path instantiated over that class (lockstep_fast_path<M>(), in the model's
// own source file), and the engine takes it for a model of exactly that class (a subclass, a
// seeded-bug mutant, gets the general one). The model's read, write, lines and next event are
// then ordinary calls the compiler inlines into the step: the same comparisons in the same
// order, without the virtual dispatch and the calls' frames (docs/measurements.md, "Lockstep
// over the model's class").
#pragma once

#include <algorithm>
#include <type_traits>
#include <typeinfo>

#include "tandem/access_checks.h"
#include "tandem/lockstep.h"
#include "tandem/lockstep_observer.h"

namespace tandem {

namespace detail {
// The model's calls on the step path: qualified (no virtual dispatch) on a model of exactly
// class M, virtual through Device.
template <class M>
struct ModelCalls {
  static constexpr bool kVirtual = std::is_same_v<M, Device>;
  static BusResponse read(M& m, uint64_t offset, unsigned size, Cycle now) {
    if constexpr (kVirtual)
      return m.read(offset, size, now);
    else
      return m.M::read(offset, size, now);
  }
  static BusResponse write(M& m, uint64_t offset, uint64_t value, unsigned size, Cycle now) {
    if constexpr (kVirtual)
      return m.write(offset, value, size, now);
    else
      return m.M::write(offset, value, size, now);
  }
  static void advance(M& m, Cycle now) {
    if constexpr (kVirtual)
      m.advance(now);
    else
      m.M::advance(now);
  }
  static uint32_t irq(const M& m) {
    if constexpr (kVirtual)
      return m.irq();
    else
      return m.M::irq();
  }
  static Cycle next_event(const M& m, Cycle now) {
    if constexpr (kVirtual)
      return m.next_event(now);
    else
      return m.M::next_event(now);
  }
  static Cycle next_irq_event(const M& m, Cycle now) {
    if constexpr (kVirtual)
      return m.next_irq_event(now);
    else
      return m.M::next_irq_event(now);
  }
};
}  // namespace detail

// The step path over model class M, for DeviceBinding::lockstep_fast. Instantiate it where
// M's read(), write() and irq() are defined (the model's own .cpp), so that they inline:
//
//   tandem::LockstepFastPath MyModel::lockstep_fast_path() { return tandem::lockstep_fast_path<MyModel>(); }
//
// and in the binding: `b.lockstep_fast = MyModel::lockstep_fast_path();`.
template <class M>
LockstepFastPath lockstep_fast_path() {
  static_assert(std::is_base_of_v<Device, M> && !std::is_same_v<M, Device>, "a model class");
  return LockstepFastPath{&typeid(M), &Lockstep::step_as<M>};
}

// Most edges have nothing to record or compare: no observer, both lines agree and no mismatch
// is waiting out its tolerance. Only the others take the call.
inline void Lockstep::check_irq(Cycle at) {
  if (m_options.observer || m_rtl_irq != m_model_irq || m_mismatch_since != kNever) check_irq_edge(at);
}

// Nothing in (m_irq_now, limit] to walk: no RTL line change logged (an empty log has nothing
// consumed either; a log whose entries were all consumed at the last access edge takes the
// walk once, which clears it), no mismatch waiting, no model event.
template <class M>
inline bool Lockstep::irq_quiet_until(const M& model, Cycle limit) const {
  return m_rtl->irq_log().empty() && m_mismatch_since == kNever &&
         detail::ModelCalls<M>::next_event(model, m_irq_now) > limit;
}

// Every edge in (m_irq_now, limit]: the RTL's lines change only where its log says, the
// model's only at its next_event, so checking at those edges checks every edge. Most calls
// have none of them before `limit` (irq_quiet_until) and only move the comparison on; the
// others walk the edges.
template <class M>
inline void Lockstep::compare_irq_until(M& model, Cycle limit) {
  if (irq_quiet_until(model, limit)) {
    if (limit > m_irq_now) m_irq_now = limit;
  } else {
    compare_irq_edges_until(model, limit);
  }
}

// compare_irq_until when irq_quiet_until(limit) said no: the short path asks that itself, and
// comes here without asking it (and the model's next_event) a second time.
template <class M>
inline void Lockstep::compare_irq_edges_until(M& model, Cycle limit) {
  if (!(m_irq_events_apart && skip_model_edges(model, limit)))
    walk_irq_until(model, limit, detail::ModelCalls<M>::next_event(model, m_irq_now));
}

// `e` is the model's next event after m_irq_now.
template <class M>
__attribute__((noinline)) void Lockstep::walk_irq_until(M& model, Cycle limit, Cycle e) {
  using Call = detail::ModelCalls<M>;
  std::vector<IrqChange>& log = m_rtl->irq_log();
  const Cycle from = m_irq_now;
  // A model whose lines move only at its next_irq_event is brought from one such edge (or an
  // RTL line change, or a tolerance deadline) to the next at once, over the events between:
  // they cannot move its lines, and advance() makes their accesses edge by edge. (False with
  // an observer, which is told of every event edge.)
  const bool apart = m_irq_events_apart;
  if (apart) e = Call::next_irq_event(model, m_irq_now);
  for (;;) {
    const Cycle r = m_log_pos < log.size() ? log[m_log_pos].cycle : kNever;
    const Cycle t = m_irq_deadline;
    const Cycle next = std::min({e, r, t});
    if (next > limit) break;
    if (next == e || apart) {
      Call::advance(model, next);
      m_model_irq = Call::irq(model);
    }
    while (m_log_pos < log.size() && log[m_log_pos].cycle == next) m_rtl_irq = log[m_log_pos++].value;
    m_irq_now = next;
    check_irq(next);
    if (m_divergence) break;
    e = apart ? Call::next_irq_event(model, m_irq_now) : Call::next_event(model, m_irq_now);
  }
  if (!m_divergence && limit > from) {
    m_irq_now = limit;
    if (apart) Call::advance(model, limit);  // its accesses up to `limit`, as edge by edge
  }
  drop_taken_irq_log();
}

// When only the model has edges up to `limit` and none of them can move its lines
// (Device::next_irq_event), nothing can differ there: the model is brought over them at once,
// its DMA accesses made as edge by edge. Out of line: the other models' step keeps its shape.
template <class M>
__attribute__((noinline)) bool Lockstep::skip_model_edges(M& model, Cycle limit) {
  using Call = detail::ModelCalls<M>;
  std::vector<IrqChange>& log = m_rtl->irq_log();
  if (m_log_pos != log.size() || m_mismatch_since != kNever || Call::next_irq_event(model, m_irq_now) <= limit)
    return false;
  Call::advance(model, limit);
  m_irq_now = limit;
  drop_taken_irq_log();  // every entry was taken (tested above)
  return true;
}

// After a step that made DMA accesses: nearly always the model made every access the RTL did
// and each matched (its log is empty), and the RTL's log is simply emptied. Inline, a few
// instructions; the rest (settle_dma_rest) out of line, so that the step's path keeps its shape.
inline void Lockstep::settle_dma() {
  std::vector<DmaAccess>& r = m_rtl->dma_log();
  if (__builtin_expect(m_model_keeps_memory || !m_model_port.log().empty() || m_model_port.matched() != r.size(), 0))
    return settle_dma_rest();
  m_stats.dma_accesses += m_model_port.take_matched();
  r.clear();
}

// Both sides stand at the access edge `done`: take the RTL's line changes at that edge and the
// model's lines, and compare them.
template <class M>
inline void Lockstep::compare_irq_at_access(const M& model, Cycle done) {
  std::vector<IrqChange>& log = m_rtl->irq_log();
  while (m_log_pos < log.size() && log[m_log_pos].cycle == done) m_rtl_irq = log[m_log_pos++].value;
  drop_taken_irq_log();
  m_model_irq = detail::ModelCalls<M>::irq(model);
  m_irq_now = done;  // one edge past the last compared one (irq_checks counts it)
  check_irq(done);
}

// The short path: one beat, no observer, no declared wait states, no divergence yet. It does
// what access() does for such a step, in the same order, without the beat splitting, the
// observer and the wait-state comparison: in lockstep the engine's own work is what stands
// between the RTL alone and the RTL checked, so it is kept to a few dozen instructions a step.
// Inlined into execute_as(): one frame a step.
template <class M>
inline __attribute__((always_inline)) StepResult Lockstep::short_access(M& model, const Step& step, bool write) {
  using Call = detail::ModelCalls<M>;
  const uint64_t mask = detail::beat_mask(step.size);
  const BeatResult br = m_rtl->access(detail::short_bus_beat(step, write, mask, m_bus_bytes));
  if (br.failed()) {
    report_fault(Beat{step.addr, step.size, 0}, write, br);
    return {};
  }
  // The edges before the access edge. Mostly nothing is walked there: then the RTL logged no
  // line change, not even at the access edge, and only the model's lines are asked there.
  const bool quiet = irq_quiet_until(model, br.done - 1);
  if (!quiet) {
    compare_irq_edges_until(model, br.done - 1);
    if (m_divergence) return {};
  }
  const BusResponse m = write ? Call::write(model, step.addr, step.data & mask, step.size, br.done)
                              : Call::read(model, step.addr, step.size, br.done);
  const uint64_t rtl_value = (br.rdata >> lane_shift(step.addr, m_bus_bytes)) & mask;
  const uint64_t model_value = m.data & mask;
  if (br.error != m.error || (!write && !br.error && rtl_value != model_value))
    report_beat(Beat{step.addr, step.size, 0}, write, br, m.error, rtl_value, model_value);
  if (write)
    ++m_stats.writes;
  else
    ++m_stats.reads;
  if (quiet) {
    // Every edge up to the access edge is compared: the lines agreed at m_irq_now and neither
    // side's changed before the access edge.
    m_irq_now = br.done;
    m_model_irq = Call::irq(model);
    if (m_rtl_irq != m_model_irq) check_irq_edge(br.done);
  } else {
    compare_irq_at_access(model, br.done);
  }
  return {rtl_value, br.error};
}

// The end of every step, begun at edge `before`: DMA accesses both sides made, then the step's
// statistics.
inline void Lockstep::end_step(const Step& step, Cycle before) {
  if (!m_divergence && !(m_rtl->dma_log().empty() && m_model_port.log().empty())) settle_dma();
  m_stats.cycles += m_rtl->now() - before;
  if (m_options.observer) m_options.observer->on_step(static_cast<size_t>(m_stats.steps), step, before, m_rtl->now());
  if (!m_divergence) ++m_stats.steps;
}

// end_step for the short path, which no observer takes.
inline void Lockstep::end_short_step(Cycle before) {
  m_stats.cycles += m_rtl->now() - before;
  if (__builtin_expect(m_divergence.has_value(), 0)) return;
  if (!(m_rtl->dma_log().empty() && m_model_port.log().empty())) {
    settle_dma();
    if (m_divergence) return;
  }
  ++m_stats.steps;
}

// An idle gap; with a progress display, a long one in chunks so the display can say where it
// stands. Comparing the interrupt lines chunk by chunk checks the same edges as once at the
// end; after a divergence the rest of the gap still runs, so the run's cycles are the same.
template <class M>
inline void Lockstep::run_idle(M& model, uint64_t cycles) {
  check_budget(cycles);
  IdleProgress* progress = m_options.idle_progress;
  if (__builtin_expect(progress == nullptr || cycles <= IdleProgress::kIdleChunk, 1)) {
    m_rtl->run(cycles);
    compare_irq_until(model, m_rtl->now());
    return;
  }
  progress->done.store(0, std::memory_order_relaxed);
  progress->total.store(cycles, std::memory_order_relaxed);
  for (uint64_t done = 0; done < cycles;) {
    const uint64_t n = std::min(IdleProgress::kIdleChunk, cycles - done);
    m_rtl->run(n);
    if (!m_divergence) compare_irq_until(model, m_rtl->now());
    done += n;
    progress->done.store(done, std::memory_order_relaxed);
  }
  progress->total.store(0, std::memory_order_relaxed);
}

// Applied at the current edge on both sides: accesses taken at later edges see it. The model
// has made its accesses up to now already (they are among its events).
template <class M>
inline void Lockstep::write_guest_memory(M& model, const Step& step) {
  detail::ModelCalls<M>::advance(model, m_rtl->now());
  if (!m_model_keeps_memory) {
    GuestMemory::write_both(m_rtl->memory(), m_model_memory, step.addr, step.data, step.size);
  } else {  // queued with the model's next command; the cache would need a page read first
    m_rtl->memory().write(step.addr, step.data, step.size);
    model.guest_write(step.addr, step.data, step.size, m_rtl->now());
    m_model_memory.clear();
  }
}

// One step (step_as catches a crash of the model around it).
template <class M>
inline StepResult Lockstep::execute_as(const Step& step) {
  M& model = static_cast<M&>(*m_model);  // of exactly class M (or M is Device)
  if (!m_divergence && detail::one_beat_access(step, m_short_limit, m_bus_bytes)) {
    remember(step);
    const Cycle before = m_rtl->now();
    const StepResult r = short_access(model, step, step.kind == StepKind::write);
    end_short_step(before);
    return r;
  }
  // Idle gaps and guest-memory writes of a run without serial streams or settle tolerances:
  // what execute_general does for them, without its frame.
  if (m_plain_steps && !m_divergence &&
      (step.kind == StepKind::idle || (step.kind == StepKind::mem_write && detail::legal_size(step.size)))) {
    remember(step);
    const Cycle before = m_rtl->now();
    if (step.kind == StepKind::idle)
      run_idle(model, step.data);
    else
      write_guest_memory(model, step);
    end_step(step, before);
    return {};
  }
  return execute_general(step);
}

// What execute() calls (DeviceBinding::lockstep_fast's, or the one over Device): a tail call.
template <class M>
StepResult Lockstep::step_as(Lockstep& lockstep, const Step& step) {
  try {
    return lockstep.execute_as<M>(step);
  } catch (const ModelCrash& e) {
    return lockstep.crashed(e);
  }
}

}  // namespace tandem
