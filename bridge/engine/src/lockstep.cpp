// Lockstep engine: both sides execute the same step; compare answers, then interrupt lines
// at every edge (event-driven on the model side, change-logged on the RTL side), then the
// DMA accesses both sides have made so far, in order.
#include "tandem/lockstep.h"

#include <algorithm>
#include <typeinfo>

#include <fmt/format.h>

#include "tandem/access_checks.h"
#include "tandem/error.h"
#include "tandem/lockstep_fast.h"
#include "tandem/lockstep_observer.h"
#include "tolerance.h"

namespace tandem {

using detail::check_step;
using detail::one_beat_access;
using detail::to_bus_beat;

namespace {
// m_mismatch_since while every differing line is waived (m_irq_deadline is kNever then).
constexpr Cycle kWaivedMismatch = kNever - 1;
// A serial divergence's value for the side that sent no character there.
constexpr uint64_t kNoCharacter = 0x100;
// How far the serial comparison looks ahead to realign the streams: past characters only the
// model side sent (the RTL dropped them: without FIFOs every THR write while THRE is 0 replaces
// the waiting character, so any number can go), and past characters only the RTL sent (what a
// 16550's FIFO and holding register can hold).
constexpr size_t kSerialDropped = 4096;
constexpr size_t kSerialResync = 17;

std::unique_ptr<RtlTarget> make_rtl_side(const DeviceBinding& binding, const LockstepOptions& options) {
  if (!options.savable_rtl) return binding.make_rtl(options.rtl);
  if (!binding.make_savable_rtl)
    throw Error(
        fmt::format("device '{}': this build has no --savable RTL of it (built with TANDEM_CHECKPOINT=OFF "
                    "or NO_CHECKPOINT): no checkpoints",
                    binding.name));
  return binding.make_savable_rtl(options.rtl);
}
}  // namespace

CycleBudgetError::CycleBudgetError(uint64_t step_index, Cycle at, uint64_t n, uint64_t limit)
    : Error(n == 0 ? fmt::format("step {}: the RTL stands at cycle {}, past the budget of {} RTL cycles (--max-cycles)",
                                 step_index, at, limit)
                   : fmt::format("step {}: {} cycles from cycle {} would pass the budget of {} RTL cycles "
                                 "(--max-cycles)",
                                 step_index, n, at, limit)),
      step(step_index), now(at), cycles(n), budget(limit) {}

Lockstep::Lockstep(const DeviceBinding& binding, const LockstepOptions& options)
    : m_binding(binding), m_pins(make_pin_source(binding)), m_rtl(make_rtl_side(binding, options)),
      m_model_port(m_model_memory, options.rtl.mem_latency, true), m_model(binding.make_model()), m_options(options),
      m_bus_bytes(binding.data_bytes()), m_min_edges(m_rtl->min_edges()), m_addr_limit(binding.addr_limit()) {
  set_interrupt_lines(binding.hints.irq_lines.size(), !binding.hints.pins.empty());
  if (m_rtl->data_bytes() != m_bus_bytes)
    throw Error(fmt::format("device '{}': binding declares a {}-bit bus, the RTL has {} bits", binding.name,
                            binding.data_width, 8 * m_rtl->data_bytes()));
  if (m_min_edges != binding.access_edges)
    throw Error(fmt::format("device '{}': binding declares {} edges per bus transfer, the {} driver takes {}",
                            binding.name, binding.access_edges, m_rtl->bus_name(), m_min_edges));
  size_t ring = 1;
  while (ring < m_options.recent_steps) ring *= 2;
  m_recent.resize(ring);
  m_recent_mask = ring - 1;
  if (options.waivers && options.waivers->applies_to(binding.name))
    m_waivers = std::make_unique<WaiverMatcher>(*options.waivers, binding);
  if (Tolerances::declared_by(options.waivers, binding))
    m_tolerances = std::make_unique<Tolerances>(options.waivers ? *options.waivers : WaiverSet{}, binding);
  m_feed = m_pins && m_pins->feeds_serial() && m_model->receives_serial();
  if (m_pins && m_pins->decodes_serial() && m_model->sends_serial()) {
    m_serial = true;
    m_serial_pin = "serial";  // the first watched pin names the stream
    for (const PinHint& pin : binding.hints.pins)
      if (pin.direction == PinDirection::watch) {
        m_serial_pin = pin.name;
        break;
      }
  }
  configure_for_model();
  expect_dma();
  m_model->attach_dma(&m_model_port);
  m_model_keeps_memory = m_model->keeps_guest_memory();
  if (m_model_keeps_memory) m_model_memory.set_source(&m_model_ram);
  if (m_pins) {
    m_rtl->attach_pins(m_pins.get());
    m_model->attach_pins(m_pins.get());
  }
  m_rtl->reset(binding.hints.reset_cycles);
  m_model->reset(m_rtl->now());
  if (m_pins) m_pins->on_reset(m_rtl->now());
  m_irq_now = m_rtl->now();
  m_irq_counted = m_irq_now;
  m_rtl->irq_log().clear();
  m_rtl_irq = m_rtl->irq();
  m_model_irq = m_model->irq();
  check_irq(m_irq_now);
}

Lockstep::~Lockstep() = default;

// An observer records every beat, a model that declares wait states has them compared and a
// waiver condition follows every write: all take access(), so the short path's window is
// empty for them; which step path runs (choose_step_path). Asked again whenever the model is
// replaced (migration, a loaded state).
void Lockstep::configure_for_model() {
  choose_step_path();
  m_model_wait_states = m_model->declares_wait_states();
  // An observer records the lines at every model edge: it gets the edge-by-edge walk.
  m_irq_events_apart = m_model->irq_events_apart() && !m_options.observer;
  const bool general = (m_waivers && m_waivers->tracks_writes()) || (m_tolerances && m_tolerances->has_settle()) ||
                       (m_pins && (m_pins->hears_writes() || m_pins->has_window())) || m_serial || m_feed;
  m_short_limit = (m_options.observer || m_model_wait_states || general) ? 0 : m_addr_limit;
  m_plain_steps = !m_serial && !m_feed && !(m_tolerances && m_tolerances->has_settle());
}

const std::vector<WaiverUse>& Lockstep::waived() const {
  static const std::vector<WaiverUse> none;
  return m_waivers ? m_waivers->uses() : none;
}

bool Lockstep::migrate_model() {
  if (m_divergence) return false;
  StateWriter saved;
  m_model->save(saved);
  std::unique_ptr<Device> fresh = m_binding.make_model();
  fresh->attach_dma(&m_model_port);
  if (m_pins) fresh->attach_pins(m_pins.get());
  StateReader in(saved.bytes);
  const std::string why = fresh->restore(in);
  if (!why.empty()) {
    const std::string field = why.substr(0, why.find(':'));
    diverge(DivergenceKind::restore, m_rtl->now(), field, 0, 0,
            fmt::format("the model refused its own saved state ({} bytes): {}", saved.bytes.size(), why));
    return false;
  }
  m_model = std::move(fresh);
  configure_for_model();
  return true;
}

std::string Lockstep::load_model_state(const std::vector<uint8_t>& state) {
  std::unique_ptr<Device> fresh = m_binding.make_model();
  fresh->attach_dma(&m_model_port);
  if (m_pins) fresh->attach_pins(m_pins.get());
  StateReader in(state);
  std::string why = fresh->restore(in);
  if (!why.empty()) return why;
  m_model = std::move(fresh);
  configure_for_model();
  m_model_irq = m_model->irq();
  return "";
}

bool Lockstep::diverge(DivergenceKind kind, Cycle cycle, std::string reg, uint64_t rtl, uint64_t model,
                       std::string detail, uint64_t addr) {
  if (m_divergence) return true;
  unmatch_dma();
  // DMA accesses are compared after each step, other things as they happen: a DMA mismatch
  // earlier in this step is the first divergence (one a waiver takes is passed over).
  if (kind != DivergenceKind::dma && !(m_rtl->dma_log().empty() && m_model_port.log().empty())) {
    while (const std::optional<DmaMismatch> m = find_dma_mismatch()) {
      const Cycle at = std::max(m_rtl->dma_log()[m->pos].cycle, m_model_port.log()[m->pos].cycle);
      if (at > cycle) break;
      if (report_dma(*m)) return true;
      drop_dma(m->pos + 1);
    }
  }
  Divergence d;
  d.kind = kind;
  d.step = m_stats.steps;
  d.cycle = cycle;
  d.reg = std::move(reg);
  d.addr = addr;
  d.rtl = rtl;
  d.model = model;
  d.detail = std::move(detail);
  d.recent = recent_steps();
  d.tolerance = m_tolerance_note;
  if (m_waivers && take_waiver(d)) return false;
  m_divergence = std::move(d);
  m_model_port.expect(nullptr, false);  // what is left in the logs stays there, in both
  // Nothing is compared after this: what is left in the DMA logs is all the observer gets.
  if (m_options.observer) observe_dma(m_rtl->dma_log().size(), m_model_port.log().size());
  return true;
}

// Only on a divergence of a run with waivers for its device: the no-waiver path never comes here.
__attribute__((noinline)) bool Lockstep::take_waiver(const Divergence& d) {
  return waivable(d.kind) && m_waivers->match(d).has_value();
}

void Lockstep::observe_dma(size_t rtl_count, size_t model_count) {
  for (size_t i = 0; i < rtl_count; ++i) m_options.observer->on_dma(true, m_rtl->dma_log()[i]);
  for (size_t i = 0; i < model_count; ++i) m_options.observer->on_dma(false, m_model_port.log()[i]);
}

__attribute__((noinline)) void Lockstep::check_irq_edge(Cycle at) {
  if (m_options.observer) m_options.observer->on_irq(at, m_rtl_irq, m_model_irq);
  if (m_rtl_irq == m_model_irq) {
    m_mismatch_since = kNever;
    m_irq_deadline = kNever;
    m_irq_waived = 0;
    if (m_tolerances) m_tolerances->clear_lines();
    return;
  }
  const uint32_t diff = m_rtl_irq ^ m_model_irq;
  if (m_irq_waived) {
    // A waived line is compared again from the first edge where both sides agree on it.
    m_irq_waived &= diff;
    if ((diff & ~m_irq_waived) == 0) {
      m_mismatch_since = m_irq_waived ? kWaivedMismatch : kNever;
      m_irq_deadline = kNever;
      return;
    }
    if (m_mismatch_since == kWaivedMismatch) m_mismatch_since = kNever;
  }
  if (m_mismatch_since == kNever) m_mismatch_since = at;
  Cycle since = m_mismatch_since;
  uint32_t line = diff & ~m_irq_waived;
  m_irq_deadline = m_mismatch_since + m_binding.hints.irq_tolerance;
  if (m_tolerances && m_tolerances->has_lines()) {  // each line against its own tolerance
    const Tolerances::IrqDeadline d = m_tolerances->irq_deadline(diff & ~m_irq_waived, m_rtl_irq, at);
    m_irq_deadline = d.deadline;
    since = d.since;
    line = d.line;
    m_tolerance_note = fmt::format("line {} still differs {} edges after edge {}: beyond its tolerance",
                                   m_binding.irq_line_name(line), at - since, since);
  }
  if (at >= m_irq_deadline) {
    const uint32_t shown = ~m_irq_waived, rtl = m_rtl_irq & shown, model = m_model_irq & shown;
    const bool pin =
        (line & ((uint64_t(1) << m_binding.hints.irq_lines.size()) - 1)) == 0 && !m_binding.hints.pins.empty();
    if (!diverge(DivergenceKind::irq, since, m_binding.irq_line_name(line), rtl, model,
                 fmt::format("{} differ from edge {}: RTL {:#x}, model {:#x}{}",
                             pin ? "output pins" : "interrupt lines", since, rtl, model,
                             pin ? fmt::format(" (pin {}, after the {} interrupt lines)", m_binding.irq_line_name(line),
                                               m_binding.hints.irq_lines.size())
                                 : ""))) {
      m_irq_waived |= diff;
      m_mismatch_since = kWaivedMismatch;
      m_irq_deadline = kNever;
    }
  }
  m_tolerance_note.clear();
}

std::optional<Lockstep::DmaMismatch> Lockstep::find_dma_mismatch() const {
  const std::vector<DmaAccess>& r = m_rtl->dma_log();
  const std::vector<DmaAccess>& m = m_model_port.log();
  const size_t n = std::min(r.size(), m.size());
  for (size_t i = 0; i < n; ++i) {
    const DmaAccess &a = r[i], &b = m[i];
    if (a.write != b.write) return DmaMismatch{i, "direction", a.write, b.write};
    if (a.size != b.size) return DmaMismatch{i, "size", a.size, b.size};
    if (a.addr != b.addr) return DmaMismatch{i, "addr", a.addr, b.addr};
    if (a.data != b.data) return DmaMismatch{i, "data", a.data, b.data};
    if (m_options.dma_cycles && a.cycle != b.cycle) return DmaMismatch{i, "cycle", a.cycle, b.cycle};
  }
  return std::nullopt;
}

// True when the mismatch is the run's divergence, false when a waiver took it.
bool Lockstep::report_dma(const DmaMismatch& mm) {
  const DmaAccess& a = m_rtl->dma_log()[mm.pos];
  const DmaAccess& b = m_model_port.log()[mm.pos];
  const uint64_t index = m_stats.dma_accesses + mm.pos;
  if (!diverge(DivergenceKind::dma, std::max(a.cycle, b.cycle), fmt::format("dma {}", mm.field), mm.rtl, mm.model,
               fmt::format("DMA access #{} differs in {}: RTL {}, model {}", index, mm.field, format_dma_access(a),
                           format_dma_access(b))))
    return false;
  m_stats.dma_accesses = index;
  return true;
}

// The model's port matched its accesses against the RTL's as it made them
// (MemoryPort::expect): those pairs are compared; retire them from the RTL's log, so both
// logs stand at the same position again.
void Lockstep::expect_dma() {
  m_model_port.expect(m_options.observer ? nullptr : &m_rtl->dma_log(), m_options.dma_cycles);
}

void Lockstep::retire_matched_dma() {
  const size_t n = m_model_port.take_matched();
  if (n == 0) return;
  m_stats.dma_accesses += n;
  std::vector<DmaAccess>& r = m_rtl->dma_log();
  r.erase(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(n));
}

// A divergence other than DMA leaves the step's pairs uncompared, as they stand in both logs:
// the matched ones go back to the model's log, as the RTL's copies (equal in all that is
// compared; a pair is only ever reported or observed once it differs, which these do not).
void Lockstep::unmatch_dma() {
  const size_t n = m_model_port.take_matched();
  if (n == 0) return;
  const std::vector<DmaAccess>& r = m_rtl->dma_log();
  std::vector<DmaAccess>& m = m_model_port.log();
  m.insert(m.begin(), r.begin(), r.begin() + static_cast<std::ptrdiff_t>(n));
}

// settle_dma's other cases: the model made fewer accesses than the RTL (only the matched part of
// the RTL's log goes), or one that did not match (the pairwise comparison).
__attribute__((noinline)) void Lockstep::settle_dma_rest() {
  std::vector<DmaAccess>& r = m_rtl->dma_log();
  if (m_model_keeps_memory || !m_model_port.log().empty()) return compare_dma();
  const size_t n = m_model_port.take_matched();  // fewer than r.size(): settle_dma took the rest
  m_stats.dma_accesses += n;
  r.erase(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(n));
}

// The first n pairs of DMA accesses are compared (or waived): out of both logs.
void Lockstep::drop_dma(size_t n) {
  if (m_options.observer) observe_dma(n, n);
  m_stats.dma_accesses += n;
  std::vector<DmaAccess>& r = m_rtl->dma_log();
  std::vector<DmaAccess>& m = m_model_port.log();
  r.erase(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(n));
  m.erase(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(n));
}

// Pairwise, as far as both sides have gone; what one side did beyond the other waits for the
// next step (or for finish()). A waived pair is passed over: the logs stay in step after it.
void Lockstep::compare_dma() {
  retire_matched_dma();
  if (m_model_keeps_memory) return forget_rtl_dma();
  while (const std::optional<DmaMismatch> mm = find_dma_mismatch()) {
    if (report_dma(*mm)) return;
    drop_dma(mm->pos + 1);
  }
  drop_dma(std::min(m_rtl->dma_log().size(), m_model_port.log().size()));
}

// A model that keeps its own guest memory makes no DMA accesses tandem sees (its device
// writes the emulator's RAM directly): the RTL's are counted, and the memory contents compared.
void Lockstep::forget_rtl_dma() {
  std::vector<DmaAccess>& r = m_rtl->dma_log();
  if (m_options.observer) observe_dma(r.size(), 0);
  m_stats.dma_accesses += r.size();
  r.clear();
}

void Lockstep::finish() {
  if (m_divergence) return;
  if (m_serial) {
    try {
      compare_serial(true);
    } catch (const ModelCrash& e) {
      diverge(DivergenceKind::crash, m_rtl->now(), "", 0, 0, e.what());
    }
    if (m_divergence) return;
  }
  compare_dma();
  if (m_divergence) return;
  const std::vector<DmaAccess>& r = m_rtl->dma_log();
  const std::vector<DmaAccess>& m = m_model_port.log();
  if (r.size() != m.size()) {
    const bool rtl_more = r.size() > m.size();
    const DmaAccess& extra = rtl_more ? r.front() : m.front();
    const bool stop = diverge(
        DivergenceKind::dma, extra.cycle, "dma count", m_stats.dma_accesses + r.size(), m_stats.dma_accesses + m.size(),
        fmt::format("the {} made {} DMA access{} more than the {}; the first is #{}: {}", rtl_more ? "RTL" : "model",
                    rtl_more ? r.size() : m.size(), (rtl_more ? r.size() : m.size()) == 1 ? "" : "es",
                    rtl_more ? "model" : "RTL", m_stats.dma_accesses, format_dma_access(extra)));
    if (stop) return;
  }
  if (m_model_keeps_memory) return finish_kept_memory();
  if (const std::optional<uint64_t> at = m_rtl->memory().first_difference(m_model_memory)) {
    const uint64_t rv = m_rtl->memory().read(*at, 1), mv = m_model_memory.read(*at, 1);
    diverge(DivergenceKind::dma, m_rtl->now(), fmt::format("memory {:#x}", *at), rv, mv,
            fmt::format("final guest memory differs first at {:#x}: RTL {:#04x}, model {:#04x}", *at, rv, mv));
  }
}

// The characters both sides sent so far, compared as far as both have sent them (an emulator's
// UART sends a character the moment THR is written, the RTL's over the next frame time: the
// streams are compared by position, not by edge). A character a waiver takes counts as matched.
//
// Where the next characters differ, the comparison looks for the shortest way to realign the
// streams: characters only the model side sent (the RTL dropped them: an overwritten THR, a
// full FIFO; up to kSerialDropped) when the RTL's character follows them on the model side,
// characters only the RTL sent (written in loopback, sent after it; up to kSerialResync) when
// the model side's follows them on the RTL's line; otherwise the two characters differ. A shift is tried
// only once both streams reach that far: until the RTL (which lags) has sent the characters that
// decide, the pair waits, and is decided at the end of the run with what was sent by then (with
// the RTL's line not yet drained, the RTL's character is then one the model side did not send:
// the model side's may still be coming).
//
// At the end of a run, or before a reset, a character the RTL sent and the model side did not
// is a divergence, and so is one the model side sent and the RTL did not once the RTL's line is
// drained (PinSource::serial_drained).
void Lockstep::compare_serial(bool at_end) {
  m_pins->take_serial(m_rtl->now(), m_rtl_serial);
  m_model->take_serial(m_model_serial);
  const std::string &rs = m_rtl_serial, &ms = m_model_serial;
  auto at = [](const std::string& s, size_t n) { return static_cast<unsigned>(static_cast<uint8_t>(s[n])); };
  size_t i = 0, j = 0;  // the next RTL and model-side characters
  const bool rtl_sending = at_end && !m_pins->serial_drained(m_rtl->now());
  // The shortest shift at (i, j): characters only the model side sent (model_only of them),
  // only the RTL sent (rtl_only), or neither (a differing pair); `wait` while the streams are
  // too short to tell, `guess` for the RTL's character at the end with its line still busy.
  struct Shift {
    size_t model_only = 0, rtl_only = 0;
    bool wait = false, guess = false;
  };
  auto find_shift = [&](unsigned r, unsigned m) {
    Shift s;
    for (size_t k = 1; k <= kSerialDropped; ++k) {
      // Beyond kSerialResync only the model side's characters are looked through.
      const bool model_known = j + k < ms.size();
      const bool rtl_known = k > kSerialResync || i + k < rs.size();
      if (model_known && same_character(r, at(ms, j + k))) {
        s.model_only = k;
      } else if (k <= kSerialResync && rtl_known && same_character(at(rs, i + k), m)) {
        s.rtl_only = k;
      } else if (!rtl_known && rtl_sending) {
        s.rtl_only = 1;
        s.guess = true;
      } else if (!at_end && (!model_known || !rtl_known)) {
        s.wait = true;
      } else {
        continue;
      }
      break;
    }
    return s;
  };
  while (i < rs.size() && j < ms.size()) {
    const unsigned r = at(rs, i), m = at(ms, j);
    if (r == m) {
      ++i, ++j;
      continue;
    }
    // A difference a waiver takes as it stands is a pair, not a shift: one that names what
    // differs (bits, values), or a conditional one of any difference whose condition holds
    // now (the pair first seen, as close as the comparison gets to the RTL sending it:
    // decided later, after more writes, the condition may no longer hold).
    const Shift s =
        same_character(r, m) || serial_waived(r, m, WaiverMatcher::Scope::conditional_any) ? Shift{} : find_shift(r, m);
    if (s.wait) break;
    std::string detail;
    if (s.model_only)
      detail = fmt::format(
          "character #{} on {}: the model side sent {:#04x} and {} more that the RTL did not send (the RTL's "
          "next, {:#04x}, follows them)",
          m_serial_matched + i, m_serial_pin, m, s.model_only - 1, r);
    else if (s.guess)
      detail = fmt::format(
          "character #{} on {}: the RTL sent {:#04x}, which the model side did not send (the model side's "
          "next, {:#04x}, may be the one the RTL is still sending)",
          m_serial_matched + i, m_serial_pin, r, m);
    else if (s.rtl_only)
      detail = fmt::format(
          "character #{} on {}: the RTL sent {:#04x} and {} more that the model side did not send (the model "
          "side's next, {:#04x}, follows them)",
          m_serial_matched + i, m_serial_pin, r, s.rtl_only - 1, m);
    else
      detail = fmt::format("character #{} on {} differs: the RTL sent {:#04x}, the model side {:#04x}",
                           m_serial_matched + i, m_serial_pin, r, m);
    if (serial_diverge(s.model_only ? kNoCharacter : r, s.rtl_only ? kNoCharacter : m, std::move(detail))) return;
    i += s.model_only ? 0 : std::max<size_t>(s.rtl_only, 1);
    j += s.rtl_only ? 0 : std::max<size_t>(s.model_only, 1);
  }
  m_rtl_serial.erase(0, i);
  m_model_serial.erase(0, j);
  m_serial_matched += i;
  if (!at_end) return;
  if (!m_rtl_serial.empty()) {
    const unsigned r = at(rs, 0);
    serial_diverge(r, kNoCharacter,
                   fmt::format("character #{} on {}: the RTL sent {:#04x} and {} more, the model side sent no more",
                               m_serial_matched, m_serial_pin, r, m_rtl_serial.size() - 1));
  } else if (!m_model_serial.empty() && m_pins->serial_drained(m_rtl->now())) {
    const unsigned m = at(ms, 0);
    serial_diverge(
        kNoCharacter, m,
        fmt::format("character #{} on {}: the model side sent {:#04x} and {} more, the RTL sent no more and its "
                    "line is idle",
                    m_serial_matched, m_serial_pin, m, m_model_serial.size() - 1));
  }
}

// A serial divergence on the stream's pin, seen at the RTL's current edge (the frame ended
// earlier; the streams are compared by position).
bool Lockstep::serial_diverge(uint64_t rtl, uint64_t model, std::string detail) {
  return diverge(DivergenceKind::serial, m_rtl->now(), m_serial_pin, rtl, model, std::move(detail));
}

// Equal, or different only as a waiver of this run says they may be (a word length the model
// side does not apply: `bits`, `rtl`, `model`; a waiver of any difference does not make two
// characters the same): where the serial comparison may realign the streams.
bool Lockstep::same_character(unsigned rtl, unsigned model) const {
  return rtl == model || serial_waived(rtl, model, WaiverMatcher::Scope::values);
}

bool Lockstep::serial_waived(unsigned rtl, unsigned model, WaiverMatcher::Scope scope) const {
  if (!m_waivers) return false;
  Divergence d;
  d.kind = DivergenceKind::serial;
  d.reg = m_serial_pin;
  d.rtl = rtl;
  d.model = model;
  return m_waivers->would_match(d, scope);
}

// Characters the RTL's receiver has taken before edge `until`, to the model side's receiver.
void Lockstep::feed_model(Cycle until) {
  std::string bytes;
  m_pins->take_fed(until, bytes);
  if (!bytes.empty()) m_model->receive_serial(bytes, m_rtl->now());
}

// Before a reset: what the RTL had yet to send is lost to it, so both streams start afresh.
void Lockstep::restart_serial() {
  compare_serial(true);
  m_rtl_serial.clear();
  m_model_serial.clear();
}

// Every page the RTL's memory has, read afresh from the model that keeps guest memory (pages
// only the model's device wrote are not seen: tandem does not know of them).
void Lockstep::finish_kept_memory() {
  try {
    m_model->advance(m_rtl->now());
    m_model_memory.clear();
    if (const std::optional<uint64_t> at = m_rtl->memory().first_difference(m_model_memory)) {
      const uint64_t rv = m_rtl->memory().read(*at, 1), mv = m_model_memory.read(*at, 1);
      diverge(DivergenceKind::dma, m_rtl->now(), fmt::format("memory {:#x}", *at), rv, mv,
              fmt::format("final guest memory differs first at {:#x}: RTL {:#04x}, model {:#04x}", *at, rv, mv));
    }
  } catch (const ModelCrash& e) {
    diverge(DivergenceKind::crash, m_rtl->now(), "", 0, 0, e.what());
  }
}

uint64_t Lockstep::mem_read(uint64_t addr, unsigned size) {
  const uint64_t rv = m_rtl->memory().read(addr, size);
  if (m_divergence) return rv;
  compare_dma();
  uint64_t mv = 0;
  try {
    if (m_model_keeps_memory) {  // read afresh: the model's device may have written it
      m_model->advance(m_rtl->now());
      m_model_memory.clear();
    }
    mv = m_model_memory.read(addr, size);
  } catch (const ModelCrash& e) {
    diverge(DivergenceKind::crash, m_rtl->now(), "", 0, 0, e.what());
    return rv;
  }
  if (rv != mv)
    diverge(DivergenceKind::dma, m_rtl->now(), fmt::format("memory {:#x}", addr), rv, mv,
            fmt::format("guest memory at {:#x} ({} bytes) differs: RTL {:#x}, model {:#x}", addr, size, rv, mv));
  return rv;
}

// A bus that never answered (kind `hang`), or a completer that broke a rule of its protocol
// (kind `protocol`, the rule as the bus's checker names it), at that beat.
__attribute__((noinline)) void Lockstep::report_fault(const Beat& b, bool write, const BeatResult& br) {
  const std::string what = fmt::format("the {} of {}", write ? "write" : "read", m_binding.regmap.describe(b.addr));
  if (br.violated) {
    diverge(DivergenceKind::protocol, br.rule_cycle, m_binding.regmap.name_at(b.addr), 0, 0,
            fmt::format("{} ({} channel, edge {}) in {}", br.rule, br.channel, br.rule_cycle, what), b.addr);
    return;
  }
  diverge(DivergenceKind::hang, br.done, m_binding.regmap.name_at(b.addr), 0, 0,
          fmt::format("the RTL did not answer {} within {} wait states{}", what, m_options.rtl.hang_limit,
                      br.rule ? fmt::format(" ({}: {} channel)", br.rule, br.channel) : ""),
          b.addr);
}

// The two sides answered one beat differently: an error on one side only, or different read
// data (a read both sides answer with an error carries no data to compare).
__attribute__((noinline)) void Lockstep::report_beat(const Beat& b, bool write, const BeatResult& br, bool model_error,
                                                     uint64_t rtl_value, uint64_t model_value) {
  const std::string_view what = write ? "write" : "read";
  const bool rtl_error = br.error;
  if (rtl_error != model_error) {
    diverge(write ? DivergenceKind::write_error : DivergenceKind::read_error, br.done, m_binding.regmap.name_at(b.addr),
            rtl_error, model_error,
            fmt::format("{} of {}: RTL {} an error{}, model {}", what, m_binding.regmap.describe(b.addr),
                        rtl_error ? "answers" : "does not answer", br.response ? fmt::format(" ({})", br.response) : "",
                        model_error ? "does" : "does not"),
            b.addr);
  } else if (!write && !rtl_error && rtl_value != model_value) {
    std::string note;
    if (compared_bits(b, br.done, rtl_value, rtl_value ^ model_value, note) == 0) return;
    m_tolerance_note = note.empty() ? note : note.substr(2);  // past the "; "
    diverge(DivergenceKind::read_data, br.done, m_binding.regmap.name_at(b.addr), rtl_value, model_value,
            fmt::format("read of {}: RTL {:#x}, model {:#x}{}", m_binding.regmap.describe(b.addr), rtl_value,
                        model_value, note),
            b.addr);
    m_tolerance_note.clear();
  }
}

// The bits of a read's difference that count: not the register's dontcompare bits, not bits
// a settling tolerance accepts (`note` says by how much the others missed theirs).
uint64_t Lockstep::compared_bits(const Beat& b, Cycle done, uint64_t rtl, uint64_t diff, std::string& note) const {
  if (const Register* r = m_binding.regmap.find(b.addr); r && r->dontcompare_mask) {
    const uint64_t shift = 8 * (b.addr - r->offset);
    diff &= ~(shift >= 64 ? 0 : r->dontcompare_mask >> shift);
  }
  if (diff && m_tolerances && m_tolerances->has_settle())
    diff = m_tolerances->unsettled(b.addr, b.size, done, rtl, diff, m_model_memory, m_options.rtl.mem_latency, note);
  return diff;
}

StepResult Lockstep::access(const Step& step) {
  const bool write = step.kind == StepKind::write;
  StepResult rtl_result, model_result;
  const BeatList beats = split_access(step.addr, step.size, m_bus_bytes);
  for (unsigned i = 0; i < beats.count && !m_divergence; ++i) {
    const Beat& b = beats.beats[i];
    if (m_pins && m_pins->has_window() && m_pins->serves(b.addr)) {
      const BusResponse r = serve_beat(b, write, (step.data >> b.shift) & size_mask(b.size));
      rtl_result.data |= (r.data & size_mask(b.size)) << b.shift;
      rtl_result.error |= r.error;
      continue;
    }
    const Cycle start = m_rtl->now();
    const BeatResult br = m_rtl->access(to_bus_beat(b, write, step.data, m_bus_bytes));
    if (br.failed()) {
      report_fault(b, write, br);
      break;
    }
    compare_irq_until(br.done - 1);
    if (m_divergence) break;
    const uint64_t beat_value = (step.data >> b.shift) & size_mask(b.size);
    // Asked before the transfer, as the model alone asks it (Device::wait_states).
    const unsigned model_waits = m_model_wait_states ? m_model->wait_states(b.addr, write, b.size) : 0u;
    const BusResponse m =
        write ? m_model->write(b.addr, beat_value, b.size, br.done) : m_model->read(b.addr, b.size, br.done);
    const uint64_t rtl_value = lane_extract(br.rdata, b.addr, b.size, m_bus_bytes);
    const uint64_t model_value = m.data & size_mask(b.size);
    rtl_result.data |= rtl_value << b.shift;
    rtl_result.error |= br.error;
    model_result.data |= model_value << b.shift;
    model_result.error |= m.error;
    if (m_options.observer)
      m_options.observer->on_beat({static_cast<size_t>(m_stats.steps), start, br.done, b.addr, b.size, write,
                                   beat_value, write ? 0 : rtl_value, write ? 0 : model_value, br.error, m.error});
    report_beat(b, write, br, m.error, rtl_value, model_value);
    if (m_model_wait_states) {
      // The transfer took the bus's own edges, then as many more as the completer waited.
      const uint64_t rtl_waits = br.edges - m_min_edges;
      if (model_waits != rtl_waits)
        diverge(
            DivergenceKind::protocol, start + m_min_edges + std::min<uint64_t>(rtl_waits, model_waits),
            m_binding.regmap.name_at(b.addr), rtl_waits, model_waits,
            fmt::format("the model says the {} of {} takes {} wait state{}, the RTL took {}", write ? "write" : "read",
                        m_binding.regmap.describe(b.addr), model_waits, model_waits == 1 ? "" : "s", rtl_waits),
            b.addr);
    }
    if (write && m_waivers && !br.error) m_waivers->on_write(b.addr, beat_value, b.size);
    if (write && m_pins && !br.error) m_pins->on_write(b.addr, beat_value, b.size, br.done);
    if (write)
      ++m_stats.writes;
    else
      ++m_stats.reads;
    // The access edge itself: both sides now stand at br.done.
    compare_irq_at_access(br.done);
  }
  return rtl_result;
}

// A beat in the line model's window (PinSource::serves): no transfer on the RTL's bus and no
// call of the model. The RTL is clocked idle up to the access edge of a zero-wait transfer
// (its output pins reaching the source as it goes), the model is brought there, and the
// source answers once for both sides; the trailing edges follow, compared with the next step's.
BusResponse Lockstep::serve_beat(const Beat& b, bool write, uint64_t value) {
  const Cycle start = m_rtl->now();
  const Cycle at = start + m_min_edges - m_binding.trailing_edges;
  m_rtl->run(at - start);
  compare_irq_until(at - 1);
  if (m_divergence) return {};
  m_model->advance(at);
  const BusResponse r = m_pins->serve(b.addr, write, value, b.size, at);
  const uint64_t data = write ? 0 : r.data & size_mask(b.size);
  if (m_options.observer)
    m_options.observer->on_beat(
        {static_cast<size_t>(m_stats.steps), start, at, b.addr, b.size, write, value, data, data, r.error, r.error});
  if (write)
    ++m_stats.writes;
  else
    ++m_stats.reads;
  compare_irq_at_access(at);
  m_rtl->run(m_binding.trailing_edges);
  return {data, r.error};
}

std::vector<Step> Lockstep::recent_steps() const {
  const uint64_t n = std::min<uint64_t>(m_recent_count, m_options.recent_steps);
  std::vector<Step> out;
  out.reserve(n);
  for (uint64_t i = m_recent_count - n; i < m_recent_count; ++i) out.push_back(m_recent[i & m_recent_mask]);
  return out;
}

StepResult Lockstep::execute(const Step& step) { return m_step_path(*this, step); }

// The model process is gone (it answers nothing from now on): the step that killed it is the
// finding, as a fuzzer's crash oracle would report it.
StepResult Lockstep::crashed(const ModelCrash& e) {
  diverge(DivergenceKind::crash, m_rtl->now(), "", 0, 0, e.what());
  return StepResult{};
}

void Lockstep::choose_step_path() {
  const LockstepFastPath& fast = m_binding.lockstep_fast;
  const Device& model = *m_model;
  m_step_path = fast.step && fast.model && typeid(model) == *fast.model ? fast.step : &step_as<Device>;
}

// Before any cycle of an idle gap or reset runs: the RTL clocks every cycle of it, so a budget
// checked afterwards would come a day late for clock_step 10^12.
void Lockstep::check_budget(uint64_t cycles) const {
  const uint64_t limit = m_options.max_cycles;
  if (limit != 0 && (m_rtl->now() > limit || cycles > limit - m_rtl->now()))
    throw CycleBudgetError(m_stats.steps, m_rtl->now(), cycles, limit);
}

__attribute__((noinline)) StepResult Lockstep::execute_general(const Step& step) {
  if (m_divergence) throw Error("lockstep: the run has already diverged");
  check_step(step, m_addr_limit);
  remember(step);
  if (m_tolerances && m_tolerances->has_settle()) m_tolerances->before_step(*m_model, m_rtl->now());
  StepResult result;
  const Cycle before = m_rtl->now();
  // Characters the RTL's receiver has taken before this step's access edge reach the model
  // side's receiver now (at step granularity: one taken during an idle gap arrives at its end).
  if (m_feed) feed_model(before + (step.kind == StepKind::read || step.kind == StepKind::write ? m_min_edges : 0));
  switch (step.kind) {
    case StepKind::read:
    case StepKind::write: result = access(step); break;
    case StepKind::idle: run_idle(*m_model, step.data); break;
    case StepKind::reset: {
      check_budget(m_binding.hints.reset_cycles);
      compare_irq_until(m_rtl->now());
      if (m_serial && !m_divergence) restart_serial();
      m_rtl->reset(m_binding.hints.reset_cycles);
      m_model->reset(m_rtl->now());
      if (m_pins) m_pins->on_reset(m_rtl->now());
      // Lines inside the reset window are not compared: the model has no notion of them.
      m_rtl->irq_log().clear();
      m_log_pos = 0;
      m_rtl_irq = m_rtl->irq();
      m_model_irq = m_model->irq();
      // The edges compared before the reset window, and the one after it, compared below.
      m_stats.irq_checks += m_irq_now - m_irq_counted + 1;
      m_irq_now = m_irq_counted = m_rtl->now();
      m_mismatch_since = kNever;
      m_irq_deadline = kNever;
      m_irq_waived = 0;
      if (m_waivers) m_waivers->on_reset();
      if (m_tolerances) {
        m_tolerances->on_reset();
        m_tolerances->clear_lines();
      }
      check_irq(m_irq_now);
      break;
    }
    case StepKind::mem_write: write_guest_memory(*m_model, step); break;
  }
  if (m_serial && !m_divergence) compare_serial(false);
  end_step(step, before);
  return result;
}

}  // namespace tandem
