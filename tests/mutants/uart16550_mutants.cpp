// uart16550 mutants: the register-map and interrupt bugs 16550 models are known for.
#include "models/uart16550/uart16550_model.h"
#include "mutants.h"

namespace tandem {

namespace {

using models::Uart16550Model;

// (a) DLAB ignored: offsets 0 and 1 always reach RBR/THR and IER, so the divisor is never
// programmed and the driver's DLL write goes out on the line as a character.
class DlabIgnored final : public Uart16550Model {
  bool divisor_latch_selected(uint8_t) const override { return false; }
};

// (b) LSR not cleared on read: OE, PE, FE and BI stay set (and the line-status interrupt
// with them) after software read them.
class LsrNotCleared final : public Uart16550Model {
  uint8_t lsr_bits_cleared_by_read() const override { return 0; }
};

// (c) IIR priorities swapped: "received data available" is reported over "receiver line
// status", so a driver acknowledges the wrong source first.
class IirPrioritySwapped final : public Uart16550Model {
  uint8_t interrupt_id(const Sources& s) const override {
    if (s.rda) return kIirRda;
    if (s.rls) return kIirRls;
    if (s.cti) return kIirCti;
    if (s.thre) return kIirThre;
    if (s.ms) return kIirMs;
    return kIirNone;
  }
};

// (d) FIFO depth 15: both FIFOs hold one character too few; the 16th received character
// overruns and the 16th THR write is lost.
class FifoDepth15 final : public Uart16550Model {
  unsigned fifo_depth() const override { return 15; }
};

// (e) THR-empty interrupt not re-armed after an IIR read: once an IIR read acknowledged it,
// only toggling ETBEI brings it back; the next character's "THR empty" raises nothing.
class ThreNotRearmed final : public Uart16550Model {
  bool thre_rearmed_after_iir_read() const override { return false; }
};

// (f) Restore trusts a FIFO count: a saved TX or RX FIFO with more entries than the 16 the
// FIFO holds is loaded, so software reads more characters than the hardware can ever hold.
class RestoreTrustsFifoCount final : public Uart16550Model {
  size_t restored_fifo_limit(size_t) const override { return ~size_t(0); }
};

// (g) Trigger level off by one: the data-available interrupt waits for one character more
// than FCR's trigger level (`count > level` for `count >= level`), so a FIFO filled exactly to
// the level and left unread raises nothing.
class TriggerOffByOne final : public Uart16550Model {
 public:
  TriggerOffByOne() { m_trigger_slack = 1; }
};

// (h) Same-edge race, software clear against hardware set: an LSR read on the edge a
// character with a line error arrives sees the error and clears it; the hardware's read
// returns LSR from before that edge, and the flag the edge sets survives the read.
class LsrReadSeesOwnEdge final : public Uart16550Model {
 public:
  LsrReadSeesOwnEdge() { m_lsr_read_sees_own_edge = true; }
};

template <class T>
std::function<std::unique_ptr<Device>()> factory() {
  return [] { return std::make_unique<T>(); };
}

}  // namespace

std::vector<Mutant> uart16550_mutants() {
  return {
      {"uart16550", "uart16550.dlab_ignored", "ignored bank select",
       "LCR.DLAB is ignored: DLL/DLM writes land in THR/IER", DivergenceKind::irq, "irq", factory<DlabIgnored>()},
      {"uart16550", "uart16550.lsr_not_cleared", "wrong access policy",
       "LSR error bits (OE, PE, FE, BI) are not cleared by reading LSR", DivergenceKind::read_data, "LSR",
       factory<LsrNotCleared>()},
      {"uart16550", "uart16550.iir_priority_swapped", "wrong priority",
       "IIR reports received data available above receiver line status", DivergenceKind::read_data, "IIR_FCR",
       factory<IirPrioritySwapped>()},
      {"uart16550", "uart16550.fifo_depth_15", "off by one", "the FIFOs hold 15 characters instead of 16",
       // The TX FIFO drops the 16th character: sout stops sending where the RTL's goes on
       // (seen at the pin, before the line model's capture count could tell).
       DivergenceKind::irq, "sout", factory<FifoDepth15>()},
      {"uart16550", "uart16550.thre_not_rearmed", "lost interrupt",
       "the THR-empty interrupt is not raised again after an IIR read acknowledged it", DivergenceKind::irq, "irq",
       factory<ThreNotRearmed>()},
      {"uart16550", "uart16550.restore_trusts_fifo_count", "unchecked count (restore)",
       "restore loads a TX or RX FIFO count beyond the FIFO's 16 entries", DivergenceKind::restore, "rx fifo",
       factory<RestoreTrustsFifoCount>()},
      {"uart16550", "uart16550.trigger_off_by_one", "off by one",
       "the data-available interrupt needs one character more than the FIFO trigger level", DivergenceKind::irq, "irq",
       factory<TriggerOffByOne>()},
      {"uart16550", "uart16550.lsr_read_sees_own_edge", "same-edge race",
       "an LSR read on the edge a character arrives sees and clears that character's error flags",
       DivergenceKind::read_data, "LSR", factory<LsrReadSeesOwnEdge>()},
  };
}

}  // namespace tandem
