// policyblock: a register block with one field of every software access policy tandem models
// (bridge/include/tandem/field_access.h), the reference `tandem regtest` is checked against.
// Its map is devices/policyblock/policyblock.rdl; its model models/policyblock/.
//
// Register map (byte offsets, 32-bit registers, APB4 completer; PADDR[1:0] are ignored for
// decode). Every policy register holds one 8-bit field P[7:0]; bits [31:8] are reserved.
//   0x00 ID     RO    32'h90_11C7_B1 ... the constant ID_VALUE below
//   0x04 RW     reset 8'h5A   0x08 RO    reset 8'hC3   0x0C WO    reset 8'h00
//   0x10 RC     reset 8'hFF   0x14 RS    reset 8'h00   0x18 WRC   reset 8'h3C
//   0x1C WRS    reset 8'h3C   0x20 WC    reset 8'h66   0x24 WS    reset 8'h66
//   0x28 WSRC   reset 8'h81   0x2C WCRS  reset 8'h81   0x30 W1C   reset 8'hF0
//   0x34 W1S    reset 8'h0F   0x38 W1T   reset 8'h55   0x3C W0C   reset 8'hF0
//   0x40 W0S    reset 8'h0F   0x44 W0T   reset 8'h55   0x48 W1SRC reset 8'h18
//   0x4C W1CRS  reset 8'h18   0x50 W0SRC reset 8'h24   0x54 W0CRS reset 8'h24
//   0x58 W1     reset 8'h00   0x5C RW1   reset 8'h00
//   0x60 MIXED  [3:0] RW reset 4'h3; [7:4] W1C reset 4'hF; [15:8] RO reset 8'h42;
//               [16] RC reset 1'b1; [31:17] reserved
// Semantics of one access to a field of value V (D: the written data of the field's bits):
//   read data: V, except WO and W1, which read 0. A read's side effect applies at its edge,
//   after the data was taken: RC, WRC, WSRC, W1SRC, W0SRC clear V; RS, WRS, WCRS, W1CRS,
//   W0CRS set V to all ones; the others keep V.
//   write: RW, WO, WRC, WRS: V := D. RO, RC, RS: no effect. WC, WCRS: V := 0. WS, WSRC:
//   V := all ones. W1C, W1CRS: V & ~D. W1S, W1SRC: V | D. W1T: V ^ D. W0C, W0CRS: V & D.
//   W0S, W0SRC: V | ~D. W0T: V ^ ~D. W1, RW1: V := D on the first write after reset, every
//   later write has no effect (the write is still answered without PSLVERR).
// Defined behaviour for every corner:
//   * A write changes a field only when PSTRB enables the byte lane the field lies in
//     (MIXED: lane 0 for RW and W1C, lane 1 for RO, lane 2 for RC); a write with the field's
//     lane disabled has no effect on it, also for WC/WS/WSRC/WCRS and the write-once fields
//     (the one write is not used up).
//   * Reads have no byte lanes: every read of a register applies its fields' read effects.
//   * Reserved bits read 0; writes to them are discarded.
//   * Writes to ID and RO have no effect and answer without PSLVERR.
//   * Any access to an offset not listed above (0x64-0xFF): PSLVERR, read data 0, no effect.
//   * PRESETn low (synchronous): every field takes its reset value, write-once fields become
//     writable again.
//   * PREADY is always 1 (no wait states). PPROT is accepted and not decoded. No interrupt.

