/* ACME_GPIO (rtl/ACME_GPIO.sv) as emulator-style C device code on tandem's C interface
 * (tandem/c_device.h): the functional model, what the datasheet says with no timing (every
 * register changes only on a bus write). Plain C99; the binding (acme_gpio_binding.cpp) makes
 * the table below a tandem model in one line. */
#ifndef ACME_GPIO_H
#define ACME_GPIO_H

#include <tandem/c_device.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The device's options (tandem_c_device.config points at one; NULL is acme_gpio_defaults). */
typedef struct acme_gpio_config {
  unsigned nbits; /* the RTL's NBITS parameter, 1..8 here (GPIO_O is bound as an 8-bit pin) */
  /* A seeded bug, for the runner acme-mutants (acme_gpio_mutants.cpp): IRQ_STATUS records
   * only lines that rise (an edge-detect where the datasheet says change-detect). 0: correct. */
  int rise_only;
  /* A second seeded bug, on the pin (acme_gpio.pin_stuck): these GPIO_O lines stay low whatever
   * DATA holds, though DATA reads back right. 0: correct. */
  uint32_t pins_stuck_low;
} acme_gpio_config;

/* NBITS = 8, as CMakeLists.txt binds the RTL; the datasheet's behaviour. */
extern const acme_gpio_config acme_gpio_defaults;

/* The correct device (config NULL: acme_gpio_defaults). */
extern const tandem_c_device acme_gpio_device;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ACME_GPIO_H */
