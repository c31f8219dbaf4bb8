// Firmware accesses become steps on an executor.
#include "tandem/firmware.h"

#include <algorithm>

namespace tandem {

namespace {
// After a divergence the engine refuses steps; the driver (C code, no exceptions) then
// reads zeros and times out until it returns, and the caller reports the divergence.
uint32_t fw_read32(void* ctx, uint32_t offset) {
  Executor& e = *static_cast<Executor*>(ctx);
  return e.stopped() ? 0 : static_cast<uint32_t>(e.execute(Step::read(offset, 4)).data);
}
void fw_write32(void* ctx, uint32_t offset, uint32_t value) {
  Executor& e = *static_cast<Executor*>(ctx);
  if (!e.stopped()) e.execute(Step::write(offset, value, 4));
}
int fw_wait_irq(void* ctx, uint32_t max_cycles) {
  Executor& e = *static_cast<Executor*>(ctx);
  // Idle in growing chunks: a few single cycles first (interrupts often come quickly), then
  // larger ones so a long wait costs few steps. The line is sampled after each chunk.
  uint64_t waited = 0, chunk = 1;
  while ((e.irq() & e.interrupt_mask()) == 0) {  // the lines, not the output pins after them
    if (waited >= max_cycles || e.stopped()) return -1;
    const uint64_t n = std::min<uint64_t>(chunk, max_cycles - waited);
    e.execute(Step::idle(n));
    waited += n;
    if (waited >= 16) chunk = std::min<uint64_t>(chunk * 2, 1024);
  }
  return 0;
}
void fw_mem_write(void* ctx, uint64_t addr, uint64_t value, unsigned size) {
  Executor& e = *static_cast<Executor*>(ctx);
  if (!e.stopped()) e.execute(Step::mem_write(addr, value, static_cast<uint8_t>(size)));
}
uint64_t fw_mem_read(void* ctx, uint64_t addr, unsigned size) {
  Executor& e = *static_cast<Executor*>(ctx);
  return e.stopped() ? 0 : e.mem_read(addr, size);
}
}  // namespace

tandem_mmio mmio_for(Executor& executor) {
  return {&executor, fw_read32, fw_write32, fw_wait_irq, fw_mem_write, fw_mem_read};
}

}  // namespace tandem
