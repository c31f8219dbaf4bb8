// wishbone_testblock: the APB test block's registers behind a Wishbone B4 completer port,
// classic (PIPELINED = 0) or pipelined, for testing the Wishbone drivers and their protocol
// checker (tests/bus_protocol_test.cpp). The same register behaviour as apb_testblock.sv, so
// the same model serves it:
//   0 DATA  RW   byte lanes honoured through SEL
//   1 WAIT  RW   wait states in every later transfer (low 8 bits)
//   2 ERR   RO   every transfer answers ERR (read data DW'hE)
//   3 HANG  --   no ACK, ERR or RTY ever comes (the driver's hang limit must stop it)
//   4 IRQ   RW   bit 0 drives the irq output
//   5 RETRY --   every transfer answers RTY (read data 0)
// Any other offset answers ERR with read data 0.
//
// Classic: ACK (or ERR, RTY) is combinational, in the WAIT+1-th cycle of STB; a write acts at
// that edge. Pipelined: STALL is high for the first WAIT cycles of STB; the edge without STALL
// takes the request and a write acts there; ACK (or ERR, RTY) follows in the next cycle, with
// the read data as it stood when the request was taken. stall_o is 0 in classic mode.
//
// BREAK (0: none) makes the completer break one rule of Wishbone B4, for the checker's tests:
//   1 ACK without STB (classic: it acknowledges CYC alone; ERR and RTY still wait for STB)
//   2 ACK and ERR in the same cycle (an error response raises both)
//   3 ACK without an outstanding request (pipelined: ACK repeated in the cycle after)
module wishbone_testblock #(
    parameter int DW = 32,
    parameter int AW = 8,
    parameter int PIPELINED = 0,
    parameter int BREAK = 0
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
    output logic            rty_o,
    output logic            stall_o,
    output logic            irq
);
  localparam bit PIPE = PIPELINED != 0;
  localparam int LANES = DW / 8;
  localparam int SHIFT = $clog2(LANES);

  logic [DW-1:0] data;
  logic [   7:0] wait_states;
  logic [   7:0] waited;
  logic          irq_q;

  /* verilator lint_off UNUSEDSIGNAL */
  wire  [AW-1:0] index = adr_i >> SHIFT;  // byte offset -> register index; high bits unused
  /* verilator lint_on UNUSEDSIGNAL */
  wire           is_err = (index == AW'(2)) | (index > AW'(5));
  wire           is_rty = index == AW'(5);
  wire           is_hang = index == AW'(3);
  wire           ready = ~is_hang & (waited == wait_states);
  // BREAK 1: a transfer that will be acknowledged (not ERR or RTY) is taken on CYC alone.
  wire           request = cyc_i & (stb_i | ((BREAK == 1) & ~is_err & ~is_rty));
  wire           take = request & ready;  // the edge a write acts at

  logic [DW-1:0] mask;
  always_comb begin
    for (int i = 0; i < LANES; i++) mask[8*i+:8] = {8{sel_i[i]}};
  end

  logic [DW-1:0] read_value;
  always_comb begin
    case (index)
      AW'(0): read_value = data;
      AW'(1): read_value = DW'(wait_states);
      AW'(2): read_value = DW'(14);
      AW'(4): read_value = DW'(irq_q);
      default: read_value = '0;
    endcase
  end

  // Pipelined: the response of the request taken at the last edge.
  logic p_ack, p_err, p_rty, p_again;
  logic [DW-1:0] p_data;

  assign stall_o = PIPE ? (stb_i & ~ready) : 1'b0;
  assign irq = irq_q;
  always_comb begin
    if (PIPE) begin
      ack_o = p_ack | ((BREAK == 3) & p_again) | ((BREAK == 2) & p_err);
      err_o = p_err;
      rty_o = p_rty;
      dat_o = p_data;
    end else begin
      ack_o = take & ((~is_err & ~is_rty) | (BREAK == 2 && is_err));
      err_o = take & is_err;
      rty_o = take & is_rty;
      dat_o = (take & ~we_i) ? read_value : '0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      data        <= '0;
      wait_states <= '0;
      waited      <= '0;
      irq_q       <= 1'b0;
      p_ack       <= 1'b0;
      p_err       <= 1'b0;
      p_rty       <= 1'b0;
      p_again     <= 1'b0;
      p_data      <= '0;
    end else begin
      p_again <= p_ack;
      p_ack   <= PIPE & take & ~is_err & ~is_rty;
      p_err   <= PIPE & take & is_err;
      p_rty   <= PIPE & take & is_rty;
      p_data  <= (PIPE & take & ~we_i) ? read_value : '0;
      if (request & ~ready) waited <= waited + 8'd1;
      if (take) begin
        waited <= '0;
        if (we_i) begin
          case (index)
            AW'(0): data <= (data & ~mask) | (dat_i & mask);
            AW'(1): if (sel_i[0]) wait_states <= dat_i[7:0];
            AW'(4): if (sel_i[0]) irq_q <= dat_i[0];
            default: ;
          endcase
        end
      end
    end
  end
endmodule
