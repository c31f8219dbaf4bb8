// The RTL on its own, under its bus driver: the reference speed lockstep is measured against.
#pragma once

#include <cstdint>
#include <memory>

#include "tandem/binding.h"
#include "tandem/executor.h"
#include "tandem/pins.h"
#include "tandem/rtl_target.h"

namespace tandem {

class RtlExecutor final : public Executor {
 public:
  RtlExecutor(const DeviceBinding& binding, const RtlOptions& options = {});
  StepResult execute(const Step& step) override;
  Cycle now() const override { return m_rtl->now(); }
  uint32_t irq() const override { return m_rtl->irq(); }
  uint64_t mem_read(uint64_t addr, unsigned size) override { return m_rtl->memory().read(addr, size); }
  bool hung() const { return m_hung; }
  GuestMemory& memory() { return m_rtl->memory(); }
  RtlTarget& rtl() { return *m_rtl; }         // its dma_log() holds the last step's accesses
  PinSource* pins() { return m_pins.get(); }  // the binding's line model, null without pins

 private:
  StepResult execute_general(const Step& step);  // every step the short path does not take
  BusResponse serve_beat(const Beat& b, bool write, uint64_t value);

  std::unique_ptr<PinSource> m_pins;  // the input pins' line model (pins.h), null without
  std::unique_ptr<RtlTarget> m_rtl;
  unsigned m_reset_cycles;
  uint64_t m_addr_limit;
  unsigned m_trailing_edges;  // DeviceBinding::trailing_edges
  bool m_window;              // the line model serves a window of offsets (PinSource::serves)
  uint64_t m_short_limit;     // m_addr_limit, or 0 when the line model hears every write or has a window
  unsigned m_bus_bytes;
  bool m_hung = false;
};

}  // namespace tandem
