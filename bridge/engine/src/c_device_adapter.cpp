// The C device adapter: the host side of tandem/c_device.h on top of tandem::Device.
#include "tandem/c_device_adapter.h"

#include <utility>
#include <vector>

#include "tandem/error.h"
#include "tandem/lockstep_fast.h"

namespace tandem {

namespace {

std::string device_name(const tandem_c_device& d) { return d.name ? d.name : "(unnamed)"; }

void validate_table(const tandem_c_device& d) {
  const std::string who = "C device '" + device_name(d) + "': ";
  if (d.abi != TANDEM_C_DEVICE_ABI)
    throw Error(who + "ABI " + std::to_string(d.abi) + ", expected " + std::to_string(TANDEM_C_DEVICE_ABI));
  if (d.irq_lines > TANDEM_C_MAX_IRQS) throw Error(who + "irq_lines beyond " + std::to_string(TANDEM_C_MAX_IRQS));
  if (d.timers > TANDEM_C_MAX_TIMERS) throw Error(who + "timers beyond " + std::to_string(TANDEM_C_MAX_TIMERS));
  const std::pair<const char*, bool> required[] = {{"create", d.create != nullptr},
                                                   {"destroy", d.destroy != nullptr},
                                                   {"reset", d.reset != nullptr},
                                                   {"read", d.read != nullptr},
                                                   {"write", d.write != nullptr},
                                                   {"state_size", d.state_size != nullptr},
                                                   {"save", d.save != nullptr},
                                                   {"restore", d.restore != nullptr},
                                                   {"timer", d.timers == 0 || d.timer != nullptr}};
  for (const auto& [name, present] : required)
    if (!present) throw Error(who + "callback '" + name + "' is missing");
}

CDeviceAdapter& self(void* ctx) { return *static_cast<CDeviceAdapter*>(ctx); }

}  // namespace

CDeviceAdapter::CDeviceAdapter(const tandem_c_device& device) : m_device(device) {
  validate_table(device);
  m_timers.fill(kNever);
  m_host.ctx = this;
  m_host.clock = host_clock;
  m_host.set_irq = host_set_irq;
  m_host.timer_arm = host_timer_arm;
  m_host.timer_cancel = host_timer_cancel;
  m_host.dma_read = host_dma_read;
  m_host.dma_write = host_dma_write;
  m_host.dma_latency = host_dma_latency;
  m_opaque = device.create(&m_host, device.config);
  if (m_opaque == nullptr) throw Error("C device '" + device_name(device) + "': create() returned NULL");
  m_violation.clear();  // create() may not call the host; a call there is ignored, not reported
}

CDeviceAdapter::~CDeviceAdapter() { m_device.destroy(m_opaque); }

// ------------------------------------------------------------------ the host functions

uint64_t CDeviceAdapter::host_clock(void* ctx) { return self(ctx).m_clock; }

void CDeviceAdapter::host_set_irq(void* ctx, unsigned line, int level) {
  CDeviceAdapter& a = self(ctx);
  if (line >= a.m_device.irq_lines)
    return a.violation("set_irq: line " + std::to_string(line) + " beyond its " + std::to_string(a.m_device.irq_lines) +
                       " lines");
  const uint32_t bit = uint32_t(1) << line;
  a.m_irq = level ? (a.m_irq | bit) : (a.m_irq & ~bit);
}

void CDeviceAdapter::host_timer_arm(void* ctx, unsigned id, uint64_t cycle) {
  CDeviceAdapter& a = self(ctx);
  if (id >= a.m_device.timers)
    return a.violation("timer_arm: timer " + std::to_string(id) + " beyond its " + std::to_string(a.m_device.timers) +
                       " timers");
  if (cycle <= a.m_clock)
    return a.violation("timer_arm: timer " + std::to_string(id) + " armed for edge " + std::to_string(cycle) +
                       ", not after the current edge " + std::to_string(a.m_clock));
  a.m_timers[id] = cycle;
}

void CDeviceAdapter::host_timer_cancel(void* ctx, unsigned id) {
  CDeviceAdapter& a = self(ctx);
  if (id >= a.m_device.timers)
    return a.violation("timer_cancel: timer " + std::to_string(id) + " beyond its " +
                       std::to_string(a.m_device.timers) + " timers");
  a.m_timers[id] = kNever;
}

uint64_t CDeviceAdapter::host_dma_read(void* ctx, uint64_t addr, unsigned size) {
  CDeviceAdapter& a = self(ctx);
  if (size < 1 || size > 8) {
    a.violation("dma_read: size " + std::to_string(size) + " outside 1..8");
    return 0;
  }
  return a.m_dma ? a.m_dma->read(addr, size, a.m_clock) : 0;
}

void CDeviceAdapter::host_dma_write(void* ctx, uint64_t addr, uint64_t value, unsigned size) {
  CDeviceAdapter& a = self(ctx);
  if (size < 1 || size > 8) return a.violation("dma_write: size " + std::to_string(size) + " outside 1..8");
  if (a.m_dma) a.m_dma->write(addr, value & size_mask(size), size, a.m_clock);
}

unsigned CDeviceAdapter::host_dma_latency(void* ctx) {
  const CDeviceAdapter& a = self(ctx);
  return a.m_dma ? a.m_dma->latency() : 0;
}

void CDeviceAdapter::violation(std::string what) {
  if (m_violation.empty()) m_violation = std::move(what);
}

void CDeviceAdapter::check() {
  if (m_violation.empty()) return;
  std::string what = std::move(m_violation);
  m_violation.clear();
  throw Error("C device '" + device_name(m_device) + "': " + what);
}

// ------------------------------------------------------------------ time

void CDeviceAdapter::fire_until(Cycle e) {
  for (;;) {
    unsigned id = 0;
    Cycle due = kNever;
    for (unsigned i = 0; i < m_device.timers; ++i)
      if (m_timers[i] < due) due = m_timers[i], id = i;
    if (due > e) return;
    m_timers[id] = kNever;
    m_clock = due;
    m_device.timer(m_opaque, id);
    check();
  }
}

void CDeviceAdapter::advance(Cycle now) {
  if (now <= m_now) return;
  fire_until(now);
  m_now = m_clock = now;
}

Cycle CDeviceAdapter::next_event(Cycle now) const {
  Cycle due = kNever;
  for (unsigned i = 0; i < m_device.timers; ++i)
    if (m_timers[i] < due) due = m_timers[i];
  if (due == kNever) return kNever;
  // A timer due at or before `now` has not fired yet: what it changes is not known without
  // running it, and an early answer only costs the engine a look.
  return due > now ? due : now + 1;
}

// ------------------------------------------------------------------ the device's callbacks

void CDeviceAdapter::clear_outputs() {
  m_timers.fill(kNever);
  m_irq = 0;
}

void CDeviceAdapter::reset(Cycle now) {
  clear_outputs();
  m_now = m_clock = now;
  m_device.reset(m_opaque);
  check();
}

BusResponse CDeviceAdapter::read(uint64_t offset, unsigned size, Cycle now) {
  if (now > 0) fire_until(now - 1);
  m_clock = now;
  int error = 0;
  BusResponse r;
  r.data = m_device.read(m_opaque, offset, size, &error) & size_mask(size);
  r.error = error != 0;
  check();
  advance(now);
  return r;
}

BusResponse CDeviceAdapter::write(uint64_t offset, uint64_t value, unsigned size, Cycle now) {
  if (now > 0) fire_until(now - 1);
  m_clock = now;
  int error = 0;
  m_device.write(m_opaque, offset, value, size, &error);
  check();
  advance(now);
  BusResponse r;
  r.error = error != 0;
  return r;
}

// ------------------------------------------------------------------ save / restore

void CDeviceAdapter::save(StateWriter& out) const {
  out.u32(1);  // the adapter's format version
  out.u64(m_now);
  std::vector<uint8_t> bytes(m_device.state_size(m_opaque));
  m_device.save(m_opaque, bytes.data());
  put_blob(out, bytes);
}

std::string CDeviceAdapter::restore(StateReader& in) {
  uint32_t version = 0;
  if (!in.u32(version) || version != 1) return "c_device.version: expected 1";
  Cycle now = 0;
  if (!in.u64(now)) return "cycle: truncated";
  if (now >= (Cycle(1) << 62)) return "cycle: beyond 2^62";
  std::vector<uint8_t> bytes;
  if (!get_blob(in, bytes, kMaxStateBytes)) return "c_device.state: truncated or beyond 1 MiB";
  if (!in.at_end()) return "trailing bytes";

  // The device re-arms its timers and drives its lines from the restored state; a rejection
  // puts the host's side back as it was.
  const auto timers = m_timers;
  const uint32_t irq = m_irq;
  const Cycle clock = m_clock;
  clear_outputs();
  m_clock = now;
  const char* why = m_device.restore(m_opaque, bytes.data(), bytes.size());
  if (why != nullptr) {
    m_timers = timers;
    m_irq = irq;
    m_clock = clock;
    m_violation.clear();
    return *why ? why : "c_device.state: rejected";
  }
  m_now = now;
  check();
  return "";
}

// Instantiated here, where read(), write() and advance() are defined, so that the step inlines them.
LockstepFastPath CDeviceAdapter::lockstep_fast_path() { return tandem::lockstep_fast_path<CDeviceAdapter>(); }

}  // namespace tandem
