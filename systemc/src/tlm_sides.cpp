// The four sides a TlmTarget drives. Each keeps the engine's executors as they are and adds
// only what SystemC needs: interrupt edges reported as they happen, guest memory through TLM.
#include "tlm_sides.h"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "tandem/executor.h"

namespace tandem {

namespace {

bool has_dma(const DeviceBinding& b) { return b.hints.has_dma(); }

// ---------------------------------------------------------------------------- model alone

class ModelSide final : public DeviceSide {
 public:
  ModelSide(const DeviceBinding& binding, TlmMemoryBridge* memory, const RtlOptions& rtl)
      : m_binding(binding), m_exec(binding, rtl.mem_latency), m_peek(memory, rtl.mem_latency) {
    if (memory && has_dma(binding)) {
      m_port = std::make_unique<TlmDmaPort>(*memory, rtl.mem_latency);
      m_exec.model().attach_dma(m_port.get());
    }
    m_scanned = m_exec.now();
  }
  Cycle now() const override { return m_exec.now(); }
  void idle_until(Cycle to, IrqSink& sink) override {
    m_exec.execute(Step::idle(to - m_exec.now()));
    Device& model = m_exec.model();
    // One hop per event: the lazy model is brought to each edge its outputs may change at.
    for (Cycle e = model.next_event(m_scanned); e <= to; e = model.next_event(e)) {
      m_exec.advance_model(e);  // a line model hears the output pins of each edge on the way
      sink.irq_at(e, model.irq());
    }
    m_scanned = to;
  }
  StepResult access(const Step& step, IrqSink& sink) override {
    const StepResult r = m_exec.execute(step);
    m_scanned = m_exec.now();
    sink.irq_at(m_scanned, m_exec.irq());
    return r;
  }
  Cycle next_change() override { return m_exec.model().next_event(m_scanned); }
  uint32_t irq() override { return m_exec.irq(); }
  std::optional<uint64_t> peek(uint64_t addr, unsigned size) override {
    return peek_model(m_binding, m_exec.model(), m_exec.pin_source(), m_exec.now(), addr, size, m_peek);
  }
  std::vector<uint8_t> model_state() override {
    StateWriter w;
    m_exec.model().save(w);
    return w.bytes;
  }

 private:
  const DeviceBinding& m_binding;
  ModelExecutor m_exec;
  std::unique_ptr<TlmDmaPort> m_port;
  PeekDmaPort m_peek;
  Cycle m_scanned = 0;  // edges up to here have had their interrupt changes reported
};

// ---------------------------------------------------------------------------- RTL alone

// The RTL must be clocked to show what it does: next_change() is the next edge, so the target
// wakes once per clock period, as any cycle-based RTL model in SystemC does.
class RtlSide final : public DeviceSide {
 public:
  RtlSide(const DeviceBinding& binding, TlmMemoryBridge* memory, const RtlOptions& rtl)
      : m_exec(binding, rtl), m_memory(has_dma(binding) ? memory : nullptr) {
    if (m_memory) m_exec.memory().set_source(m_memory);
  }
  Cycle now() const override { return m_exec.now(); }
  void idle_until(Cycle to, IrqSink& sink) override {
    run(Step::idle(to - m_exec.now()));
    for (const IrqChange& c : m_exec.rtl().irq_log()) sink.irq_at(c.cycle, c.value);
  }
  StepResult access(const Step& step, IrqSink& sink) override {
    const StepResult r = run(step);
    sink.irq_at(m_exec.now(), m_exec.irq());
    return r;
  }
  Cycle next_change() override { return m_exec.now() + 1; }
  uint32_t irq() override { return m_exec.irq(); }
  std::optional<uint64_t> peek(uint64_t, unsigned) override { return std::nullopt; }
  std::vector<uint8_t> model_state() override { return {}; }

 private:
  StepResult run(const Step& step) {
    if (m_memory) m_memory->begin_step(m_exec.now());
    const StepResult r = m_exec.execute(step);
    if (m_memory) m_memory->end_step(m_exec.memory(), {&m_exec.memory()}, m_exec.now());
    return r;
  }

  RtlExecutor m_exec;
  TlmMemoryBridge* m_memory;
};

// ---------------------------------------------------------------------------- lockstep

// Guest memory as a replay of the run would hold it, so that what the platform's memory holds
// when the device first reads a page becomes mem_write steps of the executed program only
// where it differs: the program then reproduces the run in `tandem replay`.
class ReplayMemory {
 public:
  void fetched(uint64_t base, const uint8_t* bytes, size_t n, Program& out) {
    for (size_t at = 0; at < n; at += 8) {
      uint64_t want = 0;
      for (unsigned k = 0; k < 8; ++k) want |= uint64_t(bytes[at + k]) << (8 * k);
      if (m_memory.read(base + at, 8) == want) continue;
      m_memory.write(base + at, want, 8);
      out.push_back(Step::mem_write(base + at, want, 8));
    }
  }
  void written(uint64_t base, const uint8_t* bytes, size_t n) { m_memory.write_bytes(base, bytes, n); }

