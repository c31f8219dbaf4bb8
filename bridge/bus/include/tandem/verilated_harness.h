// The one Verilator harness: it owns the VerilatedContext, the verilated top, the clock, reset
// (either polarity), the FST trace, the interrupt log, the bus-master port and save/restore,
// for any bus. A bus driver (apb_driver.h; bus_driver.h says what one is) knows only its
// protocol: it turns one BusBeat into pin activity, clocking the top through the harness.
// Include only where the top is known (the glue tandem_add_device generates).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <verilated.h>
#include <verilated_fst_c.h>

#include "tandem/bus_driver.h"
#include "tandem/error.h"
#include "tandem/master_port.h"
#include "tandem/pins.h"
#include "tandem/rtl_target.h"
#include "tandem/verilated_state.h"

namespace tandem {

namespace detail {
// Verilator 5 keeps one process-wide "last context" pointer (Verilated::lastContextp) that every
// VerilatedContext and every model's symbol table writes when constructed, without a lock:
// models built on several threads at once (tandem run -j N) race on it (ThreadSanitizer
// reports it). Each model here has its own context and each thread's own pointer is set by
// that construction, so nothing reads the shared one; building them one at a time keeps the
// write race-free. One mutex for the process (an inline function's static), not per top.
inline std::mutex& verilator_construction_mutex() {
  static std::mutex m;
  return m;
}

// VerilatedContexts whose model is gone, kept for the next harness this thread builds. A new
// context asks std::thread::hardware_concurrency() twice (its member initialiser, then
// threads(1)), and glibc opens and reads /sys/devices/system/cpu/online each time: 15% of a
// lockstep fuzzer's time, which builds an engine per input (docs/measurements.md, "Fuzzing").
// Only a context nothing has marked comes back (no trace, no $finish/$stop, no error); it is
// handed out as a new one stands: time 0, this thread's context. Verilator keeps nothing else
// of a model in its context once the model is destroyed (the scopes go with the symbol table).
class ContextPool {
 public:
  static constexpr size_t kKept = 4;  // contexts kept per thread: engines alive at once

  // A context with threads(1) and fatalOnError(false), as the harness sets them. The caller
  // holds verilator_construction_mutex().
  static std::unique_ptr<VerilatedContext> take() {
    std::vector<std::unique_ptr<VerilatedContext>>& kept = contexts();
    if (!kept.empty()) {
      std::unique_ptr<VerilatedContext> c = std::move(kept.back());
      kept.pop_back();
      c->time(0);
      Verilated::threadContextp(c.get());  // as the constructor sets it (and the last context)
      return c;
    }
    auto c = std::make_unique<VerilatedContext>();
    c->threads(1);
    c->fatalOnError(false);
    return c;
  }
  // Back from a harness whose model is destroyed; `traced`: it had trace output on.
  static void give(std::unique_ptr<VerilatedContext> c, bool traced) {
    std::vector<std::unique_ptr<VerilatedContext>>& kept = contexts();
    if (traced || c->gotFinish() || c->gotError() || c->errorCount() != 0 || kept.size() >= kKept) return;
    kept.push_back(std::move(c));
  }
  // Drops the kept contexts: the next harness of this thread builds its context afresh.
  static void clear() { contexts().clear(); }
  static size_t kept() { return contexts().size(); }

 private:
  static std::vector<std::unique_ptr<VerilatedContext>>& contexts() {
    static thread_local std::vector<std::unique_ptr<VerilatedContext>> kept;
    return kept;
  }
};

template <class T, class = void>
struct has_irq : std::false_type {};
template <class T>
struct has_irq<T, std::void_t<decltype(std::declval<T&>().irq)>> : std::true_type {};

// Drivers with `static constexpr bool kReportsEdges = true` fill in BeatResult::done and edges.
template <class T, class = void>
struct reports_edges : std::false_type {};
template <class T>
struct reports_edges<T, std::void_t<decltype(T::kReportsEdges)>> : std::bool_constant<T::kReportsEdges> {};

// A driver's kTrailingEdges (bus_driver.h), 0 when it has none.
template <class T, class = void>
struct trailing_edges : std::integral_constant<unsigned, 0> {};
template <class T>
struct trailing_edges<T, std::void_t<decltype(T::kTrailingEdges)>>
    : std::integral_constant<unsigned, T::kTrailingEdges> {};

// Tops verilated with --trace-fst; the --savable build of a device is not.
template <class T, class = void>
struct has_trace : std::false_type {};
template <class T>
struct has_trace<T, std::void_t<decltype(std::declval<T&>().trace(std::declval<VerilatedFstC*>(), 0))>>
    : std::true_type {};
}  // namespace detail

// A top's peripheral pins as the harness reaches them (the glue generates one from
// tandem_add_device's PINS): kInputBits, kOutputBits and kWatchBits, and for a top with any,
// `static void drive(Top&, uint64_t inputs)`, `static uint32_t outputs(const Top&)` (compared)
// and `static uint32_t watched(const Top&)` (heard by the line model only), each packed in
// declaration order (pins.h). A top without pins pays nothing for them.
struct NoPins {
  static constexpr unsigned kInputBits = 0;
  static constexpr unsigned kOutputBits = 0;
  static constexpr unsigned kWatchBits = 0;
};

template <class Top, template <class> class Driver, class Pins = NoPins>
class VerilatedHarness final : public RtlTarget {
  using Bus = Driver<Top>;
  static constexpr bool kMaster = detail::has_master_port<Top>::value;

