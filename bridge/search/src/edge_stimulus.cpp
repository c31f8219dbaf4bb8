// `edges`: accesses aimed at the edges where the device's outputs change, found by asking the
// device's own model (Device::next_event) while the program is generated.
//
// Programs are generated before they run (generate_program), so the strategy owns a private
// model of the device (a ModelExecutor on the binding's own model factory) and runs every step
// of the program on it as the step is emitted. The model is deterministic, so the program is
// a function of (binding, seed) alone and replays exactly: what is recorded is the steps, never
// the model. For a seeded-bug mutant the private model is the mutant, so the program aims at
// the edges the model under test believes in, which is where a same-edge bug shows.
//
// Each action is one of:
//  - an edge attack: the next event edge E (next_event), then an idle gap chosen so that an
//    access completes exactly at E - 1, E or E + 1 (the three in turn), on every register in
//    turn, a register the hardware changes on its own, or one the last sequence accessed; the
//    access a read, or a write of all ones, zero, a legal value or the sequence's own value;
//  - a driver sequence (or DMA setup) followed by an ordering window: 0 to 3 idle edges after
//    its last write (the start), then the start again, a different value of the same register
//    (abort, disable) and the start at once, or the sequence's first write and the start;
//    a burst of writes to one register (a FIFO fill) is cut at a random length first, and the
//    data is left unread for the edge attacks that follow;
//  - for bus masters, a DMA setup with one address operand (SRC, DST or NEXT) placed at the
//    2^32 or 2^64 boundary: ending exactly at it (against the descriptor's own length),
//    straddling it, just below it, starting at it; the setup waits for the device to go quiet
//    first (a reset when it does not within the horizon), so that the placement takes effect;
//  - plain random traffic, so that there is activity to aim at.
#include "edge_stimulus.h"

#include <algorithm>
#include <deque>
#include <optional>

#include <fmt/format.h>

#include "tandem/error.h"
#include "tandem/model_executor.h"

namespace tandem {

namespace {

// An edge further away than this is not waited for (the RTL simulates every idle edge).
constexpr Cycle kHorizon = 4096;

class EdgeStimulus final : public ObservingStimulus {
 public:
  EdgeStimulus(const DeviceBinding& binding, uint64_t seed)
      : m_binding(binding), m_model(binding), m_rng(seed ^ 0x6564676573656564ULL),
        m_filler(make_stimulus("random", binding, seed ^ 0x656467666c6c7273ULL)) {
    for (const SequenceHint& s : binding.hints.sequences) m_sequences.push_back(&s);
    for (const SequenceHint& s : binding.hints.dma.setups) m_sequences.push_back(&s);
    for (const Register& r : binding.regmap.registers)
      if (r.is_volatile) m_volatile.push_back(&r);
  }

  Step next() override {
    while (m_pending.empty()) plan();
    const Step s = m_pending.front();
    m_pending.pop_front();
    m_model.execute(s);
    return s;
  }

  void observe(const Step& step) override { m_model.execute(step); }

 private:
  void plan() {
    if (m_quiet_left != 0 && wait_for_quiet()) return;
    if (m_sequence_due) return queue_sequence();
    const uint64_t roll = m_rng.below(100);
    if (roll < 20) return m_pending.push_back(m_filler->next());
    if (roll < 45 && !m_sequences.empty()) {
      // A boundary placement (which must start to matter) first waits until the device has
      // nothing in flight, within the horizon.
      m_place = m_binding.hints.has_dma() && m_rng.chance(75);
      m_quiet_left = m_place ? kHorizon : 0;
      m_sequence_due = true;
      return;
    }
    if (!edge_attack()) m_pending.push_back(m_filler->next());
  }

  // One idle gap towards the next event edge while there is one within the budget left.
  bool wait_for_quiet() {
    const Cycle now = m_model.now();
    m_model.model().advance(now);
    const Cycle edge = m_model.model().next_event(now);
    if (edge == kNever || edge - now > m_quiet_left) {
      m_quiet_left = 0;
      // A boundary placement must start: a device still busy (a chain that runs for a
      // million edges) is reset first.
      if (edge != kNever && m_place) m_pending.push_back(Step::reset());
      return edge != kNever && m_place;
    }
    m_quiet_left -= edge - now;
    m_pending.push_back(Step::idle(edge - now));
    return true;
  }

  // The edges a one-beat access of `r` takes from the current edge to the edge it takes
  // effect at: the bus's own, then the wait states the model declares.
  Cycle lead(const Register& r, bool write, uint8_t size) {
    Device& d = m_model.model();
    const unsigned waits = d.declares_wait_states() ? d.wait_states(r.offset, write, size) : 0;
    return Cycle(m_binding.access_edges - m_binding.trailing_edges) + waits;
  }

  uint8_t access_size(const Register& r) const {
    const unsigned bytes = std::min({std::max(1u, r.width / 8), m_binding.data_bytes(), 8u});
    return static_cast<uint8_t>(bytes);
  }

