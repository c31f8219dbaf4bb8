/* Firmware driver for the dma device: only tandem_mmio accesses, no tandem internals. */
#include "dma_driver.h"

static uint32_t rd(const tandem_mmio* io, uint32_t off) { return io->read32(io->ctx, off); }
static void wr(const tandem_mmio* io, uint32_t off, uint32_t v) { io->write32(io->ctx, off, v); }

int dma_probe(const tandem_mmio* io) { return rd(io, DMA_ID) == DMA_ID_VALUE; }

void dma_put_desc(const tandem_mmio* io, uint64_t at, const dma_desc* d) {
  io->mem_write(io->ctx, at + 0x00, d->src, 8);
  io->mem_write(io->ctx, at + 0x08, d->dst, 8);
  io->mem_write(io->ctx, at + 0x10, ((uint64_t)d->flags << 32) | d->len, 8);
  io->mem_write(io->ctx, at + 0x18, d->next, 8);
  io->mem_write(io->ctx, at + 0x20, 0, 8);
}

uint64_t dma_result(const tandem_mmio* io, uint64_t at) { return io->mem_read(io->ctx, at + 0x20, 8); }

void dma_start(const tandem_mmio* io, uint64_t first, uint8_t max_desc) {
  wr(io, DMA_STATUS, DMA_STATUS_FLAGS);
  wr(io, DMA_IRQ_ENABLE, DMA_STATUS_FLAGS);
  wr(io, DMA_MAX_DESC, max_desc);
  wr(io, DMA_DESC_LO, (uint32_t)first);
  wr(io, DMA_DESC_HI, (uint32_t)(first >> 32));
  wr(io, DMA_CTRL, DMA_CTRL_START);
}

/* Read STATUS, acknowledge its flags, accumulate them. Returns STATUS. */
static uint32_t collect(const tandem_mmio* io, uint32_t* seen, uint32_t* code) {
  const uint32_t s = rd(io, DMA_STATUS);
  if (s & DMA_STATUS_FLAGS) {
    wr(io, DMA_STATUS, s & DMA_STATUS_FLAGS);
    *seen |= s & DMA_STATUS_FLAGS;
    if (s & DMA_STATUS_ERROR) *code = DMA_STATUS_ERR_CODE(s);
  }
  return s;
}

int64_t dma_wait(const tandem_mmio* io, uint32_t max_cycles) {
  uint32_t seen = 0, code = 0;
  for (;;) {
    const uint32_t s = collect(io, &seen, &code);
    if (!(s & DMA_STATUS_BUSY)) return (int64_t)(seen | (code << 16));
    if (io->wait_irq(io->ctx, max_cycles) != 0) return -1;
  }
}

int64_t dma_abort(const tandem_mmio* io, uint32_t max_cycles) {
  uint32_t seen = 0, code = 0, polls = 0;
  wr(io, DMA_CTRL, DMA_CTRL_ABORT);
  /* An abort waits at most for one read in flight; each poll takes two bus edges. */
  while (collect(io, &seen, &code) & DMA_STATUS_BUSY) {
    if (++polls > max_cycles / 2) return -1;
  }
  return (int64_t)(seen | (code << 16));
}

int64_t dma_copy(const tandem_mmio* io, uint64_t desc_at, uint64_t dst, uint64_t src, uint32_t len,
                 uint32_t max_cycles) {
  dma_desc d;
  d.src = src;
  d.dst = dst;
  d.len = len;
  d.flags = DMA_FLAG_IOC | DMA_FLAG_LAST;
  d.next = 0;
  dma_put_desc(io, desc_at, &d);
  dma_start(io, desc_at, 1);
  return dma_wait(io, max_cycles);
}

void dma_fill(const tandem_mmio* io, uint64_t at, uint32_t n, uint32_t seed) {
  uint32_t x = seed * 2654435761u + 12345u;
  uint32_t i = 0;
  while (i < n) {
    if (((at + i) & 7u) == 0 && n - i >= 8) {
      uint64_t v = 0;
      for (unsigned b = 0; b < 8; ++b) {
        x = x * 1103515245u + 12345u;
        v |= (uint64_t)((x >> 16) & 0xffu) << (8 * b);
      }
      io->mem_write(io->ctx, at + i, v, 8);
      i += 8;
    } else {
      x = x * 1103515245u + 12345u;
      io->mem_write(io->ctx, at + i, (x >> 16) & 0xffu, 1);
      i += 1;
    }
  }
}

uint32_t dma_compare(const tandem_mmio* io, uint64_t a, uint64_t b, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i)
    if (io->mem_read(io->ctx, a + i, 1) != io->mem_read(io->ctx, b + i, 1)) return i + 1;
  return 0;
}
