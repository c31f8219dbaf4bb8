// pins_testblock: a small APB block with peripheral pins, for the pin support of the harness
// and the engine (tests/pins_test.cpp, docs/pins.md). 8-bit registers at byte offsets:
//   0 OUT   RW  [3:0] drive the output pins dout
//   1 IN    RO  [3:0] the input pins din as the last edge registered them
//   2 MASK  RW  [3:0] irq = |(registered din & MASK)
// Other offsets read 0 and answer PSLVERR. Outputs: dout = OUT, echo = registered din[0]
// (din one edge late), irq as above. Every output changes only at a clock edge. Reset
// (presetn low at an edge) clears OUT, MASK and the registered din. BUG (a seeded mutant for
// the tests): 1 inverts echo while OUT[3] is set.
module pins_testblock #(
    parameter int BUG = 0
) (
    input  logic       pclk,
    input  logic       presetn,
    input  logic       psel,
    input  logic       penable,
    input  logic [7:0] paddr,
    input  logic       pwrite,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [7:0] pwdata,  // registers are 4 bits: [7:4] ignored
    input  logic [0:0] pstrb,   // one lane: an 8-bit write always writes it
    /* verilator lint_on UNUSEDSIGNAL */
    output logic [7:0] prdata,
    output logic       pready,
    output logic       pslverr,
    output logic       irq,
    input  logic [3:0] din,
    output logic [3:0] dout,
    output logic       echo
);
  logic [3:0] out_q, mask_q, din_q;

  wire access = psel & penable;
  wire known = paddr < 8'd3;

  assign pready = 1'b1;
  assign pslverr = access & ~known;
  assign irq = |(din_q & mask_q);
  assign dout = out_q;
  assign echo = din_q[0] ^ ((BUG != 0) & out_q[3]);

  always_comb begin
    prdata = 8'd0;
    if (access & ~pwrite) begin
      case (paddr)
        8'd0: prdata = {4'd0, out_q};
        8'd1: prdata = {4'd0, din_q};
        8'd2: prdata = {4'd0, mask_q};
        default: prdata = 8'd0;
      endcase
    end
  end

  always_ff @(posedge pclk) begin
    if (!presetn) begin
      out_q  <= 4'd0;
      mask_q <= 4'd0;
      din_q  <= 4'd0;
    end else begin
      din_q <= din;
      if (access & pwrite & (paddr == 8'd0)) out_q <= pwdata[3:0];
      if (access & pwrite & (paddr == 8'd2)) mask_q <= pwdata[3:0];
    end
  end
endmodule
