/*
 * How often the console's line input is looked at (hv/view/vuart_io.c):
 * pure arithmetic on TSC values, unit-tested on the host.
 *
 * The physical UART's receive FIFO (16 bytes on a 16550A) overruns when
 * nobody reads it for longer than it takes to fill: `fast`, the time
 * RX_FIFO_SAFE bytes take at the line's rate (about 1 ms at 115200 baud).
 * Looking that often costs a VM exit per period while the guest makes no
 * exits of its own (an idle guest halted between its timer ticks): at
 * 115200 baud about 960 exits per second, more than the guest's own
 * exits for its ticks.  So the line is looked at
 *   - at any exit at least `fast` after the last look (soft: no exit is
 *     made for it; a guest that exits often has its input read as often);
 *   - at an exit the hypervisor makes for it (hard): `fast` after the last
 *     look while the line is active (a byte came in the last `active`
 *     ticks), `quiet` otherwise (the line starts quiet).
 * A paste into an active line never overruns the FIFO; the first burst
 * onto a quiet line keeps the FIFO's bytes and loses the rest when the
 * guest makes no exit before the FIFO is full (the line is active from
 * its first byte on; the loss is counted from the UART's overrun bit and
 * logged, hv/view/vuart_io.c).  A key typed onto a quiet line shows within
 * `quiet` at worst, within the guest's next exit usually.
 */
#ifndef HV_VIEW_INPUT_PACE_H
#define HV_VIEW_INPUT_PACE_H

#include <stdbool.h>
#include <stdint.h>

struct input_pace {
	uint64_t fast;          /* TSC ticks the receive FIFO takes to fill */
	uint64_t quiet;         /* TSC ticks between hard looks, quiet line */
	uint64_t active;        /* TSC ticks a line stays active after a byte */
	uint64_t last_byte;     /* TSC of the last byte */
	bool heard;             /* a byte came (last_byte is valid) */
};

/* The pace of a line that starts quiet. */
static inline struct input_pace input_pace_start(uint64_t fast, uint64_t quiet,
						 uint64_t active)
{
	return (struct input_pace){ fast, quiet, active, 0, false };
}

/* A byte came in at TSC now: the line is active from now on. */
static inline void input_pace_byte(struct input_pace *p, uint64_t now)
{
	p->last_byte = now;
	p->heard = true;
}

/* Whether the line is active at TSC now (a byte less than `active` ago;
 * a TSC before the last byte counts as active). */
static inline bool input_pace_active(const struct input_pace *p, uint64_t now)
{
	return p->heard && (now < p->last_byte || now - p->last_byte < p->active);
}

/* After a look at TSC now: the first exit at or after this looks again. */
static inline uint64_t input_pace_soft(const struct input_pace *p, uint64_t now)
{
	return now + p->fast;
}

/* After a look at TSC now: the hypervisor exits for the next look no
 * later than this. */
static inline uint64_t input_pace_hard(const struct input_pace *p, uint64_t now)
{
	return now + (input_pace_active(p, now) ? p->fast : p->quiet);
}

#endif
