// apb3_testblock: the APB test block (apb_testblock.sv) as an APB3 completer: no PSTRB (every
// write is a whole bus word: the strobes are tied high) and no PPROT, for testing the APB3
// driver. Registers and corners are apb_testblock's.
module apb3_testblock #(
    parameter int DW = 32,
    parameter int AW = 8
) (
    input  logic          pclk,
    input  logic          presetn,
    input  logic          psel,
    input  logic          penable,
    input  logic [AW-1:0] paddr,
    input  logic          pwrite,
    input  logic [DW-1:0] pwdata,
    output logic [DW-1:0] prdata,
    output logic          pready,
    output logic          pslverr,
    output logic          irq
);
  apb_testblock #(
      .DW(DW),
      .AW(AW)
  ) u_block (
      .pclk   (pclk),
      .presetn(presetn),
      .psel   (psel),
      .penable(penable),
      .paddr  (paddr),
      .pwrite (pwrite),
      .pwdata (pwdata),
      .pstrb  ({(DW / 8) {1'b1}}),
      .prdata (prdata),
      .pready (pready),
      .pslverr(pslverr),
      .irq    (irq)
  );
endmodule
