// axi4lite_testblock: the APB test block's registers behind an AXI4-Lite completer port, for
// testing the AXI4-Lite driver and its protocol checker (tests/bus_protocol_test.cpp). The same
// register behaviour as apb_testblock.sv, so the same model serves it:
//   0 DATA  RW   byte lanes honoured through WSTRB
//   1 WAIT  RW   the response of every later transfer comes WAIT (low 8 bits) cycles late
//   2 ERR   RO   every transfer answers SLVERR (read data DW'hE)
//   3 HANG  --   the response never comes (the driver's hang limit must stop it); with BREAK
//                != 0 an unmapped offset instead, so that a campaign on a broken completer
//                runs into the rule it breaks, not into a hang
//   4 IRQ   RW   bit 0 drives the irq output
// Any other offset answers DECERR with read data 0.
//
// One transfer at a time: AW and W are taken in any order (each held until the other comes),
// a write acts at the edge that takes the later of them, a read at the edge that takes AR;
// the response follows WAIT cycles after that edge (at the earliest the next cycle) and is
// held until its handshake. While a request is held or a response is due, no other request is
// taken; a read is taken only with no write under way (writes win a tie).
//
// BREAK (0: none) makes the completer break one rule of AXI4-Lite, for the checker's tests:
//   1 RVALID deasserted before RREADY (the response is shown for one cycle only)
//   2 RDATA changed while RVALID high and RREADY low (it counts up while it waits)
//   3 BVALID without a completed AW and W (a write acts on AW alone, with whatever W shows:
//     right only when the manager sends AW and W together)
//   4 BVALID deasserted before BREADY
module axi4lite_testblock #(
    parameter int DW = 32,
    parameter int AW = 8,
    parameter int BREAK = 0
) (
    input  logic            aclk,
    input  logic            aresetn,
    input  logic            awvalid,
    output logic            awready,
    input  logic [  AW-1:0] awaddr,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [     2:0] awprot,  // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
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
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [     2:0] arprot,  // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    output logic            rvalid,
    input  logic            rready,
    output logic [  DW-1:0] rdata,
    output logic [     1:0] rresp,
    output logic            irq
);
  localparam int LANES = DW / 8;
  localparam int SHIFT = $clog2(LANES);
  localparam logic [1:0] OKAY = 2'b00, SLVERR = 2'b10, DECERR = 2'b11;

  logic [DW-1:0] data;
  logic [   7:0] wait_states;
  logic          irq_q;

  // Requests held until their partner comes.
  logic aw_full, w_full;
  logic [AW-1:0] aw_addr_q;
  logic [DW-1:0] w_data_q;
  logic [LANES-1:0] w_strb_q;

  // The response under way.
  logic pend, pend_write, pend_hang;
  logic [7:0] count;
  logic [1:0] resp_q;
  logic [DW-1:0] rdata_q;

  wire busy = pend;
  assign awready = ~aw_full & ~busy;
  assign wready  = ~w_full & ~busy;
  wire aw_hs = awvalid & awready;
  wire w_hs = wvalid & wready;
  wire take_w = (BREAK == 3) ? aw_hs : (aw_full | aw_hs) & (w_full | w_hs);
  assign arready = ~busy & ~aw_full & ~w_full & ~awvalid & ~wvalid;
  wire take_r = arvalid & arready;

  wire [AW-1:0] w_addr = aw_full ? aw_addr_q : awaddr;
  wire [DW-1:0] w_data = w_full ? w_data_q : wdata;
  wire [LANES-1:0] w_strb = w_full ? w_strb_q : wstrb;

  /* verilator lint_off UNUSEDSIGNAL */
  wire [AW-1:0] w_index = w_addr >> SHIFT;  // byte offset -> register index; high bits unused
  wire [AW-1:0] r_index = araddr >> SHIFT;
  /* verilator lint_on UNUSEDSIGNAL */

  logic [DW-1:0] mask;
  always_comb begin
    for (int i = 0; i < LANES; i++) mask[8*i+:8] = {8{w_strb[i]}};
  end

  function automatic logic [1:0] resp_of(input logic [AW-1:0] index);
    if (index == AW'(2)) return SLVERR;
    if (index == AW'(3) && BREAK != 0) return DECERR;
    if (index < AW'(5)) return OKAY;
    return DECERR;
  endfunction

  logic [DW-1:0] read_value;
  always_comb begin
    case (r_index)
      AW'(0): read_value = data;
      AW'(1): read_value = DW'(wait_states);
      AW'(2): read_value = DW'(14);
      AW'(4): read_value = DW'(irq_q);
      default: read_value = '0;
    endcase
  end

  wire shown = pend & ~pend_hang & (count == 8'd0);
  assign bvalid = shown & pend_write;
  assign rvalid = shown & ~pend_write;
  assign bresp  = bvalid ? resp_q : OKAY;
  assign rresp  = rvalid ? resp_q : OKAY;
  assign rdata  = rvalid ? rdata_q : '0;
  assign irq    = irq_q;

  wire b_waiting = bvalid & ~bready;
  wire r_waiting = rvalid & ~rready;
  wire retire = (bvalid & bready) | (rvalid & rready) | (BREAK == 1 && r_waiting) | (BREAK == 4 && b_waiting);

  always_ff @(posedge aclk) begin
    if (!aresetn) begin
      data        <= '0;
      wait_states <= '0;
      irq_q       <= 1'b0;
      aw_full     <= 1'b0;
      w_full      <= 1'b0;
      aw_addr_q   <= '0;
      w_data_q    <= '0;
      w_strb_q    <= '0;
      pend        <= 1'b0;
      pend_write  <= 1'b0;
      pend_hang   <= 1'b0;
      count       <= '0;
      resp_q      <= OKAY;
      rdata_q     <= '0;
    end else begin
      if (pend & (count != 8'd0)) count <= count - 8'd1;
      if (retire) pend <= 1'b0;
      if (BREAK == 2 && r_waiting) rdata_q <= rdata_q + DW'(1);
      if (take_w) begin
        aw_full    <= 1'b0;
        w_full     <= 1'b0;
        pend       <= 1'b1;
        pend_write <= 1'b1;
        pend_hang  <= (w_index == AW'(3)) & (BREAK == 0);
        count      <= wait_states;
        resp_q     <= resp_of(w_index);
        case (w_index)
          AW'(0): data <= (data & ~mask) | (w_data & mask);
          AW'(1): if (w_strb[0]) wait_states <= w_data[7:0];
          AW'(4): if (w_strb[0]) irq_q <= w_data[0];
          default: ;
        endcase
      end else begin
        if (aw_hs) begin
          aw_full   <= 1'b1;
          aw_addr_q <= awaddr;
        end
        if (w_hs & (BREAK != 3)) begin
          w_full   <= 1'b1;
          w_data_q <= wdata;
          w_strb_q <= wstrb;
        end
      end
      if (take_r) begin
        pend       <= 1'b1;
        pend_write <= 1'b0;
        pend_hang  <= (r_index == AW'(3)) & (BREAK == 0);
        count      <= wait_states;
        resp_q     <= resp_of(r_index);
        rdata_q    <= read_value;
      end
    end
  end
endmodule
