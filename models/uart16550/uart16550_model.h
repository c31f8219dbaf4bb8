// Functional model of rtl/uart16550: the NS16550A-compatible UART through its pins. The input
// pins (sin, cts_n, dsr_n, ri_n, dcd_n) come from the line model the binding attaches
// (attach_pins, tandem/pins.h: a serial terminal, models/uart16550/uart_window.h); the output
// pins (sout, dtr_n, rts_n, out1_n, out2_n) follow the interrupt line in irq(). Time is lazy:
// characters are frames whose bits are arithmetic on their start edge, and the model acts only
// at a few edges per character (frame ends, detections, stop-bit samples, timeout); sout's bit
// edges are among next_event's edges.
#pragma once

#include <cstdint>
#include <string>

#include <tandem/device.h>
#include <tandem/pins.h>
#include <tandem_regs/uart16550.hpp>  // generated from devices/uart16550/uart16550.rdl

#include "uart_line.h"
#include "uart_terminal.h"

namespace models {

// Where 16550 implementations legitimately differ. The defaults are what rtl/uart16550 does;
// another vendor's 16550 with the standard map is checked with the options it documents.
struct Uart16550Options {
  // An IIR read that reports "THR empty" clears that interrupt (NS16550A). false: only a THR
  // write or ETBEI = 0 clears it.
  bool iir_read_clears_thre = true;
  // An IER write with ETBEI = 1 while THRE = 1 raises the THR-empty interrupt even when ETBEI
  // was 1 already (several clones). false: only an ETBEI 0 -> 1 transition does (NS16550A).
  bool thre_on_every_ier_write = false;
  // IIR[7:6] while the FIFOs are enabled: 0xC0 (16550A), 0x80 (original 16550), 0x00.
  uint8_t iir_fifo_bits = 0xC0;
  // FCR[0] = 0 selects 16450 mode: one-byte RBR and THR, no timeout, IIR[7:6] = 0. false:
  // the FIFOs are always enabled and FCR[0] is ignored.
  bool fifo_enable_honoured = true;
  // SCR exists. false (8250): reads 0xFF, writes are lost.
  bool scratch_present = true;
  // An RBR read with nothing received returns the last character read. false: 0.
  bool empty_rbr_read_returns_last = true;
  // TERI sets on any change of RI. false: only when RI goes 1 -> 0 (NS16550A).
  bool teri_on_any_edge = false;
  // The irq output is gated by MCR.OUT2 (what PC boards do outside the chip). false: not.
  bool irq_gated_by_out2 = false;
  // A new character clears a pending character timeout. false: only a pop, an empty FIFO or a
  // FIFO reset does (the count still restarts).
  bool timeout_cleared_by_new_character = false;
  // LSR PE/FE/BI show the character at the top of the RX FIFO (NS16550A). false: they set as
  // each character enters the FIFO.
  bool lsr_errors_at_fifo_top = true;
};

namespace uart_regs = tandem_regs::uart16550;

class Uart16550Model : public tandem::Device {
 public:
  // reg_shift 0 with an 8-bit bus (bus_bytes 1); 2 with a 32-bit bus (bus_bytes 4).
  explicit Uart16550Model(Uart16550Options options = {}, unsigned reg_shift = 0, unsigned bus_bytes = 1);

