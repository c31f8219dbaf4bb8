/* The timer (rtl/timer/timer.sv) as a plain C device on tandem's C interface
 * (tandem/c_device.h): the same prescaled compare timers as models/timer/timer_model.h, written
 * as emulator device code is, bound as the device `timer_c` against the same RTL and map. */
#ifndef MODELS_TIMER_TIMER_C_H
#define MODELS_TIMER_TIMER_C_H

#include <stdint.h>

#include <tandem/c_device.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The rules seeded-bug variants replace (tandem_c_device.config points at one; a NULL config
 * or a NULL member is the correct rule). They mirror models::TimerModel's hooks. */
typedef struct timer_c_rules {
  /* Ticks from a tick edge at which COUNT is `count` to the match tick (1 .. 2^32). */
  uint64_t (*ticks_to_match)(uint32_t count, uint32_t compare);
  /* Edges from a CTRL write to the first tick after it. */
  uint64_t (*first_tick)(uint32_t old_prescale, uint32_t new_prescale);
  /* INT_STATUS after a write of `value` on byte lanes `lanes` (write 1 to clear). */
  uint32_t (*status_write)(uint32_t status, uint32_t value, uint32_t lanes);
  /* COUNT a periodic timer continues from after its match. */
  uint32_t (*reload_value)(uint32_t compare);
} timer_c_rules;

/* The correct device (config NULL). */
extern const tandem_c_device timer_c_device;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MODELS_TIMER_TIMER_C_H */
