// seldev_axi4lite: seldev (seldev.sv, unchanged) on an AXI4-Lite completer port
// (rtl/bus/axi4lite_regport.sv). Registers, corners and timing are seldev's; a write acts at
// the edge that takes the later of AW and W, a read at the edge that takes AR (both are the
// access edge the model is asked at), and PSLVERR answers SLVERR. The response follows one
// cycle later and waits for BREADY/RREADY.
module seldev_axi4lite #(
    parameter int NUNITS = 4
) (
    input  logic        aclk,
    input  logic        aresetn,
    input  logic        awvalid,
    output logic        awready,
    input  logic [11:0] awaddr,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [ 2:0] awprot,   // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic        wvalid,
    output logic        wready,
    input  logic [31:0] wdata,
    input  logic [ 3:0] wstrb,
    output logic        bvalid,
    input  logic        bready,
    output logic [ 1:0] bresp,
    input  logic        arvalid,
    output logic        arready,
    input  logic [11:0] araddr,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [ 2:0] arprot,   // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    output logic        rvalid,
    input  logic        rready,
    output logic [31:0] rdata,
    output logic [ 1:0] rresp,
    output logic        irq
);
  logic reg_access, reg_write, reg_error;
  logic [11:0] reg_addr;
  logic [31:0] reg_wdata, reg_rdata;
  logic [3:0] reg_strb;
  /* verilator lint_off UNUSEDSIGNAL */
  logic reg_ready;  // seldev's PREADY is always 1
  /* verilator lint_on UNUSEDSIGNAL */

  axi4lite_regport #(
      .AW(12),
      .DW(32)
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

  seldev #(
      .NUNITS(NUNITS)
  ) u_core (
      .pclk   (aclk),
      .presetn(aresetn),
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