 private:
  GuestMemory m_memory;
};

class LockstepSide final : public DeviceSide {
 public:
  LockstepSide(const DeviceBinding& binding, TlmMemoryBridge* memory, const RtlOptions& rtl, const WaiverSet* waivers)
      : m_binding(binding), m_engine(binding, options(rtl, waivers)), m_memory(has_dma(binding) ? memory : nullptr),
        m_peek(memory, rtl.mem_latency) {
    if (!m_memory) return;
    m_memory->on_fill = [this](uint64_t base, const uint8_t* bytes, size_t n) {
      m_replay.fetched(base, bytes, n, m_pending);
    };
    m_memory->on_write_back = [this](uint64_t base, const uint8_t* bytes, size_t n) {
      m_replay.written(base, bytes, n);
    };
    m_engine.rtl_memory().set_source(m_memory);
    m_engine.model_memory().set_source(m_memory);
  }
  ~LockstepSide() override {
    if (m_memory) m_memory->on_fill = m_memory->on_write_back = nullptr;
  }
  Cycle now() const override { return m_engine.now(); }
  // Idle in hops to the model's events: lockstep checks every edge between them, and the
  // RTL's lines (the answer) are read at each event.
  void idle_until(Cycle to, IrqSink& sink) override {
    while (m_engine.now() < to && !m_engine.diverged()) {
      const Cycle e = std::min(m_engine.model().next_event(m_engine.now()), to);
      run(Step::idle(e - m_engine.now()));
      sink.irq_at(m_engine.now(), m_engine.irq());
    }
  }
  StepResult access(const Step& step, IrqSink& sink) override {
    const StepResult r = run(step);
    sink.irq_at(m_engine.now(), m_engine.irq());
    return r;
  }
  Cycle next_change() override { return m_engine.model().next_event(m_engine.now()); }
  uint32_t irq() override { return m_engine.irq(); }
  // The model's view: lockstep has checked it equals the RTL's up to here.
  std::optional<uint64_t> peek(uint64_t addr, unsigned size) override {
    return peek_model(m_binding, m_engine.model(), m_engine.pins(), m_engine.now(), addr, size, m_peek);
  }
  std::vector<uint8_t> model_state() override {
    StateWriter w;
    m_engine.model().save(w);
    return w.bytes;
  }
  Lockstep* lockstep() override { return &m_engine; }
  const StepLog* history() const override { return &m_history; }

 private:
  static LockstepOptions options(const RtlOptions& rtl, const WaiverSet* waivers) {
    LockstepOptions o;
    o.rtl = rtl;
    o.waivers = waivers;
    return o;
  }
  StepResult run(const Step& step) {
    if (m_memory) m_memory->begin_step(m_engine.now());
    const StepResult r = m_engine.execute(step);
    if (m_memory) {
      // The pages the step read first go before it: a replay sees them when the step begins.
      m_history.append(m_pending.begin(), m_pending.end());
      m_pending.clear();
      m_memory->end_step(m_engine.rtl_memory(), {&m_engine.rtl_memory(), &m_engine.model_memory()}, m_engine.now());
    }
    m_history.append(step);
    return r;
  }

  const DeviceBinding& m_binding;
  Lockstep m_engine;
  TlmMemoryBridge* m_memory;
  PeekDmaPort m_peek;
  ReplayMemory m_replay;
  Program m_pending;
  StepLog m_history;
};

// ---------------------------------------------------------------------------- after a divergence

class FollowSide final : public DeviceSide {
 public:
  FollowSide(const DeviceBinding& binding, TlmMemoryBridge* memory, const RtlOptions& rtl, const Program& history,
             std::function<void(const Divergence&)> diverged)
      : m_binding(binding), m_rtl(binding, rtl), m_model(binding, rtl.mem_latency),
        m_memory(has_dma(binding) ? memory : nullptr), m_peek(memory, rtl.mem_latency),
        m_diverged(std::move(diverged)) {
    for (const Step& s : history) {
      m_rtl.execute(s);
      m_model.execute(s);
      catch_up_model();
    }
    if (m_memory) {
      m_rtl.memory().set_source(m_memory);
      m_model.memory().set_source(m_memory);
    }
    m_model_irq = m_model.irq();
    m_step = history.size();
  }
  Cycle now() const override { return m_rtl.now(); }
  void idle_until(Cycle to, IrqSink& sink) override {
    run(Step::idle(to - m_rtl.now()));
    for (const IrqChange& c : m_rtl.rtl().irq_log()) sink.irq_at(c.cycle, c.value);
  }
  StepResult access(const Step& step, IrqSink& sink) override {
    const StepResult r = run(step);
    sink.irq_at(m_rtl.now(), m_rtl.irq());
    return r;
  }
  Cycle next_change() override { return m_rtl.now() + 1; }
  uint32_t irq() override { return m_rtl.irq(); }
  std::optional<uint64_t> peek(uint64_t addr, unsigned size) override {
    return peek_model(m_binding, m_model.model(), m_model.pin_source(), m_model.now(), addr, size, m_peek);
  }
  std::vector<uint8_t> model_state() override {
    StateWriter w;
    m_model.model().save(w);
    return w.bytes;
  }

