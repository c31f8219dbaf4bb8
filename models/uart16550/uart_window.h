// The uart16550 harness registers (0x20-0x33: line injector, capture FIFO, modem inputs, LINE,
// H_NOW) served by a serial terminal on the UART's pins, edge for edge as the Verilog harness
// top uart16550_harness answered them (rtl/uart16550/uart16550.sv up to commit e964541; what it
// answered to tests/uart_window_test.cpp's programs is recorded in
// tests/data/uart_window_golden.txt, which that test holds the window to). The registers, as
// that harness defined them:
//
// The harness top was an APB4 completer with an 8-bit PADDR, and the plain top with the window
// answers the same in its binding's 8-bit address space: register n (UART n = 0-7, harness
// n = 0x20-0x33) sits at byte offset n << REG_SHIFT, data on lane 0, writes need PSTRB[0].
// Every other offset answers PSLVERR with read data 0 and no effect.
//   0x20 INJ_DATA   RW  writing queues a frame {data, INJ_FMT, INJ_CTRL.BREAK, INJ_DIV}
//   0x21 INJ_FMT    RW  [5:0] frame format in LCR[5:0] layout; [6] flip the parity bit;
//                       [7] stop bit sent as 0 (framing error)
//   0x22 INJ_CTRL   RW  [0] BREAK: queued frames are breaks (line 0 for the whole frame)
//   0x23 INJ_DIV_LO RW  bit time divisor of injected frames, low byte
//   0x24 INJ_DIV_HI RW  high byte; {HI,LO} = 0: the UART's divisor when the frame starts
//   0x25 INJ_STATUS RO  [4:0] frames queued (0-16); [5] a frame on sin; [7] DROPPED: an
//                       INJ_DATA write found the queue full (cleared by this read)
//   0x26 MODEM_IN   RW  [0] CTS [1] DSR [2] RI [3] DCD asserted (the UART's pins driven low)
//   0x27 MODEM_OUT  RO  [0] DTR [1] RTS [2] OUT1 [3] OUT2 asserted (the UART's pins low)
//   0x28 CAP_COUNT  RO  [4:0] captured characters (0-16); [7] OVERFLOW: a character was
//                       dropped with the capture FIFO full (cleared by this read; a drop at
//                       the read's edge wins)
//   0x29 CAP_DATA   RO  oldest captured character; the read pops it (empty: 0, no effect)
//   0x2A CAP_FLAGS  RO  [0] PE [1] FE [2] BI of the oldest character (0 when empty)
//   0x2B-0x2E CAP_TIME0-3  RO  edge of the oldest character's stop-bit sample, counted
//                       from reset (32 bits, little-endian bytes; 0 when empty)
//   0x2F LINE       RO  [0] sout [1] sin
//   0x30-0x33 NOW0-3    RO  edges since reset: NOW0 returns the count before the read's edge,
//                       bits 7:0, and latches bits 31:8, which NOW1-3 return (0 after reset)
// The injector sends queued frames back to back on sin (a frame queued at edge W starts at
// W+1 if the injector is idle; an INJ_DATA write finding the queue full is dropped, the
// injector taking the head at that edge frees room first). Its parity follows INJ_FMT; a
// break frame is 0 for the frame's whole length. The monitor decodes sout as a uart16550_rx
// would, with the UART's LCR and divisor delayed one edge, so that a frame the
// transmitter starts at edge S (with the values before S) is decoded with the same values
// when the monitor sees its start bit at S+1; it captures {data, PE, FE, BI, edge}. The
// capture FIFO, like the RX FIFO, lets a pop at the same edge free room first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "uart_terminal.h"

namespace models::uart {

// The harness register indices (devices/uart16550/uart16550.rdl, H_*), as the window answers
// them.
namespace harness {
enum : unsigned {
  kInjData = 0x20,
  kInjFmt = 0x21,
  kInjCtrl = 0x22,
  kInjDivLo = 0x23,
  kInjDivHi = 0x24,
  kInjStatus = 0x25,
  kModemIn = 0x26,
  kModemOut = 0x27,
  kCapCount = 0x28,
  kCapData = 0x29,
  kCapFlags = 0x2A,
  kCapTime0 = 0x2B,
  kLine = 0x2F,
  kNow0 = 0x30,
};
}  // namespace harness

// Pins as UartTerminal's (inputs sin cts_n dsr_n ri_n dcd_n; outputs sout dtr_n rts_n out1_n
// out2_n). The window is every register index from 0x08 on (offset >> reg_shift, within the
// harness's 8-bit paddr): 0x20-0x33 answer as the harness did, the rest answer an error, as
// the harness's holes did (the plain top would alias them onto registers 0-7).
class UartWindow : public UartTerminal {
 public:
  static constexpr unsigned kDepth = 16;       // the injector queue and the capture FIFO
  static constexpr unsigned kFirst = 0x20;     // H_INJ_DATA
  static constexpr unsigned kLast = 0x33;      // H_NOW3
  static constexpr unsigned kUartRegs = 0x08;  // indices below are the UART's own

  explicit UartWindow(unsigned reg_shift) : UartTerminal(reg_shift) { on_reset(0); }

