/*
 * Exit counts as the hypervisor keeps them (HC_GET_EXIT_STATS), so that a
 * check can see that an instruction really exited: the difference between
 * two readings taken around it.
 */
#ifndef GUEST_TESTS_EXIT_COUNT_H
#define GUEST_TESTS_EXIT_COUNT_H

#include <stdbool.h>
#include <stdint.h>

/* Fetch the table as it is now.  Only under the hypervisor, with
 * HV_FEATURE_EXIT_STATS; false when the call fails or the table is cut
 * short.  (The hypervisor also logs the table at each call.) */
bool exit_stats_fetch(void);

/* The number of exits with basic reason `reason` in the table last
 * fetched (0 when it has no row for it); false for a malformed row. */
bool exit_stats_count(uint32_t reason, uint64_t *count);

/* The count and the root-mode TSC cycles of reason `reason` in the table
 * last fetched (both 0 when it has no row for it); false for a malformed
 * row. */
bool exit_stats_row(uint32_t reason, uint64_t *count, uint64_t *cycles);

/* The total row of the table last fetched: every exit so far and their
 * root-mode TSC cycles; false when it is missing or malformed. */
bool exit_stats_total(uint64_t *count, uint64_t *cycles);

#endif
