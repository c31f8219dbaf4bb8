/* The three-function MMIO interface firmware drivers are written against (C, C++ alike).
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
} tandem_mmio;

#ifdef __cplusplus
}
#endif

#endif
