// Register-map coverage: the plan of bins from a binding, and the observer that hits them.
#include "tandem/coverage.h"

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

namespace {

constexpr size_t kRecent = 4;       // accesses and output edges remembered for coincidence bins
constexpr Cycle kDmaInFlight = 16;  // a reset this soon after a DMA access cuts a transfer
constexpr uint64_t kNearTop = 16;   // "near the top" of a field: within this of all ones
constexpr uint64_t kPage = 4096;

uint64_t low_mask(unsigned width) { return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1; }

// The bin a policy's side effect has, or "" when writing and reading are all there is to it.
std::string side_effect_name(AccessPolicy p) {
  switch (p) {
    case AccessPolicy::w1c:
    case AccessPolicy::w1crs: return "write 1 clears a set bit";
    case AccessPolicy::w0c: return "write 0 clears a set bit";
    case AccessPolicy::rc:
    case AccessPolicy::wrc:
    case AccessPolicy::wsrc:
    case AccessPolicy::w1src:
    case AccessPolicy::w0src: return "read clears a set value";
    case AccessPolicy::w1:
    case AccessPolicy::rw1: return "second write after reset";
    case AccessPolicy::ro: return "written (no effect)";
    case AccessPolicy::wo: return "read (write-only)";
    default: return "";
  }
}

bool clears_on_read(AccessPolicy p) {
  return p == AccessPolicy::rc || p == AccessPolicy::wrc || p == AccessPolicy::wsrc || p == AccessPolicy::w1src ||
         p == AccessPolicy::w0src;
}

const char* const kReadAfter[4] = {"read after reset", "read after 0 written", "read after all ones written",
                                   "read after another value written"};
const char* const kDmaBins[8] = {"access in the descriptor region", "access to the descriptor region's last 8 bytes",
                                 "access in the buffer region",     "access to the buffer region's last 8 bytes",
                                 "access outside the hint regions", "access within 4 KiB below 2^32",
                                 "access at or above 2^32",         "access within 4 KiB below 2^64"};

}  // namespace

size_t DeviceCoverage::hit_count() const {
  size_t n = 0;
  for (const CoverageBin& b : bins) n += b.hits > 0 ? 1 : 0;
  return n;
}

double DeviceCoverage::percent() const {
  return bins.empty() ? 100.0 : 100.0 * static_cast<double>(hit_count()) / static_cast<double>(bins.size());
}

DeviceCoverage coverage_plan(const DeviceBinding& binding) { return CoverageCollector(binding).coverage(); }

void merge_coverage(DeviceCoverage& into, const DeviceCoverage& from) {
  if (into.device != from.device)
    throw Error(fmt::format("coverage of device {} cannot be merged with device {}", from.device, into.device));
  if (into.bins.size() != from.bins.size())
    throw Error(fmt::format("device {}: {} bins against {} (another build of its map)", from.device, from.bins.size(),
                            into.bins.size()));
  for (size_t i = 0; i < into.bins.size(); ++i) {
    const CoverageBin& a = into.bins[i];
    const CoverageBin& b = from.bins[i];
    if (a.group != b.group || a.name != b.name)
      throw Error(fmt::format("device {}: bin {} is '{}: {}' against '{}: {}' (another build of its map)", from.device,
                              i, b.group, b.name, a.group, a.name));
  }
  for (size_t i = 0; i < into.bins.size(); ++i) into.bins[i].hits += from.bins[i].hits;
  into.steps += from.steps;
  into.runs += from.runs;
}

// ---------------------------------------------------------------------------- plan

