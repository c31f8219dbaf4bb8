/* timer_c: the timer as emulator-style C device code. Each rule mirrors one documented rule of
 * rtl/timer/timer.sv, as models/timer/timer_model.cpp does; the time model is the same lazy one
 * (a running timer is a base edge, the COUNT it had there and the length of its first tick), so
 * an idle gap costs O(1). What the C interface adds: the interrupt line is driven through
 * host->set_irq, and the edge it may next rise at is a host timer (timer 0), which is what
 * tandem skips to. */
#include "timer_c.h"

#include <stdlib.h>

#include <tandem_regs/timer.h> /* generated from devices/timer/timer.rdl */

#define TIMERS 4u
#define TIMER_MASK ((1u << TIMERS) - 1u)
#define STRIDE (TIMER_T1_CTRL - TIMER_T0_CTRL)
#define OFF_COMPARE (TIMER_T0_COMPARE - TIMER_T0_CTRL)
#define OFF_COUNT (TIMER_T0_COUNT - TIMER_T0_CTRL)
#define IRQ_TIMER 0u /* the host timer armed at the next edge the line may rise */

typedef struct tc_timer {
  int enabled;
  int periodic;
  uint32_t prescale; /* 0..255 */
  uint32_t compare;
  /* While enabled: COUNT after edge `base`, where the prescaler stood at 0; ticks fall at
   * base + first + k * (prescale + 1), k >= 0. While stopped: the held COUNT. */
  uint32_t count;
  uint64_t base;
  uint64_t first; /* 1..256 */
} tc_timer;

typedef struct timer_c {
  const tandem_c_host* host;
  timer_c_rules rules;
  tc_timer t[TIMERS];
  uint32_t status;
  uint32_t enable;
  uint64_t now; /* the edge the state stands at */
} timer_c;

/* ------------------------------------------------------------------ the correct rules */

static uint64_t correct_ticks_to_match(uint32_t count, uint32_t compare) {
  return (uint64_t)(uint32_t)(compare - count) + 1u;
}
static uint64_t correct_first_tick(uint32_t old_prescale, uint32_t new_prescale) {
  (void)old_prescale;
  return (uint64_t)new_prescale + 1u;
}
static uint32_t correct_status_write(uint32_t status, uint32_t value, uint32_t lanes) {
  return status & ~(value & lanes);
}
static uint32_t correct_reload_value(uint32_t compare) {
  (void)compare;
  return 0;
}

/* ------------------------------------------------------------------ lazy time */

static uint64_t period(const tc_timer* t) { return (uint64_t)t->prescale + 1u; }

static uint64_t match_edge(const timer_c* d, const tc_timer* t) {
  return t->base + t->first + (d->rules.ticks_to_match(t->count, t->compare) - 1u) * period(t);
}

/* COUNT after edge `e` of a timer brought up to an edge <= e with no match in between. */
static uint32_t count_at(const tc_timer* t, uint64_t e) {
  if (!t->enabled || e < t->base + t->first) return t->count;
  return t->count + (uint32_t)(1u + (e - t->base - t->first) / period(t));
}

/* Move a running timer's base to its last tick edge at or before `e` (no match in between). */
static void rebase(tc_timer* t, uint64_t e) {
  uint64_t ticks;
  if (!t->enabled || e < t->base + t->first) return;
  ticks = (e - t->base - t->first) / period(t);
  t->count += (uint32_t)(1u + ticks);
  t->base += t->first + ticks * period(t);
  t->first = period(t);
}

/* Apply every edge up to `e` to timer `n`: a match sets INT_STATUS, reloads or stops. */
static void advance_timer(timer_c* d, unsigned n, uint64_t e) {
  tc_timer* t = &d->t[n];
  uint64_t ticks, match, every;
  uint32_t reload;
  if (!t->enabled) return;
  ticks = d->rules.ticks_to_match(t->count, t->compare);
  match = t->base + t->first + (ticks - 1u) * period(t);
  if (match > e) return;
  d->status |= 1u << n;
  if (!t->periodic) {
    /* One-shot: stops at its match with COUNT as it stood before the match tick. */
    t->count += (uint32_t)(ticks - 1u);
    t->enabled = 0;
    t->base = match;
    t->first = period(t);
    return;
  }
  /* Periodic: the last match at or before `e`, by division, not by stepping. */
  reload = d->rules.reload_value(t->compare);
  every = d->rules.ticks_to_match(reload, t->compare) * period(t);
  t->base = match + (e - match) / every * every;
  t->count = reload;
  t->first = period(t);
}