  uint64_t inputs(Cycle t) const override;
  Cycle next_change(Cycle t) const override;
  bool sin_frame(Cycle e, Frame& f) const override;
  Cycle next_modem_change(Cycle t) const override;
  uint8_t modem_inputs(Cycle t) const override { return static_cast<uint8_t>(~m_modem.at(t == 0 ? 0 : t - 1) & 0xfu); }
  void on_outputs(Cycle t, uint32_t outputs) override;
  void on_reset(Cycle now) override;
  void on_write(uint64_t offset, uint64_t value, unsigned size, Cycle at) override;
  bool has_window() const override { return true; }
  // Its own monitor decodes sout (the capture FIFO): no stream for lockstep.
  bool decodes_serial() const override { return false; }
  bool serves(uint64_t offset) const override { return index_of(offset) >= kUartRegs; }
  tandem::BusResponse serve(uint64_t offset, bool write, uint64_t value, unsigned size, Cycle at) override;
  void save(tandem::StateWriter& out) const override;
  std::string restore(tandem::StateReader& in) override;

 protected:
  // Seeded-bug hooks for the tests that show the proof bites; the defaults are the harness.
  // Entries the injector queue and the capture FIFO hold.
  virtual unsigned queue_depth() const { return kDepth; }
  // Edges between an LCR/divisor write and the first start bit the monitor decodes with it
  // (the harness's fmt_d1/div_d1 register: 1).
  virtual Cycle format_delay() const { return 1; }
  // Edges from an injection write to the injector's load when it is idle.
  virtual Cycle load_delay() const { return 1; }

 private:
  struct Entry {
    uint8_t data = 0, fmt = 0;  // fmt: LCR[5:0], [6] force a parity error, [7] a framing error
    uint16_t div = 0;           // 0: the divisor the terminal learned from the bus
    bool brk = false;
  };
  struct Capture {
    uint8_t data = 0, flags = 0;  // flags: [0] PE [1] FE [2] BI
    uint32_t time = 0;            // edges since reset
  };
  // uart16550_tx as the injector: a frame on sin until `end`, or a load due at `load_at`.
  struct Injector {
    Fifo<Entry, kDepth> queue;
    bool busy = false;
    Cycle end = 0;
    Cycle load_at = kNever;
    Cycle next() const { return busy ? end : load_at; }
  };
  // The capture monitor's view of sout.
  struct SoutLine {
    const LevelHistory& history;
    bool level(Cycle t) const { return history.at(t); }
    Cycle next_change(Cycle t) const { return history.next_change(t); }
  };

  unsigned index_of(uint64_t offset) const { return static_cast<unsigned>((offset & 0xff) >> m_reg_shift); }
  // The injector's events up to edge e on `inj`, the frames it loads appended to `loaded`.
  void run_injector(Injector& inj, Cycle e, std::vector<Frame>& loaded) const;
  void commit_injector(Cycle e);  // m_inj and m_sin through edge e
  void run_monitor(Cycle e);      // captures whose stop bit is sampled up to edge e
  void capture(Cycle t, const Received& r);
  bool sin_after(Cycle e) const;  // the injector's line after edge e
  // The first frame on the injector's line with end() > e, or null: the frames committed
  // (m_sin), then those the injector loads after m_inj_done, worked out on m_ahead as far as
  // the question needs. Valid until the next call of a member that changes the window.
  const Frame* frame_after(Cycle e) const;
  uint32_t outputs_after(Cycle e) const { return e >= m_out_edge ? m_out : m_out_before; }
  uint8_t read_register(unsigned h, Cycle at);
  void write_register(unsigned h, uint8_t v, Cycle at);
  void forget(Cycle at);                                // history no reader asks for again
  std::string restore_fields(tandem::StateReader& in);  // restore() less the undo on refusal

  Cycle m_reset_edge = 0;
  // injector registers and queue
  uint8_t m_inj_data = 0, m_inj_fmt = 0, m_inj_div_lo = 0, m_inj_div_hi = 0;
  bool m_inj_brk = false, m_inj_dropped = false;
  Injector m_inj;
  Cycle m_inj_done = 0;  // m_inj's events are applied through this edge
  FrameLine m_sin;       // the frames the injector loaded through m_inj_done
  // The injector run ahead of what is committed, for the line beyond m_inj_done: its state
  // after its events through some edge, and the frames it loaded since m_inj_done (in order;
  // at most the queue's). A cache: every member function that changes the injector or the
  // terminal's settings (on_reset, on_write, serve, write_register, commit_injector, restore)
  // drops it.
  mutable Injector m_ahead;
  mutable std::vector<Frame> m_ahead_loaded;
  mutable bool m_ahead_valid = false;
  // modem inputs (MODEM_IN, active high): the value after each change edge
  History<uint8_t> m_modem;
  // capture
  Sampler m_mon;
  Cycle m_mon_done = 0;  // the monitor has acted through this edge
  Fifo<Capture, kDepth> m_cap;
  bool m_cap_overflow = false;
  uint32_t m_now_latch = 0;  // H_NOW[31:8] as the last H_NOW0 read saw it
  // output pins as last reported: the value after m_out_edge, and before it
  uint32_t m_out = 0, m_out_before = 0;
  Cycle m_out_edge = 0;
};

}  // namespace models::uart
