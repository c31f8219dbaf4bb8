// seldev: NUNITS processing units behind a UNIT_SELECT register and a register window,
// on an APB4 completer port. This RTL is the hardware truth the C++ model must match.
//
// Register map (byte offsets, 32-bit registers; PADDR[1:0] are ignored for decode,
// PSTRB selects the byte lanes a write changes):
//   0x00 ID          RO   {16'h5E1D, 8'h00, NUNITS}
//   0x04 CTRL        RW   [0] ENABLE; [1] SOFT_RESET (write 1: abort every unit, reads 0)
//   0x08 STATUS           [NUNITS-1:0] DONE (W1C); [8+NUNITS-1:8] BUSY (RO);
//                         [16] SEL_ERR, [17] START_ERR, [18] BUSY_ERR (all W1C)
//   0x0C UNIT_SELECT RW   index of the unit the window shows
//   0x10 IRQ_ENABLE  RW   [NUNITS-1:0] per-unit DONE enable; [8] error enable
//   0x20 U_CFG       RW   [1:0] OP (0 ADD, 1 XOR, 2 CRC32, 3 MUL); [15:8] DELAY
//   0x24 U_OPERAND   RW
//   0x28 U_ACC       RW   the unit's accumulator
//   0x2C U_CMD       WO   [0] START; reads 0
//
// Defined behaviour for every corner:
//   * Any access to an offset not listed above: PSLVERR, read data 0, no effect.
//   * UNIT_SELECT write of a value >= NUNITS (after byte-lane merge): PSLVERR, the select
//     keeps its previous value, STATUS.SEL_ERR is set.
//   * U_CMD.START while CTRL.ENABLE is 0: ignored (no PSLVERR), STATUS.START_ERR is set.
//   * Any write to the window (0x20-0x2C) while the selected unit is busy: PSLVERR, ignored,
//     STATUS.BUSY_ERR is set. Window reads while busy return the current (pre-operation)
//     values; U_ACC changes only when the operation completes.
//   * An operation started at clock edge T with latency L = BASE(OP) + DELAY completes at edge
//     T+L: ACC takes the result, BUSY clears and DONE sets at that edge.
//     BASE: ADD 2, XOR 1, CRC32 8, MUL 4. The result is computed from ACC and OPERAND at T.
//   * A DONE set by a completion and a W1C clear of the same bit at the same edge: set wins.
//   * CTRL.SOFT_RESET (also mid-operation): every unit's CFG, OPERAND, ACC and BUSY clear,
//     all DONE bits clear, UNIT_SELECT returns to 0; CTRL.ENABLE takes the written value;
//     error bits and IRQ_ENABLE are kept. It wins over a completion at the same edge.
//   * PRESETn low (synchronous): every register returns to its reset value (all zero).
//   * irq = |(DONE & IRQ_ENABLE[NUNITS-1:0]) | (IRQ_ENABLE[8] & |{error bits}), from flops.
//   * NUNITS may be 1 to 8; the map above is laid out for up to 8 units.
//   * PREADY is always 1 (no wait states). PPROT is accepted and not decoded.
module seldev #(
    parameter int NUNITS = 4
) (
    input  logic        pclk,
    input  logic        presetn,
    input  logic        psel,
    input  logic        penable,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [11:0] paddr,  // [1:0] ignored: registers are decoded by word
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic        pwrite,
    input  logic [31:0] pwdata,
    input  logic [ 3:0] pstrb,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [ 2:0] pprot,  // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    output logic [31:0] prdata,
    output logic        pready,
    output logic        pslverr,
    output logic        irq
);
  localparam int SELW = (NUNITS > 1) ? $clog2(NUNITS) : 1;
  if (NUNITS < 1 || NUNITS > 8) begin : g_bad_nunits
    $error("seldev: NUNITS must be 1 to 8");
  end

  localparam logic [9:0] A_ID = 10'h000, A_CTRL = 10'h001, A_STATUS = 10'h002;
  localparam logic [9:0] A_SELECT = 10'h003, A_IRQEN = 10'h004;
  localparam logic [9:0] A_CFG = 10'h008, A_OPERAND = 10'h009, A_ACC = 10'h00A, A_CMD = 10'h00B;

  // CRC-32 (reflected polynomial 0xEDB88320) over the 32 bits of `data`, LSB first.
  function automatic logic [31:0] crc32_step(input logic [31:0] crc_in, input logic [31:0] data);
    logic [31:0] crc;
    crc = crc_in;
    for (int i = 0; i < 32; i++) begin
      if ((crc[0] ^ data[i]) == 1'b1) crc = (crc >> 1) ^ 32'hEDB88320;
      else crc = crc >> 1;
    end
    return crc;
  endfunction

  function automatic logic [31:0] op_result(input logic [1:0] op, input logic [31:0] acc,
                                            input logic [31:0] operand);
    /* verilator lint_off UNUSEDSIGNAL */
    logic [63:0] product;  // MUL keeps the low 32 bits
    /* verilator lint_on UNUSEDSIGNAL */
    product = {32'b0, acc} * {32'b0, operand};
    case (op)
      2'd0: return acc + operand;
      2'd1: return acc ^ operand;
      2'd2: return crc32_step(acc, operand);
      default: return product[31:0];
    endcase
  endfunction

  function automatic logic [8:0] op_latency(input logic [1:0] op, input logic [7:0] delay);
    logic [8:0] base;
    case (op)
      2'd0: base = 9'd2;
      2'd1: base = 9'd1;
      2'd2: base = 9'd8;
      default: base = 9'd4;
    endcase
    return base + {1'b0, delay};
  endfunction

  // ---------------------------------------------------------------- registers
  logic            enable;
  logic [SELW-1:0] sel;
  logic [NUNITS-1:0] done_ie;
  logic            err_ie;
  logic            sel_err, start_err, busy_err;
  logic [NUNITS-1:0] done, busy;
  logic [1:0] u_op[NUNITS];
  logic [7:0] u_delay[NUNITS];
  logic [31:0] u_operand[NUNITS], u_acc[NUNITS], u_result[NUNITS];
  logic [8:0] u_count[NUNITS];

  // ---------------------------------------------------------------- decode
  wire  [9:0] word = paddr[11:2];
  wire        access = psel & penable;
  wire        wr = access & pwrite;
  wire [31:0] lane_mask = {{8{pstrb[3]}}, {8{pstrb[2]}}, {8{pstrb[1]}}, {8{pstrb[0]}}};

  logic mapped;
  always_comb begin
    case (word)
      A_ID, A_CTRL, A_STATUS, A_SELECT, A_IRQEN, A_CFG, A_OPERAND, A_ACC, A_CMD: mapped = 1'b1;
      default: mapped = 1'b0;
    endcase
  end

  wire        in_window = (word == A_CFG) | (word == A_OPERAND) | (word == A_ACC) | (word == A_CMD);
  wire        sel_busy = busy[sel];
  wire [31:0] sel_cfg = {16'b0, u_delay[sel], 6'b0, u_op[sel]};

  // Merged write value: the bytes PSTRB enables come from PWDATA, the rest from `cur`. (The
  // argument is not called wdata: the AXI4-Lite front end's port of that name would hide it.)
  function automatic logic [31:0] merge(input logic [31:0] cur, input logic [31:0] written,
                                        input logic [31:0] mask);
    return (cur & ~mask) | (written & mask);
  endfunction

  // Written values are merged to full words; their reserved bits are discarded by design.
  /* verilator lint_off UNUSEDSIGNAL */
  wire [31:0] sel_write = merge({{(32 - SELW) {1'b0}}, sel}, pwdata, lane_mask);
  wire        sel_oor = sel_write >= 32'(NUNITS);
  wire [31:0] cmd_write = pwdata & lane_mask;
  wire [31:0] ctrl_write = merge({31'b0, enable}, pwdata, lane_mask);
  wire [31:0] irqen_write = merge({23'b0, err_ie, 8'(done_ie)}, pwdata, lane_mask);
  wire [31:0] cfg_write = merge(sel_cfg, pwdata, lane_mask);
  wire [31:0] status_w1c = pwdata & lane_mask;
  /* verilator lint_on UNUSEDSIGNAL */

  wire        err_select = wr & (word == A_SELECT) & sel_oor;
  wire        err_busy = wr & in_window & sel_busy;
  wire        err_unmapped = access & ~mapped;
  wire        start_req = wr & (word == A_CMD) & ~sel_busy & cmd_write[0];
  wire        start_ok = start_req & enable;
  wire        soft_reset = wr & (word == A_CTRL) & ctrl_write[1];

  // ---------------------------------------------------------------- read data
  always_comb begin
    prdata = 32'b0;
    if (access & ~pwrite) begin
      case (word)
        A_ID: prdata = {16'h5E1D, 8'h00, 8'(NUNITS)};
        A_CTRL: prdata = {31'b0, enable};
        A_STATUS: begin
          prdata[NUNITS-1:0] = done;
          prdata[8+:NUNITS]  = busy;
          prdata[16]         = sel_err;
          prdata[17]         = start_err;
          prdata[18]         = busy_err;
        end
        A_SELECT: prdata = {{(32 - SELW) {1'b0}}, sel};
        A_IRQEN: begin
          prdata[NUNITS-1:0] = done_ie;
          prdata[8]          = err_ie;
        end
        A_CFG: prdata = sel_cfg;
        A_OPERAND: prdata = u_operand[sel];
        A_ACC: prdata = u_acc[sel];
        default: prdata = 32'b0;
      endcase
    end
  end

  assign pready  = 1'b1;
  assign pslverr = err_unmapped | err_select | err_busy;

  wire        status_wr = wr & (word == A_STATUS);

  // ---------------------------------------------------------------- global registers
  always_ff @(posedge pclk) begin
    if (!presetn) begin
      enable    <= 1'b0;
      sel       <= '0;
      done_ie   <= '0;
      err_ie    <= 1'b0;
      sel_err   <= 1'b0;
      start_err <= 1'b0;
      busy_err  <= 1'b0;
    end else begin
      if (wr & (word == A_CTRL)) enable <= ctrl_write[0];
      if (wr & (word == A_IRQEN)) begin
        done_ie <= irqen_write[NUNITS-1:0];
        err_ie  <= irqen_write[8];
      end
      if (soft_reset) sel <= '0;
      else if (wr & (word == A_SELECT) & ~sel_oor) sel <= sel_write[SELW-1:0];
      // Error flags: a write-1-to-clear of STATUS and a new error cannot meet at one edge
      // (only one bus write per edge), so the order below is only for clarity.
      if (status_wr & status_w1c[16]) sel_err <= 1'b0;
      if (status_wr & status_w1c[17]) start_err <= 1'b0;
      if (status_wr & status_w1c[18]) busy_err <= 1'b0;
      if (err_select) sel_err <= 1'b1;
      if (start_req & ~enable) start_err <= 1'b1;
      if (err_busy) busy_err <= 1'b1;
    end
  end

  // ---------------------------------------------------------------- processing units
  for (genvar u = 0; u < NUNITS; u++) begin : g_unit
    wire selected = (sel == SELW'(u));
    wire wr_unit = wr & selected & ~busy[u];
    always_ff @(posedge pclk) begin
      if (!presetn || soft_reset) begin
        u_op[u]      <= 2'd0;
        u_delay[u]   <= 8'd0;
        u_operand[u] <= 32'd0;
        u_acc[u]     <= 32'd0;
        u_result[u]  <= 32'd0;
        u_count[u]   <= 9'd0;
        busy[u]      <= 1'b0;
        done[u]      <= 1'b0;
      end else begin
        if (status_wr & status_w1c[u]) done[u] <= 1'b0;
        if (wr_unit & (word == A_CFG)) begin
          u_op[u]    <= cfg_write[1:0];
          u_delay[u] <= cfg_write[15:8];
        end
        if (wr_unit & (word == A_OPERAND)) u_operand[u] <= merge(u_operand[u], pwdata, lane_mask);
        if (wr_unit & (word == A_ACC)) u_acc[u] <= merge(u_acc[u], pwdata, lane_mask);
        if (start_ok & selected) begin
          busy[u]     <= 1'b1;
          u_count[u]  <= op_latency(u_op[u], u_delay[u]) - 9'd1;
          u_result[u] <= op_result(u_op[u], u_acc[u], u_operand[u]);
        end else if (busy[u]) begin
          if (u_count[u] == 9'd0) begin
            busy[u]  <= 1'b0;
            done[u]  <= 1'b1;  // after the W1C above: a completion wins over a clear
            u_acc[u] <= u_result[u];
          end else begin
            u_count[u] <= u_count[u] - 9'd1;
          end
        end
      end
    end
  end

  assign irq = |(done & done_ie) | (err_ie & (sel_err | start_err | busy_err));

endmodule
