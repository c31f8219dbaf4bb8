// wishbone_regport: a Wishbone B4 completer port, classic (PIPELINED = 0) or pipelined, in
// front of a register core whose own port acts in one cycle (APB's access phase with PREADY
// tied high: both bundled cores). The bus front ends of the bundled devices
// (rtl/<device>/<device>_wishbone.sv) are this port and the device's unchanged APB RTL.
//
// Classic: the core sees every cycle of CYC and STB; ACK (or ERR, from reg_error) is
// combinational in that cycle, so an access takes one edge and acts at it; dat_o is the
// core's read data then. Pipelined: STALL is never raised; the core sees the cycle of CYC and
// STB that takes the request, which acts at that edge; ACK or ERR and the read data of that
// cycle follow, registered, in the next cycle. RTY is never answered. adr_i is the byte
// address, passed to the core whole. rst_i high (synchronous) drops a pipelined response due.
module wishbone_regport #(
    parameter int AW = 12,
    parameter int DW = 32,
    parameter int PIPELINED = 0
) (
    input  logic            clk_i,
    input  logic            rst_i,
    input  logic            cyc_i,
    input  logic            stb_i,
    input  logic            we_i,
    input  logic [  AW-1:0] adr_i,
    input  logic [  DW-1:0] dat_i,
    input  logic [DW/8-1:0] sel_i,
    output logic [  DW-1:0] dat_o,
    output logic            ack_o,
    output logic            err_o,
    output logic            stall_o,
    // The register core's port.
    output logic            reg_access,
    output logic            reg_write,
    output logic [  AW-1:0] reg_addr,
    output logic [  DW-1:0] reg_wdata,
    output logic [DW/8-1:0] reg_strb,
    input  logic [  DW-1:0] reg_rdata,
    input  logic            reg_error
);
  localparam bit PIPE = PIPELINED != 0;

  logic p_ack, p_err;
  logic [DW-1:0] p_data;

  assign reg_access = cyc_i & stb_i;
  assign reg_write  = we_i;
  assign reg_addr   = adr_i;
  assign reg_wdata  = dat_i;
  assign reg_strb   = we_i ? sel_i : '0;
  assign stall_o    = 1'b0;
  assign ack_o      = PIPE ? p_ack : reg_access & ~reg_error;
  assign err_o      = PIPE ? p_err : reg_access & reg_error;
  assign dat_o      = PIPE ? p_data : ((reg_access & ~we_i) ? reg_rdata : '0);

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      p_ack  <= 1'b0;
      p_err  <= 1'b0;
      p_data <= '0;
    end else begin
      p_ack  <= PIPE & reg_access & ~reg_error;
      p_err  <= PIPE & reg_access & reg_error;
      p_data <= (PIPE & reg_access & ~we_i) ? reg_rdata : '0;
    end
  end
endmodule
