/*
 * Exit statistics (see hv/exit/stats.h).  Pure: host unit tests use it.
 * The table, one line per reason seen, in reason order:
 *
 *     exit reason                          count        cycles   cycles/exit
 *     CPUID (10)                               1          2210          2210
 *     ...
 *     total                                    3          5000          1666
 */
#include "hv/exit/reason.h"
#include "hv/exit/stats.h"
#include "lib/format.h"

#define STATS_NAME_WIDTH  34
#define STATS_NAME_MAX    64

/* Average cycles per exit, 0 for a reason never seen. */
static unsigned long long per_exit(uint64_t cycles, uint64_t count)
{
	return count ? (unsigned long long)(cycles / count) : 0;
}

/* Append one row; returns the new length (may exceed size: truncated). */
static size_t row(char *buf, size_t size, size_t len, const char *name,
		  uint64_t count, uint64_t cycles)
{
	int n = format(len < size ? buf + len : NULL, len < size ? size - len : 0,
		       "%-*s %8llu %13llu %13llu\n", STATS_NAME_WIDTH, name,
		       (unsigned long long)count, (unsigned long long)cycles,
		       per_exit(cycles, count));

	return len + (n > 0 ? (size_t)n : 0);
}

/* Format the table (header, one row per reason seen, total) into buf, always
 * NUL-terminated when size > 0.  Returns the length written, at most size -
 * 1: a table cut short is cut at a byte, not at a line. */
size_t exit_stats_format(const struct exit_stats *s, char *buf, size_t size)
{
	char name[STATS_NAME_MAX];
	size_t len = 0;
	int n = format(buf, size, "%-*s %8s %13s %13s\n", STATS_NAME_WIDTH,
		       "exit reason", "count", "cycles", "cycles/exit");

	len = n > 0 ? (size_t)n : 0;
	for (uint32_t r = 0; r < EXIT_REASON_SLOTS; r++) {
		if (!s->count[r])
			continue;
		format(name, sizeof(name), "%s (%u)", exit_reason_name(r), r);
		len = row(buf, size, len, name, s->count[r], s->cycles[r]);
	}
	len = row(buf, size, len, "total", s->total_exits, s->total_cycles);
	if (size && len >= size)
		buf[size - 1] = '\0';
	return len < size ? len : (size ? size - 1 : 0);
}
