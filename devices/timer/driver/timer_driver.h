/* Firmware driver for the timer device (rtl/timer/timer.sv), written only against the
 * tandem_mmio interface: the same C code runs on the model alone, on the RTL, or in lockstep.
 * Offsets and bits are the names generated from the register map, devices/timer/timer.rdl. */
#ifndef TIMER_DRIVER_H
#define TIMER_DRIVER_H

#include <stdint.h>

#include <tandem/mmio.h>
#include <tandem_regs/timer.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Offsets and bits: the names generated from devices/timer/timer.rdl (TIMER_T0_CTRL, ...). */
#define TIMER_STRIDE (TIMER_T1_CTRL - TIMER_T0_CTRL)
#define TIMER_CTRL(n) (TIMER_T0_CTRL + TIMER_STRIDE * (uint32_t)(n))
#define TIMER_COMPARE(n) (TIMER_T0_COMPARE + TIMER_STRIDE * (uint32_t)(n))
#define TIMER_COUNT(n) (TIMER_T0_COUNT + TIMER_STRIDE * (uint32_t)(n))

#define TIMER_CTRL_ENABLE TIMER_T0_CTRL_ENABLE_MASK
#define TIMER_CTRL_PERIODIC TIMER_T0_CTRL_PERIODIC_MASK
#define TIMER_CTRL_PRESCALE(p) (((uint32_t)(p) << TIMER_T0_CTRL_PRESCALE_LSB) & TIMER_T0_CTRL_PRESCALE_MASK)

#define TIMER_ID_MAGIC TIMER_ID_MAGIC_RESET

/* Waits sample the interrupt line continuously and INT_STATUS at least this often (cycles). */
#define TIMER_POLL_SLICE 256u

/* Number of timers the device reports, or 0 when ID does not carry the timer magic. */
unsigned timer_probe(const tandem_mmio* io);

/* Stop timer n, clear its stale status, program COMPARE, enable its interrupt and start it.
 * The match (and the interrupt) comes (compare + 1) * (prescale + 1) cycles after the start
 * write. One-shot timers stop at the match; periodic ones restart from 0. */
void timer_start_oneshot(const tandem_mmio* io, unsigned n, uint8_t prescale, uint32_t compare);
void timer_start_periodic(const tandem_mmio* io, unsigned n, uint8_t prescale, uint32_t compare);

/* Stop timer n (COUNT freezes) and mask its interrupt. */
void timer_stop(const tandem_mmio* io, unsigned n);

uint32_t timer_read_count(const tandem_mmio* io, unsigned n);

/* Wait about max_cycles at most for an enabled timer's match (the interrupt line, and
 * INT_STATUS polled every TIMER_POLL_SLICE cycles); acknowledge the lowest pending enabled
 * timer and return its index, or -1 on timeout. */
int timer_wait_and_ack(const tandem_mmio* io, uint32_t max_cycles);

/* Sleep at least `cycles` cycles (at most 2^40) on timer n in one-shot mode: picks the
 * smallest prescaler for which the compare value fits, waits for the match and acknowledges
 * it. Returns 0, or -1 if the timer did not fire in time or another timer's interrupt was
 * pending. Afterwards timer n is stopped and its interrupt masked. */
int timer_sleep(const tandem_mmio* io, unsigned n, uint64_t cycles);

#ifdef __cplusplus
}
#endif

#endif
