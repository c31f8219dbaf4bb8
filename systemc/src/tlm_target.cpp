// The TLM-2.0 target: payloads to steps on the side the mode chose, SystemC time to device edges,
// interrupt lines driven at the time of their edge, divergences reported and followed.
#include "tandem/tlm_target.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "payload_steps.h"
#include "tandem/error.h"
#include "tandem/executor.h"
#include "tandem/replay.h"
#include "tandem/report.h"
#include "tandem/waiver_file.h"
#include "tlm_memory.h"
#include "tlm_sides.h"

namespace tandem {

namespace {
constexpr const char* kDivergenceId = "tandem/divergence";

uint64_t payload_value(const unsigned char* data, unsigned size) {
  uint64_t v = 0;
  std::memcpy(&v, data, size);  // little-endian host (tlm_memory.cpp)
  return v;
}

// Queues the lines a side reports, once per change. The side's word carries the device's
// output pins after its interrupt lines (docs/pins.md): only the lines are kept.
class IrqQueue final : public IrqSink {
 public:
  IrqQueue(std::deque<std::pair<Cycle, uint32_t>>& due, uint32_t& last, uint32_t mask)
      : m_due(due), m_last(last), m_mask(mask) {}
  void irq_at(Cycle edge, uint32_t word) override {
    const uint32_t lines = word & m_mask;
    if (lines == m_last) return;
    m_last = lines;
    m_due.emplace_back(edge, lines);
  }