  // Register indices; register n sits at byte offset n << reg_shift.
  // (The generated names of devices/uart16550/uart16550.rdl, whose offsets are the indices.)
  enum Reg : unsigned {
    RBR_THR = uart_regs::RBR_THR_DLL,
    IER = uart_regs::IER_DLM,
    IIR_FCR = uart_regs::IIR_FCR,
    LCR = uart_regs::LCR,
    MCR = uart_regs::MCR,
    LSR = uart_regs::LSR,
    MSR = uart_regs::MSR,
    SCR = uart_regs::SCR,  // DLL = 0, DLM = 1
    // The line model's window (models/uart16550/uart_window.h), not the model's registers: the
    // bindings' driver-manual sequences address them by these names.
    INJ_DATA = uart_regs::H_INJ_DATA,
    INJ_FMT = uart_regs::H_INJ_FMT,
    INJ_CTRL = uart_regs::H_INJ_CTRL,
    INJ_DIV_LO = uart_regs::H_INJ_DIV_LO,
    INJ_DIV_HI = uart_regs::H_INJ_DIV_HI,
    INJ_STATUS = uart_regs::H_INJ_STATUS,
    MODEM_IN = uart_regs::H_MODEM_IN,
    MODEM_OUT = uart_regs::H_MODEM_OUT,
    CAP_COUNT = uart_regs::H_CAP_COUNT,
    CAP_DATA = uart_regs::H_CAP_DATA,
    CAP_FLAGS = uart_regs::H_CAP_FLAGS,
    CAP_TIME0 = uart_regs::H_CAP_TIME0,
    LINE = uart_regs::H_LINE,
    NOW0 = uart_regs::H_NOW0,
    LAST_REG = uart_regs::H_NOW3,
  };
  // irq() bits: the interrupt line, then the output pins in the bindings' PINS order.
  static constexpr uint32_t kIrqBit = 1u << 0, kSoutBit = 1u << 1, kDtrBit = 1u << 2, kRtsBit = 1u << 3,
                            kOut1Bit = 1u << 4, kOut2Bit = 1u << 5;
  // LSR bits.
  static constexpr uint8_t kDr = uart_regs::LSR_DR_MASK, kOe = uart_regs::LSR_OE_MASK, kPe = uart_regs::LSR_PE_MASK,
                           kFe = uart_regs::LSR_FE_MASK, kBi = uart_regs::LSR_BI_MASK, kThre = uart_regs::LSR_THRE_MASK,
                           kTemt = uart_regs::LSR_TEMT_MASK, kFifoErr = uart_regs::LSR_FIFOERR_MASK;
  // IIR interrupt identifications (bits 3:0).
  static constexpr uint8_t kIirNone = 0x1, kIirRls = 0x6, kIirRda = 0x4, kIirCti = 0xC, kIirThre = 0x2, kIirMs = 0x0;
  // IER bits.
  static constexpr uint8_t kErbfi = uart_regs::IER_DLM_ERBFI_MASK, kEtbei = uart_regs::IER_DLM_ETBEI_MASK,
                           kElsi = uart_regs::IER_DLM_ELSI_MASK, kEdssi = uart_regs::IER_DLM_EDSSI_MASK;
  static constexpr unsigned kDepth = 16;

  void reset(tandem::Cycle now) override;
  tandem::BusResponse read(uint64_t offset, unsigned size, tandem::Cycle now) override;
  tandem::BusResponse write(uint64_t offset, uint64_t value, unsigned size, tandem::Cycle now) override;
  void advance(tandem::Cycle now) override;
  tandem::Cycle next_event(tandem::Cycle now) const override;
  uint32_t irq() const override;
  void attach_pins(const tandem::PinSource* source) override;
  void save(tandem::StateWriter& out) const override;
  std::string restore(tandem::StateReader& in) override;

  const Uart16550Options& options() const { return m_options; }

 protected:
  // The interrupt sources pending (enabled and active), as IIR prioritises them.
  struct Sources {
    bool rls = false, rda = false, cti = false, thre = false, ms = false;
    bool any() const { return rls || rda || cti || thre || ms; }
  };

  // Hooks the seeded-bug mutants override; the correct model is these defaults.
  // Offsets 0 and 1 address DLL/DLM (true) or RBR/THR/IER (false) under this LCR.
  virtual bool divisor_latch_selected(uint8_t lcr) const { return (lcr & 0x80) != 0; }
  // The LSR bits an LSR read clears.
  virtual uint8_t lsr_bits_cleared_by_read() const { return kOe | kPe | kFe | kBi; }
  // IIR[3:0] for the pending sources: line status > data available > timeout > THR empty >
  // modem status.
  virtual uint8_t interrupt_id(const Sources& s) const {
    if (s.rls) return kIirRls;
    if (s.rda) return kIirRda;
    if (s.cti) return kIirCti;
    if (s.thre) return kIirThre;
    if (s.ms) return kIirMs;
    return kIirNone;
  }
  // Entries of each FIFO in FIFO mode.
  virtual unsigned fifo_depth() const { return kDepth; }
  // THRE going 0 -> 1 raises the THR-empty interrupt again after an IIR read cleared it.
  virtual bool thre_rearmed_after_iir_read() const { return true; }
  // The most entries restore() accepts in a saved TX or RX FIFO: its depth.
  virtual size_t restored_fifo_limit(size_t depth) const { return depth; }
  // Seeded bugs, members because irq() asks at every access (0 in the correct model):
  // characters beyond the trigger level the data-available interrupt waits for, and whether
  // an LSR read sees the edge it completes at (a flag that edge sets is then read and cleared
  // instead of surviving the read).
  unsigned m_trigger_slack = 0;
  bool m_lsr_read_sees_own_edge = false;

