// Timing tolerances: per-line interrupt deadlines and reads that settle within N edges.
#include "tolerance.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

namespace {

uint64_t width_mask(unsigned width) { return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1; }

// How far beyond its tolerance a read that did not settle is searched, for the report.
constexpr unsigned kBeyondSearch = 64;

}  // namespace

Tolerances::Tolerances(const WaiverSet& set, const DeviceBinding& binding) : m_binding(binding) {
  m_line_tolerance.fill(binding.hints.irq_tolerance);
  m_line_since.fill(kNever);
  for (const Tolerance& t : set.tolerances) {
    if (!covers_device(t, binding.name)) continue;
    auto fail = [&](const std::string& why) { return Error(fmt::format("{}: {}", t.where, why)); };
    if (!t.irq.empty()) {
      unsigned line = 32;
      for (size_t i = 0; i < binding.hints.irq_lines.size() && i < 32; ++i)
        if (binding.hints.irq_lines[i] == t.irq) line = static_cast<unsigned>(i);
      unsigned n = 0;
      char extra = 0;
      if (line == 32 && std::sscanf(t.irq.c_str(), "irq[%u]%c", &n, &extra) == 1 && n < 32) line = n;
      if (line == 32) throw fail(fmt::format("device '{}' has no interrupt line '{}'", binding.name, t.irq));
      m_line_tolerance[line] = t.cycles;
      m_per_line = true;
      continue;
    }
    const Register* r = binding.regmap.by_name(t.reg);
    if (!r) throw fail(fmt::format("device '{}' has no register '{}'", binding.name, t.reg));
    uint64_t mask = width_mask(r->width);
    if (!t.field.empty()) {
      const auto f =
          std::find_if(r->fields.begin(), r->fields.end(), [&](const Field& x) { return x.name == t.field; });
      if (f == r->fields.end()) throw fail(fmt::format("register {} has no field '{}'", t.reg, t.field));
      mask = width_mask(f->width) << f->lsb;
    }
    if (t.bits) {
      if (*t.bits == 0 || (*t.bits & ~mask)) throw fail(fmt::format("bits {:#x} are not within {:#x}", *t.bits, mask));
      mask = *t.bits;
    }
    m_settle.push_back({t.where, r->offset, (r->width + 7) / 8, mask, t.cycles});
    m_max_cycles = std::max(m_max_cycles, t.cycles);
  }
  add_map_tolerances();
}

// The register map's own declarations (tandem_settle_cycles), after the file's: a file's
// tolerance for the same bits is tried first.
void Tolerances::add_map_tolerances() {
  for (const Register& r : m_binding.regmap.registers) {
    const unsigned bytes = (r.width + 7) / 8;
    if (r.settle_cycles)
      m_settle.push_back({fmt::format("map {}", r.name), r.offset, bytes, width_mask(r.width), r.settle_cycles});
    for (const Field& f : r.fields)
      if (f.settle_cycles)
        m_settle.push_back(
            {fmt::format("map {}.{}", r.name, f.name), r.offset, bytes, width_mask(f.width) << f.lsb, f.settle_cycles});
    m_max_cycles = std::max(m_max_cycles, r.settle_cycles);
    for (const Field& f : r.fields) m_max_cycles = std::max(m_max_cycles, f.settle_cycles);
  }
}

bool Tolerances::declared_by(const WaiverSet* set, const DeviceBinding& binding) {
  if (set)
    for (const Tolerance& t : set->tolerances)
      if (covers_device(t, binding.name)) return true;
  for (const Register& r : binding.regmap.registers) {
    if (r.settle_cycles) return true;
    for (const Field& f : r.fields)
      if (f.settle_cycles) return true;
  }
  return false;
}

// A line that is late by up to N edges differs from the model's for up to N edges after each
// of the model's changes; a pulse shorter than N makes the two mismatches run into each other
// with the polarity flipped (the RTL now shows what the model showed before). So a mismatch
// starts afresh when its polarity flips: each one must end within the line's tolerance.
Tolerances::IrqDeadline Tolerances::irq_deadline(uint32_t diff, uint32_t rtl, Cycle at) {
  IrqDeadline out;
  for (unsigned line = 0; line < 32; ++line) {
    if (!(diff >> line & 1)) {
      m_line_since[line] = kNever;
      continue;
    }
    const bool rtl_high = rtl >> line & 1;
    if (m_line_since[line] == kNever || m_line_rtl_high[line] != rtl_high) {
      m_line_since[line] = at;
      m_line_rtl_high[line] = rtl_high;
    }
    const Cycle due = m_line_since[line] + m_line_tolerance[line];
    if (due < out.deadline) out = {due, m_line_since[line], uint32_t(1) << line};
  }
  return out;
}