  uint64_t write_value(const Register& r, uint8_t size) {
    switch (m_rng.below(5)) {
      case 0:
      case 1: return size_mask(size);  // all ones: every W1C bit, every start
      case 2: return 0;
      default: return m_rng.next() & r.write_mask & size_mask(size);
    }
  }

  // Lands an access on E - 1, E or E + 1 of the next event edge E. False when there is no
  // edge within the horizon, or it is too close to place the access on.
  bool edge_attack() {
    const Cycle now = m_model.now();
    m_model.model().advance(now);
    const Cycle edge = m_model.model().next_event(now);
    if (edge == kNever || edge - now > kHorizon) return false;
    const std::vector<Register>& regs = m_binding.regmap.registers;
    const uint64_t turn = m_turn++;
    // Every register in turn (mostly read: a write of every register would undo the set-up
    // being aimed at); or one the hardware changes on its own (a status register); or one the
    // last sequence accessed (the registers of the process in flight), a write often with the
    // value it wrote (a W1C, a start, a FIFO write): the latter two are where a same-edge race shows.
    const Register* pick = &regs[turn % regs.size()];
    unsigned write_percent = 25;
    std::optional<uint64_t> value;
    const uint64_t how = m_rng.below(3);
    if (how == 1 && !m_volatile.empty()) {
      pick = m_volatile[m_rng.below(m_volatile.size())];
      write_percent = 50;
    } else if (how == 2 && !m_recent.empty()) {
      const Step& w = m_recent[m_rng.below(m_recent.size())];
      for (const Register& r : regs)
        if (r.offset == w.addr) pick = &r;
      write_percent = w.kind == StepKind::write ? 60 : 0;
      if (w.kind == StepKind::write && m_rng.chance(60)) value = w.data;
    }
    const Register& r = *pick;
    const Cycle target = edge - 1 + (turn / regs.size()) % 3;
    const uint8_t size = access_size(r);
    const bool write = m_rng.chance(write_percent);
    if (write && !value) value = write_value(r, size);
    const Cycle edges = lead(r, write, size);
    if (target < now + edges) return false;
    if (target > now + edges) m_pending.push_back(Step::idle(target - now - edges));
    m_pending.push_back(write ? Step::write(r.offset, *value & size_mask(size), size) : Step::read(r.offset, size));
    return true;
  }

  void queue_sequence() {
    Program p = m_sequences[m_rng.below(m_sequences.size())]->steps;
    m_sequence_due = false;
    if (m_place) place_at_boundaries(p);
    if (m_rng.chance(50)) cut_burst(p);
    // Half the time the sequence stops at its first wait: what it started is still running
    // when the edge attacks that follow aim at its completion.
    const auto wait = std::find_if(p.begin(), p.end(), [](const Step& s) { return s.kind == StepKind::idle; });
    if (wait != p.end() && m_rng.chance(50)) p.erase(wait, p.end());
    remember_registers(p);
    const auto start = std::find_if(p.rbegin(), p.rend(), [](const Step& s) { return s.kind == StepKind::write; });
    for (const Step& s : p) m_pending.push_back(s);
    if (start != p.rend() && m_rng.chance(70)) ordering_window(*start, p);
  }

  // The register accesses of the sequence just queued (offsets inside the map only).
  void remember_registers(const Program& p) {
    m_recent.clear();
    for (const Step& s : p)
      for (const Register& r : m_binding.regmap.registers)
        if ((s.kind == StepKind::read || s.kind == StepKind::write) && r.offset == s.addr) m_recent.push_back(s);
  }

  // Right after the start: the start again, a different value of the start register (abort,
  // disable, a reprogramming) then the start at once, or the sequence's first write then
  // the start; 0 to 3 edges after it.
  void ordering_window(const Step& start, const Program& p) {
    const uint64_t gap = m_rng.below(4);
    if (gap != 0) m_pending.push_back(Step::idle(gap));
    switch (m_rng.below(3)) {
      case 0: break;
      case 1: {
        Step other = start;
        uint64_t mask = size_mask(start.size);
        for (const Register& r : m_binding.regmap.registers)
          if (r.offset == start.addr) mask &= r.write_mask;
        other.data = (start.data ^ (uint64_t(1) << m_rng.below(64))) & mask;
        if (other.data == start.data) other.data = 0;
        m_pending.push_back(other);
        break;
      }
      default: {
        const auto first = std::find_if(p.begin(), p.end(), [](const Step& s) { return s.kind == StepKind::write; });
        Step again = *first;
        if (m_rng.chance(50)) again.data = m_rng.next() & size_mask(again.size);
        m_pending.push_back(again);
      }
    }
    m_pending.push_back(start);
  }