static void advance_to(timer_c* d, uint64_t e) {
  unsigned n;
  if (e <= d->now) return;
  for (n = 0; n < TIMERS; ++n) advance_timer(d, n, e);
  d->now = e;
}

/* The line can rise only at a match of an enabled timer whose interrupt is enabled and whose
 * INT_STATUS bit is still clear; everything else changes it at a bus write. */
static uint64_t next_rise(const timer_c* d) {
  uint64_t next = UINT64_MAX, at;
  unsigned n;
  for (n = 0; n < TIMERS; ++n) {
    const tc_timer* t = &d->t[n];
    if (!t->enabled || !(d->enable >> n & 1u) || (d->status >> n & 1u)) continue;
    at = match_edge(d, t);
    if (at > d->now && at < next) next = at;
  }
  return next;
}

/* After every callback: drive the line from the state at d->now and arm the next rise. */
static void publish(timer_c* d) {
  const uint64_t next = next_rise(d);
  d->host->set_irq(d->host->ctx, 0, (d->status & d->enable) != 0);
  if (next == UINT64_MAX)
    d->host->timer_cancel(d->host->ctx, IRQ_TIMER);
  else
    d->host->timer_arm(d->host->ctx, IRQ_TIMER, next);
}

/* ------------------------------------------------------------------ registers */

static int mapped(uint64_t word) {
  if (word == TIMER_ID || word == TIMER_INT_STATUS || word == TIMER_INT_ENABLE) return 1;
  if (word < TIMER_T0_CTRL || word >= TIMER_T0_CTRL + TIMERS * STRIDE) return 0;
  return (word & 0xcu) != 0xcu; /* CTRL, COMPARE, COUNT; +0xC is a hole */
}

static tc_timer* timer_of(timer_c* d, uint64_t word) { return &d->t[(word - TIMER_T0_CTRL) / STRIDE]; }

static uint32_t ctrl_value(const tc_timer* t) {
  return (t->enabled ? TIMER_T0_CTRL_ENABLE_MASK : 0u) | (t->periodic ? TIMER_T0_CTRL_PERIODIC_MASK : 0u) |
         (t->prescale << TIMER_T0_CTRL_PRESCALE_LSB);
}

/* The value a read sees before edge d->now + 1. */
static uint32_t read_word(timer_c* d, uint64_t word) {
  const tc_timer* t;
  if (word == TIMER_ID) return TIMER_ID_RESET;
  if (word == TIMER_INT_STATUS) return d->status;
  if (word == TIMER_INT_ENABLE) return d->enable;
  t = timer_of(d, word);
  if ((word & 0xcu) == 0) return ctrl_value(t);
  if ((word & 0xcu) == OFF_COMPARE) return t->compare;
  return count_at(t, d->now); /* COUNT */
}

static uint32_t merged(uint32_t cur, uint32_t value, uint32_t lanes) { return (cur & ~lanes) | (value & lanes); }

static void write_ctrl(timer_c* d, tc_timer* t, uint32_t value, uint32_t lanes, uint64_t now) {
  const uint32_t v = merged(ctrl_value(t), value, lanes);
  const uint32_t held = count_at(t, now - 1u);
  const int enable = (v & TIMER_T0_CTRL_ENABLE_MASK) != 0;
  const uint32_t old_prescale = t->prescale;
  t->count = (!t->enabled && enable) ? 0u : held;
  t->enabled = enable;
  t->periodic = (v & TIMER_T0_CTRL_PERIODIC_MASK) != 0;
  t->prescale = (v & TIMER_T0_CTRL_PRESCALE_MASK) >> TIMER_T0_CTRL_PRESCALE_LSB;
  t->base = now; /* its first tick is first_tick() >= 1 edges later: none at `now` */
  t->first = d->rules.first_tick(old_prescale, t->prescale);
}

/* A write completing at edge `now` (the state stands at now - 1); the rest of the edge, every
 * timer's tick at `now`, follows it: a match at `now` wins over an INT_STATUS clear, and a
 * timer whose CTRL is written does not tick at the write's edge. */
