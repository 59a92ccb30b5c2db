/*
 * Exit statistics, like kvm_stat: per basic exit reason a count and the
 * TSC cycles spent in root mode handling it (from VM exit to the next VM
 * entry).
 */
#ifndef HV_EXIT_STATS_H
#define HV_EXIT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "hv/exit/reason.h"

#define EXIT_REASON_SLOTS (EXIT_REASON_MAX + 1)   /* every basic reason */

struct exit_stats {
	uint64_t count[EXIT_REASON_SLOTS];
	uint64_t cycles[EXIT_REASON_SLOTS];
	uint64_t total_exits;
	uint64_t total_cycles;
};

/* Count one exit of reason that took cycles TSC cycles in root mode.
 * Reasons beyond the table still count in the totals.  Inline: the run
 * loop records every exit. */
static inline void exit_stats_record(struct exit_stats *s, uint32_t reason,
				     uint64_t cycles)
{
	if (reason < EXIT_REASON_SLOTS) {
		s->count[reason]++;
		s->cycles[reason] += cycles;
	}
	s->total_exits++;
	s->total_cycles += cycles;
}

/* Room for the formatted table (all reasons seen, with the header and the
 * total row), for the log and the HC_GET_EXIT_STATS hypercall alike. */
#define EXIT_STATS_TEXT_MAX 6144

/* The table, one line per reason seen, to the log. */
void exit_stats_log(const struct exit_stats *s);
/* The same table as text into buf (for the hypercall); returns length. */
size_t exit_stats_format(const struct exit_stats *s, char *buf, size_t size);

#endif