 public:
  static constexpr unsigned kDataBytes = Bus::kDataBytes;
  static constexpr unsigned kMinEdges = Bus::kMinEdges;
  static constexpr unsigned kTrailingEdges = detail::trailing_edges<Bus>::value;

  // `pin_shift`: the interrupt lines before the output pins in irq() (Hints::irq_lines).
  explicit VerilatedHarness(const RtlOptions& options, unsigned pin_shift = 0)
      : m_bus(options), m_port(options.mem_latency), m_pin_shift(pin_shift) {
    {
      const std::lock_guard<std::mutex> lock(detail::verilator_construction_mutex());
      m_context = detail::ContextPool::take();
      if (!options.fst_path.empty()) m_context->traceEverOn(true);
      m_top = std::make_unique<Top>(m_context.get(), "top");
    }
    if (!options.fst_path.empty()) open_trace(options.fst_path);
    Bus::clock(*m_top) = 1;
    set_reset(false);
    m_bus.idle(*m_top);
    if constexpr (kMaster) MasterPortServer::quiet(*m_top);
    m_top->eval();
  }

  ~VerilatedHarness() override {
    m_top->final();
    const bool traced = m_trace != nullptr;
    if (traced) m_trace->close();
    m_trace.reset();
    m_top.reset();
    detail::ContextPool::give(std::move(m_context), traced);
  }

  const char* bus_name() const override { return Bus::kName; }
  unsigned data_bytes() const override { return kDataBytes; }
  unsigned min_edges() const override { return kMinEdges; }
  bool has_master_port() const override { return kMaster; }
  void attach_pins(PinSource* source) override {
    if constexpr (Pins::kInputBits + Pins::kOutputBits + Pins::kWatchBits > 0) {
      m_pin_source = source;
      m_inputs_until = 0;
    }
  }

  void reset(unsigned cycles) override {
    m_bus.idle(*m_top);
    if constexpr (Pins::kInputBits > 0) m_inputs_until = 0;
    if constexpr (kMaster) m_port.reset();
    set_reset(true);
    for (unsigned i = 0; i < cycles; ++i) edge();
    set_reset(false);
  }

  BeatResult access(const BusBeat& beat) override {
    const Cycle start = m_now;
    if constexpr (Pins::kInputBits > 0) m_inputs_until = 0;  // the source may have learnt more since
    BeatResult r = m_bus.transfer(*m_top, beat, *this);
    // A driver whose access edge is not its last, or whose manager inserts edges of its own,
    // reports both; the others' access is their last edge and every edge is the completer's.
    if constexpr (!detail::reports_edges<Bus>::value) {
      r.done = m_now;
      r.edges = static_cast<unsigned>(m_now - start);
    }
    m_bus.idle(*m_top);
    return r;
  }

  void run(uint64_t cycles) override {
    m_bus.idle(*m_top);
    if constexpr (Pins::kInputBits > 0) m_inputs_until = 0;
    for (uint64_t i = 0; i < cycles; ++i) edge();
  }