 private:
  // The model's clock follows the RTL's: its accesses may take fewer edges than the RTL's.
  void catch_up_model() {
    if (m_model.now() < m_rtl.now()) m_model.execute(Step::idle(m_rtl.now() - m_model.now()));
  }
  StepResult run(const Step& step) {
    if (m_memory) m_memory->begin_step(m_rtl.now());
    const StepResult r = m_rtl.execute(step);
    const StepResult m = m_model.execute(step);
    catch_up_model();
    if (m_memory) m_memory->end_step(m_rtl.memory(), {&m_rtl.memory(), &m_model.memory()}, m_rtl.now());
    compare(step, r, m);
    ++m_step;
    return r;
  }
  void compare(const Step& step, const StepResult& r, const StepResult& m) {
    const bool access = step.kind == StepKind::read || step.kind == StepKind::write;
    if (access && r.error != m.error)
      report(step.kind == StepKind::read ? DivergenceKind::read_error : DivergenceKind::write_error,
             m_binding.regmap.name_at(step.addr), r.error, m.error);
    else if (step.kind == StepKind::read && !r.error && r.data != m.data)
      report(DivergenceKind::read_data, m_binding.regmap.name_at(step.addr), r.data, m.data);
    const uint32_t rl = m_rtl.irq(), ml = m_model.irq();
    if (rl != ml && (rl != m_rtl_irq || ml != m_model_irq))
      report(DivergenceKind::irq, m_binding.irq_line_name(rl ^ ml), rl, ml);
    m_rtl_irq = rl;
    m_model_irq = ml;
  }
  void report(DivergenceKind kind, std::string reg, uint64_t rtl, uint64_t model) {
    Divergence d;
    d.kind = kind;
    d.step = m_step;
    d.cycle = m_rtl.now();
    d.reg = std::move(reg);
    d.rtl = rtl;
    d.model = model;
    d.detail = fmt::format("after an earlier divergence, following the RTL: {} differs at {}", kind_name(kind), d.reg);
    m_diverged(d);
  }

  const DeviceBinding& m_binding;
  RtlExecutor m_rtl;
  ModelExecutor m_model;
  TlmMemoryBridge* m_memory;
  PeekDmaPort m_peek;
  std::function<void(const Divergence&)> m_diverged;
  uint32_t m_rtl_irq = 0, m_model_irq = 0;  // the lines after the last step: a standing difference counts once
  uint64_t m_step = 0;
};

}  // namespace

std::optional<uint64_t> peek_model(const DeviceBinding& binding, const Device& live, const PinSource* pins, Cycle now,
                                   uint64_t addr, unsigned size, DmaPort& port) {
  StateWriter saved;
  live.save(saved);
  const BeatList beats = split_access(addr, size, binding.data_bytes());
  uint64_t value = 0;
  for (unsigned i = 0; i < beats.count; ++i) {
    const Beat& b = beats.beats[i];
    if (pins && pins->has_window() && pins->serves(b.addr)) return std::nullopt;
    // A fresh copy per beat: one beat's read side effects must not show in the next.
    std::unique_ptr<Device> copy = binding.make_model();
    copy->attach_dma(&port);
    copy->attach_pins(pins);
    StateReader in(saved.bytes);
    if (!copy->restore(in).empty()) return std::nullopt;
    const BusResponse r = copy->read(b.addr, b.size, now + 1);
    if (r.error) return std::nullopt;
    value |= (r.data & size_mask(b.size)) << b.shift;
  }
  return value;
}

std::unique_ptr<DeviceSide> make_model_side(const DeviceBinding& binding, TlmMemoryBridge* memory,
                                            const RtlOptions& rtl) {
  return std::make_unique<ModelSide>(binding, memory, rtl);
}
std::unique_ptr<DeviceSide> make_rtl_side(const DeviceBinding& binding, TlmMemoryBridge* memory,
                                          const RtlOptions& rtl) {
  return std::make_unique<RtlSide>(binding, memory, rtl);
}
std::unique_ptr<DeviceSide> make_lockstep_side(const DeviceBinding& binding, TlmMemoryBridge* memory,
                                               const RtlOptions& rtl, const WaiverSet* waivers) {
  return std::make_unique<LockstepSide>(binding, memory, rtl, waivers);
}
std::unique_ptr<DeviceSide> make_follow_side(const DeviceBinding& binding, TlmMemoryBridge* memory,
                                             const RtlOptions& rtl, const Program& history,
                                             std::function<void(const Divergence&)> diverged) {
  return std::make_unique<FollowSide>(binding, memory, rtl, history, std::move(diverged));
}

}  // namespace tandem