 private:
  struct RxEntry {
    uint8_t data = 0;
    uint8_t errors = 0;  // [0] PE [1] FE [2] BI
  };
  // A uart16550_tx: a frame on the line until `end`, or a load due at `load_at`.
  struct Serializer {
    bool busy = false;
    tandem::Cycle end = 0;
    tandem::Cycle load_at = tandem::kNever;
    tandem::Cycle next() const { return busy ? end : load_at; }
  };

  // Everything that changes; one copy is the model, another is what next_event looks ahead on.
  struct State {
    tandem::Cycle now = 0;
    tandem::Cycle reset_edge = 0;
    // UART registers
    uint8_t lcr = 0, dll = 0, dlm = 0, scr = 0, ier = 0, mcr = 0;
    bool fifo_en = false;
    uint8_t trig = 0;
    uart::Fifo<uint8_t> tx_fifo;
    Serializer tx;
    uart::Fifo<RxEntry> rx_fifo;
    uint8_t rbr_last = 0;
    uint8_t lsr_flags = 0;  // OE, PE, FE, BI at their LSR positions
    bool thre_int = false;
    bool thre_iir_cleared = false;  // an IIR read cleared it since ETBEI last went 0 -> 1
    bool cti = false;
    tandem::Cycle to_base = 0;  // last push or pop
    tandem::Cycle to_min = 0;   // the edge after the last LCR/divisor write
    uint8_t msr_status = 0, msr_delta = 0;
    tandem::Cycle msr_at = tandem::kNever;  // the edge the MSR copies an MCR change in loopback
    // lines
    uart::FrameLine tx_line;
    uart::LevelHistory loop, brk;
    uart::Sampler rx;
    // next_modem_change's last answer `next`, worked out at edge `from` for msr_status `status`
    // with the line model's inputs at `version`: it holds for later edges before `next` while
    // those stay (a UartTerminal only).
    struct ModemLookahead {
      uint64_t version = 0;
      tandem::Cycle from = tandem::kNever, next = tandem::kNever;
      uint8_t status = 0;
    };
    mutable ModemLookahead modem_ahead;
  };

  // The input pins as the line model drives them (0 without one, as the RTL's harness drives
  // them then): sin after edge t is inputs(t + 1) bit 0. A source that knows sin as frames
  // (uart::SinFrames) hands them over whole; any other is walked level by level.
  struct SinLine {
    SinLine(const tandem::PinSource* source, const uart::SinFrames* frames)
        : src(source), frames(frames), framed(frames) {}
    const tandem::PinSource* src;
    const uart::SinFrames* frames;  // src as frames, or null
    uart::FramedSin framed;
    bool level(tandem::Cycle t) const {
      if (frames != nullptr) return framed.level(t);
      return src != nullptr && (src->inputs(t + 1) & 1u) != 0;
    }
    tandem::Cycle next_change(tandem::Cycle t) const {
      if (frames != nullptr) return framed.next_change(t);
      if (src == nullptr) return tandem::kNever;
      const tandem::Cycle c = src->next_change(t + 1);
      return c == tandem::kNever ? tandem::kNever : c - 1;
    }
  };
  // The receiver's line: sin, or the transmitter in loopback.
  struct RxLine {
    const State& s;
    SinLine sin;
    bool level(tandem::Cycle t) const { return s.loop.at(t) ? s.tx_line.level(t) : sin.level(t); }
    tandem::Cycle next_change(tandem::Cycle t) const {
      return std::min(s.loop.next_change(t), s.loop.at(t) ? s.tx_line.next_change(t) : sin.next_change(t));
    }
  };
  RxLine rx_line(const State& s) const { return RxLine{s, SinLine{m_pins, m_frames}}; }
  // sout: 1 in loopback, 0 during a break, else the transmitter.
  struct SoutLine {
    const State& s;
    bool level(tandem::Cycle t) const {
      if (s.loop.at(t)) return true;
      if (s.brk.at(t)) return false;
      return s.tx_line.level(t);
    }
    tandem::Cycle next_change(tandem::Cycle t) const {
      const tandem::Cycle gates = std::min(s.loop.next_change(t), s.brk.next_change(t));
      if (s.loop.at(t) || s.brk.at(t)) return gates;
      return std::min(gates, s.tx_line.next_change(t));
    }
  };

