/* The C interface for emulator-style device models: a device written against these callbacks
 * (register read/write, reset, interrupt lines, DMA, a clock and timers, save/restore to bytes)
 * is cross-checked against its RTL like any C++ model (tandem/c_device_adapter.h makes it one).
 *
 * Plain C99 (C89 with <stdint.h> and <stddef.h>), usable from C++ as is. No tandem header is
 * needed by the device's code: only this one.
 *
 * Two tables meet here:
 *   tandem_c_device  what the device provides (one static const table per device kind), and
 *   tandem_c_host    what tandem provides to one device instance (the adapter fills it in).
 *
 * Time. Clock edges are numbered from 1 (a uint64 cycle, as tandem::Cycle). The host's clock
 * never goes back. The device is never ticked: it learns the time from host->clock() inside a
 * callback, and asks to be called back at a later edge with host->timer_arm(). The adapter turns
 * the earliest armed timer into tandem::Device::next_event, so idle time between timers costs
 * nothing. Rule: an output of the device (an interrupt line, a DMA access) may change only
 * inside a callback (an access, reset, a timer, restore); a device whose line rises at a
 * computed edge arms a timer at that edge and raises the line from the timer callback.
 *
 * Threads and reentrancy. One instance is driven by one thread at a time; tandem never calls a
 * device's callbacks concurrently for the same instance, and never reentrantly: a host function
 * called from inside a device callback never calls back into the device (a timer armed for the
 * current edge or earlier is a contract violation, not an immediate call). Separate instances
 * share nothing through this interface (keep global state out of device code: tandem runs many
 * instances, e.g. a model and a reference, side by side).
 *
 * Errors. A device that breaks a host-function contract (a line or timer number beyond what its
 * table declares, a timer armed at or before now, a DMA size outside 1..8) does not stop the
 * process: the host ignores the call, remembers the first violation, and the adapter reports it
 * as a tandem::Error naming the device and the violation once control returns to tandem.
 */
#ifndef TANDEM_C_DEVICE_H
#define TANDEM_C_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of these two tables; a device table states the one it was written against. */
#define TANDEM_C_DEVICE_ABI 1

#define TANDEM_C_MAX_IRQS 32
#define TANDEM_C_MAX_TIMERS 32

/* What tandem provides to one device instance. The table and `ctx` stay valid from create()
 * until destroy() returns; the device may keep the pointer it got in create(). Every function
 * may be called from inside any device callback (create() and destroy() excepted) and only there,
 * always with the `ctx` of this table. None of them calls back into the device. */
typedef struct tandem_c_host {
  void* ctx; /* the adapter's; pass it back as the first argument */

  /* The edge the current callback happens at:
   *  - read/write: the edge the access completes at. The device answers with the state as it
   *    stood before that edge and applies the access's effects at that edge;
   *  - reset: the edge the synchronous reset completes at;
   *  - timer: the edge the timer was armed for;
   *  - state_size/save: the edge the device stands at;
   *  - restore: the edge the saved state was taken at. */
  uint64_t (*clock)(void* ctx);

  /* Drive interrupt line `line` (0 .. irq_lines-1) to `level` (0 low, nonzero high) from the
   * current edge on. Driving a line to the level it has is allowed and changes nothing. */
  void (*set_irq)(void* ctx, unsigned line, int level);

  /* Call the device's timer(opaque, id) at edge `cycle` (strictly after clock()). Re-arming a
   * pending timer moves it; one timer is pending at most once. Timers due at the same edge fire
   * in ascending id order. Before an access completing at edge E, every timer due at or before
   * E-1 has fired; timers due at E fire after the access (the access comes first in the edge). */
  void (*timer_arm)(void* ctx, unsigned id, uint64_t cycle);
  /* Disarm timer `id`; disarming a disarmed timer is allowed. */
  void (*timer_cancel)(void* ctx, unsigned id);

  /* Guest memory through the device's bus-master port, taken at clock(): `size` bytes (1..8),
   * little-endian, at lane 0 of the value. A device that masters the bus calls these from the
   * timer callback it armed for the access's edge, which is what makes the access land on the
   * edge its RTL's master port takes it at. Without an attached memory (a device bound without
   * DMA), a read returns 0 and a write is dropped. */
  uint64_t (*dma_read)(void* ctx, uint64_t addr, unsigned size);
  void (*dma_write)(void* ctx, uint64_t addr, uint64_t value, unsigned size);
  /* The memory's latency L: a read taken at edge A has its data at A+1+L; the port takes its
   * next access at A+2+L after a read and A+1+L after a write, at the earliest. */
  unsigned (*dma_latency)(void* ctx);
} tandem_c_host;

/* What a device provides: one table per device kind, with static storage duration; tandem
 * never writes to it. `opaque` is the instance create() returned. Every callback below is
 * required unless it says "optional (NULL)". */
typedef struct tandem_c_device {
  unsigned abi;       /* TANDEM_C_DEVICE_ABI */
  const char* name;   /* for messages: "timer_c" */
  unsigned irq_lines; /* lines 0 .. irq_lines-1 (at most TANDEM_C_MAX_IRQS) */
  unsigned timers;    /* timer ids 0 .. timers-1 (at most TANDEM_C_MAX_TIMERS) */
  const void* config; /* passed to create() as is: options or variants of the device */

  /* A new instance, in its power-on state (tandem calls reset() before any access). Returns
   * NULL when it cannot (out of memory): the adapter throws. The instance owns its memory. */
  void* (*create)(const tandem_c_host* host, const void* config);
  void (*destroy)(void* opaque);

  /* Synchronous reset completing at clock(): every register takes its reset value. The host
   * has cancelled every timer and lowered every line just before; the device re-arms and
   * raises what its reset state needs. */
  void (*reset)(void* opaque);

  /* A bus access of `size` bytes (1, 2, 4 or 8; never crossing a bus word) at byte `offset`,
   * completing at clock(). read returns the data at lane 0; either sets *error nonzero for the
   * bus's error response (PSLVERR, SLVERR, ERR_O) and leaves it untouched (0) otherwise. */
  uint64_t (*read)(void* opaque, uint64_t offset, unsigned size, int* error);
  void (*write)(void* opaque, uint64_t offset, uint64_t value, unsigned size, int* error);

  /* Timer `id` is due: clock() is the edge it was armed for. It is disarmed when called; the
   * callback may arm it (or any timer) again for a later edge. Optional (NULL) if timers is 0. */
  void (*timer)(void* opaque, unsigned id);

  /* Save and restore, the device's own byte layout (version it: saved states outlive builds).
   * state_size: the bytes save() will write now. save: write exactly that many to `buf` (the
   * host owns it). clock() is then the edge the device stands at (the last callback's edge or a
   * later one the host has moved to since); neither changes the device nor calls any other
   * host function.
   * restore: `buf` (`len` bytes, owned by the host, untrusted: any bytes at all) replaces the
   * device's state with the one saved at clock(). Validate everything first; on a state no
   * hardware could be in, return a message naming the field ("timer.prescale: out of range")
   * with static storage duration, and leave the device's state as it was (the adapter undoes
   * any host call made before the rejection). On success return NULL after re-arming every
   * timer and driving every line the restored state needs: the host cancelled every timer and
   * lowered every line just before the call. */
  size_t (*state_size)(void* opaque);
  void (*save)(void* opaque, uint8_t* buf);
  const char* (*restore)(void* opaque, const uint8_t* buf, size_t len);
} tandem_c_device;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TANDEM_C_DEVICE_H */
