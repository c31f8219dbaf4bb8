// timer: NTIMERS prescaled 32-bit up-counters with compare interrupts (one-shot or periodic),
// on an APB4 completer port. This RTL is the hardware truth the C++ model must match.
//
// Register map (byte offsets, 32-bit registers; PADDR[1:0] are ignored for decode,
// PSTRB selects the byte lanes a write changes):
//   0x000         ID          RO   {16'h713E, 8'h00, NTIMERS}
//   0x004         INT_STATUS  W1C  [NTIMERS-1:0] MATCH: timer n reached its compare value
//   0x008         INT_ENABLE  RW   [NTIMERS-1:0] per-timer interrupt enable
//   0x020+0x10*n  Tn_CTRL     RW   [0] ENABLE; [1] MODE (0 one-shot, 1 periodic);
//                                  [15:8] PRESCALE (the counter ticks every PRESCALE+1 edges)
//   0x024+0x10*n  Tn_COMPARE  RW   compare value
//   0x028+0x10*n  Tn_COUNT    RO   current counter value
//
// Counting (edges are rising PCLK edges; "edge W" is the edge a bus write completes at):
//   * Each timer has a hidden prescaler PDIV (0..PRESCALE). On every edge at which the timer
//     is enabled and its CTRL is not being written, PDIV == PRESCALE makes a tick (PDIV
//     returns to 0), otherwise PDIV increments.
//   * A tick with COUNT == COMPARE is a match; any other tick increments COUNT (modulo 2^32).
//     At a match edge: INT_STATUS[n] sets; periodic mode reloads COUNT to 0; one-shot mode
//     keeps COUNT (== COMPARE) and clears CTRL.ENABLE (the timer stops).
//   * Hence after CTRL.ENABLE goes 0->1 at edge W (COUNT := 0, PDIV := 0 at W), ticks fall at
//     W + k*(PRESCALE+1), k >= 1, and the matches at W + m*(COMPARE+1)*(PRESCALE+1), m >= 1
//     (one-shot: m = 1 only). COMPARE = 0 matches at the first tick (periodic: every tick).
//   * The irq line is |(INT_STATUS & INT_ENABLE) from flops: it rises right after the match
//     edge, with INT_STATUS.
//
// Defined behaviour for every corner:
//   * Any access to an offset not listed above (0x00C-0x01F, every Tn+0xC, timers >= NTIMERS,
//     >= 0x020+0x10*NTIMERS): PSLVERR, read data 0, no effect.
//   * Writes to ID and Tn_COUNT: ignored, no PSLVERR. Reserved bits read 0, writes to them
//     are discarded.
//   * Every write is merged per byte lane: lanes PSTRB disables keep their value. INT_STATUS
//     clears exactly the bits written 1 on enabled lanes.
//   * Any write to Tn_CTRL (whatever its strobes, even one that changes nothing) at edge W:
//     ENABLE, MODE and PRESCALE take the merged value at W and PDIV restarts at 0, so the next
//     tick is at W + PRESCALE_new + 1. The timer does not tick at W itself (the write wins
//     over a tick or match due at W, which then happens no earlier than the next tick).
//     COUNT: 0 when ENABLE goes 0->1; otherwise kept. So a write with ENABLE=1 to a running
//     timer (prescaler or mode change while running) keeps COUNT and restarts the prescaler
//     phase; ENABLE 1->0 freezes COUNT; re-enabling later restarts from 0 (no resume).
//   * Tn_COMPARE write at edge W: a tick at W still compares against the old value; the new
//     value applies from the next tick. A COMPARE below the current COUNT is not a match:
//     COUNT runs on through 2^32-1, wraps to 0 and matches when it equals COMPARE.
//   * One-shot after its match: stopped with COUNT == COMPARE and CTRL.ENABLE == 0 until the
//     next CTRL write with ENABLE=1 (which restarts from 0).
//   * A match and a W1C clear of the same INT_STATUS bit at the same edge: the match wins.
//     Matches set INT_STATUS regardless of INT_ENABLE; a later INT_ENABLE write with the bit
//     set raises irq right after that write's edge.
//   * PRESETn low (synchronous): every register, COUNT and PDIV return to 0.
//   * NTIMERS may be 1 to 8; the map above is laid out for up to 8 timers.
//   * PREADY is always 1 (no wait states). PPROT is accepted and not decoded.
module timer #(
    parameter int NTIMERS = 4
) (
    input  logic        pclk,
    input  logic        presetn,
    input  logic        psel,
    input  logic        penable,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [11:0] paddr,  // [1:0] ignored: registers are decoded by word
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic        pwrite,
    input  logic [31:0] pwdata,
    input  logic [ 3:0] pstrb,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [ 2:0] pprot,  // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    output logic [31:0] prdata,
    output logic        pready,
    output logic        pslverr,
    output logic        irq
);
  if (NTIMERS < 1 || NTIMERS > 8) begin : g_bad_ntimers
    $error("timer: NTIMERS must be 1 to 8");
  end

  localparam logic [9:0] A_ID = 10'h000, A_STATUS = 10'h001, A_IE = 10'h002;
  localparam logic [1:0] R_CTRL = 2'd0, R_COMPARE = 2'd1, R_COUNT = 2'd2;

  // ---------------------------------------------------------------- registers
  logic [NTIMERS-1:0] status, ie;
  logic [NTIMERS-1:0] t_en, t_periodic, t_match;
  logic [7:0] t_presc[NTIMERS], t_pdiv[NTIMERS];
  logic [31:0] t_cmp[NTIMERS], t_cnt[NTIMERS];

  // ---------------------------------------------------------------- decode
  wire  [9:0] word = paddr[11:2];
  wire  [7:0] block = paddr[11:4];  // 2 + n for timer n
  wire  [1:0] treg = paddr[3:2];
  wire        access = psel & penable;
  wire        wr = access & pwrite;
  wire [31:0] lane_mask = {{8{pstrb[3]}}, {8{pstrb[2]}}, {8{pstrb[1]}}, {8{pstrb[0]}}};

  logic [NTIMERS-1:0] hit;  // the access addresses timer n's block
  always_comb begin
    for (int t = 0; t < NTIMERS; t++) hit[t] = (block == 8'(2 + t));
  end
  wire treg_mapped = (treg == R_CTRL) | (treg == R_COMPARE) | (treg == R_COUNT);
  wire mapped = (word == A_ID) | (word == A_STATUS) | (word == A_IE) | ((|hit) & treg_mapped);

  function automatic logic [31:0] merge(input logic [31:0] cur, input logic [31:0] wdata,
                                        input logic [31:0] mask);
    return (cur & ~mask) | (wdata & mask);
  endfunction

  function automatic logic [31:0] ctrl_word(input logic en, input logic periodic,
                                            input logic [7:0] presc);
    return {16'b0, presc, 6'b0, periodic, en};
  endfunction

  // Written values are merged to full words; their reserved bits are discarded by design.
  /* verilator lint_off UNUSEDSIGNAL */
  wire [31:0] status_w1c = pwdata & lane_mask;
  wire [31:0] ie_write = merge(32'(ie), pwdata, lane_mask);
  /* verilator lint_on UNUSEDSIGNAL */

  wire        status_wr = wr & (word == A_STATUS);

  // ---------------------------------------------------------------- read data
  always_comb begin
    prdata = 32'b0;
    if (access & ~pwrite) begin
      if (word == A_ID) prdata = {16'h713E, 8'h00, 8'(NTIMERS)};
      else if (word == A_STATUS) prdata = 32'(status);
      else if (word == A_IE) prdata = 32'(ie);
      for (int t = 0; t < NTIMERS; t++) begin
        if (hit[t]) begin
          case (treg)
            R_CTRL: prdata = ctrl_word(t_en[t], t_periodic[t], t_presc[t]);
            R_COMPARE: prdata = t_cmp[t];
            R_COUNT: prdata = t_cnt[t];
            default: prdata = 32'b0;
          endcase
        end
      end
    end
  end

  assign pready  = 1'b1;
  assign pslverr = access & ~mapped;

  // ---------------------------------------------------------------- global registers
  always_ff @(posedge pclk) begin
    if (!presetn) begin
      status <= '0;
      ie     <= '0;
    end else begin
      if (wr & (word == A_IE)) ie <= ie_write[NTIMERS-1:0];
      // A match sets after the W1C clear: a match wins over a clear at the same edge.
      status <= (status & ~(status_wr ? status_w1c[NTIMERS-1:0] : '0)) | t_match;
    end
  end

  // ---------------------------------------------------------------- timers
  for (genvar t = 0; t < NTIMERS; t++) begin : g_timer
    wire ctrl_wr = wr & hit[t] & (treg == R_CTRL);
    wire cmp_wr = wr & hit[t] & (treg == R_COMPARE);
    /* verilator lint_off UNUSEDSIGNAL */
    wire [31:0] ctrl_write = merge(ctrl_word(t_en[t], t_periodic[t], t_presc[t]), pwdata, lane_mask);
    /* verilator lint_on UNUSEDSIGNAL */
    wire tick = t_en[t] & ~ctrl_wr & (t_pdiv[t] == t_presc[t]);
    assign t_match[t] = tick & (t_cnt[t] == t_cmp[t]);

    always_ff @(posedge pclk) begin
      if (!presetn) begin
        t_en[t]       <= 1'b0;
        t_periodic[t] <= 1'b0;
        t_presc[t]    <= 8'd0;
        t_pdiv[t]     <= 8'd0;
        t_cmp[t]      <= 32'd0;
        t_cnt[t]      <= 32'd0;
      end else begin
        if (ctrl_wr) begin
          t_en[t]       <= ctrl_write[0];
          t_periodic[t] <= ctrl_write[1];
          t_presc[t]    <= ctrl_write[15:8];
          t_pdiv[t]     <= 8'd0;
          if (~t_en[t] & ctrl_write[0]) t_cnt[t] <= 32'd0;
        end else if (t_en[t]) begin
          if (tick) begin
            t_pdiv[t] <= 8'd0;
            if (t_match[t]) begin
              if (t_periodic[t]) t_cnt[t] <= 32'd0;
              else t_en[t] <= 1'b0;
            end else begin
              t_cnt[t] <= t_cnt[t] + 32'd1;
            end
          end else begin
            t_pdiv[t] <= t_pdiv[t] + 8'd1;
          end
        end
        if (cmp_wr) t_cmp[t] <= merge(t_cmp[t], pwdata, lane_mask);
      end
    end
  end

  assign irq = |(status & ie);

endmodule
