// handshake_testblock: the APB test block's registers behind a different bus, for testing the
// bus seam: a one-phase request/acknowledge protocol (tests/bus/handshake_driver.h), an
// active-high reset, and a clock that is not called pclk. The same register behaviour as
// apb_testblock.sv, so the same model serves both:
//   0 DATA  RW   byte lanes honoured through be
//   1 WAIT  RW   wait states inserted in every later transfer (low 8 bits)
//   2 ERR   RO   reads DW'hE; every transfer answers err
//   3 HANG  --   ack never rises (the driver's hang limit must stop it)
//   4 IRQ   RW   bit 0 drives the irq output
// Any other offset answers err with read data 0.
// Protocol: the manager holds req, we, addr, wdata and be; the transfer completes at the first
// rising edge where req and ack are both high (ack may be high in the first cycle: one edge per
// transfer without wait states). rdata and err are valid while ack is high.
module handshake_testblock #(
    parameter int DW = 32,
    parameter int AW = 8
) (
    input  logic            clk,
    input  logic            rst,
    input  logic            req,
    input  logic            we,
    input  logic [  AW-1:0] addr,
    input  logic [  DW-1:0] wdata,
    input  logic [DW/8-1:0] be,
    output logic            ack,
    output logic [  DW-1:0] rdata,
    output logic            err,
    output logic            irq
);
  localparam int LANES = DW / 8;
  localparam int SHIFT = $clog2(LANES);

  logic [DW-1:0] data;
  logic [   7:0] wait_states;
  logic [   7:0] waited;
  logic          irq_q;

  /* verilator lint_off UNUSEDSIGNAL */
  wire  [AW-1:0] index = addr >> SHIFT;  // byte offset -> register index; high bits unused
  /* verilator lint_on UNUSEDSIGNAL */
  wire           known = index < AW'(5);
  wire           ready = (index == AW'(3)) ? 1'b0 : (waited == wait_states);

  logic [DW-1:0] mask;
  always_comb begin
    for (int i = 0; i < LANES; i++) mask[8*i+:8] = {8{be[i]}};
  end

  assign ack = req & ready;
  assign err = ack & ((index == AW'(2)) | ~known);
  assign irq = irq_q;

  always_comb begin
    rdata = '0;
    if (ack & ~we) begin
      case (index)
        AW'(0): rdata = data;
        AW'(1): rdata = DW'(wait_states);
        AW'(2): rdata = DW'(14);
        AW'(4): rdata = DW'(irq_q);
        default: rdata = '0;
      endcase
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      data        <= '0;
      wait_states <= '0;
      waited      <= '0;
      irq_q       <= 1'b0;
    end else begin
      if (req & ~ready) waited <= waited + 8'd1;
      if (ack) begin
        waited <= '0;
        if (we) begin
          case (index)
            AW'(0): data <= (data & ~mask) | (wdata & mask);
            AW'(1): if (be[0]) wait_states <= wdata[7:0];
            AW'(4): if (be[0]) irq_q <= wdata[0];
            default: ;
          endcase
        end
      end
    end
  end
endmodule
