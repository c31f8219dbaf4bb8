// uart16550_axi4lite: the UART (uart16550.sv, unchanged: the uart16550 top the
// APB devices verilate, its pins brought out for tandem's line model) on an 8-bit AXI4-Lite completer port
// (rtl/bus/axi4lite_regport.sv), registers at byte offsets as on uart16550's 8-bit APB.
// Registers, corners and timing are the APB top's; a write acts at the edge that takes the
// later of AW and W, a read (and its side effects) at the edge that takes AR: the access
// edge the model is asked at. PSLVERR answers SLVERR. The response follows one cycle later and
// waits for BREADY/RREADY.
module uart16550_axi4lite #(
    parameter int DW = 8
) (
    input  logic        aclk,
    input  logic        aresetn,
    input  logic        awvalid,
    output logic        awready,
    input  logic [ 7:0] awaddr,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [ 2:0] awprot,   // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic        wvalid,
    output logic        wready,
    input  logic [DW-1:0] wdata,
    input  logic [DW/8-1:0] wstrb,
    output logic        bvalid,
    input  logic        bready,
    output logic [ 1:0] bresp,
    input  logic        arvalid,
    output logic        arready,
    input  logic [ 7:0] araddr,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [ 2:0] arprot,   // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    output logic        rvalid,
    input  logic        rready,
    output logic [DW-1:0] rdata,
    output logic [ 1:0] rresp,
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

  axi4lite_regport #(
      .AW(8),
      .DW(DW)
  ) u_port (
      .aclk      (aclk),
      .aresetn   (aresetn),
      .awvalid   (awvalid),
      .awready   (awready),
      .awaddr    (awaddr),
      .wvalid    (wvalid),
      .wready    (wready),
      .wdata     (wdata),
      .wstrb     (wstrb),
      .bvalid    (bvalid),
      .bready    (bready),
      .bresp     (bresp),
      .arvalid   (arvalid),
      .arready   (arready),
      .araddr    (araddr),
      .rvalid    (rvalid),
      .rready    (rready),
      .rdata     (rdata),
      .rresp     (rresp),
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
      .pclk       (aclk),
      .presetn    (aresetn),
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
