// A serial terminal on a 16550's pins, as a line model (tandem/pins.h): it feeds frames onto
// the receive pin and decodes the frames the transmit pin sends, with the line settings it
// derives from the bus traffic (LCR, and DLL/DLM written with DLAB set) the way a terminal is
// configured to match: no taps into the design, so any 16550-compatible RTL will do.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <tandem/pins.h>

#include "uart_line.h"

namespace models::uart {

// A frame decoded from the transmit pin: the edge its start bit began after, and what a
// receiver with the terminal's settings makes of it.
struct SentFrame {
  Cycle start = 0;
  uint8_t data = 0;
  bool pe = false, fe = false, bi = false;
};

// Pins, in this order: inputs sin, cts_n, dsr_n, ri_n, dcd_n (the modem inputs held inactive,
// high); outputs sout first (the others are not decoded). sin is also given as frames
// (SinFrames), the frames it was fed.
class UartTerminal : public tandem::PinSource, public SinFrames {
 public:
  // Registers at byte offset index << reg_shift (0 with an 8-bit bus, 2 with a 32-bit one).
  explicit UartTerminal(unsigned reg_shift) : m_reg_shift(reg_shift) {}

  uint64_t inputs(Cycle t) const override;
  Cycle next_change(Cycle t) const override;
  void on_outputs(Cycle t, uint32_t outputs) override;
  void on_reset(Cycle now) override;
  bool hears_writes() const override { return true; }
  void on_write(uint64_t offset, uint64_t value, unsigned size, Cycle at) override;

  bool sin_frame(Cycle e, Frame& f) const override;
  // The characters sout completed up to `now`, for lockstep's comparison with a model side
  // that sends bytes (Device::take_serial): each frame's data bits (5 to 8, by the terminal's
  // settings), a frame with a parity or framing error included as decoded; a break is line
  // state, not a character, and is left out, as is a low that began while LCR.BC was set (a
  // break cleared within a frame), and what follows such a low within one frame time when a
  // character may have been shifting under it (the rest of a frame the break destroyed).
  // Loopback (MCR.LOOP) is treated the same way: a frame whose start is before the edge
  // loopback went on and whose stop bit's centre is after it was cut (sout held at mark) and is
  // left out; leaving loopback with a THR write within 17 frame times before, a start within
  // one frame time after is a fragment of the frame the transmitter was shifting and is
  // skipped as a start bit alone (not a frame). That window ends earlier, half a bit before the
  // end of the frame in flight as the terminal estimates it from the THR and FCR writes (each
  // character a frame of the settings at its write, back to back, 17 at most with FIFOs and 2
  // without, the waiting ones dropped by a TX FIFO reset), so that a character following it is
  // decoded; and where the estimate has no frame in flight, a start within one bit time after
  // the first THR write made since loopback was left is that character (the transmitter was
  // idle). The history of sout and settings before is then forgotten.
  bool decodes_serial() const override { return true; }
  void take_serial(Cycle now, std::string& append_to) override;
  // sout at mark for two frame times of the current settings (12 bits at most each) since it
  // last changed and since THR was last written.
  bool serial_drained(Cycle now) const override;
  uint64_t sin_version() const override { return m_sin_version; }

  // Queue a character onto sin with the current settings: its start bit begins after edge
  // `at`, or after the frame before it ends.
  void feed(uint8_t data, Cycle at, bool force_pe = false, bool force_fe = false, bool brk = false);
  // The frames sout completed up to edge `now`, in order (each reported once).
  std::vector<SentFrame> take_sent(Cycle now);

  // The first edge after t whose modem inputs (inputs() bits 1-4) may differ from those of t,
  // or kNever: a model on these pins looks for modem changes without walking sin's. Held
  // inactive here.
  virtual Cycle next_modem_change(Cycle /*t*/) const { return kNever; }
  // The modem inputs before edge t (inputs() bits 1-4: cts_n dsr_n ri_n dcd_n from bit 0),
  // without working out sin. A derived line model that overrides inputs() overrides this and
  // next_modem_change() with it, and moves sin_version() (m_sin_version) whenever sin's
  // frames or the modem inputs may change.
  virtual uint8_t modem_inputs(Cycle /*t*/) const { return 0xf; }

  uint8_t lcr() const { return m_lcr; }
  uint16_t divisor() const { return m_div; }

 protected:
  struct Settings {
    Cycle from;  // in force before edges after this one
    uint8_t lcr;
    uint16_t div;
  };
  Settings settings_before(Cycle edge) const;
  // Drops the settings no edge at or after `edge` asks for (the one in force there stays).
  void forget_settings_before(Cycle edge);
  // The settings and their history, for a derived line model's save/restore.
  void save_settings(tandem::StateWriter& out) const;
  std::string restore_settings(tandem::StateReader& in);

  unsigned m_reg_shift;
  LevelHistory m_tx;  // sout, after each edge
  // sin_version(): bumped by whatever may change sin's frames or the modem inputs (a model on
  // these pins keeps its look-ahead at both while it stays).
  uint64_t m_sin_version = 0;

 private:
  uint8_t m_lcr = 0;
  uint16_t m_div = 0;
  std::vector<Settings> m_history;  // since reset, for frames the monitor has yet to decode
  FrameLine m_rx;
  Cycle m_decoded = 0;      // the monitor looks for a start bit after this edge
  Cycle m_tx_changed = 0;   // sout's last change (serial_drained)
  Cycle m_thr_written = 0;  // the last THR write's edge (serial_drained)
  bool m_seen_high = true;
  // Breaks on sout (LCR.BC): where the current low began, whether under break control, and
  // the edge before which a frame is what the transmitter shifted under the last break.
  Cycle m_low_from = 0;
  bool m_low_under_break = false;
  Cycle m_break_quiet = 0;
  // Loopback (MCR.LOOP): whether it is on, the edges it went on (cutting a frame in progress)
  // and the windows after it went off in which starts are fragments, kept until the decoder has
  // passed them.
  struct LoopQuiet {
    Cycle from, until;  // starts after edges in [from, until)
    Cycle written;      // the first THR write in the window, or kNever
    bool idle;          // no frame in flight by the estimate: the written character starts at once
  };
  bool m_loop = false;
  // The transmitter's frames as estimated from the writes (start and end edges), for the end of
  // the frame in flight when loopback is left.
  struct TxFrame {
    Cycle start, end;
  };
  std::vector<TxFrame> m_tx_frames;
  bool m_fifo_enabled = false;
  std::vector<Cycle> m_loop_on;
  std::vector<LoopQuiet> m_loop_quiet;

  std::vector<SentFrame> decode(Cycle now, bool characters);
  Cycle frame_edges() const;
  bool loop_fragment(Cycle start, Cycle bit) const;
  bool cut_by_loop(Cycle start, Cycle stop_centre) const;
};

}  // namespace models::uart