CoverageCollector::CoverageCollector(const DeviceBinding& binding) : m_binding(binding) {
  m_coverage.device = binding.name;
  m_events = !binding.hints.irq_lines.empty() || binding.hints.has_dma();
  m_registers.reserve(binding.regmap.registers.size());
  for (const Register& r : binding.regmap.registers) plan_register(r);
  for (const std::string& line : binding.hints.irq_lines) {
    m_irq_raised.push_back(add("irq", line + " raised"));
    m_irq_cleared.push_back(add("irq", line + " cleared"));
  }
  m_reset_after_write = add("reset", "reset after a write (mid-operation)");
  if (!binding.hints.irq_lines.empty()) m_reset_irq = add("reset", "reset with an interrupt raised");
  if (binding.hints.has_dma()) {
    m_reset_dma = add("reset", "reset with DMA in flight");
    for (const char* name : kDmaBins) m_dma_bins.push_back(add("dma", name));
    m_desc_word_bins.push_back(add("dma", "descriptor word written within 4 KiB below 2^32"));
    m_desc_word_bins.push_back(add("dma", "descriptor word written within 4 KiB below 2^64"));
  }
}

size_t CoverageCollector::add(const std::string& group, const std::string& name) {
  m_coverage.bins.push_back({group, name, 0});
  return m_coverage.bins.size() - 1;
}

void CoverageCollector::hit(size_t bin) {
  if (bin != kNone) ++m_coverage.bins[bin].hits;
}

void CoverageCollector::plan_register(const Register& r) {
  RegisterBins rb;
  rb.reg = &r;
  if (r.fields.empty()) {
    Field whole;
    whole.access = r.access;
    plan_field(rb, r.name, 0, r.width, policy_of(whole));
  }
  for (const Field& f : r.fields) plan_field(rb, f.name, f.lsb, f.width, policy_of(f));
  bool readable_reg = r.fields.empty() ? r.access != Access::wo : false;
  for (const Field& f : r.fields) readable_reg = readable_reg || readable(policy_of(f));
  if (readable_reg)
    for (size_t k = 0; k < 4; ++k) rb.read_after[k] = add(r.name, kReadAfter[k]);
  for (const SelectorHint& s : m_binding.hints.selectors) {
    if (s.reg != r.name || s.count == 0) continue;
    rb.select_count = s.count;
    rb.select_base = add(r.name, "select 0");
    for (uint64_t v = 1; v < s.count; ++v) add(r.name, fmt::format("select {}", v));
    add(r.name, fmt::format("select {} (count)", s.count));
    add(r.name, fmt::format("select {} (count + 1)", s.count + 1));
    add(r.name, "select all ones");
  }
  if (m_events) {
    rb.edge_before = add(r.name, "access one edge before an output edge");
    rb.edge_on = add(r.name, "access on an output edge");
    rb.edge_after = add(r.name, "access one edge after an output edge");
  }
  m_registers.push_back(std::move(rb));
}

void CoverageCollector::plan_field(RegisterBins& rb, const std::string& name, unsigned lsb, unsigned width,
                                   AccessPolicy p) {
  const std::string& group = rb.reg->name;
  FieldBins f;
  f.lsb = lsb;
  f.width = width;
  f.policy = p;
  if (p != AccessPolicy::ro) {
    f.zero = add(group, name + " written 0");
    if (width > 1) {
      f.ones = add(group, name + " written all ones");
      for (unsigned b = 0; b < width; ++b) {
        f.bit_one.push_back(add(group, fmt::format("{}[{}] written 1", name, b)));
        f.bit_zero.push_back(add(group, fmt::format("{}[{}] written 0", name, b)));
      }
    } else {
      f.ones = add(group, name + " written 1");
    }
    if (m_binding.hints.has_dma() && width >= 16) {
      f.near_top = add(group, fmt::format("{} written within {} of all ones", name, kNearTop));
      f.near_zero = add(group, fmt::format("{} written within {} above 0", name, kNearTop));
    }
  }
  const std::string effect = side_effect_name(p);
  if (!effect.empty()) f.side_effect = add(group, name + " " + effect);
  rb.fields.push_back(std::move(f));
}

// ---------------------------------------------------------------------------- observe

void CoverageCollector::begin_run() {
  ++m_coverage.runs;
  m_rtl_irq = m_model_irq = 0;
  m_irq_changes.clear();
  clear_run_state();
}

void CoverageCollector::clear_run_state() {
  for (RegisterBins& rb : m_registers) {
    rb.last_write = 0;
    rb.last_read = 0;
    rb.writes = 0;
  }
  m_written_since_reset = false;
  m_any_dma = false;
  m_recent_accesses.clear();
  m_recent_events.clear();
}

