/* The platform's firmware: one routine per bundled device, calling that device's driver (and,
 * for seldev, which has none, a probe written here) through tandem_mmio. Each reports what it
 * saw as named values through `record`; the platform compares them across modes. */
#ifndef VP_FIRMWARE_H
#define VP_FIRMWARE_H

#include <stdint.h>

#include <tandem/mmio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fw_log {
  void* ctx;
  void (*record)(void* ctx, const char* name, uint64_t value);
} fw_log;

/* RAM the DMA firmware may use: [base, base + size). */
void fw_seldev(const tandem_mmio* io, const fw_log* log);
void fw_timer(const tandem_mmio* io, const fw_log* log);
void fw_dma(const tandem_mmio* io, const fw_log* log, uint64_t ram_base);
void fw_uart(const tandem_mmio* io, const fw_log* log);

#ifdef __cplusplus
}
#endif

#endif