void Tolerances::before_step(const Device& model, Cycle now) {
  // Keep the snapshots a probe back to now - max_cycles needs: the newest at or before that edge
  // and everything after it.
  while (m_snapshots.size() >= 2 && m_snapshots[1].cycle + m_max_cycles + kBeyondSearch <= now) m_snapshots.pop_front();
  StateWriter w;
  model.save(w);
  m_snapshots.push_back({now, std::move(w.bytes)});
}

std::optional<uint64_t> Tolerances::probe(uint64_t addr, unsigned size, Cycle t, const GuestMemory& memory,
                                          unsigned mem_latency) const {
  const Snapshot* from = nullptr;
  for (const Snapshot& s : m_snapshots)
    if (s.cycle < t) from = &s;  // a model standing at edge t can no longer answer a read at t
  if (!from) return std::nullopt;
  // A fresh model on a copy of the model's memory: a probe's DMA goes nowhere that counts.
  StateWriter mem;
  memory.save(mem);
  GuestMemory scratch;
  StateReader mem_in(mem.bytes);
  scratch.restore(mem_in);
  MemoryPort port(scratch, mem_latency, false);
  std::unique_ptr<Device> model = m_binding.make_model();
  model->attach_dma(&port);
  StateReader in(from->state);
  if (!model->restore(in).empty()) return std::nullopt;
  return model->read(addr, size, t).data & size_mask(size);
}

// The offset d (|d| <= limit, d != 0, nearest first, earlier before later) of the edge at which
// the model answers the read as the RTL did in `lane_mask`.
std::optional<int64_t> Tolerances::settle_offset(const Settle&, uint64_t addr, unsigned size, Cycle done, uint64_t rtl,
                                                 uint64_t lane_mask, unsigned limit, const GuestMemory& memory,
                                                 unsigned mem_latency) const {
  for (int64_t d = 1; d <= static_cast<int64_t>(limit); ++d) {
    for (const int64_t off : {-d, d}) {
      if (off < 0 && static_cast<Cycle>(-off) > done) continue;
      const std::optional<uint64_t> v = probe(addr, size, done + off, memory, mem_latency);
      if (v && ((*v ^ rtl) & lane_mask) == 0) return off;
    }
  }
  return std::nullopt;
}

uint64_t Tolerances::unsettled(uint64_t addr, unsigned size, Cycle done, uint64_t rtl, uint64_t diff,
                               const GuestMemory& memory, unsigned mem_latency, std::string& note) const {
  for (const Settle& s : m_settle) {
    if (addr < s.offset || addr >= s.offset + s.bytes) continue;
    const unsigned shift = static_cast<unsigned>(8 * (addr - s.offset));
    const uint64_t lane_mask = (shift >= 64 ? 0 : s.mask >> shift) & size_mask(size) & diff;
    if (lane_mask == 0) continue;
    if (settle_offset(s, addr, size, done, rtl, lane_mask, s.cycles, memory, mem_latency)) {
      diff &= ~lane_mask;
      continue;
    }
    const std::optional<int64_t> beyond =
        settle_offset(s, addr, size, done, rtl, lane_mask, s.cycles + kBeyondSearch, memory, mem_latency);
    note +=
        beyond
            ? fmt::format(
                  "; beyond the {}-edge settling tolerance ({}) by {}: the RTL's value is the model's "
                  "{} edge{} {}",
                  s.cycles, s.where, (*beyond < 0 ? -*beyond : *beyond) - s.cycles, *beyond < 0 ? -*beyond : *beyond,
                  (*beyond == 1 || *beyond == -1) ? "" : "s", *beyond < 0 ? "earlier" : "later")
            : fmt::format("; not settled within {} edges ({}), nor within {} more", s.cycles, s.where, kBeyondSearch);
  }
  return diff;
}

}  // namespace tandem