 private:
  std::deque<std::pair<Cycle, uint32_t>>& m_due;
  uint32_t& m_last;
  uint32_t m_mask;
};
}  // namespace

// A hole of the register map is an address the device does not decode: an access that covers
// one answers an address error; an error of a mapped register is the device's own.
bool TlmTarget::covers_hole(uint64_t addr, unsigned size) const {
  const BeatList beats = split_access(addr, size, m_binding.data_bytes());
  for (unsigned i = 0; i < beats.count; ++i)
    if (!m_binding.regmap.find(beats.beats[i].addr)) return true;
  return false;
}

const char* tlm_mode_name(TlmMode mode) {
  switch (mode) {
    case TlmMode::model: return "model";
    case TlmMode::rtl: return "rtl";
    case TlmMode::lockstep: return "lockstep";
  }
  return "?";
}

std::optional<TlmMode> parse_tlm_mode(const std::string& name) {
  for (TlmMode m : {TlmMode::model, TlmMode::rtl, TlmMode::lockstep})
    if (name == tlm_mode_name(m)) return m;
  return std::nullopt;
}

const char* policy_name(DivergencePolicy policy) { return policy == DivergencePolicy::stop ? "stop" : "follow_rtl"; }

std::optional<DivergencePolicy> parse_policy(const std::string& name) {
  for (DivergencePolicy p : {DivergencePolicy::stop, DivergencePolicy::follow_rtl})
    if (name == policy_name(p)) return p;
  return std::nullopt;
}

TlmTarget::TlmTarget(sc_core::sc_module_name name, const DeviceBinding& binding, const TlmTargetOptions& options)
    : sc_core::sc_module(name), socket("socket"), dma_socket("dma_socket"),
      irq("irq", std::max<size_t>(1, binding.hints.irq_lines.size())), m_binding(binding), m_options(options),
      m_period(options.clock_period.value()) {
  if (m_period == 0) throw Error(fmt::format("{}: the clock period must be longer than zero", this->name()));
  // As on the command line: a binding's expired waiver is an error (a file's is refused when loaded).
  const std::string today = today_utc();
  for (const Waiver& w : binding.waivers.waivers)
    if (!w.expires.empty() && w.expires < today)
      throw Error(fmt::format("{}: waiver expired on {} (today is {}): {}", w.where, w.expires, today, w.reason));
  m_waivers = binding.waivers;
  add_waivers(m_waivers, options.waivers);
  socket.register_b_transport(this, &TlmTarget::b_transport);
  socket.register_transport_dbg(this, &TlmTarget::transport_dbg);
  m_memory = std::make_unique<TlmMemoryBridge>(
      dma_socket, [this](Cycle edge) { return time_of(edge); }, this->name());
  switch (options.mode) {
    case TlmMode::model: m_side = make_model_side(binding, m_memory.get(), options.rtl); break;
    case TlmMode::rtl: m_side = make_rtl_side(binding, m_memory.get(), options.rtl); break;
    case TlmMode::lockstep: m_side = make_lockstep_side(binding, m_memory.get(), options.rtl, &m_waivers); break;
  }
  m_start = m_side->now();
  const size_t lines = binding.hints.irq_lines.size();
  m_irq_mask = binding.hints.pins.empty() || lines >= 32 ? ~uint32_t(0) : (uint32_t(1) << lines) - 1;
  m_irq_last = m_side->irq() & m_irq_mask;
  // The policy decides what follows a divergence: the report itself must not throw.
  sc_core::sc_report_handler::set_actions(kDivergenceId, sc_core::SC_ERROR,
                                          sc_core::SC_DISPLAY | sc_core::SC_CACHE_REPORT);
  SC_HAS_PROCESS(TlmTarget);
  SC_METHOD(wake);
  sensitive << m_wake;
}

TlmTarget::~TlmTarget() = default;

void TlmTarget::end_of_elaboration() {
  for (size_t i = 0; i < irq.size(); ++i) irq[i].initialize(((m_irq_last >> i) & 1) != 0);
}

Cycle TlmTarget::device_cycle() const { return m_side->now(); }

sc_core::sc_time TlmTarget::time_of(Cycle edge) const {
  return sc_core::sc_time::from_value(edge > m_start ? (edge - m_start) * m_period : 0);
}

Cycle TlmTarget::edge_at_or_after(const sc_core::sc_time& t) const {
  return m_start + (t.value() + m_period - 1) / m_period;
}

Cycle TlmTarget::edge_at_or_before(const sc_core::sc_time& t) const { return m_start + t.value() / m_period; }

Stats TlmTarget::lockstep_stats() const {
  Lockstep* l = m_side->lockstep();
  return l ? l->stats() : Stats{};
}

std::vector<WaiverUse> TlmTarget::waived() const {
  const Lockstep* l = m_side->lockstep();
  return l ? l->waived() : m_waived_in_lockstep;
}

Program TlmTarget::history() const {
  const StepLog* h = m_side->history();
  return h ? h->program() : Program{};
}

std::vector<uint8_t> TlmTarget::model_state() const { return m_side->model_state(); }

bool TlmTarget::in_window(const PayloadPiece& p) const {
  return p.addr < m_binding.addr_limit() && p.size <= m_binding.addr_limit() - p.addr;
}

void TlmTarget::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  std::vector<PayloadPiece>& pieces = m_pieces;  // kept: no allocation per transaction
  if (m_stopped || !payload_pieces(trans, pieces)) {
    trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  if (trans.get_command() == tlm::TLM_IGNORE_COMMAND) return;
  for (const PayloadPiece& p : pieces)
    if (!in_window(p)) {
      trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
  IrqQueue sink(m_irq_due, m_irq_last, m_irq_mask);
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  // The transaction starts at its annotated time, or when the device is free.
  const Cycle start = edge_at_or_after(now + delay);
  if (start > m_side->now()) {
    m_side->idle_until(start, sink);
    after_step();
  }
  run_pieces(trans, sink);
  const sc_core::sc_time done = time_of(m_side->now());
  delay = done > now ? done - now : sc_core::SC_ZERO_TIME;
  rearm();
}

// In order, up to the first error (the accesses before it took effect).
void TlmTarget::run_pieces(tlm::tlm_generic_payload& trans, IrqSink& sink) {
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  unsigned char* data = trans.get_data_ptr();
  for (const PayloadPiece& p : m_pieces) {
    if (m_stopped) break;
    const uint8_t size = static_cast<uint8_t>(p.size);
    const Step step = write ? Step::write(p.addr, payload_value(data + p.index, size), size) : Step::read(p.addr, size);
    const StepResult r = m_side->access(step, sink);
    if (!write) std::memcpy(data + p.index, &r.data, size);
    after_step();
    if (r.error) {
      trans.set_response_status(covers_hole(p.addr, size) ? tlm::TLM_ADDRESS_ERROR_RESPONSE
                                                          : tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
  }
}

// Reads only, each answered by a copy of the model (the live device keeps its state, time and
// read side effects); writes, and any read in RTL mode, transfer nothing (0 is returned).
unsigned int TlmTarget::transport_dbg(tlm::tlm_generic_payload& trans) {
  std::vector<PayloadPiece> pieces;
  if (trans.get_command() != tlm::TLM_READ_COMMAND || !payload_pieces(trans, pieces)) return 0;
  unsigned done = 0;
  for (const PayloadPiece& p : pieces) {
    if (!in_window(p)) break;
    const std::optional<uint64_t> v = m_side->peek(p.addr, p.size);
    if (!v) break;
    std::memcpy(trans.get_data_ptr() + p.index, &*v, p.size);
    done += p.size;
  }
  return done;
}

void TlmTarget::wake() {
  const Cycle edge = edge_at_or_before(sc_core::sc_time_stamp());
  if (!m_stopped && m_side->now() < edge) {
    IrqQueue sink(m_irq_due, m_irq_last, m_irq_mask);
    m_side->idle_until(edge, sink);
    after_step();
  }
  bool changed = false;
  uint32_t lines = 0;
  while (!m_irq_due.empty() && m_irq_due.front().first <= edge) {
    lines = m_irq_due.front().second;
    m_irq_due.pop_front();
    changed = true;
  }
  if (changed)
    for (size_t i = 0; i < irq.size(); ++i) irq[i].write(((lines >> i) & 1) != 0);
  rearm();
}

// One notification, at the earliest of the next queued line change and the side's next event:
// sc_event keeps the earliest, so a transaction that brings either closer re-arms it.
void TlmTarget::rearm() {
  Cycle next = m_irq_due.empty() ? kNever : m_irq_due.front().first;
  if (!m_stopped) next = std::min(next, m_side->next_change());
  if (next == kNever) return;
  const sc_core::sc_time at = time_of(next), now = sc_core::sc_time_stamp();
  m_wake.notify(at > now ? at - now : sc_core::SC_ZERO_TIME);
}

void TlmTarget::after_step() {
  Lockstep* l = m_side->lockstep();
  if (!l || !l->diverged() || m_first) return;
  report_divergence();
}

std::string TlmTarget::write_reproducer(Divergence& d) {
  const Program program = m_side->history()->program();
  // The record names the step in the executed program (the reproducer before shrinking).
  d.step = program.empty() ? 0 : program.size() - 1;
  const size_t n = std::min<size_t>(program.size(), 12);
  d.recent.assign(program.end() - static_cast<std::ptrdiff_t>(n), program.end());
  try {
    std::error_code ec;
    std::filesystem::create_directories(m_options.replay_dir, ec);
    const std::string path = fmt::format("{}/{}-{}.replay", m_options.replay_dir.empty() ? "." : m_options.replay_dir,
                                         basename(), m_binding.name);
    ShrinkOptions options = m_options.shrink;
    options.lockstep.rtl = m_options.rtl;   // the memory latency the run had
    options.lockstep.waivers = &m_waivers;  // the target is the first divergence no waiver took
    const ShrinkResult shrink = shrink_program(m_binding, program, options);
    const std::string origin =
        fmt::format("found by: SystemC target {} at {}: {} divergence at register {}, step {}, cycle {}", name(),
                    sc_core::sc_time_stamp().to_string(), kind_name(d.kind), d.reg, d.step, d.cycle);
    write_replay(path, m_binding.name, shrink.reproduced ? shrink.program : program, reproducer_notes(shrink, origin));
    return path;
  } catch (const Error& e) {
    SC_REPORT_WARNING(kDivergenceId, fmt::format("{}: no reproducer written: {}", name(), e.what()).c_str());
    return "";
  }
}

void TlmTarget::report_divergence() {
  Divergence d = *m_side->lockstep()->divergence();
  d.replay = write_reproducer(d);
  m_first = d;
  ++m_divergences;
  SC_REPORT_ERROR(kDivergenceId, (std::string(name()) + ": " + format_divergence(d, m_binding)).c_str());
  if (m_options.policy == DivergencePolicy::stop) {
    m_stopped = true;
    sc_core::sc_stop();
    return;
  }
  follow_rtl_after_divergence();
}

void TlmTarget::follow_rtl_after_divergence() {
  // Each distinct (kind, register) is reported once; every one is counted.
  m_waived_in_lockstep = m_side->lockstep()->waived();
  auto distinct = std::make_shared<std::vector<std::string>>();
  distinct->push_back(fmt::format("{} {}", kind_name(m_first->kind), m_first->reg));
  m_side = make_follow_side(
      m_binding, m_memory.get(), m_options.rtl, m_side->history()->program(), [this, distinct](const Divergence& d) {
        ++m_divergences;
        const std::string key = fmt::format("{} {}", kind_name(d.kind), d.reg);
        if (std::find(distinct->begin(), distinct->end(), key) != distinct->end()) return;
        distinct->push_back(key);
        SC_REPORT_WARNING(kDivergenceId, (std::string(name()) + ": " + format_divergence(d, m_binding)).c_str());
      });
}

void TlmTarget::end_of_simulation() {
  Lockstep* l = m_side->lockstep();
  if (!l || l->diverged()) return;
  l->finish();
  after_step();
}

}  // namespace tandem
