/* The platform's firmware: the bundled drivers, called as an operating system would. */
#include "firmware.h"

#include <tandem_regs/seldev.h>

#include "devices/dma/driver/dma_driver.h"
#include "devices/timer/driver/timer_driver.h"
#include "devices/uart16550/driver/uart_driver.h"

static void put(const fw_log* log, const char* name, uint64_t value) { log->record(log->ctx, name, value); }

/* seldev has no driver of its own: probe the units as one would (select each, read the
 * selection back), run one operation on unit 1, then select one past the last unit, which the
 * hardware refuses. */
void fw_seldev(const tandem_mmio* io, const fw_log* log) {
  const uint32_t id = io->read32(io->ctx, SELDEV_ID);
  const uint32_t units = id & SELDEV_ID_UNITS_MASK;
  put(log, "seldev.id", id);
  io->write32(io->ctx, SELDEV_CTRL, SELDEV_CTRL_ENABLE_MASK);
  io->write32(io->ctx, SELDEV_IRQ_ENABLE, SELDEV_IRQ_ENABLE_DONE_IE_MASK);
  io->write32(io->ctx, SELDEV_UNIT_SELECT, 1);
  io->write32(io->ctx, SELDEV_U_CFG, SELDEV_SELDEV_OP_E_XOR | (20u << 8));
  io->write32(io->ctx, SELDEV_U_ACC, 0x0f0f0f0fu);
  io->write32(io->ctx, SELDEV_U_OPERAND, 0x12345678u);
  io->write32(io->ctx, SELDEV_U_CMD, SELDEV_U_CMD_START_MASK);
  put(log, "seldev.wait_irq", (uint64_t)(int64_t)io->wait_irq(io->ctx, 1000));
  put(log, "seldev.status", io->read32(io->ctx, SELDEV_STATUS));
  put(log, "seldev.acc", io->read32(io->ctx, SELDEV_U_ACC));
  io->write32(io->ctx, SELDEV_STATUS, SELDEV_STATUS_DONE_MASK);
  io->write32(io->ctx, SELDEV_UNIT_SELECT, units); /* one past the last unit */
  put(log, "seldev.select_after_probe", io->read32(io->ctx, SELDEV_UNIT_SELECT));
  put(log, "seldev.status_after_probe", io->read32(io->ctx, SELDEV_STATUS));
}

void fw_timer(const tandem_mmio* io, const fw_log* log) {
  put(log, "timer.count", timer_probe(io));
  timer_start_oneshot(io, 2, 3, 99); /* fires 400 edges after the start write */
  put(log, "timer.oneshot_fired", (uint64_t)(int64_t)timer_wait_and_ack(io, 100000));
  put(log, "timer.oneshot_count", timer_read_count(io, 2));
  timer_start_periodic(io, 1, 4, 49); /* every 250 edges */
  put(log, "timer.periodic_fired", (uint64_t)(int64_t)timer_wait_and_ack(io, 1000));
  put(log, "timer.periodic_again", (uint64_t)(int64_t)timer_wait_and_ack(io, 1000));
  timer_stop(io, 1);
  io->write32(io->ctx, TIMER_INT_STATUS, 0xf);
  put(log, "timer.sleep", (uint64_t)(int64_t)timer_sleep(io, 0, 30000));
}

void fw_dma(const tandem_mmio* io, const fw_log* log, uint64_t ram_base) {
  const uint64_t desc = ram_base + 0x1000, src = ram_base + 0x4000, dst = ram_base + 0x8000;
  put(log, "dma.probe", (uint64_t)dma_probe(io));
  dma_fill(io, src, 512, 42);
  put(log, "dma.copy_status", (uint64_t)dma_copy(io, desc, dst, src, 200, 100000));
  put(log, "dma.copy_mismatch", dma_compare(io, src, dst, 200));
  put(log, "dma.copy_result", dma_result(io, desc));
  dma_desc a = {src + 0x101, dst + 0x400, 33, 0, desc + 0x40};
  dma_desc b = {src + 0x80, dst + 0x500, 64, DMA_FLAG_IOC | DMA_FLAG_LAST, 0};
  dma_put_desc(io, desc, &a);
  dma_put_desc(io, desc + 0x40, &b);
  dma_start(io, desc, 16);
  put(log, "dma.chain_status", (uint64_t)dma_wait(io, 100000));
  put(log, "dma.chain_mismatch",
      dma_compare(io, src + 0x101, dst + 0x400, 33) + dma_compare(io, src + 0x80, dst + 0x500, 64));
  put(log, "dma.chain_result0", dma_result(io, desc));
  put(log, "dma.chain_result1", dma_result(io, desc + 0x40));
}

void fw_uart(const tandem_mmio* io, const fw_log* log) {
  static const char word[] = "tandem";
  put(log, "uart.init", (uint64_t)(int64_t)uart_init(io, 2));
  uart_set_loopback(io, 1);
  uint64_t echo = 0;
  for (unsigned i = 0; i + 1 < sizeof word; ++i) {
    if (uart_putc(io, (uint8_t)word[i], 10000) != 0) echo |= 0xffull << 56;
    echo = (echo << 8) | (uint8_t)uart_getc(io, 10000, 0);
  }
  put(log, "uart.loopback_echo", echo);
  uart_set_loopback(io, 0);
  uart_harness_inject(io, 'Z');
  put(log, "uart.received", (uint64_t)(int64_t)uart_getc(io, 10000, 0));
  put(log, "uart.send", (uint64_t)(int64_t)uart_putc(io, 'k', 10000));
  put(log, "uart.flush", (uint64_t)(int64_t)uart_flush(io, 20000));
  uart_capture cap = {0, 0, 0};
  put(log, "uart.captured", (uint64_t)uart_harness_capture(io, &cap));
  put(log, "uart.captured_data", cap.data);
}
