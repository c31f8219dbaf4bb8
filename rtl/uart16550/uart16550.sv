// uart16550: an NS16550A-compatible UART on an APB4 completer port, the verilated top, with
// its serial line and modem signals as pins. This RTL is the hardware truth the C++ model must
// match. Its serial line is tandem's line model models/uart16550/uart_window.h (docs/pins.md).
//
// The file holds three modules, because the lint test lints every file alone and Verilator
// finds no module in another file:
//   uart16550          the UART
//   uart16550_tx       frame serializer (the UART's transmitter)
//   uart16550_rx       frame sampler (the UART's receiver)
//
// ============================================================================ the UART
// Registers are byte-wide; register n sits at byte offset n << REG_SHIFT (REG_SHIFT = 0 with
// an 8-bit APB, DW = 8; REG_SHIFT = 2 with a 32-bit APB, DW = 32, data on lane 0). PADDR bits
// below REG_SHIFT are ignored. A write changes a register only if PSTRB[0] is set; lanes
// 1-3 read 0 and their write data is ignored. Reads have their side effects whatever lanes
// the caller keeps. PREADY is always 1; PSLVERR is always 0 (every offset 0-7 is a register).
//
//   n  DLAB=0 read   DLAB=0 write   DLAB=1        reset
//   0  RBR           THR            DLL  (RW)     DLL 0
//   1  IER  (RW)     IER            DLM  (RW)     IER 0, DLM 0
//   2  IIR           FCR            IIR / FCR     IIR 0x01
//   3  LCR  (RW)                                  0x00
//   4  MCR  (RW)                                  0x00
//   5  LSR  (RO)                                  0x60
//   6  MSR  (RO)                                  0x00
//   7  SCR  (RW)                                  0x00
//
//   IER [0] ERBFI received data / timeout  [1] ETBEI THR empty  [2] ELSI line status
//       [3] EDSSI modem status; [7:4] read 0, writes discarded.
//   IIR [0] 0 = interrupt pending; [3:1] id: 011 line status, 010 data available,
//       110 character timeout, 001 THR empty, 000 modem status; [5:4] 0; [7:6] 11 when the
//       FIFOs are enabled, else 00. Priority: line status > data available > timeout >
//       THR empty > modem status.
//   FCR (write only) [0] FIFO enable; [1] RX FIFO reset; [2] TX FIFO reset; [3] DMA mode
//       (accepted, no effect: there are no DMA pins); [7:6] RX trigger level 1, 4, 8, 14.
//   LCR [1:0] data bits 5-8; [2] stop bits (0: 1; 1: 1.5 with 5 data bits, else 2);
//       [3] parity enable; [4] even parity; [5] stick parity (parity bit = ~LCR[4]);
//       [6] break (sout held 0); [7] DLAB.
//   MCR [0] DTR [1] RTS [2] OUT1 [3] OUT2 [4] loopback; [7:5] read 0.
//   LSR [0] DR [1] OE [2] PE [3] FE [4] BI [5] THRE [6] TEMT [7] error in RX FIFO.
//   MSR [0] DCTS [1] DDSR [2] TERI [3] DDCD [4] CTS [5] DSR [6] RI [7] DCD.
//
// Timing. Edges are rising PCLK edges; "edge W" is the edge a bus access completes at; a read
// returns the state before its edge and its side effects happen at that edge.
//   * Divisor D = {DLM, DLL}; D = 0 counts as 65536 (the baud counter wraps). One bit lasts
//     16*D edges (16x oversampling). A frame is 1 start bit, 5-8 data bits (LSB first), an
//     optional parity bit and the stop bits (16, 24 or 32 ticks of D): its length is
//     F = D * (16 * (1 + data + parity) + stop ticks).
//   * Transmitter: on an edge at which it is idle (or its frame ends) and the TX FIFO is not
//     empty, it takes the head and starts a frame with LCR and D as they stand before that
//     edge (a THR write at edge W starts at W+1; back-to-back frames follow without a gap).
//     LCR and divisor changes apply from the next frame on. After edge S+k*16D the line
//     shows bit k; the frame ends at edge S+F. THRE is "TX FIFO (THR) empty"; TEMT is THRE
//     and no frame on the line.
//   * Receiver: after a frame or
//     reset it waits for the line high, then for it low; at the edge Hd that sees it low it
//     latches LCR[5:0] and D (before Hd) and samples at Hd + 8D + 16D*k (bit centres): k = 0
//     the start bit (if high: a false start, it waits for low again), then data, parity,
//     and at the first stop bit the character completes. PE: parity mismatch; FE: stop
//     sample 0; BI: every data, parity and stop sample 0. There is no resynchronisation
//     after a framing error: the receiver always waits for the line to go high.
//     The receiver's line is sin, or the transmitter's output in loopback (before the break
//     gate). sin is sampled without a synchronizer: its line model drives it synchronously.
//   * RX FIFO (16 entries of data + PE/FE/BI; 1 entry, "RBR", with FIFOs disabled): an RBR
//     read pops first, so a character completing at the edge of an RBR read finds the room
//     that read frees. No room: OE sets; in FIFO mode the new character is lost, in 16450
//     mode it replaces RBR.
//   * LSR PE/FE/BI show the errors of the character at the top of the RX FIFO: they set
//     when a character becomes the top (pushed into an empty FIFO, revealed by a pop,
//     replacing RBR) and stay until an LSR read. OE, PE, FE and BI clear on an LSR read; a
//     set at the edge of that read wins. LSR[7] is 1 while any character in the FIFO has an
//     error (FIFO mode; 0 in 16450 mode).
//   * Data available: FIFO mode: count >= trigger level; 16450 mode: DR. It clears as the
//     count drops.
//   * Character timeout (FIFO mode only): after the last push or pop, with characters in the
//     FIFO and none pushed or popped for 4*F edges (F from the current LCR and D), the
//     timeout indication sets. An RBR read that pops clears it and restarts the count; a new
//     character restarts the count but does not clear it; an empty FIFO, a RX FIFO reset or
//     disabling the FIFOs clears it. A LCR/divisor change applies from the next edge (if
//     the count already passed the new limit, it fires at the next edge).
//   * THR empty interrupt: it sets when THRE goes 0 -> 1 (the transmitter took the last
//     character, a TX FIFO reset), or when an IER write turns ETBEI 0 -> 1 with THRE 1
//     (a write that keeps ETBEI 1 does not re-arm it). It clears on a THR write, on an IIR
//     read that reports it (an IIR read reporting a higher-priority source leaves it), and
//     while ETBEI is 0. After an IIR read cleared it, the next 0 -> 1 of THRE sets it again.
//   * MSR: bits [7:4] are a registered copy of the modem inputs (active-low pins, or MCR in
//     loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD), one edge behind; the delta bits set
//     at that same edge (TERI when RI goes 1 -> 0) and clear on an MSR read (a set at the
//     read's edge wins). Entering or leaving loopback changes the bits and sets deltas.
//   * irq = the IIR's "pending" (any enabled source), from flops; not gated by OUT2.
//
// Defined behaviour for every corner:
//   * RBR read with an empty RX FIFO: returns the last character popped (0 after reset), no
//     effect. RBR/THR/IER at offsets 0/1 are unreachable while DLAB = 1 (DLL/DLM instead);
//     IIR, FCR and everything else ignore DLAB.
//   * THR write with the TX FIFO full: lost (FIFO mode); in 16450 mode it replaces the
//     character waiting in THR. The transmitter taking a character at the same edge frees
//     room first.
//   * FCR: a write with bit 0 different from the current FIFO enable clears both FIFOs. With
//     bit 0 = 1 the trigger level is written and bits 1/2 clear the RX/TX FIFO; with bit 0 =
//     0 bits 1, 2, 7:6 are ignored. A FIFO reset leaves the shift registers: a frame on the
//     line completes; a frame being received completes into the emptied FIFO. A character
//     completing at the very edge of an RX FIFO reset sets its LSR error bits (and OE) but is
//     discarded with the FIFO. A TX FIFO reset at the edge the transmitter takes the head:
//     that character is still sent.
//   * LSR and MSR writes: ignored. SCR: plain storage.
//   * Divisor 0: 65536. Divisor or LCR written mid-frame: the frame on the line and the frame
//     being received keep their latched format; the timeout limit changes at once.
//   * Break (LCR[6]): sout is 0 while set; the transmitter keeps running underneath.
//   * Loopback (MCR[4]): sout = 1, the receiver hears the transmitter (without the break
//     gate), sin is ignored, DTR/RTS/OUT1/OUT2 pins go inactive (1), the MSR shows MCR[3:0].
//   * PRESETn low (synchronous): every register takes its reset value, FIFOs empty, the
//     transmitter idle (sout 1), the receiver waiting for the line to go high.
//
`default_nettype none

module uart16550 #(
    parameter int REG_SHIFT = 0,
    parameter int DW = 8
) (
    input  wire logic                 pclk,
    input  wire logic                 presetn,
    input  wire logic                 psel,
    input  wire logic                 penable,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire logic [REG_SHIFT+2:0] paddr,   // bits below REG_SHIFT ignored
    input  wire logic                 pwrite,
    input  wire logic [     DW-1:0]   pwdata,  // lane 0 only
    input  wire logic [   DW/8-1:0]   pstrb,   // lane 0 only
    /* verilator lint_on UNUSEDSIGNAL */
    output logic      [     DW-1:0]   prdata,
    output logic                      pready,
    output logic                      pslverr,
    output logic                      irq,
    input  wire logic                 sin,
    output logic                      sout,
    input  wire logic                 cts_n,
    input  wire logic                 dsr_n,
    input  wire logic                 ri_n,
    input  wire logic                 dcd_n,
    output logic                      dtr_n,
    output logic                      rts_n,
    output logic                      out1_n,
    output logic                      out2_n,
    output logic      [          7:0] cfg_lcr,     // for a line monitor
    output logic      [         16:0] cfg_divisor  // effective divisor, 1-65536
);
  if (DW != 8 && DW != 32) begin : g_bad_dw
    $error("uart16550: DW must be 8 or 32");
  end

  localparam int DEPTH = 16;

  // ---------------------------------------------------------------- bus decode
  wire [2:0] ridx = paddr[REG_SHIFT+:3];
  wire       rd = psel & penable & ~pwrite;
  wire       wr = psel & penable & pwrite & pstrb[0];
  wire [7:0] wd = pwdata[7:0];

  logic [7:0] lcr, dll, dlm, scr;
  logic [3:0] ier;
  logic [4:0] mcr;
  logic       fifo_en;
  logic [1:0] rx_trig;
  wire        dlab = lcr[7];
  wire        loop = mcr[4];
  wire [16:0] div_eff = ({dlm, dll} == 16'd0) ? 17'h10000 : {1'b0, dlm, dll};

  wire rd_rbr = rd & (ridx == 3'd0) & ~dlab;
  wire rd_iir = rd & (ridx == 3'd2);
  wire rd_lsr = rd & (ridx == 3'd5);
  wire rd_msr = rd & (ridx == 3'd6);
  wire wr_thr = wr & (ridx == 3'd0) & ~dlab;
  wire wr_dll = wr & (ridx == 3'd0) & dlab;
  wire wr_ier = wr & (ridx == 3'd1) & ~dlab;
  wire wr_dlm = wr & (ridx == 3'd1) & dlab;
  wire wr_fcr = wr & (ridx == 3'd2);
  wire wr_lcr = wr & (ridx == 3'd3);
  wire wr_mcr = wr & (ridx == 3'd4);
  wire wr_scr = wr & (ridx == 3'd7);

  wire fcr_toggle = wr_fcr & (wd[0] != fifo_en);
  wire rx_clr = fcr_toggle | (wr_fcr & wd[0] & wd[1]);
  wire tx_clr = fcr_toggle | (wr_fcr & wd[0] & wd[2]);
  wire [4:0] depth = fifo_en ? 5'd16 : 5'd1;

  // ---------------------------------------------------------------- control registers
  always_ff @(posedge pclk) begin
    if (!presetn) begin
      lcr     <= 8'd0;
      dll     <= 8'd0;
      dlm     <= 8'd0;
      scr     <= 8'd0;
      ier     <= 4'd0;
      mcr     <= 5'd0;
      fifo_en <= 1'b0;
      rx_trig <= 2'd0;
    end else begin
      if (wr_lcr) lcr <= wd;
      if (wr_dll) dll <= wd;
      if (wr_dlm) dlm <= wd;
      if (wr_scr) scr <= wd;
      if (wr_ier) ier <= wd[3:0];
      if (wr_mcr) mcr <= wd[4:0];
      if (wr_fcr) begin
        fifo_en <= wd[0];
        if (wd[0]) rx_trig <= wd[7:6];
      end
    end
  end

  // ---------------------------------------------------------------- TX FIFO and transmitter
  logic [7:0] tx_mem[DEPTH];
  logic [3:0] tx_rd, tx_wr;
  logic [4:0] tx_cnt;
  logic       tx_ready, tx_busy, tx_line;
  wire        tx_take = tx_ready & (tx_cnt != 5'd0);
  wire [4:0]  tx_left = tx_cnt - {4'd0, tx_take};
  wire        tx_push = wr_thr & (tx_left < depth);
  wire        tx_overwrite = wr_thr & ~tx_push & ~fifo_en;  // 16450 mode: replaces THR
  wire [4:0]  tx_cnt_next = tx_clr ? 5'd0 : tx_left + {4'd0, tx_push};

  always_ff @(posedge pclk) begin
    if (!presetn || tx_clr) begin
      tx_rd  <= 4'd0;
      tx_wr  <= 4'd0;
      tx_cnt <= 5'd0;
    end else begin
      if (tx_take) tx_rd <= tx_rd + 4'd1;
      if (tx_push) begin
        tx_mem[tx_wr] <= wd;
        tx_wr <= tx_wr + 4'd1;
      end
      if (tx_overwrite) tx_mem[tx_rd] <= wd;
      tx_cnt <= tx_cnt_next;
    end
  end

  uart16550_tx u_tx (
      .clk     (pclk),
      .rst_n   (presetn),
      .load    (tx_take),
      .data    (tx_mem[tx_rd]),
      .fmt     (lcr[5:0]),
      .force_pe(1'b0),
      .force_fe(1'b0),
      .brk     (1'b0),
      .div     (div_eff),
      .ready   (tx_ready),
      .busy    (tx_busy),
      .line    (tx_line)
  );

  wire thre = (tx_cnt == 5'd0);
  wire temt = thre & ~tx_busy;

  // ---------------------------------------------------------------- receiver and RX FIFO
  wire       rx_line = loop ? tx_line : sin;
  logic      rx_done, rx_pe, rx_fe, rx_bi;
  logic [7:0] rx_data;

  uart16550_rx u_rx (
      .clk  (pclk),
      .rst_n(presetn),
      .line (rx_line),
      .fmt  (lcr[5:0]),
      .div  (div_eff),
      .done (rx_done),
      .data (rx_data),
      .pe   (rx_pe),
      .fe   (rx_fe),
      .bi   (rx_bi)
  );

  logic [10:0] rx_mem[DEPTH];  // {BI, FE, PE, data}
  logic [3:0] rx_rd, rx_wr;
  logic [4:0] rx_cnt;
  logic [7:0] rbr_last;
  wire [10:0] rx_in = {rx_bi, rx_fe, rx_pe, rx_data};
  wire        rx_pop = rd_rbr & (rx_cnt != 5'd0);
  wire [4:0]  rx_left = rx_cnt - {4'd0, rx_pop};
  wire        rx_store = rx_done & (rx_left < depth);
  wire        rx_overrun = rx_done & ~(rx_left < depth);
  wire        rx_overwrite = rx_overrun & ~fifo_en;
  wire [4:0]  rx_cnt_after = rx_left + {4'd0, rx_store};  // before an FCR reset
  wire [3:0]  rx_rd_after = rx_rd + {3'd0, rx_pop};

  always_ff @(posedge pclk) begin
    if (!presetn) begin
      rbr_last <= 8'd0;
    end else if (rx_pop) begin
      rbr_last <= rx_mem[rx_rd][7:0];
    end
  end

  always_ff @(posedge pclk) begin
    if (!presetn || rx_clr) begin
      rx_rd  <= 4'd0;
      rx_wr  <= 4'd0;
      rx_cnt <= 5'd0;
    end else begin
      if (rx_pop) rx_rd <= rx_rd + 4'd1;
      if (rx_store) begin
        rx_mem[rx_wr] <= rx_in;
        rx_wr <= rx_wr + 4'd1;
      end
      if (rx_overwrite) rx_mem[rx_rd] <= rx_in;
      rx_cnt <= rx_cnt_after;
    end
  end

  // The character at the top after this edge, when the top changes at this edge.
  wire        top_changes = (rx_pop | (rx_cnt == 5'd0) | rx_overwrite) & (rx_cnt_after != 5'd0);
  wire [2:0]  top_after = (rx_overwrite | (rx_left == 5'd0)) ? rx_in[10:8] : rx_mem[rx_rd_after][10:8];
  wire [2:0]  top_err = top_changes ? top_after : 3'd0;

  logic lsr_oe, lsr_pe, lsr_fe, lsr_bi;
  always_ff @(posedge pclk) begin
    if (!presetn) begin
      lsr_oe <= 1'b0;
      lsr_pe <= 1'b0;
      lsr_fe <= 1'b0;
      lsr_bi <= 1'b0;
    end else begin
      lsr_oe <= (lsr_oe & ~rd_lsr) | rx_overrun;
      lsr_pe <= (lsr_pe & ~rd_lsr) | top_err[0];
      lsr_fe <= (lsr_fe & ~rd_lsr) | top_err[1];
      lsr_bi <= (lsr_bi & ~rd_lsr) | top_err[2];
    end
  end

  logic fifo_err;
  always_comb begin
    fifo_err = 1'b0;
    for (int i = 0; i < DEPTH; i++) begin
      if ({1'b0, 4'(4'(i) - rx_rd)} < rx_cnt && rx_mem[i][10:8] != 3'd0) fifo_err = 1'b1;
    end
  end

  wire [7:0] lsr = {fifo_en & fifo_err, temt, thre, lsr_bi, lsr_fe, lsr_pe, lsr_oe, rx_cnt != 5'd0};

  // ---------------------------------------------------------------- character timeout
  // F in ticks of D: 16 per start/data/parity bit plus the stop ticks; the limit is 4F edges.
  wire [3:0] nbits = 4'd5 + {2'd0, lcr[1:0]} + {3'd0, lcr[3]};
  wire [5:0] stop_ticks = ~lcr[2] ? 6'd16 : (lcr[1:0] == 2'd0) ? 6'd24 : 6'd32;
  wire [9:0] frame_ticks = {2'd0, nbits + 4'd1, 4'd0} + {4'd0, stop_ticks};
  wire [26:0] to_limit = 27'(div_eff) * 27'(frame_ticks) * 27'd4;

  logic [26:0] to_cnt;
  logic        cti;
  always_ff @(posedge pclk) begin
    if (!presetn || rx_clr || !fifo_en || rx_pop) begin
      to_cnt <= 27'd0;
      cti    <= 1'b0;
    end else if (rx_store || rx_cnt == 5'd0) begin
      to_cnt <= 27'd0;
    end else if (!cti) begin
      if (to_cnt + 27'd1 >= to_limit) cti <= 1'b1;
      to_cnt <= to_cnt + 27'd1;
    end
  end

  // ---------------------------------------------------------------- modem status
  wire [3:0] modem = loop ? {mcr[3], mcr[2], mcr[0], mcr[1]} : ~{dcd_n, ri_n, dsr_n, cts_n};
  logic [3:0] msr_st, msr_d;
  // DDCD, TERI (RI 1 -> 0 only), DDSR, DCTS
  wire  [3:0] msr_set = {msr_st[3] ^ modem[3], msr_st[2] & ~modem[2], msr_st[1] ^ modem[1], msr_st[0] ^ modem[0]};
  always_ff @(posedge pclk) begin
    if (!presetn) begin
      msr_st <= 4'd0;
      msr_d  <= 4'd0;
    end else begin
      msr_st <= modem;
      msr_d  <= (msr_d & ~{4{rd_msr}}) | msr_set;
    end
  end

  // ---------------------------------------------------------------- interrupts
  logic [3:0] trig_level;
  always_comb begin
    case (rx_trig)
      2'd0: trig_level = 4'd1;
      2'd1: trig_level = 4'd4;
      2'd2: trig_level = 4'd8;
      default: trig_level = 4'd14;
    endcase
  end

  logic thre_int;
  wire  p_rls = ier[2] & (lsr_oe | lsr_pe | lsr_fe | lsr_bi);
  wire  p_rda = ier[0] & (fifo_en ? (rx_cnt >= {1'b0, trig_level}) : (rx_cnt != 5'd0));
  wire  p_cti = ier[0] & cti;
  wire  p_thre = ier[1] & thre_int;
  wire  p_ms = ier[3] & (msr_d != 4'd0);

  logic [3:0] iir_id;
  always_comb begin
    if (p_rls) iir_id = 4'b0110;
    else if (p_rda) iir_id = 4'b0100;
    else if (p_cti) iir_id = 4'b1100;
    else if (p_thre) iir_id = 4'b0010;
    else if (p_ms) iir_id = 4'b0000;
    else iir_id = 4'b0001;
  end
  wire [7:0] iir = {fifo_en, fifo_en, 2'b00, iir_id};

  wire etbei_next = wr_ier ? wd[1] : ier[1];
  wire thre_next = (tx_cnt_next == 5'd0);
  wire thre_set = (thre_next & ~thre) | (wr_ier & ~ier[1] & wd[1] & thre_next);
  wire thre_clr = wr_thr | (rd_iir & (iir_id == 4'b0010));
  always_ff @(posedge pclk) begin
    if (!presetn) thre_int <= 1'b0;
    else thre_int <= etbei_next & (thre_set | (thre_int & ~thre_clr));
  end

  assign irq = p_rls | p_rda | p_cti | p_thre | p_ms;

  // ---------------------------------------------------------------- read data and pins
  logic [7:0] rdata;
  always_comb begin
    case (ridx)
      3'd0: rdata = dlab ? dll : ((rx_cnt != 5'd0) ? rx_mem[rx_rd][7:0] : rbr_last);
      3'd1: rdata = dlab ? dlm : {4'd0, ier};
      3'd2: rdata = iir;
      3'd3: rdata = lcr;
      3'd4: rdata = {3'd0, mcr};
      3'd5: rdata = lsr;
      3'd6: rdata = {msr_st, msr_d};
      default: rdata = scr;
    endcase
  end

  assign prdata = rd ? DW'(rdata) : '0;
  assign pready = 1'b1;
  assign pslverr = 1'b0;

  assign sout = loop | (~lcr[6] & tx_line);
  assign dtr_n = ~(mcr[0] & ~loop);
  assign rts_n = ~(mcr[1] & ~loop);
  assign out1_n = ~(mcr[2] & ~loop);
  assign out2_n = ~(mcr[3] & ~loop);
  assign cfg_lcr = lcr;
  assign cfg_divisor = div_eff;

endmodule

// ---------------------------------------------------------------------------- serializer
// Sends one frame per `load` (asserted only while `ready`): start bit, data (LSB first),
// parity, stop bits, each 16*div edges (stop: 16, 24 or 32 ticks). `ready` is high while
// idle and at the edge the stop bits end, so frames can follow back to back.
/* verilator lint_off DECLFILENAME */
module uart16550_tx (
    input  wire logic        clk,
    input  wire logic        rst_n,
    input  wire logic        load,
    input  wire logic [ 7:0] data,
    input  wire logic [ 5:0] fmt,       // LCR[5:0] layout
    input  wire logic        force_pe,  // flip the parity bit
    input  wire logic        force_fe,  // stop bit sent as 0
    input  wire logic        brk,       // every bit of the frame 0
    input  wire logic [16:0] div,       // 1-65536
    output logic             ready,
    output logic             busy,
    output logic             line
);
  typedef enum logic [1:0] {
    S_IDLE,
    S_START,
    S_BITS,
    S_STOP
  } state_t;
  state_t      state;
  logic [21:0] wait_cnt, bit_len, stop_len;
  logic [ 8:0] bits;
  logic [ 3:0] left;
  logic        stop_level;

  wire  [ 3:0] n = 4'd5 + {2'd0, fmt[1:0]};
  wire  [ 7:0] dmask = 8'hff >> (4'd8 - n);
  wire  [ 7:0] d = data & dmask;
  wire         par = (fmt[5] ? ~fmt[4] : (fmt[4] ? ^d : ~^d)) ^ force_pe;
  wire  [ 8:0] frame = brk ? 9'd0 : ({1'b0, d} | (fmt[3] ? (9'({par}) << n) : 9'd0));
  wire  [21:0] len16 = {1'b0, div, 4'd0};
  wire  [21:0] len24 = len16 + {2'd0, div, 3'd0};
  wire  [21:0] len32 = {div, 5'd0};

  assign ready = (state == S_IDLE) | ((state == S_STOP) & (wait_cnt == 22'd0));
  assign busy  = (state != S_IDLE);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state      <= S_IDLE;
      wait_cnt   <= 22'd0;
      bit_len    <= 22'd0;
      stop_len   <= 22'd0;
      bits       <= 9'd0;
      left       <= 4'd0;
      stop_level <= 1'b1;
      line       <= 1'b1;
    end else if (load) begin
      state      <= S_START;
      bits       <= frame;
      left       <= n + {3'd0, fmt[3]};
      bit_len    <= len16;
      stop_len   <= ~fmt[2] ? len16 : (fmt[1:0] == 2'd0) ? len24 : len32;
      stop_level <= ~(force_fe | brk);
      wait_cnt   <= len16 - 22'd1;
      line       <= 1'b0;
    end else if (state != S_IDLE) begin
      if (wait_cnt != 22'd0) begin
        wait_cnt <= wait_cnt - 22'd1;
      end else begin
        case (state)
          S_START, S_BITS: begin
            if (left != 4'd0) begin
              line     <= bits[0];
              bits     <= bits >> 1;
              left     <= left - 4'd1;
              wait_cnt <= bit_len - 22'd1;
              state    <= S_BITS;
            end else begin
              line     <= stop_level;
              wait_cnt <= stop_len - 22'd1;
              state    <= S_STOP;
            end
          end
          default: begin  // S_STOP: the frame ends here
            state <= S_IDLE;
            line  <= 1'b1;
          end
        endcase
      end
    end
  end
endmodule

// ---------------------------------------------------------------------------- sampler
// Receives frames from `line`: waits for it high, then low (the start), latches fmt and div,
// samples each bit at its centre (8*div edges after the start was seen, then every 16*div)
// and completes at the first stop bit's sample with `done` high for that one edge.
module uart16550_rx (
    input  wire logic        clk,
    input  wire logic        rst_n,
    input  wire logic        line,
    input  wire logic [ 5:0] fmt,  // LCR[5:0] layout
    input  wire logic [16:0] div,  // 1-65536
    output logic             done,
    output logic      [ 7:0] data,
    output logic             pe,
    output logic             fe,
    output logic             bi
);
  typedef enum logic [1:0] {
    S_WAIT_HIGH,
    S_ARMED,
    S_RECV
  } state_t;
  state_t      state;
  logic [21:0] wait_cnt, bit_len;
  logic [ 3:0] idx;
  logic [ 8:0] bits;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [ 5:0] fmt_l;  // [2] (stop bits) unused: only the first stop bit is sampled
  /* verilator lint_on UNUSEDSIGNAL */

  wire  [ 3:0] n = 4'd5 + {2'd0, fmt_l[1:0]};
  wire  [ 3:0] nbits = n + {3'd0, fmt_l[3]};
  wire  [ 7:0] dmask = 8'hff >> (4'd8 - n);
  wire         sample = (state == S_RECV) & (wait_cnt == 22'd0);
  assign done = sample & (idx == nbits + 4'd1);

  always_comb begin
    data = bits[7:0] & dmask;
    pe   = fmt_l[3] & (bits[n] != (fmt_l[5] ? ~fmt_l[4] : (fmt_l[4] ? ^data : ~^data)));
    fe   = ~line;
    bi   = ~line & (bits == 9'd0);
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state    <= S_WAIT_HIGH;
      wait_cnt <= 22'd0;
      bit_len  <= 22'd0;
      idx      <= 4'd0;
      bits     <= 9'd0;
      fmt_l    <= 6'd0;
    end else begin
      case (state)
        S_WAIT_HIGH: if (line) state <= S_ARMED;
        S_ARMED:
        if (!line) begin
          state    <= S_RECV;
          fmt_l    <= fmt;
          bit_len  <= {1'b0, div, 4'd0};
          wait_cnt <= {2'd0, div, 3'd0} - 22'd1;
          idx      <= 4'd0;
          bits     <= 9'd0;
        end
        default: begin  // S_RECV
          if (wait_cnt != 22'd0) begin
            wait_cnt <= wait_cnt - 22'd1;
          end else if (idx == 4'd0 && line) begin
            state <= S_ARMED;  // false start
          end else if (done) begin
            state <= S_WAIT_HIGH;
          end else begin
            if (idx != 4'd0) bits[idx-4'd1] <= line;
            idx      <= idx + 4'd1;
            wait_cnt <= bit_len - 22'd1;
          end
        end
      endcase
    end
  end
endmodule
/* verilator lint_on DECLFILENAME */

`default_nettype wire