static void write_word(timer_c* d, uint64_t word, uint32_t value, uint32_t lanes, uint64_t now) {
  tc_timer* t;
  if (word == TIMER_ID) return; /* read-only */
  if (word == TIMER_INT_STATUS) {
    d->status = d->rules.status_write(d->status, value, lanes) & TIMER_MASK;
    return;
  }
  if (word == TIMER_INT_ENABLE) {
    d->enable = merged(d->enable, value, lanes) & TIMER_MASK;
    return;
  }
  t = timer_of(d, word);
  if ((word & 0xcu) == 0) {
    write_ctrl(d, t, value, lanes, now);
  } else if ((word & 0xcu) == OFF_COMPARE) {
    /* A tick at this edge still compares against the old value: the edge comes first. */
    advance_to(d, now);
    rebase(t, now);
    t->compare = merged(t->compare, value, lanes);
  } /* else COUNT: read-only */
}

static uint32_t lanes_of(uint64_t offset, unsigned size) {
  const uint64_t bytes = size >= 4 ? 0xffffffffu : ((uint64_t)1 << (8u * size)) - 1u;
  return (uint32_t)(bytes << (8u * (offset & 3u)));
}

/* ------------------------------------------------------------------ the device's callbacks */

static void* tc_create(const tandem_c_host* host, const void* config) {
  const timer_c_rules* variant = (const timer_c_rules*)config;
  timer_c* d = (timer_c*)calloc(1, sizeof *d);
  if (!d) return NULL;
  d->host = host;
  d->rules.ticks_to_match = variant && variant->ticks_to_match ? variant->ticks_to_match : correct_ticks_to_match;
  d->rules.first_tick = variant && variant->first_tick ? variant->first_tick : correct_first_tick;
  d->rules.status_write = variant && variant->status_write ? variant->status_write : correct_status_write;
  d->rules.reload_value = variant && variant->reload_value ? variant->reload_value : correct_reload_value;
  return d;
}

static void tc_destroy(void* opaque) { free(opaque); }

static void tc_reset(void* opaque) {
  timer_c* d = (timer_c*)opaque;
  const uint64_t now = d->host->clock(d->host->ctx);
  unsigned n;
  for (n = 0; n < TIMERS; ++n) {
    tc_timer zero = {0, 0, 0, 0, 0, 0, 1};
    zero.base = now;
    d->t[n] = zero;
  }
  d->status = 0;
  d->enable = 0;
  d->now = now;
  publish(d);
}

static uint64_t tc_read(void* opaque, uint64_t offset, unsigned size, int* error) {
  timer_c* d = (timer_c*)opaque;
  const uint64_t now = d->host->clock(d->host->ctx);
  const uint64_t word = offset & ~(uint64_t)3u;
  uint64_t data = 0;
  if (now > 0) advance_to(d, now - 1u);
  if (mapped(word))
    data = (read_word(d, word) & lanes_of(offset, size)) >> (8u * (offset & 3u));
  else
    *error = 1;
  advance_to(d, now);
  publish(d);
  return data;
}

static void tc_write(void* opaque, uint64_t offset, uint64_t value, unsigned size, int* error) {
  timer_c* d = (timer_c*)opaque;
  const uint64_t now = d->host->clock(d->host->ctx);
  const uint64_t word = offset & ~(uint64_t)3u;
  if (now > 0) advance_to(d, now - 1u);
  if (mapped(word)) {
    const unsigned shift = 8u * (unsigned)(offset & 3u);
    write_word(d, word, (uint32_t)(value << shift), lanes_of(offset, size), now);
  } else {
    *error = 1;
  }
  advance_to(d, now);
  publish(d);
}

static void tc_timer_due(void* opaque, unsigned id) {
  timer_c* d = (timer_c*)opaque;
  (void)id; /* IRQ_TIMER, the only one */
  advance_to(d, d->host->clock(d->host->ctx));
  publish(d);
}

/* ------------------------------------------------------------------ save / restore */

/* Layout (little-endian): version u32 (1), status u32, enable u32, now u64, then per timer
 * enabled u8, periodic u8, prescale u32, compare u32, count u32, base u64, first u64. */
#define TIMER_BYTES (1u + 1u + 4u + 4u + 4u + 8u + 8u)
#define STATE_BYTES (4u + 4u + 4u + 8u + TIMERS * TIMER_BYTES)

static uint8_t* put(uint8_t* p, uint64_t v, unsigned bytes) {
  unsigned i;
  for (i = 0; i < bytes; ++i) *p++ = (uint8_t)(v >> (8u * i));
  return p;
}

