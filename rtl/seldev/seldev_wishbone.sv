// seldev_wishbone: seldev (seldev.sv, unchanged) on a Wishbone B4 completer port
// (rtl/bus/wishbone_regport.sv), classic (PIPELINED = 0: one edge per access, ACK or ERR in
// the cycle of STB) or pipelined (never stalls; ACK or ERR the cycle after the request).
// Registers, corners and timing are seldev's; an access acts at the edge that takes it, and
// PSLVERR answers ERR.
module seldev_wishbone #(
    parameter int NUNITS = 4,
    parameter int PIPELINED = 0
) (
    input  logic        clk_i,
    input  logic        rst_i,
    input  logic        cyc_i,
    input  logic        stb_i,
    input  logic        we_i,
    input  logic [11:0] adr_i,
    input  logic [31:0] dat_i,
    input  logic [ 3:0] sel_i,
    output logic [31:0] dat_o,
    output logic        ack_o,
    output logic        err_o,
    output logic        stall_o,
    output logic        irq
);
  logic reg_access, reg_write, reg_error;
  logic [11:0] reg_addr;
  logic [31:0] reg_wdata, reg_rdata;
  logic [3:0] reg_strb;
  /* verilator lint_off UNUSEDSIGNAL */
  logic reg_ready;  // seldev's PREADY is always 1
  /* verilator lint_on UNUSEDSIGNAL */

  wishbone_regport #(
      .AW(12),
      .DW(32),
      .PIPELINED(PIPELINED)
  ) u_port (
      .clk_i     (clk_i),
      .rst_i     (rst_i),
      .cyc_i     (cyc_i),
      .stb_i     (stb_i),
      .we_i      (we_i),
      .adr_i     (adr_i),
      .dat_i     (dat_i),
      .sel_i     (sel_i),
      .dat_o     (dat_o),
      .ack_o     (ack_o),
      .err_o     (err_o),
      .stall_o   (stall_o),
      .reg_access(reg_access),
      .reg_write (reg_write),
      .reg_addr  (reg_addr),
      .reg_wdata (reg_wdata),
      .reg_strb  (reg_strb),
      .reg_rdata (reg_rdata),
      .reg_error (reg_error)
  );

  seldev #(
      .NUNITS(NUNITS)
  ) u_core (
      .pclk   (clk_i),
      .presetn(~rst_i),
      .psel   (reg_access),
      .penable(reg_access),
      .paddr  (reg_addr),
      .pwrite (reg_write),
      .pwdata (reg_wdata),
      .pstrb  (reg_strb),
      .pprot  (3'b010),
      .prdata (reg_rdata),
      .pready (reg_ready),
      .pslverr(reg_error),
      .irq    (irq)
  );
endmodule
