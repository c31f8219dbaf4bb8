// A device binding: everything tandem knows about one device — its RTL (as a factory), its
// model, its register map and the hints that steer stimulus. The engine knows no device
// by name; bindings are handed to it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

#include "tandem/device.h"
#include "tandem/pins.h"
#include "tandem/regmap.h"
#include "tandem/rtl_target.h"
#include "tandem/step.h"
#include "tandem/waiver_set.h"

namespace tandem {

// A register whose value selects among `count` instances (legal values 0..count-1).
struct SelectorHint {
  std::string reg;
  uint64_t count = 0;
};

// A driver-manual sequence: the order of accesses the programming guide prescribes.
struct SequenceHint {
  std::string name;
  Program steps;
};

// Guest memory as a bus-master device's driver lays it out, for stimulus: where descriptors and
// buffers live (the `race` strategy rewrites them while a transfer runs), and driver sequences
// that place a descriptor chain with mem_write steps, program the device and start it.
struct DmaHint {
  uint64_t desc_base = 0, desc_size = 0;      // the region descriptors live in
  uint64_t buffer_base = 0, buffer_size = 0;  // the region source and destination buffers live in
  std::vector<SequenceHint> setups;           // each ends with the write that starts the transfer
};

struct Hints {
  std::vector<SelectorHint> selectors;
  std::vector<SequenceHint> sequences;
  std::vector<std::string> irq_lines;  // names of interrupt lines, bit order
  uint64_t max_idle = 64;              // longest idle gap random stimulus inserts
  unsigned irq_tolerance = 0;          // cycles an irq edge may differ by (default: exact)
  unsigned reset_cycles = 2;           // edges reset is held for
  DmaHint dma;                         // bus-master devices only
  // Non-bus ports (docs/pins.md): tandem_add_device's PINS, set by the generated glue. Output
  // pins follow irq_lines in the compared word.
  std::vector<PinHint> pins;
  bool has_dma() const { return !dma.setups.empty(); }
};

class Lockstep;  // lockstep.h

// Lockstep's step path instantiated over one model class (tandem/lockstep_fast.h,
// lockstep_fast_path<M>()): the engine takes it for a model of exactly that class, whose
// calls it then makes without virtual dispatch. Optional: without it the same path runs over
// Device.
struct LockstepFastPath {
  const std::type_info* model = nullptr;
  StepResult (*step)(Lockstep&, const Step&) = nullptr;
};

struct DeviceBinding {
  std::string name;
  std::string description;
  // The bus, as tandem_add_device's BUS names it; its data width and the edges a transfer
  // takes without wait states come from the bus driver on the verilated top (the generated
  // glue sets all three; a binding does not restate them).
  std::string bus;
  unsigned data_width = 32;  // bits
  unsigned access_edges = 0;
  // Of those, the edges after the one the access takes effect at (BeatResult::done): 0 on APB
  // and Wishbone classic; 1 on AXI4-Lite and pipelined Wishbone, whose response follows it.
  unsigned trailing_edges = 0;
  unsigned addr_width = 32;  // bits of the completer's address port: steps beyond it are refused
  RegisterMap regmap;
  Hints hints;
  std::function<std::unique_ptr<Device>()> make_model;
  std::function<std::unique_ptr<RtlTarget>(const RtlOptions&)> make_rtl;
  // The same RTL verilated with --savable, for checkpoints (empty when the build has none),
  // and what identifies this build of the device (RTL, model and binding sources, Verilator
  // arguments): a checkpoint of another build is refused.
  std::function<std::unique_ptr<RtlTarget>(const RtlOptions&)> make_savable_rtl;
  std::string build_id;
  // The line model that drives the input pins (and hears the output pins) of both sides; empty
  // for a device without input pins, whose inputs then stay 0.
  std::function<std::unique_ptr<PinSource>()> make_pin_source;
  // Known differences the device ships with (a vendor's documented deviations): every command
  // that takes --waivers applies them too.
  WaiverSet waivers;
  // Optional: the lockstep step path over make_model's class (a speed-up only; every result is
  // the same without it).
  LockstepFastPath lockstep_fast;

  unsigned data_bytes() const { return data_width / 8; }
  // One past the highest offset a step may address (the port cannot carry more).
  uint64_t addr_limit() const { return addr_width >= 64 ? ~uint64_t(0) : uint64_t(1) << addr_width; }
  // "irq" or "irq[2]" for the line that differs in `diff`; the output pin's name ("sout",
  // "gpio[1]") past the interrupt lines.
  std::string irq_line_name(uint32_t diff) const;
};

// The devices a program knows: bundled ones, mutants, a user's own. No global registry.
class Catalog {
 public:
  explicit Catalog(std::vector<DeviceBinding> devices) : m_devices(std::move(devices)) {}
  const std::vector<DeviceBinding>& devices() const { return m_devices; }
  // Throws Error "unknown device 'x' (known: a, b)".
  const DeviceBinding& get(const std::string& name) const;

 private:
  std::vector<DeviceBinding> m_devices;
};

}  // namespace tandem
