/* The MMIO interface firmware drivers are written against (C, C++ alike): three functions
 * for registers and interrupts, two more for guest memory.
 * tandem hands a driver one of these bound to an executor (model alone, RTL alone or
 * lockstep): the driver's accesses become steps, so there is no separate path for firmware. */
#ifndef TANDEM_MMIO_H
#define TANDEM_MMIO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tandem_mmio {
  void* ctx;
  uint32_t (*read32)(void* ctx, uint32_t offset);
  void (*write32)(void* ctx, uint32_t offset, uint32_t value);
  /* Let the clock run until an interrupt line is high or `max_cycles` pass.
   * Returns 0 when an interrupt is pending, -1 on timeout. */
  int (*wait_irq)(void* ctx, uint32_t max_cycles);
  /* Guest memory, for drivers of bus-master devices (others never call these). mem_write is
   * a guest-memory write step: both sides' memories, at the same cycle, no clock passes.
   * mem_read returns what the device's DMA would read now; in lockstep, a byte the two sides'
   * memories hold differently is a divergence. size: 1, 2, 4 or 8 bytes, little-endian. */
  void (*mem_write)(void* ctx, uint64_t addr, uint64_t value, unsigned size);
  uint64_t (*mem_read)(void* ctx, uint64_t addr, unsigned size);
} tandem_mmio;

#ifdef __cplusplus
}
#endif

#endif