void CoverageCollector::on_step(size_t, const Step& step, Cycle from, Cycle) {
  ++m_coverage.steps;
  if (step.kind == StepKind::reset) on_reset_step(from);
  if (step.kind == StepKind::mem_write) on_mem_write(step);
}

void CoverageCollector::on_reset_step(Cycle from) {
  if (m_written_since_reset) hit(m_reset_after_write);
  if (irq_before(from) != 0) hit(m_reset_irq);
  if (m_any_dma && m_last_rtl_dma + kDmaInFlight >= from) hit(m_reset_dma);
  clear_run_state();  // the same run goes on from reset
}

uint32_t CoverageCollector::irq_before(Cycle at) const {
  for (auto it = m_irq_changes.rbegin(); it != m_irq_changes.rend(); ++it)
    if (it->first <= at) return it->second;
  return 0;
}

void CoverageCollector::on_mem_write(const Step& step) {
  const DmaHint& d = m_binding.hints.dma;
  if (m_desc_word_bins.empty() || step.addr < d.desc_base || step.addr - d.desc_base >= d.desc_size) return;
  if (step.size == 4 && (step.data & 0xffffffffu) >= 0x100000000u - kPage) hit(m_desc_word_bins[0]);
  if (step.size == 8 && step.data >= ~uint64_t(0) - (kPage - 1)) hit(m_desc_word_bins[1]);
  if (step.size == 8 && step.data >= 0x100000000u - kPage && step.data < 0x100000000u) hit(m_desc_word_bins[0]);
}

void CoverageCollector::on_beat(const BeatObservation& beat) {
  const Register* r = m_binding.regmap.find(beat.addr);
  if (r == nullptr) return;
  const size_t index = static_cast<size_t>(r - m_binding.regmap.registers.data());
  RegisterBins& rb = m_registers[index];
  const unsigned shift = static_cast<unsigned>(beat.addr - r->offset) * 8;
  const uint64_t bytes = low_mask(beat.size * 8);
  const uint64_t mask = shift >= 64 ? 0 : (bytes << shift) & low_mask(r->width);
  if (beat.write) {
    on_write(rb, shift >= 64 ? 0 : beat.wdata << shift, mask);
  } else if (!beat.rtl_error) {
    on_read(rb, shift >= 64 ? 0 : beat.rtl_data << shift, mask);
  }
  for (Cycle e : m_recent_events) coincide(index, beat.done, e);
  m_recent_accesses.push_back({index, beat.done});
  if (m_recent_accesses.size() > kRecent) m_recent_accesses.pop_front();
}

void CoverageCollector::on_write(RegisterBins& rb, uint64_t value, uint64_t mask) {
  m_written_since_reset = true;
  ++rb.writes;
  const uint64_t v = value & mask;
  rb.last_write = v == 0 ? 1 : v == mask ? 2 : 3;
  for (const FieldBins& f : rb.fields) field_write(f, rb, value, mask);
  if (rb.select_base != kNone && mask == low_mask(rb.reg->width)) {
    if (v < rb.select_count + 2) hit(rb.select_base + v);
    if (v == mask) hit(rb.select_base + rb.select_count + 2);
  }
}

void CoverageCollector::field_write(const FieldBins& f, const RegisterBins& rb, uint64_t value, uint64_t mask) {
  const uint64_t fmask = low_mask(f.width);
  const uint64_t covered = (mask >> f.lsb) & fmask;
  if (covered == 0) return;
  if (f.policy == AccessPolicy::ro) return hit(f.side_effect);
  const uint64_t v = (value >> f.lsb) & covered;
  if (covered == fmask && v == 0) hit(f.zero);
  if (covered == fmask && v == fmask) hit(f.ones);
  for (unsigned b = 0; b < f.bit_one.size(); ++b) {
    if (!((covered >> b) & 1)) continue;
    hit((v >> b) & 1 ? f.bit_one[b] : f.bit_zero[b]);
  }
  if (covered == fmask && v >= fmask - (kNearTop - 1)) hit(f.near_top);
  if (covered == fmask && v > 0 && v <= kNearTop) hit(f.near_zero);
  const uint64_t was = (rb.last_read >> f.lsb) & fmask;
  if ((f.policy == AccessPolicy::w1c || f.policy == AccessPolicy::w1crs) && (v & was) != 0) hit(f.side_effect);
  if (f.policy == AccessPolicy::w0c && (~v & covered & was) != 0) hit(f.side_effect);
  if ((f.policy == AccessPolicy::w1 || f.policy == AccessPolicy::rw1) && rb.writes >= 2) hit(f.side_effect);
}

