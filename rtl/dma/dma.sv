// dma: a descriptor-chain DMA engine with an APB4 completer port and a bus-master port
// (the valid/ready memory port of bridge/include/tandem/master_port.h). This RTL is the
// hardware truth the C++ model must match.
//
// Register map (byte offsets, 32-bit registers; PADDR[1:0] are ignored for decode, PSTRB
// selects the byte lanes a write changes):
//   0x00 ID          RO   32'hD3A0_0001
//   0x04 CTRL        WO   [0] START, [1] ABORT; reads 0
//   0x08 STATUS           [0] DONE, [1] ERROR, [2] ABORTED, [3] START_ERR (all W1C);
//                         [8] BUSY (RO); [19:16] ERR_CODE (RO): why the last ERROR was set
//   0x0C IRQ_ENABLE  RW   [3:0] one enable per STATUS[3:0] bit
//   0x10 DESC_LO     RW   address of the first descriptor, bits 31:0
//   0x14 DESC_HI     RW   bits 63:32
//   0x18 MAX_DESC    RW   [7:0] descriptors one START may process; reset value 16
//   0x1C CUR_LO      RO   address of the descriptor being processed (or the last one), 31:0
//   0x20 CUR_HI      RO   bits 63:32
//   irq[0] = DONE & IRQ_ENABLE[0]; irq[1] = |(STATUS[3:1] & IRQ_ENABLE[3:1]); both from flops.
//
// Descriptor, in guest memory, little-endian, at an 8-byte aligned address D:
//   D+0x00 SRC    u64   source address
//   D+0x08 DST    u64   destination address
//   D+0x10 LEN    u32   bytes to move, at most 4096
//   D+0x14 FLAGS  u32   [0] IOC: set STATUS.DONE when this descriptor completes; [1] LAST;
//                       other bits ignored
//   D+0x18 NEXT   u64   the next descriptor (not used after LAST)
//   D+0x20 RESULT u64   written back by the engine: [0] DONE, [1] ERROR, [7:4] ERR_CODE,
//                       [63:32] bytes moved; other bits 0
// Error codes: 1 LENGTH (LEN > 4096, or SRC+LEN or DST+LEN beyond 2^64), 2 BUDGET (the chain
// goes on after MAX_DESC descriptors), 3 ALIGN (a descriptor address not 8-byte aligned).
//
// Per descriptor, on the master port, in this order and nothing else:
//   1. The descriptor is fetched ONCE: four 8-byte reads at D, D+8, D+0x10, D+0x18, into
//      internal registers. Nothing later reads it again: rewriting a descriptor in memory
//      after its fetch changes nothing about its transfer.
//   2. LENGTH check. Then the data moves as read/write pairs of 2^S-byte beats, offset 0
//      upwards: read SRC+o, write DST+o. S = min(3, trailing zeros of SRC | DST | LEN): an
//      unaligned source, destination or length is copied in smaller beats, down to bytes.
//   3. One 8-byte write of RESULT at D+0x20.
//   4. The chain stops after an error, or after LAST; else, when MAX_DESC descriptors have
//      been processed since START, it stops with ERROR/BUDGET; else, when NEXT is not 8-byte
//      aligned, with ERROR/ALIGN; else the descriptor at NEXT is fetched.
// Descriptor word and RESULT addresses wrap modulo 2^64 (D+0x18 past the top is 0x...).
//
// Timing: an access is requested at the edge the previous one completes (a write completes at
// the edge it is taken, a read at the edge its data arrives) and taken at the first edge the
// memory is ready. STATUS bits, BUSY and CUR change at the completion edge that causes them.
// START at edge T requests the first fetch at T (taken at T+1 at the earliest).
//
// Defined behaviour for every corner:
//   * START while BUSY (also while an abort drains): ignored, STATUS.START_ERR is set.
//   * START and ABORT in one CTRL write: the ABORT is applied (when busy), the START ignored.
//   * START with MAX_DESC = 0: ERROR/BUDGET at that edge; with DESC not 8-byte aligned:
//     ERROR/ALIGN at that edge. Nothing is fetched, BUSY stays 0. Otherwise BUSY sets,
//     ERR_CODE clears and CUR takes DESC.
//   * ABORT while BUSY, at edge T: no access is requested after T; an access the memory takes
//     at T still happens. If a read has been taken and its data has not arrived (also one taken
//     at T), BUSY stays 1 until the data arrives and is discarded; then BUSY clears and ABORTED
//     sets. Otherwise BUSY clears and ABORTED sets at T. RESULT is not written; a completion
//     at T has no effect on STATUS. ABORT while idle: ignored.
//   * LEN = 0: no data beats; RESULT says DONE, 0 bytes.
//   * SRC+LEN or DST+LEN beyond 2^64 (a range ending exactly at 2^64 is fine), or LEN > 4096:
//     no data is moved; RESULT says ERROR/LENGTH; the chain stops with STATUS.ERROR.
//   * A chain that loops back on itself stops with ERROR/BUDGET after MAX_DESC descriptors.
//     MAX_DESC may change during a chain: its value before each descriptor boundary counts.
//   * DESC, MAX_DESC and IRQ_ENABLE writes while BUSY take effect at once; the running chain
//     reads DESC only at START.
//   * A STATUS bit set and cleared (W1C) at the same edge: the set wins. IOC on a descriptor
//     after which the chain stops on BUDGET or ALIGN: both DONE and ERROR set.
//   * Any access to an offset not listed above: PSLVERR, read data 0, no effect. Writes to
//     ID, CUR_LO, CUR_HI are ignored without an error.
//   * PRESETn low (synchronous): every register returns to its reset value (MAX_DESC 16, all
//     others 0) and the master port goes idle.
//   * PREADY is always 1 (no wait states). PPROT is accepted and not decoded.
module dma (
    input  logic        pclk,
    input  logic        presetn,
    input  logic        psel,
    input  logic        penable,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [11:0] paddr,    // [1:0] ignored: registers are decoded by word
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic        pwrite,
    input  logic [31:0] pwdata,
    input  logic [ 3:0] pstrb,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [ 2:0] pprot,    // accepted, not decoded
    /* verilator lint_on UNUSEDSIGNAL */
    output logic [31:0] prdata,
    output logic        pready,
    output logic        pslverr,
    output logic [ 1:0] irq,
    // bus-master port
    output logic        m_valid,
    output logic        m_write,
    output logic [63:0] m_addr,
    output logic [ 1:0] m_size,
    output logic [63:0] m_wdata,
    input  logic        m_ready,
    input  logic        m_rvalid,
    input  logic [63:0] m_rdata
);
  localparam logic [9:0] A_ID = 10'h000, A_CTRL = 10'h001, A_STATUS = 10'h002, A_IRQEN = 10'h003;
  localparam logic [9:0] A_DESC_LO = 10'h004, A_DESC_HI = 10'h005, A_MAXD = 10'h006;
  localparam logic [9:0] A_CUR_LO = 10'h007, A_CUR_HI = 10'h008;
  localparam logic [3:0] E_LENGTH = 4'd1, E_BUDGET = 4'd2, E_ALIGN = 4'd3;
  localparam logic [31:0] MAX_LEN = 32'd4096;
  localparam logic [64:0] TOP = {1'b1, 64'b0};  // 2^64

  typedef enum logic [2:0] {
    S_IDLE,
    S_FETCH,   // reading descriptor word `word`
    S_READ,    // reading a data beat
    S_WRITE,   // writing a data beat
    S_RESULT,  // writing RESULT
    S_DRAIN    // aborted; waiting for a read's data to discard it
  } state_t;

  // ---------------------------------------------------------------- registers
  state_t      state;
  logic [ 1:0] word;
  logic        rd_wait;    // a read was taken and its data has not arrived
  logic [63:0] desc, cur;
  logic [63:0] d_src, d_dst, d_next;
  logic [31:0] d_len;
  logic        d_ioc, d_last;
  logic [12:0] offset;     // bytes moved so far (at most 4096)
  logic        res_error;  // the RESULT being written reports an error
  logic [ 7:0] max_desc, count;
  logic [ 3:0] irq_en, err_code;
  logic        st_done, st_error, st_aborted, st_start_err;

  // ---------------------------------------------------------------- APB decode
  wire  [ 9:0] waddr = paddr[11:2];
  wire         access = psel & penable;
  wire         wr = access & pwrite;
  wire  [31:0] lane_mask = {{8{pstrb[3]}}, {8{pstrb[2]}}, {8{pstrb[1]}}, {8{pstrb[0]}}};

  logic mapped;
  always_comb begin
    case (waddr)
      A_ID, A_CTRL, A_STATUS, A_IRQEN, A_DESC_LO, A_DESC_HI, A_MAXD, A_CUR_LO, A_CUR_HI: mapped = 1'b1;
      default: mapped = 1'b0;
    endcase
  end

  function automatic logic [31:0] merge(input logic [31:0] cur_v, input logic [31:0] wdata,
                                        input logic [31:0] mask);
    return (cur_v & ~mask) | (wdata & mask);
  endfunction

  // Written values are merged to full words; their reserved bits are discarded by design.
  /* verilator lint_off UNUSEDSIGNAL */
  wire  [31:0] strobed = pwdata & lane_mask;  // CTRL and STATUS act on the enabled lanes only
  wire  [31:0] irqen_write = merge({28'b0, irq_en}, pwdata, lane_mask);
  wire  [31:0] maxd_write = merge({24'b0, max_desc}, pwdata, lane_mask);
  /* verilator lint_on UNUSEDSIGNAL */
  wire  [31:0] desc_lo_write = merge(desc[31:0], pwdata, lane_mask);
  wire  [31:0] desc_hi_write = merge(desc[63:32], pwdata, lane_mask);

  wire         busy = state != S_IDLE;
  wire         ctrl_wr = wr & (waddr == A_CTRL);
  wire         status_wr = wr & (waddr == A_STATUS);
  wire         abort_req = ctrl_wr & strobed[1];
  wire         start_req = ctrl_wr & strobed[0] & ~strobed[1];
  wire         do_abort = abort_req & busy & (state != S_DRAIN);

  // ---------------------------------------------------------------- master port events
  wire         take = m_valid & m_ready;     // the memory takes the request at this edge
  wire         rsp = rd_wait & m_rvalid;     // a read's data arrives at this edge
  wire         read_taken = take & ~m_write;
  // The access of the current state completes at this edge.
  wire         completes = ((state == S_FETCH) | (state == S_READ)) ? rsp :
                           ((state == S_WRITE) | (state == S_RESULT)) ? (take & m_write) : 1'b0;

  // ---------------------------------------------------------------- descriptor checks
  wire  [64:0] src_end = {1'b0, d_src} + {33'b0, d_len};
  wire  [64:0] dst_end = {1'b0, d_dst} + {33'b0, d_len};
  wire         len_error = (d_len > MAX_LEN) | (src_end > TOP) | (dst_end > TOP);
  wire  [ 2:0] low_bits = d_src[2:0] | d_dst[2:0] | d_len[2:0];
  wire  [ 1:0] beat_lsz = low_bits[0] ? 2'd0 : low_bits[1] ? 2'd1 : low_bits[2] ? 2'd2 : 2'd3;
  wire  [12:0] beat_bytes = 13'd1 << beat_lsz;
  wire  [12:0] next_offset = offset + beat_bytes;
  wire  [63:0] result_addr = cur + 64'h20;
  wire  [63:0] fetch_next_addr = cur + {59'b0, word + 2'd1, 3'b0};

  // ---------------------------------------------------------------- read data
  always_comb begin
    prdata = 32'b0;
    if (access & ~pwrite) begin
      case (waddr)
        A_ID: prdata = 32'hD3A0_0001;
        A_STATUS: prdata = {12'b0, err_code, 7'b0, busy, 4'b0, st_start_err, st_aborted, st_error, st_done};
        A_IRQEN: prdata = {28'b0, irq_en};
        A_DESC_LO: prdata = desc[31:0];
        A_DESC_HI: prdata = desc[63:32];
        A_MAXD: prdata = {24'b0, max_desc};
        A_CUR_LO: prdata = cur[31:0];
        A_CUR_HI: prdata = cur[63:32];
        default: prdata = 32'b0;  // CTRL reads 0
      endcase
    end
  end

  assign pready  = 1'b1;
  assign pslverr = access & ~mapped;
  assign irq[0]  = st_done & irq_en[0];
  assign irq[1]  = |({st_start_err, st_aborted, st_error} & irq_en[3:1]);

  // ---------------------------------------------------------------- engine
  always_ff @(posedge pclk) begin
    if (!presetn) begin
      state        <= S_IDLE;
      word         <= 2'd0;
      rd_wait      <= 1'b0;
      desc         <= 64'b0;
      cur          <= 64'b0;
      d_src        <= 64'b0;
      d_dst        <= 64'b0;
      d_next       <= 64'b0;
      d_len        <= 32'b0;
      d_ioc        <= 1'b0;
      d_last       <= 1'b0;
      offset       <= 13'b0;
      res_error    <= 1'b0;
      max_desc     <= 8'd16;
      count        <= 8'd0;
      irq_en       <= 4'b0;
      err_code     <= 4'b0;
      st_done      <= 1'b0;
      st_error     <= 1'b0;
      st_aborted   <= 1'b0;
      st_start_err <= 1'b0;
      m_valid      <= 1'b0;
      m_write      <= 1'b0;
      m_addr       <= 64'b0;
      m_size       <= 2'd0;
      m_wdata      <= 64'b0;
    end else begin
      // The port: one access at a time. A taken request is withdrawn; the next one, if any, is
      // set further down (the last assignment wins).
      if (read_taken) rd_wait <= 1'b1;
      else if (rsp) rd_wait <= 1'b0;
      if (take) m_valid <= 1'b0;

      // STATUS write-1-to-clear comes first: a set at the same edge below wins.
      if (status_wr) begin
        if (strobed[0]) st_done <= 1'b0;
        if (strobed[1]) st_error <= 1'b0;
        if (strobed[2]) st_aborted <= 1'b0;
        if (strobed[3]) st_start_err <= 1'b0;
      end

      if (do_abort) begin
        m_valid <= 1'b0;
        if (read_taken | (rd_wait & ~rsp)) begin
          state <= S_DRAIN;
        end else begin
          state      <= S_IDLE;
          st_aborted <= 1'b1;
        end
      end else if (state == S_DRAIN) begin
        if (rsp) begin
          state      <= S_IDLE;
          st_aborted <= 1'b1;
        end
      end else if (completes) begin
        case (state)
          S_FETCH: begin
            case (word)
              2'd0: d_src <= m_rdata;
              2'd1: d_dst <= m_rdata;
              2'd2: begin
                d_len  <= m_rdata[31:0];
                d_ioc  <= m_rdata[32];
                d_last <= m_rdata[33];
              end
              default: d_next <= m_rdata;
            endcase
            if (word != 2'd3) begin
              word    <= word + 2'd1;
              m_valid <= 1'b1;
              m_write <= 1'b0;
              m_addr  <= fetch_next_addr;
              m_size  <= 2'd3;
            end else if (len_error) begin
              state     <= S_RESULT;
              res_error <= 1'b1;
              m_valid   <= 1'b1;
              m_write   <= 1'b1;
              m_addr    <= result_addr;
              m_size    <= 2'd3;
              m_wdata   <= {32'b0, 24'b0, E_LENGTH, 2'b00, 2'b10};
            end else if (d_len == 32'b0) begin
              state     <= S_RESULT;
              res_error <= 1'b0;
              m_valid   <= 1'b1;
              m_write   <= 1'b1;
              m_addr    <= result_addr;
              m_size    <= 2'd3;
              m_wdata   <= 64'h1;
            end else begin
              state   <= S_READ;
              offset  <= 13'b0;
              m_valid <= 1'b1;
              m_write <= 1'b0;
              m_addr  <= d_src;
              m_size  <= beat_lsz;
            end
          end
          S_READ: begin
            state   <= S_WRITE;
            m_valid <= 1'b1;
            m_write <= 1'b1;
            m_addr  <= d_dst + {51'b0, offset};
            m_size  <= beat_lsz;
            m_wdata <= m_rdata;
          end
          S_WRITE: begin
            m_valid <= 1'b1;
            if (next_offset == d_len[12:0]) begin
              state     <= S_RESULT;
              res_error <= 1'b0;
              m_write   <= 1'b1;
              m_addr    <= result_addr;
              m_size    <= 2'd3;
              m_wdata   <= {d_len, 32'h1};
            end else begin
              state   <= S_READ;
              offset  <= next_offset;
              m_write <= 1'b0;
              m_addr  <= d_src + {51'b0, next_offset};
              m_size  <= beat_lsz;
            end
          end
          default: begin  // S_RESULT
            if (res_error) begin
              state    <= S_IDLE;
              st_error <= 1'b1;
              err_code <= E_LENGTH;
            end else begin
              if (d_ioc) st_done <= 1'b1;
              if (d_last) begin
                state <= S_IDLE;
              end else if (count >= max_desc) begin
                state    <= S_IDLE;
                st_error <= 1'b1;
                err_code <= E_BUDGET;
              end else if (d_next[2:0] != 3'b0) begin
                state    <= S_IDLE;
                st_error <= 1'b1;
                err_code <= E_ALIGN;
              end else begin
                state   <= S_FETCH;
                cur     <= d_next;
                count   <= count + 8'd1;
                word    <= 2'd0;
                m_valid <= 1'b1;
                m_write <= 1'b0;
                m_addr  <= d_next;
                m_size  <= 2'd3;
              end
            end
          end
        endcase
      end

      // Register writes: the engine above saw the values from before this edge.
      if (wr & (waddr == A_IRQEN)) irq_en <= irqen_write[3:0];
      if (wr & (waddr == A_DESC_LO)) desc[31:0] <= desc_lo_write;
      if (wr & (waddr == A_DESC_HI)) desc[63:32] <= desc_hi_write;
      if (wr & (waddr == A_MAXD)) max_desc <= maxd_write[7:0];

      if (start_req) begin
        if (busy) begin
          st_start_err <= 1'b1;
        end else if (max_desc == 8'd0) begin
          st_error <= 1'b1;
          err_code <= E_BUDGET;
        end else if (desc[2:0] != 3'b0) begin
          st_error <= 1'b1;
          err_code <= E_ALIGN;
        end else begin
          state    <= S_FETCH;
          err_code <= 4'b0;
          cur      <= desc;
          count    <= 8'd1;
          word     <= 2'd0;
          m_valid  <= 1'b1;
          m_write  <= 1'b0;
          m_addr   <= desc;
          m_size   <= 2'd3;
        end
      end
    end
  end

endmodule