static const uint8_t* get(const uint8_t* p, uint64_t* v, unsigned bytes) {
  unsigned i;
  *v = 0;
  for (i = 0; i < bytes; ++i) *v |= (uint64_t)*p++ << (8u * i);
  return p;
}

static size_t tc_state_size(void* opaque) {
  (void)opaque;
  return STATE_BYTES;
}

/* The state brought up to the host's edge (on a copy: save changes nothing), so that a saved
 * state is one per hardware state whatever the device was last called at. */
static void tc_save(void* opaque, uint8_t* buf) {
  timer_c up = *(const timer_c*)opaque;
  const timer_c* d = &up;
  unsigned n;
  advance_to(&up, up.host->clock(up.host->ctx));
  buf = put(buf, 1, 4);
  buf = put(buf, d->status, 4);
  buf = put(buf, d->enable, 4);
  buf = put(buf, d->now, 8);
  for (n = 0; n < TIMERS; ++n) {
    const tc_timer* t = &d->t[n];
    buf = put(buf, (uint64_t)t->enabled, 1);
    buf = put(buf, (uint64_t)t->periodic, 1);
    buf = put(buf, t->prescale, 4);
    buf = put(buf, t->compare, 4);
    buf = put(buf, t->count, 4);
    buf = put(buf, t->base, 8);
    buf = put(buf, t->first, 8);
  }
}

static const char* read_timer(const timer_c* d, const uint8_t** p, tc_timer* t, uint64_t now) {
  uint64_t enabled, periodic, prescale, compare, count;
  *p = get(*p, &enabled, 1);
  *p = get(*p, &periodic, 1);
  *p = get(*p, &prescale, 4);
  *p = get(*p, &compare, 4);
  *p = get(*p, &count, 4);
  *p = get(*p, &t->base, 8);
  *p = get(*p, &t->first, 8);
  if (enabled > 1) return "timer.enabled: not boolean";
  if (periodic > 1) return "timer.periodic: not boolean";
  if (prescale > 0xff) return "timer.prescale: out of range (0..255)";
  if (t->first < 1 || t->first > 256) return "timer.first: out of range (1..256)";
  if (t->base > now) return "timer.base: after the saved cycle";
  t->enabled = (int)enabled;
  t->periodic = (int)periodic;
  t->prescale = (uint32_t)prescale;
  t->compare = (uint32_t)compare;
  t->count = (uint32_t)count;
  /* A running timer whose match is at or before the saved cycle was never brought up to it:
   * no hardware state corresponds to that. */
  if (t->enabled && match_edge(d, t) <= now) return "timer.base: a match before the saved cycle was not applied";
  return NULL;
}

static const char* tc_restore(void* opaque, const uint8_t* buf, size_t len) {
  timer_c* d = (timer_c*)opaque;
  timer_c next = *d;
  uint64_t version, status, enable, clock = d->host->clock(d->host->ctx);
  unsigned n;
  if (len < 4) return "version: expected 1";
  buf = get(buf, &version, 4);
  if (version != 1) return "version: expected 1";
  if (len < STATE_BYTES) return "timer: truncated";
  if (len > STATE_BYTES) return "trailing bytes";
  buf = get(buf, &status, 4);
  buf = get(buf, &enable, 4);
  buf = get(buf, &next.now, 8);
  if (status & ~(uint64_t)TIMER_MASK) return "int_status: bits beyond the timers";
  if (enable & ~(uint64_t)TIMER_MASK) return "int_enable: bits beyond the timers";
  /* Far from overflow: a match is at most 2^32 ticks of 256 edges (2^40) past any base. */
  if (next.now >= ((uint64_t)1 << 62)) return "cycle: beyond 2^62";
  if (next.now != clock) return "cycle: not the host's edge";
  next.status = (uint32_t)status;
  next.enable = (uint32_t)enable;
  for (n = 0; n < TIMERS; ++n) {
    const char* why = read_timer(&next, &buf, &next.t[n], next.now);
    if (why) return why;
  }
  *d = next;
  publish(d);
  return NULL;
}

const tandem_c_device timer_c_device = {
    .abi = TANDEM_C_DEVICE_ABI,
    .name = "timer_c",
    .irq_lines = 1,
    .timers = 1,
    .config = NULL,
    .create = tc_create,
    .destroy = tc_destroy,
    .reset = tc_reset,
    .read = tc_read,
    .write = tc_write,
    .timer = tc_timer_due,
    .state_size = tc_state_size,
    .save = tc_save,
    .restore = tc_restore,
};
