// Makes a device written against the C interface (tandem/c_device.h) a tandem::Device: the
// host's clock follows the edges tandem names, armed timers fire in edge order and the earliest
// one is next_event, set_irq drives irq(), DMA goes through the attached DmaPort, and the
// device's bytes travel inside the state stream behind a small header of the adapter's own.
#pragma once

#include <array>
#include <string>

#include "tandem/c_device.h"
#include "tandem/device.h"

namespace tandem {

struct LockstepFastPath;  // binding.h

class CDeviceAdapter final : public Device {
 public:
  // Throws Error when the table is malformed (wrong ABI, too many lines or timers, a required
  // callback missing) or create() returns NULL. `device` must outlive the adapter.
  explicit CDeviceAdapter(const tandem_c_device& device);
  ~CDeviceAdapter() override;
  CDeviceAdapter(const CDeviceAdapter&) = delete;
  CDeviceAdapter& operator=(const CDeviceAdapter&) = delete;

  void reset(Cycle now) override;
  BusResponse read(uint64_t offset, unsigned size, Cycle now) override;
  BusResponse write(uint64_t offset, uint64_t value, unsigned size, Cycle now) override;
  void advance(Cycle now) override;
  Cycle next_event(Cycle now) const override;
  uint32_t irq() const override { return m_irq; }
  // Lockstep's step path over the adapter (tandem/lockstep_fast.h), for a C model's binding:
  // `b.lockstep_fast = CDeviceAdapter::lockstep_fast_path();`.
  static LockstepFastPath lockstep_fast_path();
  void attach_dma(DmaPort* port) override { m_dma = port; }
  // Layout: u32 version (1), u64 the edge the device stands at, then the device's bytes as a
  // blob (u64 length, at most kMaxStateBytes, then the bytes).
  void save(StateWriter& out) const override;
  std::string restore(StateReader& in) override;

  static constexpr uint64_t kMaxStateBytes = uint64_t(1) << 20;

  // The edge the device stands at (for tests of the adapter).
  Cycle now() const { return m_now; }

 private:
  // The host functions the device calls: `ctx` is the adapter.
  static uint64_t host_clock(void* ctx);
  static void host_set_irq(void* ctx, unsigned line, int level);
  static void host_timer_arm(void* ctx, unsigned id, uint64_t cycle);
  static void host_timer_cancel(void* ctx, unsigned id);
  static uint64_t host_dma_read(void* ctx, uint64_t addr, unsigned size);
  static void host_dma_write(void* ctx, uint64_t addr, uint64_t value, unsigned size);
  static unsigned host_dma_latency(void* ctx);

  // Fire every timer due at or before `e`, earliest first (ties: lower id first).
  void fire_until(Cycle e);
  // The device broke a host-function contract: remember the first such call.
  void violation(std::string what);
  // Throw the violation a callback left behind, if any (never across the device's C frames).
  void check();
  void clear_outputs();

  const tandem_c_device& m_device;
  tandem_c_host m_host{};
  void* m_opaque = nullptr;
  Cycle m_now = 0;    // the edge the device stands at
  Cycle m_clock = 0;  // what host->clock() answers inside the current callback
  uint32_t m_irq = 0;
  std::array<Cycle, TANDEM_C_MAX_TIMERS> m_timers{};  // due edge per id, kNever when disarmed
  DmaPort* m_dma = nullptr;
  std::string m_violation;
};

}  // namespace tandem
