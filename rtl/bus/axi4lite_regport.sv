// axi4lite_regport: an AXI4-Lite completer port in front of a register core whose own port
// acts in one cycle (APB's access phase with PREADY tied high: both bundled cores). The bus
// front ends of the bundled devices (rtl/<device>/<device>_axi4lite.sv) are this port and the
// device's unchanged APB RTL, so the register logic is the one APB drives, bit for bit.
//
// One transfer at a time. AW and W are taken in any order, each held until the other comes;
// the core sees the write (reg_access, reg_write) in the cycle that takes the later of them,
// so the write acts at that edge. A read is taken only with no write under way (writes win a
// tie: ARREADY is low while AWVALID or WVALID is high or either is held); the core sees it in
// the cycle that takes AR, and the read data and error of that cycle are registered. The
// response (BVALID or RVALID) follows at the next edge and is held, unchanged, until its
// handshake; no request is taken while one is held. reg_error answers SLVERR; this port
// never answers DECERR (every address reaches the core, which decodes it). AxPROT is
// accepted and not decoded. aresetn low (synchronous) drops held requests and responses.
module axi4lite_regport #(
    parameter int AW = 12,
    parameter int DW = 32
) (
    input  logic            aclk,
    input  logic            aresetn,
    input  logic            awvalid,
    output logic            awready,
    input  logic [  AW-1:0] awaddr,
    input  logic            wvalid,
    output logic            wready,
    input  logic [  DW-1:0] wdata,
    input  logic [DW/8-1:0] wstrb,
    output logic            bvalid,
    input  logic            bready,
    output logic [     1:0] bresp,
    input  logic            arvalid,
    output logic            arready,
    input  logic [  AW-1:0] araddr,
    output logic            rvalid,
    input  logic            rready,
    output logic [  DW-1:0] rdata,
    output logic [     1:0] rresp,
    // The register core's port.
    output logic            reg_access,
    output logic            reg_write,
    output logic [  AW-1:0] reg_addr,
    output logic [  DW-1:0] reg_wdata,
    output logic [DW/8-1:0] reg_strb,
    input  logic [  DW-1:0] reg_rdata,
    input  logic            reg_error
);
  localparam logic [1:0] OKAY = 2'b00, SLVERR = 2'b10;

  logic aw_full, w_full;
  logic [AW-1:0] aw_addr_q;
  logic [DW-1:0] w_data_q;
  logic [DW/8-1:0] w_strb_q;
  logic [1:0] bresp_q, rresp_q;
  logic [DW-1:0] rdata_q;

  wire busy = bvalid | rvalid;
  assign awready = ~aw_full & ~busy;
  assign wready  = ~w_full & ~busy;
  wire aw_hs = awvalid & awready;
  wire w_hs = wvalid & wready;
  wire take_w = (aw_full | aw_hs) & (w_full | w_hs);
  assign arready = ~busy & ~aw_full & ~w_full & ~awvalid & ~wvalid;
  wire take_r = arvalid & arready;

  assign reg_access = take_w | take_r;
  assign reg_write  = take_w;
  assign reg_addr   = take_w ? (aw_full ? aw_addr_q : awaddr) : araddr;
  assign reg_wdata  = w_full ? w_data_q : wdata;
  assign reg_strb   = take_w ? (w_full ? w_strb_q : wstrb) : '0;

  assign bresp = bvalid ? bresp_q : OKAY;
  assign rresp = rvalid ? rresp_q : OKAY;
  assign rdata = rvalid ? rdata_q : '0;

  always_ff @(posedge aclk) begin
    if (!aresetn) begin
      aw_full   <= 1'b0;
      w_full    <= 1'b0;
      aw_addr_q <= '0;
      w_data_q  <= '0;
      w_strb_q  <= '0;
      bvalid    <= 1'b0;
      rvalid    <= 1'b0;
      bresp_q   <= OKAY;
      rresp_q   <= OKAY;
      rdata_q   <= '0;
    end else begin
      if (bvalid & bready) bvalid <= 1'b0;
      if (rvalid & rready) rvalid <= 1'b0;
      if (take_w) begin
        aw_full <= 1'b0;
        w_full  <= 1'b0;
        bvalid  <= 1'b1;
        bresp_q <= reg_error ? SLVERR : OKAY;
      end else begin
        if (aw_hs) begin
          aw_full   <= 1'b1;
          aw_addr_q <= awaddr;
        end
        if (w_hs) begin
          w_full   <= 1'b1;
          w_data_q <= wdata;
          w_strb_q <= wstrb;
        end
      end
      if (take_r) begin
        rvalid  <= 1'b1;
        rresp_q <= reg_error ? SLVERR : OKAY;
        rdata_q <= reg_rdata;
      end
    end
  end
endmodule
