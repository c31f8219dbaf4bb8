/* Firmware driver for the timer device: only tandem_mmio accesses, no tandem internals. */
#include "timer_driver.h"

static uint32_t rd(const tandem_mmio* io, uint32_t off) { return io->read32(io->ctx, off); }
static void wr(const tandem_mmio* io, uint32_t off, uint32_t v) { io->write32(io->ctx, off, v); }

unsigned timer_probe(const tandem_mmio* io) {
  const uint32_t id = rd(io, TIMER_ID);
  if ((id >> 16) != TIMER_ID_MAGIC) return 0;
  return id & 0xffu;
}

static void start(const tandem_mmio* io, unsigned n, uint8_t prescale, uint32_t compare, uint32_t mode) {
  const uint32_t bit = 1u << n;
  wr(io, TIMER_CTRL(n), 0);      /* stop: the next enable restarts COUNT from 0 */
  wr(io, TIMER_INT_STATUS, bit); /* drop a stale match */
  wr(io, TIMER_COMPARE(n), compare);
  wr(io, TIMER_INT_ENABLE, rd(io, TIMER_INT_ENABLE) | bit);
  wr(io, TIMER_CTRL(n), TIMER_CTRL_PRESCALE(prescale) | mode | TIMER_CTRL_ENABLE);
}

void timer_start_oneshot(const tandem_mmio* io, unsigned n, uint8_t prescale, uint32_t compare) {
  start(io, n, prescale, compare, 0);
}

void timer_start_periodic(const tandem_mmio* io, unsigned n, uint8_t prescale, uint32_t compare) {
  start(io, n, prescale, compare, TIMER_CTRL_PERIODIC);
}

void timer_stop(const tandem_mmio* io, unsigned n) {
  wr(io, TIMER_CTRL(n), 0);
  wr(io, TIMER_INT_ENABLE, rd(io, TIMER_INT_ENABLE) & ~(1u << n));
}

uint32_t timer_read_count(const tandem_mmio* io, unsigned n) { return rd(io, TIMER_COUNT(n)); }

/* Wait until INT_STATUS & mask is non-zero or about max_cycles pass; returns those bits or 0.
 * The interrupt line ends each wait early; a status read after every slice also catches a
 * match on executors that only notice the line at a bus access. */
static uint32_t wait_status(const tandem_mmio* io, uint32_t mask, uint64_t max_cycles) {
  uint64_t waited = 0;
  for (;;) {
    const uint32_t pending = rd(io, TIMER_INT_STATUS) & mask;
    if (pending != 0 || waited >= max_cycles) return pending;
    {
      const uint64_t left = max_cycles - waited;
      const uint32_t slice = left < TIMER_POLL_SLICE ? (uint32_t)left : TIMER_POLL_SLICE;
      io->wait_irq(io->ctx, slice);
      waited += slice;
    }
  }
}

int timer_wait_and_ack(const tandem_mmio* io, uint32_t max_cycles) {
  const uint32_t pending = wait_status(io, rd(io, TIMER_INT_ENABLE), max_cycles);
  for (unsigned n = 0; n < 32; ++n) {
    if (pending & (1u << n)) {
      wr(io, TIMER_INT_STATUS, 1u << n);
      return (int)n;
    }
  }
  return -1;
}

int timer_sleep(const tandem_mmio* io, unsigned n, uint64_t cycles) {
  const uint32_t bit = 1u << n;
  uint64_t ticks = 0;
  unsigned p;
  int rc = -1;
  if (cycles == 0) return 0;
  if (cycles > ((uint64_t)1 << 40)) return -1;
  /* Another enabled interrupt already pending would end every wait at once. */
  if (rd(io, TIMER_INT_STATUS) & rd(io, TIMER_INT_ENABLE) & ~bit) return -1;
  /* The smallest prescaler for which ceil(cycles / (p + 1)) ticks fit the 32-bit compare. */
  p = (unsigned)((cycles - 1) >> 32);
  ticks = (cycles + p) / (p + 1);
  timer_start_oneshot(io, n, (uint8_t)p, (uint32_t)(ticks - 1));
  /* Budget: the match, plus the driver's own accesses and one slice of polling. */
  if (wait_status(io, bit, ticks * (p + 1) + 2 * TIMER_POLL_SLICE) & bit) {
    wr(io, TIMER_INT_STATUS, bit);
    rc = 0;
  }
  timer_stop(io, n);
  return rc;
}
