// What a TlmTarget drives in each mode: the model alone, the RTL alone, both in lockstep, and
// after a divergence under follow_rtl the RTL with the model beside it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "step_log.h"
#include "tandem/binding.h"
#include "tandem/divergence.h"
#include "tandem/guest_memory.h"
#include "tandem/lockstep.h"
#include "tandem/model_executor.h"
#include "tandem/rtl_executor.h"
#include "tlm_memory.h"

namespace tandem {

// Where a side reports its interrupt lines: `lines` hold from edge `edge` on.
class IrqSink {
 public:
  virtual ~IrqSink() = default;
  virtual void irq_at(Cycle edge, uint32_t lines) = 0;
};

// Interrupt lines are reported at the edge they change, except that a change during a bus
// access is reported at the access's last edge: every mode follows the same rule, so a
// platform sees the same edges in each.
class DeviceSide {
 public:
  virtual ~DeviceSide() = default;
  virtual Cycle now() const = 0;
  // The bus idle until edge `to` (> now()).
  virtual void idle_until(Cycle to, IrqSink& sink) = 0;
  virtual StepResult access(const Step& step, IrqSink& sink) = 0;
  // The first edge after now() at which the lines may change with the bus idle, or kNever.
  virtual Cycle next_change() = 0;
  virtual uint32_t irq() = 0;
  // A read of one access answered without any effect on the device, or nullopt when the mode
  // cannot (the RTL alone).
  virtual std::optional<uint64_t> peek(uint64_t addr, unsigned size) = 0;
  virtual std::vector<uint8_t> model_state() = 0;
  virtual Lockstep* lockstep() { return nullptr; }
  virtual const StepLog* history() const { return nullptr; }
};

std::unique_ptr<DeviceSide> make_model_side(const DeviceBinding& binding, TlmMemoryBridge* memory,
                                            const RtlOptions& rtl);
std::unique_ptr<DeviceSide> make_rtl_side(const DeviceBinding& binding, TlmMemoryBridge* memory, const RtlOptions& rtl);
// `waivers` (not owned) outlives the side: divergences it matches are counted and passed over.
std::unique_ptr<DeviceSide> make_lockstep_side(const DeviceBinding& binding, TlmMemoryBridge* memory,
                                               const RtlOptions& rtl, const WaiverSet* waivers);

// After a lockstep divergence: the RTL and the model, each rebuilt by running `history` (the
// lockstep run so far), then driven side by side. Every step whose answers or interrupt lines
// differ is handed to `diverged` (kind, register and both values); the RTL answers.
std::unique_ptr<DeviceSide> make_follow_side(const DeviceBinding& binding, TlmMemoryBridge* memory,
                                             const RtlOptions& rtl, const Program& history,
                                             std::function<void(const Divergence&)> diverged);

// A read answered by a copy of `live` (Device::save, restore into a fresh model, on the same
// line model `pins`): the live model is left exactly as it was, read side effects (read-to-clear,
// FIFO pops) included. An address the line model serves itself (PinSource::serves: a window
// with no model behind it) transfers nothing.
std::optional<uint64_t> peek_model(const DeviceBinding& binding, const Device& live, const PinSource* pins, Cycle now,
                                   uint64_t addr, unsigned size, DmaPort& port);

}  // namespace tandem
