// The example virtual platform: a CPU that runs the bundled firmware drivers, a router, RAM and
// every bundled device as a tandem::TlmTarget, in the mode the platform is built with.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "examples/virtual-platform/memory.h"
#include "examples/virtual-platform/router.h"
#include "tandem/binding.h"
#include "tandem/tlm_target.h"

namespace vp {

struct PlatformOptions {
  tandem::TlmMode mode = tandem::TlmMode::model;
  tandem::DivergencePolicy policy = tandem::DivergencePolicy::stop;
  // Catalog names that replace the device of the same base name ("seldev.trust_select"
  // replaces seldev): a seeded-bug model in the platform.
  std::vector<std::string> swaps;
  sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);
  sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US);
  std::string replay_dir = "tandem-replays";
  tandem::WaiverSet waivers;  // known differences every target counts and goes on past (lockstep)
};

// One device in the address map.
struct Slot {
  std::string device;  // the catalog name bound there
  std::string role;    // the bundled device it stands for: which firmware drives it
  uint64_t base = 0;
  std::unique_ptr<tandem::TlmTarget> target;
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> irq;
};

class Platform : public sc_core::sc_module {
 public:
  static constexpr uint64_t kRamBase = 0x80000000, kRamSize = 1 << 20;
  static constexpr uint64_t kDeviceBase = 0x40000000, kDeviceStride = 0x10000;

  tlm_utils::simple_initiator_socket<Platform> cpu_socket;
  Router router;
  Memory ram;

  // Throws tandem::Error for an unknown device or a swap that replaces nothing.
  Platform(sc_core::sc_module_name name, const tandem::Catalog& catalog, const PlatformOptions& options);

  const std::vector<Slot>& slots() const { return m_slots; }
  // What the firmware saw, in order: "timer.oneshot_fired" and the value.
  const std::vector<std::pair<std::string, uint64_t>>& results() const { return m_results; }
  bool finished() const { return m_finished; }
  uint64_t divergences() const;

 private:
  void cpu();
  void run_firmware(const Slot& slot);

  PlatformOptions m_options;
  std::vector<Slot> m_slots;
  tlm_utils::tlm_quantumkeeper m_keeper;
  std::vector<std::pair<std::string, uint64_t>> m_results;
  bool m_finished = false;
};

// "seldev" for "seldev.trust_select": the bundled device a catalog name stands for.
std::string base_device(const std::string& name);

}  // namespace vp
