/* Firmware driver for the dma device (rtl/dma/dma.sv), written only against the tandem_mmio
 * interface: registers through read32/write32, interrupts through wait_irq, descriptors and
 * buffers in guest memory through mem_write/mem_read. The same C code runs on the model
 * alone, on the RTL, or in lockstep. Offsets, bits and the descriptor layout follow the RTL
 * header comment. */
#ifndef DMA_DRIVER_H
#define DMA_DRIVER_H

#include <stdint.h>

#include <tandem/mmio.h>
#include <tandem_regs/dma.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register offsets (DMA_ID, DMA_CTRL, ... DMA_CUR_HI) and field masks: the names generated
 * from devices/dma/dma.rdl. */
#define DMA_CTRL_START DMA_CTRL_START_MASK
#define DMA_CTRL_ABORT DMA_CTRL_ABORT_MASK

#define DMA_STATUS_DONE DMA_STATUS_DONE_MASK
#define DMA_STATUS_ERROR DMA_STATUS_ERROR_MASK
#define DMA_STATUS_ABORTED DMA_STATUS_ABORTED_MASK
#define DMA_STATUS_START_ERR DMA_STATUS_START_ERR_MASK
#define DMA_STATUS_FLAGS (DMA_STATUS_DONE | DMA_STATUS_ERROR | DMA_STATUS_ABORTED | DMA_STATUS_START_ERR)
#define DMA_STATUS_BUSY DMA_STATUS_BUSY_MASK
#define DMA_STATUS_ERR_CODE(s) (((s)&DMA_STATUS_ERR_CODE_MASK) >> DMA_STATUS_ERR_CODE_LSB)

#define DMA_ERR_LENGTH 1u
#define DMA_ERR_BUDGET 2u
#define DMA_ERR_ALIGN 3u

/* Descriptor flags and RESULT word (written back by the engine). */
#define DMA_FLAG_IOC 0x1u
#define DMA_FLAG_LAST 0x2u
#define DMA_RESULT_DONE 0x1u
#define DMA_RESULT_ERROR 0x2u
#define DMA_RESULT_CODE(r) ((unsigned)(((r) >> 4) & 0xFu))
#define DMA_RESULT_BYTES(r) ((uint32_t)((r) >> 32))

#define DMA_DESC_BYTES 0x28u /* SRC, DST, LEN|FLAGS, NEXT, RESULT; 8-byte aligned */
#define DMA_MAX_LEN 4096u
#define DMA_ID_VALUE 0xD3A00001u

typedef struct dma_desc {
  uint64_t src;
  uint64_t dst;
  uint32_t len;
  uint32_t flags;
  uint64_t next;
} dma_desc;

/* 1 when the ID register reads the dma magic, else 0. */
int dma_probe(const tandem_mmio* io);

/* Place descriptor `d` at guest address `at` (8-byte aligned) and clear its RESULT word. */
void dma_put_desc(const tandem_mmio* io, uint64_t at, const dma_desc* d);

/* The RESULT word the engine wrote back into the descriptor at `at` (0 while not written). */
uint64_t dma_result(const tandem_mmio* io, uint64_t at);

/* Clear stale STATUS flags, enable every interrupt, set the descriptor budget and start the
 * chain at `first`. */
void dma_start(const tandem_mmio* io, uint64_t first, uint8_t max_desc);

/* Wait (up to max_cycles per interrupt) until the engine is idle, acknowledging every flag on
 * the way. Returns the STATUS flags seen (DONE/ERROR/ABORTED/START_ERR) with the last ERR_CODE
 * in bits 19:16, or -1 on a timeout. The chain must raise an interrupt when it ends: IOC on its
 * last descriptor, or an error. */
int64_t dma_wait(const tandem_mmio* io, uint32_t max_cycles);

/* Abort the running chain and wait until BUSY clears. Returns the STATUS flags seen. */
int64_t dma_abort(const tandem_mmio* io, uint32_t max_cycles);

/* Copy `len` bytes with one descriptor at `desc_at`. Returns dma_wait()'s value. */
int64_t dma_copy(const tandem_mmio* io, uint64_t desc_at, uint64_t dst, uint64_t src, uint32_t len,
                 uint32_t max_cycles);

/* Guest-memory helpers: fill `n` bytes at `at` with a pattern derived from `seed`; compare
 * `n` bytes at `a` and `b` (0 when equal, else 1 + the offset of the first difference). */
void dma_fill(const tandem_mmio* io, uint64_t at, uint32_t n, uint32_t seed);
uint32_t dma_compare(const tandem_mmio* io, uint64_t a, uint64_t b, uint32_t n);

#ifdef __cplusplus
}
#endif

#endif
