// Checkpoints of lockstep runs between steps: the RTL side's bridge state and --savable image,
// the model's saved state, guest memories, pending logs and the comparison state.
#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/lockstep.h"
#include "tandem/pins.h"

namespace tandem {

namespace {

// Sections after the engine's fixed part, each a tag and a blob; a checkpoint written before
// a section existed simply ends earlier.
constexpr uint32_t kPinsSection = 0x534e4950;  // "PINS": the line model's state (PinSource::save)

void put_log(StateWriter& out, const std::vector<DmaAccess>& log) {
  out.u64(log.size());
  for (const DmaAccess& a : log) {
    out.u64(a.cycle);
    out.u64(a.addr);
    out.u64(a.data);
    out.u8(a.size);
    out.u8(a.write);
  }
}
bool get_log(StateReader& in, std::vector<DmaAccess>& log) {
  uint64_t n = 0;
  if (!in.u64(n) || n > (uint64_t(1) << 24)) return false;
  log.assign(n, {});
  for (DmaAccess& a : log) {
    uint8_t w = 0;
    if (!in.u64(a.cycle) || !in.u64(a.addr) || !in.u64(a.data) || !in.u8(a.size) || !in.u8(w)) return false;
    a.write = w != 0;
  }
  return true;
}

void put_step(StateWriter& out, const Step& s) {
  out.u8(static_cast<uint8_t>(s.kind));
  out.u8(s.size);
  out.u64(s.addr);
  out.u64(s.data);
  out.u8(s.expect.has_value());
  out.u64(s.expect.value_or(0));
}
bool get_step(StateReader& in, Step& s) {
  uint8_t kind = 0, has = 0;
  uint64_t expect = 0;
  if (!in.u8(kind) || !in.u8(s.size) || !in.u64(s.addr) || !in.u64(s.data) || !in.u8(has) || !in.u64(expect))
    return false;
  if (kind > static_cast<uint8_t>(StepKind::mem_write)) return false;
  s.kind = static_cast<StepKind>(kind);
  if (has) s.expect = expect;
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------- RTL side

void RtlTarget::save(StateWriter&) const {
  throw Error(fmt::format("the {} RTL target was not verilated with --savable: no checkpoint", bus_name()));
}
std::string RtlTarget::restore(StateReader&) { return "rtl: this RTL was not verilated with --savable"; }

void RtlTarget::save_base(StateWriter& out) const {
  out.u64(m_now);
  out.u32(m_irq);
  out.u64(m_irq_log.size());
  for (const IrqChange& c : m_irq_log) {
    out.u64(c.cycle);
    out.u32(c.value);
  }
  put_log(out, m_dma_log);
  m_memory.save(out);
}

std::string RtlTarget::restore_base(StateReader& in) {
  uint64_t n = 0;
  if (!in.u64(m_now) || !in.u32(m_irq) || !in.u64(n) || n > (uint64_t(1) << 24)) return "rtl: truncated";
  m_irq_log.assign(n, {});
  for (IrqChange& c : m_irq_log)
    if (!in.u64(c.cycle) || !in.u32(c.value)) return "rtl: interrupt log truncated";
  if (!get_log(in, m_dma_log)) return "rtl: DMA log truncated";
  if (!m_memory.restore(in)) return "rtl: guest memory malformed";
  return "";
}

// ---------------------------------------------------------------------------- lockstep

void Lockstep::save_checkpoint(StateWriter& out) const {
  if (m_divergence) throw Error("lockstep: no checkpoint of a run that has diverged");
  m_rtl->save(out);
  StateWriter model;
  m_model->save(model);
  put_blob(out, model.bytes);
  m_model_memory.save(out);
  put_log(out, m_model_port.log());
  for (uint64_t v :
       {m_stats.steps, m_stats.cycles, m_stats.reads, m_stats.writes, stats().irq_checks, m_stats.dma_accesses})
    out.u64(v);
  out.u64(m_irq_now);
  out.u32(m_rtl_irq);
  out.u32(m_model_irq);
  out.u64(m_log_pos);
  out.u64(m_mismatch_since);
  // Oldest first from index 0 (a ring whose head is 0).
  const std::vector<Step> recent = recent_steps();
  out.u64(recent.size());
  for (const Step& s : recent) put_step(out, s);
  out.u64(0);
  if (const std::vector<uint8_t> pins = save_pin_source(m_pins.get()); !pins.empty()) {
    out.u32(kPinsSection);
    put_blob(out, pins);
  }
}

std::string Lockstep::restore_checkpoint(StateReader& in) {
  if (std::string why = m_rtl->restore(in); !why.empty()) return why;
  std::vector<uint8_t> model;
  if (!get_blob(in, model, uint64_t(1) << 30)) return "model: truncated";
  if (const std::string why = load_model_state(model); !why.empty()) return "model: " + why;
  if (!m_model_memory.restore(in)) return "model guest memory: malformed";
  if (!get_log(in, m_model_port.log())) return "model DMA log: truncated";
  Stats s;
  uint64_t log_pos = 0, recent = 0, head = 0, irq_now = 0;
  if (!in.u64(s.steps) || !in.u64(s.cycles) || !in.u64(s.reads) || !in.u64(s.writes) || !in.u64(s.irq_checks) ||
      !in.u64(s.dma_accesses) || !in.u64(irq_now) || !in.u32(m_rtl_irq) || !in.u32(m_model_irq) || !in.u64(log_pos) ||
      !in.u64(m_mismatch_since) || !in.u64(recent) || recent > m_options.recent_steps)
    return "engine: truncated";
  if (log_pos > m_rtl->irq_log().size()) return "engine: interrupt log position beyond the log";
  m_stats = s;
  m_irq_now = irq_now;
  m_irq_counted = irq_now;
  m_log_pos = static_cast<size_t>(log_pos);
  m_irq_deadline = m_mismatch_since == kNever ? kNever : m_mismatch_since + m_binding.hints.irq_tolerance;
  std::vector<Step> ring(recent);
  for (Step& st : ring)
    if (!get_step(in, st)) return "engine: recent steps truncated";
  if (!in.u64(head) || (recent > 0 && head >= recent) || (recent == 0 && head != 0)) return "engine: recent steps head";
  // The saved ring starts at `head`; replay it oldest first.
  m_recent_count = 0;
  for (uint64_t i = 0; i < recent; ++i) remember(ring[(head + i) % recent]);
  if (!in.at_end()) {
    uint32_t tag = 0;
    std::vector<uint8_t> pins;
    if (!in.u32(tag) || tag != kPinsSection) return "engine: trailing bytes";
    if (!get_blob(in, pins, uint64_t(1) << 30)) return "pins: truncated";
    if (std::string why = restore_pin_source(m_pins.get(), pins); !why.empty()) return why;
  }
  if (!in.at_end()) return "engine: trailing bytes";
  // A used engine carries on from the checkpoint too (ProgramRunner): its divergence is not
  // left over. (Checkpoints carry no waiver state: --waivers and --keep-going refuse them.)
  m_divergence.reset();
  expect_dma();  // the restored logs stand at the same position; nothing matched yet
  return "";
}

}  // namespace tandem
