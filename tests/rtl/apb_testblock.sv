// apb_testblock: a register block for testing the APB driver itself — wait states, error
// responses, a completer that never answers, and every data width (DW = 8, 16 or 32).
// Registers are DW bits wide at byte offset index * DW/8:
//   0 DATA  RW   byte lanes honoured through PSTRB
//   1 WAIT  RW   wait states inserted in every later access (low 8 bits)
//   2 ERR   RO   reads DW'hE; every access answers PSLVERR
//   3 HANG  --   PREADY never rises (the driver's hang limit must stop it)
//   4 IRQ   RW   bit 0 drives the irq output
// Any other offset answers PSLVERR with read data 0.
module apb_testblock #(
    parameter int DW = 32,
    parameter int AW = 8
) (
    input  logic            pclk,
    input  logic            presetn,
    input  logic            psel,
    input  logic            penable,
    input  logic [  AW-1:0] paddr,
    input  logic            pwrite,
    input  logic [  DW-1:0] pwdata,
    input  logic [DW/8-1:0] pstrb,
    output logic [  DW-1:0] prdata,
    output logic            pready,
    output logic            pslverr,
    output logic            irq
);
  localparam int LANES = DW / 8;
  localparam int SHIFT = $clog2(LANES);

  logic [DW-1:0] data;
  logic [   7:0] wait_states;
  logic [   7:0] waited;
  logic          irq_q;

  /* verilator lint_off UNUSEDSIGNAL */
  wire  [AW-1:0] index = paddr >> SHIFT;  // byte offset -> register index; high bits unused
  /* verilator lint_on UNUSEDSIGNAL */
  wire           access = psel & penable;
  wire           known = index < AW'(5);

  logic [DW-1:0] mask;
  always_comb begin
    for (int i = 0; i < LANES; i++) mask[8*i+:8] = {8{pstrb[i]}};
  end

  assign pready = (index == AW'(3)) ? 1'b0 : (waited == wait_states);
  assign pslverr = access & pready & ((index == AW'(2)) | ~known);
  assign irq = irq_q;

  always_comb begin
    prdata = '0;
    if (access & ~pwrite) begin
      case (index)
        AW'(0): prdata = data;
        AW'(1): prdata = DW'(wait_states);
        AW'(2): prdata = DW'(14);
        AW'(4): prdata = DW'(irq_q);
        default: prdata = '0;
      endcase
    end
  end

  always_ff @(posedge pclk) begin
    if (!presetn) begin
      data        <= '0;
      wait_states <= '0;
      waited      <= '0;
      irq_q       <= 1'b0;
    end else begin
      if (access & ~pready) waited <= waited + 8'd1;
      if (access & pready) begin
        waited <= '0;
        if (pwrite) begin
          case (index)
            AW'(0): data <= (data & ~mask) | (pwdata & mask);
            AW'(1): if (pstrb[0]) wait_states <= pwdata[7:0];
            AW'(4): if (pstrb[0]) irq_q <= pwdata[0];
            default: ;
          endcase
        end
      end
    end
  end
endmodule
