/* Firmware driver for the uart16550 device: only tandem_mmio accesses, no tandem internals. */
#include "uart_driver.h"

#include <stddef.h>

static uint32_t rd(const tandem_mmio* io, uint32_t off) { return io->read32(io->ctx, off) & 0xffu; }
static void wr(const tandem_mmio* io, uint32_t off, uint32_t v) { io->write32(io->ctx, off, v & 0xffu); }

int uart_init(const tandem_mmio* io, uint16_t divisor) {
  int rc = 0;
  wr(io, UART_IER, 0);
  wr(io, UART_LCR, UART_LCR_DLAB);
  wr(io, UART_DLL, divisor & 0xffu);
  wr(io, UART_DLM, divisor >> 8);
  if (rd(io, UART_DLL) != (divisor & 0xffu) || rd(io, UART_DLM) != (uint32_t)(divisor >> 8)) rc = -1;
  wr(io, UART_LCR, UART_LCR_8N1);
  wr(io, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX | UART_FCR_CLEAR_TX | UART_FCR_TRIGGER(0));
  wr(io, UART_SCR, 0xa5);
  if (rd(io, UART_SCR) != 0xa5u) rc = -1;
  (void)rd(io, UART_LSR); /* drop stale line status */
  (void)rd(io, UART_MSR); /* and modem deltas */
  wr(io, UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
  wr(io, UART_IER, UART_IER_RX);
  return rc;
}

void uart_set_loopback(const tandem_mmio* io, int on) {
  const uint32_t mcr = rd(io, UART_MCR);
  wr(io, UART_MCR, on ? (mcr | UART_MCR_LOOP) : (mcr & ~UART_MCR_LOOP));
}

/* Poll LSR until (LSR & mask) != 0 or about max_cycles pass; returns the last LSR read. The
 * interrupt line ends each slice early on executors that report it. */
static uint32_t wait_lsr(const tandem_mmio* io, uint32_t mask, uint32_t max_cycles) {
  uint32_t waited = 0;
  for (;;) {
    const uint32_t lsr = rd(io, UART_LSR);
    if ((lsr & mask) != 0 || waited >= max_cycles) return lsr;
    {
      const uint32_t left = max_cycles - waited;
      const uint32_t slice = left < UART_POLL_SLICE ? left : UART_POLL_SLICE;
      io->wait_irq(io->ctx, slice);
      waited += slice;
    }
  }
}

int uart_putc(const tandem_mmio* io, uint8_t c, uint32_t max_cycles) {
  if (!(wait_lsr(io, UART_LSR_THRE, max_cycles) & UART_LSR_THRE)) return -1;
  wr(io, UART_THR, c);
  return 0;
}

int uart_flush(const tandem_mmio* io, uint32_t max_cycles) {
  return (wait_lsr(io, UART_LSR_TEMT, max_cycles) & UART_LSR_TEMT) ? 0 : -1;
}

int uart_getc(const tandem_mmio* io, uint32_t max_cycles, uint32_t* lsr) {
  const uint32_t status = wait_lsr(io, UART_LSR_DR, max_cycles);
  if (lsr != NULL) *lsr = status;
  if (!(status & UART_LSR_DR)) return -1;
  return (int)rd(io, UART_RBR);
}

void uart_harness_inject_frame(const tandem_mmio* io, uint8_t c, uint8_t fmt, uint16_t divisor, int brk) {
  wr(io, UART_H_INJ_FMT, fmt);
  wr(io, UART_H_INJ_DIV_LO, divisor & 0xffu);
  wr(io, UART_H_INJ_DIV_HI, divisor >> 8);
  wr(io, UART_H_INJ_CTRL, brk ? 1u : 0u);
  wr(io, UART_H_INJ_DATA, c);
}

void uart_harness_inject(const tandem_mmio* io, uint8_t c) {
  uart_harness_inject_frame(io, c, (uint8_t)(rd(io, UART_LCR) & 0x3fu), 0, 0);
}

int uart_harness_capture(const tandem_mmio* io, uart_capture* out) {
  uint32_t cycle = 0;
  int i;
  if ((rd(io, UART_H_CAP_COUNT) & 0x1fu) == 0) return 0;
  out->flags = (uint8_t)rd(io, UART_H_CAP_FLAGS);
  for (i = 3; i >= 0; --i) cycle = (cycle << 8) | rd(io, UART_H_CAP_TIME(i));
  out->cycle = cycle;
  out->data = (uint8_t)rd(io, UART_H_CAP_DATA); /* pops */
  return 1;
}

uint32_t uart_harness_now(const tandem_mmio* io) {
  /* The NOW0 read latches bits 31:8 for NOW1-3: one consistent count. */
  uint32_t v = rd(io, UART_H_NOW(0));
  int i;
  for (i = 1; i < 4; ++i) v |= rd(io, UART_H_NOW(i)) << (8 * i);
  return v;
}
