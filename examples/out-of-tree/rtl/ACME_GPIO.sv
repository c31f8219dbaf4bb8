// ACME_GPIO: a vendor-style GPIO output block, the RTL of examples/out-of-tree. It is written
// the way tandem's own RTL is not: upper-case APB port names, an ACTIVE-HIGH synchronous reset
// (PRST), a parameterised width (NBITS), read data registered in the setup phase.
//
// Registers (32-bit words, PADDR[3:2] decodes, PADDR[1:0] ignored, PSTRB selects byte lanes):
//   0x0 DATA        [NBITS-1:0] rw   drives GPIO_O
//   0x4 IRQ_EN      [NBITS-1:0] rw
//   0x8 IRQ_STATUS  [NBITS-1:0] w1c  bit i set when a DATA write changes GPIO line i (either way)
//   0xC ID          [31:0]      ro   0x4AC3_0000 | NBITS; writes are ignored
// IRQ_O is high while any IRQ_STATUS bit is set with its IRQ_EN bit. PREADY is always high
// (no wait states) and PSLVERR always low: every offset decodes.
module ACME_GPIO #(
    parameter int NBITS = 8  // 1..32 GPIO lines
) (
    input  logic             PCLK,
    input  logic             PRST,     // active high, synchronous
    input  logic             PSEL,
    input  logic             PENABLE,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [      3:0] PADDR,    // [1:0] ignored: registers are decoded by word
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic             PWRITE,
    input  logic [     31:0] PWDATA,
    input  logic [      3:0] PSTRB,
    output logic [     31:0] PRDATA,
    output logic             PREADY,
    output logic             PSLVERR,
    output logic             IRQ_O,
    output logic [NBITS-1:0] GPIO_O
);
  localparam logic [31:0] MASK = NBITS >= 32 ? 32'hFFFF_FFFF : (32'd1 << NBITS) - 32'd1;
  localparam logic [31:0] ID = 32'h4AC3_0000 | 32'(NBITS);

  logic [31:0] data_q, en_q, status_q, rdata_q;

  function automatic logic [31:0] merge(input logic [31:0] cur, input logic [31:0] wdata, input logic [3:0] strb);
    for (int i = 0; i < 4; i++) merge[8*i+:8] = strb[i] ? wdata[8*i+:8] : cur[8*i+:8];
  endfunction

  function automatic logic [31:0] read_mux(input logic [1:0] word);
    case (word)
      2'd0: read_mux = data_q;
      2'd1: read_mux = en_q;
      2'd2: read_mux = status_q;
      default: read_mux = ID;
    endcase
  endfunction

  wire         access = PSEL && PENABLE;
  wire         wr = access && PWRITE;
  wire  [31:0] new_data = merge(data_q, PWDATA, PSTRB) & MASK;

  always_ff @(posedge PCLK) begin
    if (PRST) begin
      data_q   <= '0;
      en_q     <= '0;
      status_q <= '0;
      rdata_q  <= '0;
    end else begin
      // Registered read data: captured in the setup phase, presented in the access phase.
      if (PSEL && !PENABLE) rdata_q <= read_mux(PADDR[3:2]);
      if (wr) begin
        case (PADDR[3:2])
          2'd0: begin
            data_q   <= new_data;
            status_q <= status_q | (data_q ^ new_data);
          end
          2'd1: en_q <= merge(en_q, PWDATA, PSTRB) & MASK;
          2'd2: status_q <= status_q & ~merge(32'd0, PWDATA, PSTRB);
          default: ;
        endcase
      end
    end
  end

  assign PRDATA  = rdata_q;
  assign PREADY  = 1'b1;
  assign PSLVERR = 1'b0;
  assign IRQ_O   = |(status_q & en_q);
  assign GPIO_O  = data_q[NBITS-1:0];
endmodule
