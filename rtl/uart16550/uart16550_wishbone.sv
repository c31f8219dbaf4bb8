// uart16550_wishbone: the UART (uart16550.sv, unchanged: the uart16550 top the
// APB devices verilate, its pins brought out for tandem's line model) on an 8-bit Wishbone B4 completer port
// (rtl/bus/wishbone_regport.sv), classic (PIPELINED = 0: one edge per access, ACK or ERR in
// the cycle of STB) or pipelined (never stalls; ACK or ERR the cycle after the request),
// registers at byte offsets as on uart16550's 8-bit APB. An access (and a read's side
// effects) acts at the edge that takes it; PSLVERR answers ERR.
module uart16550_wishbone #(
    parameter int DW = 8,
    parameter int PIPELINED = 0
) (
    input  logic        clk_i,
    input  logic        rst_i,
    input  logic        cyc_i,
    input  logic        stb_i,
    input  logic        we_i,
    input  logic [ 7:0] adr_i,
    input  logic [DW-1:0] dat_i,
    input  logic [DW/8-1:0] sel_i,
    output logic [DW-1:0] dat_o,
    output logic        ack_o,
    output logic        err_o,
    output logic        stall_o,
    output logic        irq,
    // the UART's pins (tandem's line model drives and hears them: docs/pins.md)
    input  logic        sin,
    output logic        sout,
    input  logic        cts_n,
    input  logic        dsr_n,
    input  logic        ri_n,
    input  logic        dcd_n,
    output logic        dtr_n,
    output logic        rts_n,
    output logic        out1_n,
    output logic        out2_n
);
  logic reg_access, reg_write, reg_error;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [ 7:0] reg_addr;  // the UART decodes [2:0]; the line model serves the indices from 8 on
  /* verilator lint_on UNUSEDSIGNAL */
  logic [DW-1:0] reg_wdata, reg_rdata;
  logic [DW/8-1:0] reg_strb;
  /* verilator lint_off UNUSEDSIGNAL */
  logic reg_ready;  // the UART's PREADY is always 1
  /* verilator lint_on UNUSEDSIGNAL */

  wishbone_regport #(
      .AW(8),
      .DW(DW),
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

  /* verilator lint_off UNUSEDSIGNAL */
  logic [7:0] cfg_lcr;      // the UART's taps for a Verilog line monitor: unused here
  logic [16:0] cfg_divisor;
  /* verilator lint_on UNUSEDSIGNAL */

  uart16550 #(
      .REG_SHIFT(0),
      .DW       (DW)
  ) u_core (
      .pclk       (clk_i),
      .presetn    (~rst_i),
      .psel       (reg_access),
      .penable    (reg_access),
      .paddr      (reg_addr[2:0]),
      .pwrite     (reg_write),
      .pwdata     (reg_wdata),
      .pstrb      (reg_strb),
      .prdata     (reg_rdata),
      .pready     (reg_ready),
      .pslverr    (reg_error),
      .irq        (irq),
      .sin        (sin),
      .sout       (sout),
      .cts_n      (cts_n),
      .dsr_n      (dsr_n),
      .ri_n       (ri_n),
      .dcd_n      (dcd_n),
      .dtr_n      (dtr_n),
      .rts_n      (rts_n),
      .out1_n     (out1_n),
      .out2_n     (out2_n),
      .cfg_lcr    (cfg_lcr),
      .cfg_divisor(cfg_divisor)
  );
endmodule
