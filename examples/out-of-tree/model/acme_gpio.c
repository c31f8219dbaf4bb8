/* ACME_GPIO's model (acme_gpio.h), written as an emulator's device is: a state struct, read and
 * write callbacks on an opaque pointer, the interrupt line raised and lowered through the host,
 * save/restore to bytes. The only tandem header it needs is tandem/c_device.h; register offsets
 * come from the map's generated C header. */
#include "acme_gpio.h"

#include <stdlib.h>

#include <tandem_regs/acme_gpio.h> /* generated from acme_gpio.rdl: ACME_GPIO_DATA, ... */

#define ID_BASE 0x4AC30000u /* ID reads ID_BASE | NBITS */
#define STATE_VERSION 1u
#define STATE_BYTES (4u + 3u * 4u) /* version, DATA, IRQ_EN, IRQ_STATUS (little-endian u32) */
#define GPIO_PINS 8u               /* GPIO_O as bound (PINS GPIO_O:out:8): the table declares 1 + 8 lines */

const acme_gpio_config acme_gpio_defaults = {8, 0, 0};

typedef struct acme_gpio {
  const tandem_c_host* host;
  acme_gpio_config cfg;
  uint32_t mask; /* the NBITS implemented lines */
  uint32_t data;
  uint32_t enable;
  uint32_t status;
} acme_gpio;

/* The lines the host compares, in the order CMakeLists.txt declares them: line 0 is IRQ_O, high
 * while a line has changed with its interrupt enabled; lines 1..GPIO_PINS are the output pin
 * GPIO_O (PINS GPIO_O:out:8), DATA's bits as the RTL drives them. Driven after every callback
 * that can change them (the host ignores a level a line already has). */
static void update_lines(const acme_gpio* d) {
  unsigned i;
  d->host->set_irq(d->host->ctx, 0, (d->status & d->enable) != 0);
  const uint32_t pins = d->data & ~d->cfg.pins_stuck_low;
  for (i = 0; i < GPIO_PINS; ++i) d->host->set_irq(d->host->ctx, 1u + i, (int)((pins >> i) & 1u));
}

/* The IRQ_STATUS bits a DATA write from `before` to `after` sets. */
static uint32_t changed_lines(const acme_gpio* d, uint32_t before, uint32_t after) {
  return d->cfg.rise_only ? ~before & after : before ^ after;
}

/* Byte lanes: PADDR[1:0] and the size select them within the 32-bit word (PSTRB on writes). */
static unsigned lane_shift(uint64_t offset) { return 8u * (unsigned)(offset & 3u); }
static uint32_t size_mask(unsigned size) { return size >= 4 ? 0xFFFFFFFFu : (1u << (8u * size)) - 1u; }
static uint32_t lane_mask(uint64_t offset, unsigned size) { return size_mask(size) << lane_shift(offset); }
static uint32_t merge(uint32_t old, uint64_t offset, uint64_t value, unsigned size) {
  const uint32_t m = lane_mask(offset, size);
  return (old & ~m) | (((uint32_t)value << lane_shift(offset)) & m);
}

static void* gpio_create(const tandem_c_host* host, const void* config) {
  const acme_gpio_config* cfg = config ? (const acme_gpio_config*)config : &acme_gpio_defaults;
  acme_gpio* d;
  /* No such RTL (NBITS is 1..32), or more lines than the GPIO_O pin the table declares. */
  if (cfg->nbits < 1 || cfg->nbits > GPIO_PINS) return NULL;
  d = (acme_gpio*)calloc(1, sizeof *d);
  if (!d) return NULL;
  d->host = host;
  d->cfg = *cfg;
  d->mask = cfg->nbits >= 32 ? 0xFFFFFFFFu : (1u << cfg->nbits) - 1u;
  return d;
}

static void gpio_destroy(void* opaque) { free(opaque); }

static void gpio_reset(void* opaque) {
  acme_gpio* d = (acme_gpio*)opaque;
  d->data = 0;
  d->enable = 0;
  d->status = 0;
  update_lines(d);
}

/* Every offset decodes (PADDR[3:2]): no access is an error. */
static uint64_t gpio_read(void* opaque, uint64_t offset, unsigned size, int* error) {
  const acme_gpio* d = (const acme_gpio*)opaque;
  uint32_t word;
  (void)error;
  switch (offset & 0xCu) {
    case ACME_GPIO_DATA: word = d->data; break;
    case ACME_GPIO_IRQ_EN: word = d->enable; break;
    case ACME_GPIO_IRQ_STATUS: word = d->status; break;
    default: word = ID_BASE | d->cfg.nbits; break; /* ACME_GPIO_ID */
  }
  return (word >> lane_shift(offset)) & size_mask(size);
}

static void gpio_write(void* opaque, uint64_t offset, uint64_t value, unsigned size, int* error) {
  acme_gpio* d = (acme_gpio*)opaque;
  uint32_t after;
  (void)error;
  switch (offset & 0xCu) {
    case ACME_GPIO_DATA:
      after = merge(d->data, offset, value, size) & d->mask;
      d->status |= changed_lines(d, d->data, after) & d->mask;
      d->data = after;
      break;
    case ACME_GPIO_IRQ_EN: d->enable = merge(d->enable, offset, value, size) & d->mask; break;
    case ACME_GPIO_IRQ_STATUS: d->status &= ~merge(0, offset, value, size); break; /* write 1 to clear */
    default: break; /* ACME_GPIO_ID: read-only, the write is ignored */
  }
  update_lines(d);
}

/* ------------------------------------------------------------------ save / restore */

static void put32(uint8_t* p, uint32_t v) {
  unsigned i;
  for (i = 0; i < 4; ++i) p[i] = (uint8_t)(v >> (8u * i));
}

static uint32_t get32(const uint8_t* p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t gpio_state_size(void* opaque) {
  (void)opaque;
  return STATE_BYTES;
}

static void gpio_save(void* opaque, uint8_t* buf) {
  const acme_gpio* d = (const acme_gpio*)opaque;
  put32(buf, STATE_VERSION);
  put32(buf + 4, d->data);
  put32(buf + 8, d->enable);
  put32(buf + 12, d->status);
}

/* `buf` is untrusted: every field is checked before the state changes. */
static const char* gpio_restore(void* opaque, const uint8_t* buf, size_t len) {
  acme_gpio* d = (acme_gpio*)opaque;
  uint32_t data, enable, status;
  if (len < 4 || get32(buf) != STATE_VERSION) return "version: expected 1";
  if (len < STATE_BYTES) return "acme_gpio: truncated";
  if (len > STATE_BYTES) return "trailing bytes";
  data = get32(buf + 4);
  enable = get32(buf + 8);
  status = get32(buf + 12);
  if (data & ~d->mask) return "data: bits beyond NBITS";
  if (enable & ~d->mask) return "irq_en: bits beyond NBITS";
  if (status & ~d->mask) return "irq_status: bits beyond NBITS";
  d->data = data;
  d->enable = enable;
  d->status = status;
  update_lines(d);
  return NULL;
}

const tandem_c_device acme_gpio_device = {
    .abi = TANDEM_C_DEVICE_ABI,
    .name = "acme_gpio",
    .irq_lines = 1 + GPIO_PINS, /* IRQ_O, then GPIO_O[7:0] */
    .timers = 0,
    .config = NULL,
    .create = gpio_create,
    .destroy = gpio_destroy,
    .reset = gpio_reset,
    .read = gpio_read,
    .write = gpio_write,
    .timer = NULL,
    .state_size = gpio_state_size,
    .save = gpio_save,
    .restore = gpio_restore,
};