  // Time.
  void advance_state(State& s, tandem::Cycle e) const;  // every internal event up to edge e
  void process_edge(State& s, tandem::Cycle t) const;
  tandem::Cycle next_irq_change(const State& s) const;                      // earliest event that can move irq
  tandem::Cycle next_output_change(const State& s, tandem::Cycle t) const;  // sout after edge t
  // The modem inputs (MSR[7:4] layout, active high) the pins give before edge t.
  uint8_t modem_pins(tandem::Cycle t) const {
    if (m_terminal != nullptr) return static_cast<uint8_t>(~m_terminal->modem_inputs(t) & 0xfu);
    return m_pins == nullptr ? 0xf : static_cast<uint8_t>(~(m_pins->inputs(t) >> 1) & 0xfu);
  }
  // Drops the receiver's search for a start bit in `s` when the line model may have learned of
  // new changes of sin since it was made: always for a source walked level by level, only when
  // its sin_version() moved for one that gives frames.
  void refresh_sin(const State& s) const;
  // The first edge after s.now at which the MSR copies a change of the modem pins, or kNever.
  tandem::Cycle next_modem_change(const State& s) const;
  tandem::Cycle timeout_deadline(const State& s) const;
  void settle(State& s) const;  // shorten the samplers' searches and forget old line history

  // Internal events.
  void load_tx(State& s, tandem::Cycle t) const;
  void receive(State& s, tandem::Cycle t, const uart::Received& r) const;
  void thre_rises(State& s) const;
  void clear_rx_fifo(State& s) const;
  void clear_tx_fifo(State& s) const;

  // Registers.
  Sources sources(const State& s) const;
  uint8_t lsr_value(const State& s) const;
  uint8_t modem_loopback(const State& s) const;  // MSR[7:4] layout, what MCR gives in loopback
  uint32_t divisor(const State& s) const { return uart::effective_divisor(static_cast<uint16_t>(s.dlm << 8 | s.dll)); }
  tandem::Cycle timeout_limit(const State& s) const;
  void format_written(State& s, tandem::Cycle now) const;
  uint8_t read_register(State& s, unsigned reg, tandem::Cycle now) const;  // value + read effects
  void write_register(State& s, unsigned reg, uint8_t value, tandem::Cycle now) const;
  // The UART's own registers: the top decodes three bits of the index (the line model serves
  // the indices from 8 on when the binding has one).
  unsigned register_index(uint64_t offset) const { return static_cast<unsigned>(offset >> m_reg_shift) & 7u; }
  // Events whose edge does not depend on the input pins, all applied through s.now (restore).
  bool settled_without_pins(const State& s) const;

  Uart16550Options m_options;
  unsigned m_reg_shift;
  unsigned m_bus_bytes;
  const tandem::PinSource* m_pins = nullptr;
  // The source's modem inputs when it can tell their changes apart from sin's (a UartTerminal).
  const uart::UartTerminal* m_terminal = nullptr;
  // The source's sin as frames when it gives them (a uart::SinFrames), else null.
  const uart::SinFrames* m_frames = nullptr;
  mutable uint64_t m_sin_seen = 0;  // m_frames->sin_version() when m_s's search was last checked
  State m_s;
};

}  // namespace models