void CoverageCollector::on_read(RegisterBins& rb, uint64_t value, uint64_t mask) {
  hit(rb.read_after[rb.last_write]);
  for (const FieldBins& f : rb.fields) {
    if (((mask >> f.lsb) & low_mask(f.width)) == 0) continue;
    if (f.policy == AccessPolicy::wo) hit(f.side_effect);
    if (clears_on_read(f.policy) && ((value & mask) >> f.lsb & low_mask(f.width)) != 0) hit(f.side_effect);
  }
  rb.last_read = (rb.last_read & ~mask) | (value & mask);
}

void CoverageCollector::coincide(size_t reg, Cycle access, Cycle event) {
  const RegisterBins& rb = m_registers[reg];
  if (access + 1 == event) hit(rb.edge_before);
  if (access == event) hit(rb.edge_on);
  if (access == event + 1) hit(rb.edge_after);
}

void CoverageCollector::on_irq(Cycle at, uint32_t rtl, uint32_t model) {
  const uint32_t rose = rtl & ~m_rtl_irq, fell = m_rtl_irq & ~rtl;
  for (size_t i = 0; i < m_irq_raised.size(); ++i) {
    if ((rose >> i) & 1) hit(m_irq_raised[i]);
    if ((fell >> i) & 1) hit(m_irq_cleared[i]);
  }
  if (rtl != m_rtl_irq) {
    m_irq_changes.emplace_back(at, rtl);
    if (m_irq_changes.size() > kRecent) m_irq_changes.pop_front();
  }
  m_rtl_irq = rtl;
  if (model == m_model_irq) return;
  m_model_irq = model;
  if (!m_events) return;
  for (const RecentAccess& a : m_recent_accesses) coincide(a.reg, a.done, at);
  m_recent_events.push_back(at);
  if (m_recent_events.size() > kRecent) m_recent_events.pop_front();
}

void CoverageCollector::on_dma(bool rtl_side, const DmaAccess& access) {
  if (!rtl_side) {  // the model's outputs change here
    for (const RecentAccess& a : m_recent_accesses) coincide(a.reg, a.done, access.cycle);
    if (m_recent_events.empty() || m_recent_events.back() != access.cycle) m_recent_events.push_back(access.cycle);
    if (m_recent_events.size() > kRecent) m_recent_events.pop_front();
    return;
  }
  m_any_dma = true;
  m_last_rtl_dma = access.cycle;
  if (m_dma_bins.empty()) return;
  const DmaHint& d = m_binding.hints.dma;
  const uint64_t a = access.addr, end = a + access.size;  // one past the last byte
  const bool in_desc = a >= d.desc_base && a - d.desc_base < d.desc_size;
  const bool in_buf = a >= d.buffer_base && a - d.buffer_base < d.buffer_size;
  if (in_desc) hit(m_dma_bins[0]);
  if (in_desc && end + 8 > d.desc_base + d.desc_size) hit(m_dma_bins[1]);
  if (in_buf) hit(m_dma_bins[2]);
  if (in_buf && end + 8 > d.buffer_base + d.buffer_size) hit(m_dma_bins[3]);
  if (!in_desc && !in_buf) hit(m_dma_bins[4]);
  if (a < 0x100000000u && a >= 0x100000000u - kPage) hit(m_dma_bins[5]);
  if (a >= 0x100000000u || end > 0x100000000u) hit(m_dma_bins[6]);
  if (a >= ~uint64_t(0) - (kPage - 1)) hit(m_dma_bins[7]);
}

}  // namespace tandem