  // The longest run of writes to one register (a FIFO fill) cut to 1..its length writes.
  static void cut_run(Program& p, size_t at, size_t len, size_t keep) {
    p.erase(p.begin() + static_cast<std::ptrdiff_t>(at + keep), p.begin() + static_cast<std::ptrdiff_t>(at + len));
  }
  void cut_burst(Program& p) {
    size_t best_at = 0, best_len = 0;
    for (size_t i = 0; i < p.size();) {
      size_t j = i + 1;
      while (p[i].kind == StepKind::write && j < p.size() && p[j].kind == StepKind::write && p[j].addr == p[i].addr)
        ++j;
      if (j - i > best_len && p[i].kind == StepKind::write) best_at = i, best_len = j - i;
      i = j;
    }
    if (best_len >= 3) cut_run(p, best_at, best_len, 1 + m_rng.below(best_len));
  }

  // An address operand of a descriptor (an 8-byte guest-memory write into the descriptor
  // region whose value points into the buffers or the descriptors) moved next to 2^32 or
  // 2^64. Lengths are read off the descriptor's small words, so that a range can end exactly
  // at the boundary.
  void place_at_boundaries(Program& p) {
    const DmaHint& dma = m_binding.hints.dma;
    auto in = [](uint64_t v, uint64_t base, uint64_t size) { return v >= base && v - base < size; };
    std::vector<uint64_t> lengths = {8};
    for (const Step& s : p)
      if (s.kind == StepKind::mem_write && in(s.addr, dma.desc_base, dma.desc_size) && s.size == 8 && is_length(s))
        lengths.push_back(s.data & 0xffffffffu);
    // One operand a setup: a second one moved too could make the descriptor invalid on both
    // sides and hide what the first one shows.
    std::vector<size_t> operands;
    for (size_t i = 0; i < p.size(); ++i) {
      const Step& s = p[i];
      if (s.kind == StepKind::mem_write && s.size == 8 && in(s.addr, dma.desc_base, dma.desc_size) &&
          (in(s.data, dma.buffer_base, dma.buffer_size) || in(s.data, dma.desc_base, dma.desc_size)))
        operands.push_back(i);
    }
    if (operands.empty()) return;
    const size_t at = operands[m_rng.below(operands.size())];
    const bool descriptor = in(p[at].data, dma.desc_base, dma.desc_size);
    const uint64_t boundary = m_rng.chance(50) ? uint64_t(1) << 32 : 0;  // 2^32, or 2^64 (wraps to 0)
    // The operand's own length is the first length word after it; else any.
    uint64_t len = lengths[m_rng.below(lengths.size())];
    for (size_t i = at + 1; i < p.size(); ++i)
      if (p[i].kind == StepKind::mem_write && p[i].size == 8 && is_length(p[i])) {
        if (m_rng.chance(90)) len = p[i].data & 0xffffffffu;
        break;
      }
    if (descriptor) len = 0x28;  // a descriptor's RESULT word ends at +0x28
    p[at].data = boundary_placement(boundary, len, descriptor);
  }

  // A descriptor word that looks like a length: small, with small flags above it.
  static bool is_length(const Step& s) {
    return (s.data & 0xffffffffu) != 0 && (s.data & 0xffffffffu) < 0x10000 && (s.data >> 32) < 0x100;
  }

  uint64_t boundary_placement(uint64_t boundary, uint64_t len, bool descriptor) {
    const uint64_t align = descriptor ? 8 : 1;
    switch (m_rng.below(8)) {
      case 0:
      case 5:
      case 6:
      case 7: return boundary - len;  // ends exactly at the boundary
      case 1: return (boundary - len / 2) & ~(align - 1);
      case 2: return boundary - len - align;                                                   // just below it
      case 3: return (boundary - 1 - m_rng.below(std::max<uint64_t>(1, len))) & ~(align - 1);  // straddles it
      default: return boundary;                                                                // starts at it
    }
  }

  const DeviceBinding& m_binding;
  ModelExecutor m_model;
  Rng m_rng;
  std::unique_ptr<Stimulus> m_filler;
  std::vector<const SequenceHint*> m_sequences;
  std::vector<const Register*> m_volatile;
  std::vector<Step> m_recent;  // the register accesses of the last sequence
  std::deque<Step> m_pending;
  Cycle m_quiet_left = 0;       // edges a sequence still waits for the device to go quiet
  bool m_sequence_due = false;  // a sequence is queued once the wait ends
  bool m_place = false;         // its address operands go to the boundaries
  uint64_t m_turn = 0;          // edge attacks so far: picks the register and the placement
};

}  // namespace

bool edges_applies(const DeviceBinding& binding) {
  return binding.make_model && binding.access_edges != 0 && binding.trailing_edges < binding.access_edges &&
         !binding.regmap.registers.empty();
}

std::unique_ptr<ObservingStimulus> make_edge_stimulus(const DeviceBinding& binding, uint64_t seed) {
  if (!edges_applies(binding))
    throw Error(fmt::format("device '{}': strategy 'edges' needs a model and a bound bus", binding.name));
  return std::make_unique<EdgeStimulus>(binding, seed);
}

}  // namespace tandem
