// Any device binding as a SystemC TLM-2.0 target: the model alone, the RTL alone, or both in
// lockstep behind one loosely-timed socket, with no per-device SystemC code.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "tandem/binding.h"
#include "tandem/divergence.h"
#include "tandem/shrink.h"
#include "tandem/waiver_set.h"

namespace tandem {

enum class TlmMode : uint8_t {
  model,     // the C++ model alone: event-driven, idle time O(1)
  rtl,       // the verilated RTL alone, clocked as SystemC time passes
  lockstep,  // both, every access, interrupt edge and DMA access compared; the RTL answers
};
const char* tlm_mode_name(TlmMode mode);
// "model", "rtl" or "lockstep"; nullopt for anything else.
std::optional<TlmMode> parse_tlm_mode(const std::string& name);

// What a lockstep target does after it has reported a divergence.
enum class DivergencePolicy : uint8_t {
  stop,        // sc_stop(); later transactions answer TLM_GENERIC_ERROR_RESPONSE
  follow_rtl,  // keep running on the RTL's answers, the model beside it, counting divergences
};
const char* policy_name(DivergencePolicy policy);
std::optional<DivergencePolicy> parse_policy(const std::string& name);

struct TlmTargetOptions {
  TlmMode mode = TlmMode::model;
  sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);
  DivergencePolicy policy = DivergencePolicy::stop;
  std::string replay_dir = "tandem-replays";  // where a divergence's reproducer is written
  ShrinkOptions shrink = default_shrink();    // budget of shrinking that reproducer
  RtlOptions rtl;                             // rtl.mem_latency: the DMA port's latency, both sides
  // Known differences lockstep counts and goes on past (waiver.h), on top of the binding's own
  // (DeviceBinding::waivers), as `--waivers FILE` on the command line: fill it with
  // load_waivers(path) (tandem/waiver_file.h). Waivers apply in lockstep up to the first
  // divergence; under follow_rtl every later difference is counted, waived or not.
  WaiverSet waivers;

  static ShrinkOptions default_shrink() {
    ShrinkOptions s;
    s.max_seconds = 10;
    return s;
  }
};

class DeviceSide;       // tlm_sides.h: what the target drives in each mode
class IrqSink;          // tlm_sides.h: where a side reports its interrupt lines
struct PayloadPiece;    // payload_steps.h: one access of a payload
class TlmMemoryBridge;  // tlm_memory.h: guest memory through the DMA socket

// The socket takes loosely-timed b_transport: a payload becomes steps (byte enables, streaming
// width, lengths wider than the bus split as the engine splits them); the device's time is
// SystemC time (edge n at n clock periods after the start) and a transaction starts at its
// annotated time, so the device synchronises itself from the delay and never calls wait().
// Interrupt lines follow the device at the simulated time of each edge, woken by one sc_event
// per change (the model's next_event): idle time costs O(1) in model and lockstep mode. A
// bus-master device reaches guest memory through `dma_socket` (left unbound by others).
class TlmTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TlmTarget> socket;
  tlm_utils::simple_initiator_socket_optional<TlmTarget> dma_socket;
  sc_core::sc_vector<sc_core::sc_out<bool>> irq;  // one per line of binding.hints.irq_lines (at least one)

  TlmTarget(sc_core::sc_module_name name, const DeviceBinding& binding, const TlmTargetOptions& options = {});
  ~TlmTarget() override;

  const DeviceBinding& binding() const { return m_binding; }
  TlmMode mode() const { return m_options.mode; }
  // The edge the device stands at, and the SystemC time of an edge.
  Cycle device_cycle() const;
  sc_core::sc_time time_of(Cycle edge) const;

  // Lockstep: divergences reported (the first with its record and reproducer, later ones counted
  // under follow_rtl), and what was compared.
  uint64_t divergences() const { return m_divergences; }
  const std::optional<Divergence>& first_divergence() const { return m_first; }
  Stats lockstep_stats() const;
  // Each waiver that matched in lockstep (index into waivers()), with its count and first divergence.
  std::vector<WaiverUse> waived() const;
  // The waivers this target runs with: the binding's, then TlmTargetOptions::waivers.
  const WaiverSet& waivers() const { return m_waivers; }
  // The executed program (lockstep only): every step in order, guest memory the device read
  // first as mem_write steps. It is the reproducer before shrinking.
  Program history() const;
  // The model's saved state (Device::save) as it stands: what transport_dbg must leave alone.
  std::vector<uint8_t> model_state() const;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
  void run_pieces(tlm::tlm_generic_payload& trans, IrqSink& sink);
  bool in_window(const PayloadPiece& p) const;
  bool covers_hole(uint64_t addr, unsigned size) const;
  void wake();
  void rearm();
  void after_step();
  void report_divergence();
  void follow_rtl_after_divergence();
  std::string write_reproducer(Divergence& d);
  Cycle edge_at_or_after(const sc_core::sc_time& t) const;
  Cycle edge_at_or_before(const sc_core::sc_time& t) const;
  void end_of_elaboration() override;
  void end_of_simulation() override;

  const DeviceBinding& m_binding;
  TlmTargetOptions m_options;
  WaiverSet m_waivers;  // before m_side: the lockstep engine keeps a pointer to it
  uint64_t m_period;    // clock period in SystemC time units
  std::unique_ptr<TlmMemoryBridge> m_memory;
  std::unique_ptr<DeviceSide> m_side;
  Cycle m_start = 0;  // the edge that stands at SystemC time 0
  sc_core::sc_event m_wake;
  // Interrupt lines the device has reached, by edge, not yet driven onto `irq`.
  std::deque<std::pair<Cycle, uint32_t>> m_irq_due;
  uint32_t m_irq_last = 0;             // the last value queued
  uint32_t m_irq_mask = ~uint32_t(0);  // the interrupt lines' bits of the side's irq word
  uint64_t m_divergences = 0;
  std::optional<Divergence> m_first;
  std::vector<WaiverUse> m_waived_in_lockstep;  // kept when follow_rtl replaces the lockstep side
  bool m_stopped = false;
  std::vector<PayloadPiece> m_pieces;
};

}  // namespace tandem
