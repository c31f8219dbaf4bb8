// The example platform's assembly and its CPU thread.
#include "examples/virtual-platform/platform.h"

#include <algorithm>

#include <fmt/format.h>

#include "examples/virtual-platform/firmware.h"
#include "tandem/error.h"
#include "tandem/tlm_mmio.h"

namespace vp {

namespace {
// The bundled devices in the map, in the order the firmware drives them.
const char* const kRoles[] = {"seldev", "timer", "dma", "uart16550_w32", "uart16550"};

void record(void* ctx, const char* name, uint64_t value) {
  static_cast<std::vector<std::pair<std::string, uint64_t>>*>(ctx)->emplace_back(name, value);
}
}  // namespace

std::string base_device(const std::string& name) { return name.substr(0, name.find('.')); }

Platform::Platform(sc_core::sc_module_name name, const tandem::Catalog& catalog, const PlatformOptions& options)
    : sc_core::sc_module(name), cpu_socket("cpu_socket"), router("router"), ram("ram", kRamSize), m_options(options) {
  std::vector<std::string> chosen(std::begin(kRoles), std::end(kRoles));
  for (const std::string& swap : options.swaps) {
    catalog.get(swap);  // an unknown name is an Error naming the known ones
    const auto it = std::find(chosen.begin(), chosen.end(), base_device(swap));
    if (it == chosen.end())
      throw tandem::Error(
          fmt::format("device '{}' replaces no device of the platform (it has: seldev, timer, "
                      "dma, uart16550_w32, uart16550)",
                      swap));
    *it = swap;
  }
  cpu_socket.bind(router.in);
  router.map("ram", kRamBase, kRamSize);
  router.out.bind(ram.socket);
  tandem::TlmTargetOptions t;
  t.mode = options.mode;
  t.policy = options.policy;
  t.clock_period = options.clock_period;
  t.replay_dir = options.replay_dir;
  t.waivers = options.waivers;
  for (size_t i = 0; i < chosen.size(); ++i) {
    Slot s;
    s.device = chosen[i];
    s.role = kRoles[i];
    s.base = kDeviceBase + i * kDeviceStride;
    const tandem::DeviceBinding& b = catalog.get(s.device);
    s.target = std::make_unique<tandem::TlmTarget>(s.role.c_str(), b, t);
    router.map(s.role, s.base, std::min<uint64_t>(b.addr_limit(), kDeviceStride));
    router.out.bind(s.target->socket);
    s.target->dma_socket.bind(router.in);  // bus masters reach RAM through the router
    for (size_t l = 0; l < s.target->irq.size(); ++l) {
      s.irq.push_back(std::make_unique<sc_core::sc_signal<bool>>(fmt::format("{}_irq{}", s.role, l).c_str()));
      s.target->irq[l].bind(*s.irq.back());
    }
    m_slots.push_back(std::move(s));
  }
  tlm_utils::tlm_quantumkeeper::set_global_quantum(options.quantum);
  m_keeper.reset();
  SC_HAS_PROCESS(Platform);
  SC_THREAD(cpu);
}

uint64_t Platform::divergences() const {
  uint64_t n = 0;
  for (const Slot& s : m_slots) n += s.target->divergences();
  return n;
}

void Platform::run_firmware(const Slot& slot) {
  std::vector<const sc_core::sc_signal_in_if<bool>*> lines;
  for (const auto& l : slot.irq) lines.push_back(l.get());
  tandem::TlmMmio bus(cpu_socket, m_keeper, slot.base, m_options.clock_period, lines);
  const tandem_mmio io = bus.mmio();
  const fw_log log = {&m_results, record};
  if (slot.role == "seldev") fw_seldev(&io, &log);
  if (slot.role == "timer") fw_timer(&io, &log);
  if (slot.role == "dma") fw_dma(&io, &log, kRamBase);
  if (slot.role == "uart16550_w32") fw_uart(&io, &log);
  if (slot.role == "uart16550") {
    // No driver for the byte-wide variant: its line status, one byte read on an 8-bit bus.
    uint8_t lsr = 0;
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(slot.base + 5);
    t.set_data_ptr(&lsr);
    t.set_data_length(1);
    t.set_streaming_width(1);
    sc_core::sc_time delay = m_keeper.get_local_time();
    cpu_socket->b_transport(t, delay);
    m_keeper.set(delay);
    m_results.emplace_back("uart16550.lsr", t.is_response_ok() ? lsr : 0x100);
  }
  m_results.emplace_back(slot.role + ".bus_errors", bus.bus_errors());
}

void Platform::cpu() {
  for (const Slot& s : m_slots) run_firmware(s);
  m_keeper.sync();
  m_finished = true;
  sc_core::sc_stop();
}

}  // namespace vp