/* verilator lint_off DECLFILENAME */
// One field: policy POLICY (the numbering of tandem::AccessPolicy), W bits, reset RESET.
module policyblock_field #(
    parameter int          W      = 8,
    parameter int          POLICY = 0,
    parameter logic [W-1:0] RESET = '0
) (
    input  logic         clk,
    input  logic         rst_n,
    input  logic         rd,      // a read of the register completes at this edge
    input  logic         wr,      // a write with the field's lane enabled completes at this edge
    input  logic [W-1:0] wdata,
    output logic [W-1:0] rdata    // the read data (0 for WO and W1)
);
  // tandem::AccessPolicy (RO, RC and RS are the default branch below)
  /* verilator lint_off UNUSEDPARAM */
  localparam int RW = 0, RO = 1, WO = 2, RC = 3, RS = 4, WRC = 5, WRS = 6, WC = 7, WS = 8;
  localparam int WSRC = 9, WCRS = 10, W1C = 11, W1S = 12, W1T = 13, W0C = 14, W0S = 15;
  localparam int W0T = 16, W1SRC = 17, W1CRS = 18, W0SRC = 19, W0CRS = 20, W1 = 21, RW1 = 22;
  /* verilator lint_on UNUSEDPARAM */

  localparam logic [W-1:0] ONES = {W{1'b1}};
  localparam bit READ_CLEARS = POLICY == RC || POLICY == WRC || POLICY == WSRC || POLICY == W1SRC || POLICY == W0SRC;
  localparam bit READ_SETS = POLICY == RS || POLICY == WRS || POLICY == WCRS || POLICY == W1CRS || POLICY == W0CRS;

  logic [W-1:0] q;
  logic         written;
  logic [W-1:0] after_write;

  always_comb begin
    case (POLICY)
      RW, WO, WRC, WRS: after_write = wdata;
      WC, WCRS:         after_write = '0;
      WS, WSRC:         after_write = ONES;
      W1C, W1CRS:       after_write = q & ~wdata;
      W1S, W1SRC:       after_write = q | wdata;
      W1T:              after_write = q ^ wdata;
      W0C, W0CRS:       after_write = q & wdata;
      W0S, W0SRC:       after_write = q | ~wdata;
      W0T:              after_write = q ^ ~wdata;
      W1, RW1:          after_write = written ? q : wdata;
      default:          after_write = q;  // RO, RC, RS
    endcase
  end

  assign rdata = (POLICY == WO || POLICY == W1) ? '0 : q;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      q       <= RESET;
      written <= 1'b0;
    end else if (wr) begin
      q       <= after_write;
      written <= 1'b1;
    end else if (rd) begin
      if (READ_CLEARS) q <= '0;
      else if (READ_SETS) q <= ONES;
    end
  end
endmodule
/* verilator lint_on DECLFILENAME */

module policyblock #(
    parameter logic [31:0] ID_VALUE = 32'h9011_C7B1
) (
    input  logic        pclk,
    input  logic        presetn,
    input  logic        psel,
    input  logic        penable,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [ 7:0] paddr,  // [1:0] ignored: registers are decoded by word
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic        pwrite,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [31:0] pwdata,  // [31:17] reserved
    input  logic [ 3:0] pstrb,   // [3]: no field in lane 3
    input  logic [ 2:0] pprot,  // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    output logic [31:0] prdata,
    output logic        pready,
    output logic        pslverr
);
  localparam int NPOL = 23;  // policy registers at 0x04 + 4*p, p = tandem::AccessPolicy
  localparam logic [7:0] RESETS[NPOL] = '{8'h5A, 8'hC3, 8'h00, 8'hFF, 8'h00, 8'h3C, 8'h3C, 8'h66,
                                          8'h66, 8'h81, 8'h81, 8'hF0, 8'h0F, 8'h55, 8'hF0, 8'h0F,
                                          8'h55, 8'h18, 8'h18, 8'h24, 8'h24, 8'h00, 8'h00};

  wire       access = psel & penable;
  wire [5:0] index = paddr[7:2];
  wire       is_id = index == 6'd0;
  wire       is_mixed = index == 6'd24;
  wire       is_policy = index >= 6'd1 && index <= 6'(NPOL);
  wire       mapped = is_id | is_mixed | is_policy;
  wire [4:0] pol_index = 5'(index - 6'd1);
  wire       rd = access & ~pwrite & mapped;
  wire       wr = access & pwrite & mapped;

  logic [7:0] pol_rdata[NPOL];
  for (genvar p = 0; p < NPOL; p++) begin : g_pol
    policyblock_field #(.W(8), .POLICY(p), .RESET(RESETS[p])) u_field (
        .clk  (pclk),
        .rst_n(presetn),
        .rd   (rd && index == 6'(p + 1)),
        .wr   (wr && pstrb[0] && index == 6'(p + 1)),
        .wdata(pwdata[7:0]),
        .rdata(pol_rdata[p])
    );
  end

  // MIXED: RW [3:0], W1C [7:4], RO [15:8], RC [16].
  logic [3:0] mixed_rw, mixed_w1c;
  logic [7:0] mixed_ro;
  logic [0:0] mixed_rc;
  policyblock_field #(.W(4), .POLICY(0), .RESET(4'h3)) u_mixed_rw (
      .clk(pclk), .rst_n(presetn), .rd(rd && is_mixed), .wr(wr && is_mixed && pstrb[0]),
      .wdata(pwdata[3:0]), .rdata(mixed_rw));
  policyblock_field #(.W(4), .POLICY(11), .RESET(4'hF)) u_mixed_w1c (
      .clk(pclk), .rst_n(presetn), .rd(rd && is_mixed), .wr(wr && is_mixed && pstrb[0]),
      .wdata(pwdata[7:4]), .rdata(mixed_w1c));
  policyblock_field #(.W(8), .POLICY(1), .RESET(8'h42)) u_mixed_ro (
      .clk(pclk), .rst_n(presetn), .rd(rd && is_mixed), .wr(wr && is_mixed && pstrb[1]),
      .wdata(pwdata[15:8]), .rdata(mixed_ro));
  policyblock_field #(.W(1), .POLICY(3), .RESET(1'b1)) u_mixed_rc (
      .clk(pclk), .rst_n(presetn), .rd(rd && is_mixed), .wr(wr && is_mixed && pstrb[2]),
      .wdata(pwdata[16:16]), .rdata(mixed_rc));

  always_comb begin
    prdata = '0;
    if (rd) begin
      if (is_id) prdata = ID_VALUE;
      else if (is_mixed) prdata = {15'b0, mixed_rc, mixed_ro, mixed_w1c, mixed_rw};
      else prdata = {24'b0, pol_rdata[pol_index]};
    end
  end

  assign pready  = 1'b1;
  assign pslverr = access & ~mapped;
endmodule
