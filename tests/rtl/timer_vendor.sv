// timer_vendor: a second RTL of the bundled timer (rtl/timer/timer.sv), written the way another
// vendor might: the same register map, counting and corners, except for three deliberate,
// datasheet-legal differences. It is a test-only device (tests/CMakeLists.txt, bound against the
// bundled timer model) that proves tandem's waivers, tolerances and --keep-going: a campaign
// finds exactly these differences, and tests/vendor/timer_vendor.waivers.toml accepts them.
//
//   1. ID[15:8] carries this vendor's silicon revision, 8'h02 (the bundled map leaves the byte
//      reserved, reading 0). ID reads {16'h713E, 8'h02, NTIMERS}.
//   2. INT_STATUS is read through a two-flop synchroniser: a read, and the irq output, see the
//      status as it stood two edges earlier. A match (or a W1C clear) at edge E shows in
//      INT_STATUS reads and on irq from edge E + 2 instead of right after E; INT_ENABLE still
//      gates irq at once. irq = |(INT_STATUS as read & INT_ENABLE).
//   3. INT_ENABLE has no read-back (an optional feature of the datasheet this vendor left
//      out): it reads 0; writes take effect as in the bundled RTL.
//
// Everything else is the bundled RTL's behaviour, corner for corner (see its header comment):
// counting, prescaler, one-shot and periodic modes, W1C with a match winning over a clear at
// the same edge, byte-lane strobes, PSLVERR on holes, synchronous reset of every flop
// (the synchroniser included).
module timer_vendor #(
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
    $error("timer_vendor: NTIMERS must be 1 to 8");
  end

  localparam logic [9:0] A_ID = 10'h000, A_STATUS = 10'h001, A_IE = 10'h002;
  localparam logic [1:0] R_CTRL = 2'd0, R_COMPARE = 2'd1, R_COUNT = 2'd2;

  // ---------------------------------------------------------------- registers
  logic [NTIMERS-1:0] status, ie;
  logic [NTIMERS-1:0] status_sync1, status_seen;  // difference 2: INT_STATUS two edges late
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
      // Differences 1 and 2; INT_ENABLE (difference 3) reads 0.
      if (word == A_ID) prdata = {16'h713E, 8'h02, 8'(NTIMERS)};
      else if (word == A_STATUS) prdata = 32'(status_seen);
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
      status       <= '0;
      ie           <= '0;
      status_sync1 <= '0;
      status_seen  <= '0;
    end else begin
      status_sync1 <= status;
      status_seen  <= status_sync1;
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

  assign irq = |(status_seen & ie);

endmodule
