// Checkpoints of lockstep runs: the RTL side's bridge state and --savable image, the model's
// saved state, guest memories, pending logs and comparison state; and the checkpoint file.
#include <algorithm>

#include <fmt/format.h>

#include "tandem/campaign.h"
#include "tandem/error.h"
#include "tandem/lockstep.h"
#include "tandem/snapshot.h"

namespace tandem {

namespace {

constexpr char kMagic[8] = {'T', 'D', 'M', 'C', 'K', 'P', 'T', '1'};
constexpr uint32_t kVersion = 2;  // 2 added the run's step budget; version 1 files are still read

uint64_t fnv1a(const uint8_t* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

void put_blob(StateWriter& out, const std::vector<uint8_t>& b) {
  out.u64(b.size());
  out.bytes.insert(out.bytes.end(), b.begin(), b.end());
}
bool get_blob(StateReader& in, std::vector<uint8_t>& b, uint64_t limit) {
  uint64_t n = 0;
  if (!in.u64(n) || n > limit) return false;
  b.resize(n);
  for (uint8_t& x : b)
    if (!in.u8(x)) return false;
  return true;
}
void put_string(StateWriter& out, const std::string& s) { put_blob(out, std::vector<uint8_t>(s.begin(), s.end())); }
bool get_string(StateReader& in, std::string& s) {
  std::vector<uint8_t> b;
  if (!get_blob(in, b, 4096)) return false;
  s.assign(b.begin(), b.end());
  return true;
}

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
  for (uint64_t v : {m_stats.steps, m_stats.cycles, m_stats.reads, m_stats.writes, m_stats.irq_checks,
                     m_stats.dma_accesses})
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
}

std::string Lockstep::restore_checkpoint(StateReader& in) {
  if (std::string why = m_rtl->restore(in); !why.empty()) return why;
  std::vector<uint8_t> model;
  if (!get_blob(in, model, uint64_t(1) << 30)) return "model: truncated";
  if (const std::string why = load_model_state(model); !why.empty()) return "model: " + why;
  if (!m_model_memory.restore(in)) return "model guest memory: malformed";
  if (!get_log(in, m_model_port.log())) return "model DMA log: truncated";
  Stats s;
  uint64_t log_pos = 0, recent = 0, head = 0;
  if (!in.u64(s.steps) || !in.u64(s.cycles) || !in.u64(s.reads) || !in.u64(s.writes) || !in.u64(s.irq_checks) ||
      !in.u64(s.dma_accesses) || !in.u64(m_irq_now) || !in.u32(m_rtl_irq) || !in.u32(m_model_irq) ||
      !in.u64(log_pos) || !in.u64(m_mismatch_since) || !in.u64(recent) || recent > m_options.recent_steps)
    return "engine: truncated";
  if (log_pos > m_rtl->irq_log().size()) return "engine: interrupt log position beyond the log";
  m_stats = s;
  m_log_pos = static_cast<size_t>(log_pos);
  std::vector<Step> ring(recent);
  for (Step& st : ring)
    if (!get_step(in, st)) return "engine: recent steps truncated";
  if (!in.u64(head) || (recent > 0 && head >= recent) || (recent == 0 && head != 0)) return "engine: recent steps head";
  // The saved ring starts at `head`; replay it oldest first.
  m_recent_count = 0;
  for (uint64_t i = 0; i < recent; ++i) remember(ring[(head + i) % recent]);
  if (!in.at_end()) return "engine: trailing bytes";
  return "";
}

// ---------------------------------------------------------------------------- the file

std::vector<uint8_t> encode_checkpoint(const Checkpoint& c) {
  StateWriter w;
  w.bytes.assign(kMagic, kMagic + 8);
  w.u32(kVersion);
  put_string(w, c.device);
  put_string(w, c.build_id);
  w.u64(c.regmap_hash);
  put_string(w, c.strategy);
  w.u64(c.seed);
  w.u64(c.step);
  w.u64(c.budget);
  put_blob(w, c.engine);
  w.u64(fnv1a(w.bytes.data(), w.bytes.size()));
  return std::move(w.bytes);
}

Checkpoint decode_checkpoint(const std::vector<uint8_t>& bytes, const std::string& path) {
  if (bytes.size() < 20 || !std::equal(kMagic, kMagic + 8, bytes.begin()))
    throw Error(path + ": not a tandem checkpoint (bad magic)");
  uint64_t sum = 0;
  for (unsigned i = 0; i < 8; ++i) sum |= uint64_t(bytes[bytes.size() - 8 + i]) << (8 * i);
  if (sum != fnv1a(bytes.data(), bytes.size() - 8))
    throw Error(path + ": checksum mismatch: the checkpoint was altered or damaged");
  const std::vector<uint8_t> body(bytes.begin() + 8, bytes.end() - 8);
  StateReader in(body);
  Checkpoint c;
  uint32_t version = 0;
  if (!in.u32(version)) throw Error(path + ": truncated checkpoint");
  if (version < 1 || version > kVersion)
    throw Error(fmt::format("{}: checkpoint format version {} (this build reads 1 to {})", path, version, kVersion));
  if (!get_string(in, c.device) || !get_string(in, c.build_id) || !in.u64(c.regmap_hash) ||
      !get_string(in, c.strategy) || !in.u64(c.seed) || !in.u64(c.step) || (version >= 2 && !in.u64(c.budget)) ||
      !get_blob(in, c.engine, uint64_t(1) << 34) || !in.at_end())
    throw Error(path + ": truncated or malformed checkpoint");
  return c;
}

void check_checkpoint(const Checkpoint& c, const DeviceBinding& binding, const std::string& path) {
  if (c.device != binding.name)
    throw Error(fmt::format("{}: checkpoint of device '{}', not '{}'", path, c.device, binding.name));
  if (c.build_id != binding.build_id)
    throw Error(fmt::format("{}: checkpoint from another build of '{}' (build {}, this build {})", path, c.device,
                            c.build_id.empty() ? "unknown" : c.build_id,
                            binding.build_id.empty() ? "unknown" : binding.build_id));
  if (c.regmap_hash != regmap_hash(binding.regmap))
    throw Error(fmt::format("{}: checkpoint taken under another register map of '{}'", path, c.device));
}

}  // namespace tandem