  // The clock, as the bus driver sees it. Inputs are applied with the clock low; outputs
  // sampled then are what the flops see at the rising edge rise() makes.
  void fall() {
    Bus::clock(*m_top) = 0;
    if constexpr (kMaster) m_port.drive(*m_top, m_now + 1, in_reset());
    if constexpr (Pins::kInputBits > 0) drive_inputs(m_now + 1);
    m_top->eval();
    if constexpr (kMaster) m_port.take(*m_top, m_now + 1, in_reset(), m_memory, m_dma_log);
    if (m_trace) m_trace->dump(2 * m_now + 1);
  }
  void rise() {
    Bus::clock(*m_top) = 1;
    m_top->eval();
    ++m_now;
    if (m_trace) m_trace->dump(2 * m_now);
    if constexpr (detail::has_irq<Top>::value || Pins::kOutputBits + Pins::kWatchBits > 0) {
      uint32_t v = 0;
      if constexpr (detail::has_irq<Top>::value) v = static_cast<uint32_t>(m_top->irq);
      if constexpr (Pins::kOutputBits > 0) v |= Pins::outputs(*m_top) << m_pin_shift;
      // The watched pins (none: w stays 0 and the tests fold away) go to the source, not the log.
      uint32_t w = 0;
      if constexpr (Pins::kWatchBits > 0) w = Pins::watched(*m_top);
      const bool watch_changed = Pins::kWatchBits > 0 && w != m_watched;
      if (v != m_irq || watch_changed) {
        if constexpr (Pins::kOutputBits + Pins::kWatchBits > 0) {
          if (m_pin_source && (((v ^ m_irq) >> m_pin_shift) != 0 || watch_changed)) {
            uint32_t outputs = v >> m_pin_shift;
            if constexpr (Pins::kWatchBits > 0) outputs |= w << Pins::kOutputBits;
            m_pin_source->on_outputs(m_now, outputs);
          }
        }
        if constexpr (Pins::kWatchBits > 0) m_watched = w;
        if (v != m_irq) {
          m_irq = v;
          m_irq_log.push_back({m_now, v});
        }
      }
    }
  }

  // Between steps the pins are idle; the top's inputs and state are in its --savable image.
  // Verilator does not keep the context's time: it is saved here.
  bool savable() const override { return detail::is_savable<Top>::value; }
  void save(StateWriter& out) const override {
    if constexpr (detail::is_savable<Top>::value) {
      save_base(out);
      m_port.save(out);
      out.u64(m_context->time());
      std::vector<uint8_t> image;
      {
        detail::MemorySave os(image);
        os << *m_top;
      }
      put_blob(out, image);
    } else {
      RtlTarget::save(out);
    }
  }
  std::string restore(StateReader& in) override {
    if constexpr (detail::is_savable<Top>::value) {
      if (std::string why = restore_base(in); !why.empty()) return why;
      uint64_t time = 0, size = 0;
      if (!m_port.restore(in) || !in.u64(time) || !in.u64(size)) return "rtl: truncated";
      if (size > (uint64_t(1) << 30)) return "rtl: model image larger than 1 GiB";
      std::vector<uint8_t> image(size);
      for (uint8_t& b : image)
        if (!in.u8(b)) return "rtl: model image truncated";
      m_context->time(time);
      if (!m_restorer) m_restorer = std::make_shared<detail::MemoryRestore>();
      m_restorer->open(image.data(), image.size());
      *m_restorer >> *m_top;
      m_restorer->close();
      m_inputs_until = 0;
      if constexpr (Pins::kWatchBits > 0) m_watched = Pins::watched(*m_top);
      return "";
    } else {
      return RtlTarget::restore(in);
    }
  }

 private:
  void open_trace(const std::string& path) {
    if constexpr (detail::has_trace<Top>::value) {
      m_trace = std::make_unique<VerilatedFstC>();
      m_top->trace(m_trace.get(), 99);
      m_trace->open(path.c_str());
      if (!m_trace->isOpen()) throw Error(path + ": cannot open for writing");
    } else {
      throw Error(path + ": this verilated model has no trace (the --savable build of a device)");
    }
  }
  // The source is asked again only where it says the inputs may change.
  void drive_inputs(Cycle t) {
    if (m_pin_source == nullptr || t < m_inputs_until) return;
    Pins::drive(*m_top, m_pin_source->inputs(t));
    m_inputs_until = m_pin_source->next_change(t);
  }
  void set_reset(bool active) { Bus::reset(*m_top) = (active != Bus::kResetActiveLow) ? 1 : 0; }
  bool in_reset() const { return (Bus::reset(*m_top) != 0) != Bus::kResetActiveLow; }
  void edge() {
    fall();
    rise();
  }

  Bus m_bus;
  std::unique_ptr<VerilatedContext> m_context;
  std::unique_ptr<Top> m_top;
  std::unique_ptr<VerilatedFstC> m_trace;
  MasterPortServer m_port;
  unsigned m_pin_shift = 0;
  PinSource* m_pin_source = nullptr;
  Cycle m_inputs_until = 0;  // inputs stand as driven before this edge
  uint32_t m_watched = 0;    // the watched pins after the last edge (Pins::kWatchBits)
  // Kept: the lockstep fuzzers restore per input. A shared_ptr, whose deleter is made where the
  // restorer is (only for a --savable top): a top verilated without --savable links without
  // Verilator's save/restore runtime (verilated_save.cpp), as in the fuzz build.
  std::shared_ptr<detail::MemoryRestore> m_restorer;
};

}  // namespace tandem
