// APB4 completer driver for a verilated top. The top must have ports pclk, presetn, psel,
// penable, paddr, pwrite, pwdata, prdata; pready, pslverr, pstrb, pprot and irq are used
// when present (APB2/APB3 tops without them work), and so is a bus-master port
// (master_port.h). Include only where the top is known.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include <verilated.h>
#include <verilated_fst_c.h>

#include "tandem/error.h"
#include "tandem/master_port.h"
#include "tandem/rtl_target.h"
#include "tandem/verilated_state.h"

namespace tandem {

namespace detail {
#define TANDEM_HAS_PORT(port)                                                                   \
  template <class T, class = void>                                                            \
  struct has_##port : std::false_type {};                                                     \
  template <class T>                                                                          \
  struct has_##port<T, std::void_t<decltype(std::declval<T&>().port)>> : std::true_type {};
TANDEM_HAS_PORT(pready)
TANDEM_HAS_PORT(pslverr)
TANDEM_HAS_PORT(pstrb)
TANDEM_HAS_PORT(pprot)
TANDEM_HAS_PORT(irq)
#undef TANDEM_HAS_PORT

// Tops verilated with --trace-fst; the --savable build of a device is not.
template <class T, class = void>
struct has_trace : std::false_type {};
template <class T>
struct has_trace<T, std::void_t<decltype(std::declval<T&>().trace(std::declval<VerilatedFstC*>(), 0))>>
    : std::true_type {};

// Drive an input port of whatever width Verilator gave it.
template <class Port, class Value>
inline void drive(Port& port, Value value) {
  port = static_cast<std::remove_reference_t<Port>>(value);
}
}  // namespace detail

template <class Top>
class ApbTarget final : public RtlTarget {
  static constexpr bool kMaster = detail::has_master_port<Top>::value;

 public:
  explicit ApbTarget(const RtlOptions& options) : m_options(options), m_port(options.mem_latency) {
    m_context = std::make_unique<VerilatedContext>();
    m_context->threads(1);
    m_context->fatalOnError(false);
    if (!options.fst_path.empty()) m_context->traceEverOn(true);
    m_top = std::make_unique<Top>(m_context.get(), "top");
    if (!options.fst_path.empty()) {
      if constexpr (detail::has_trace<Top>::value) {
        m_trace = std::make_unique<VerilatedFstC>();
        m_top->trace(m_trace.get(), 99);
        m_trace->open(options.fst_path.c_str());
        if (!m_trace->isOpen()) throw Error(options.fst_path + ": cannot open for writing");
      } else {
        throw Error(options.fst_path + ": this verilated model has no trace (the --savable build of a device)");
      }
    }
    m_top->pclk = 1;
    m_top->presetn = 1;
    idle_pins();
    if constexpr (kMaster) MasterPortServer::quiet(*m_top);
    m_top->eval();
  }

  ~ApbTarget() override {
    m_top->final();
    if (m_trace) m_trace->close();
  }

  const char* bus_name() const override { return "apb"; }
  bool has_master_port() const override { return kMaster; }
  unsigned data_bytes() const override { return static_cast<unsigned>(sizeof(m_top->prdata)); }

  void reset(unsigned cycles) override {
    idle_pins();
    if constexpr (kMaster) m_port.reset();
    m_top->presetn = 0;
    for (unsigned i = 0; i < cycles; ++i) edge();
    m_top->presetn = 1;
  }

  BeatResult access(const BusBeat& beat) override {
    BeatResult r;
    // Setup phase: one edge with PSEL high and PENABLE low.
    m_top->psel = 1;
    m_top->penable = 0;
    detail::drive(m_top->paddr, beat.addr);
    m_top->pwrite = beat.write;
    detail::drive(m_top->pwdata, beat.wdata);
    if constexpr (detail::has_pstrb<Top>::value)
      detail::drive(m_top->pstrb, beat.write ? beat.strobe : 0u);
    if constexpr (detail::has_pprot<Top>::value) m_top->pprot = 0x2;  // data, non-secure, normal
    edge();
    // Access phase: PENABLE high until the completer raises PREADY.
    m_top->penable = 1;
    for (unsigned waits = 0;; ++waits) {
      fall();
      bool ready = true;
      if constexpr (detail::has_pready<Top>::value) ready = m_top->pready;
      if (ready) {
        r.rdata = m_top->prdata;
        if constexpr (detail::has_pslverr<Top>::value) r.error = m_top->pslverr;
      }
      rise();
      if (ready) break;
      if (waits >= m_options.hang_limit) {
        r.hung = true;
        break;
      }
    }
    r.done = m_now;
    idle_pins();
    return r;
  }

  void run(uint64_t cycles) override {
    idle_pins();
    for (uint64_t i = 0; i < cycles; ++i) edge();
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
      out.u64(image.size());
      out.bytes.insert(out.bytes.end(), image.begin(), image.end());
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
      detail::MemoryRestore is(image.data(), image.size());
      is >> *m_top;
      return "";
    } else {
      return RtlTarget::restore(in);
    }
  }

 private:
  void idle_pins() {
    m_top->psel = 0;
    m_top->penable = 0;
    m_top->pwrite = 0;
  }

  // Inputs are applied with the clock low; outputs sampled then are what the flops see.
  void fall() {
    m_top->pclk = 0;
    if constexpr (kMaster) m_port.drive(*m_top, m_now + 1, !m_top->presetn);
    m_top->eval();
    if constexpr (kMaster) m_port.take(*m_top, m_now + 1, !m_top->presetn, m_memory, m_dma_log);
    if (m_trace) m_trace->dump(2 * m_now + 1);
  }
  void rise() {
    m_top->pclk = 1;
    m_top->eval();
    ++m_now;
    if (m_trace) m_trace->dump(2 * m_now);
    if constexpr (detail::has_irq<Top>::value) {
      const uint32_t v = static_cast<uint32_t>(m_top->irq);
      if (v != m_irq) {
        m_irq = v;
        m_irq_log.push_back({m_now, v});
      }
    }
  }
  void edge() {
    fall();
    rise();
  }

  RtlOptions m_options;
  std::unique_ptr<VerilatedContext> m_context;
  std::unique_ptr<Top> m_top;
  std::unique_ptr<VerilatedFstC> m_trace;
  MasterPortServer m_port;
};

}  // namespace tandem
