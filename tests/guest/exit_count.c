/*
 * Reading one count out of the exit-statistics table HC_GET_EXIT_STATS
 * returns (hv/exit/stats.c): one line per reason seen,
 *     <name> (<reason>)   <count>   <cycles>   <cycles/exit>
 * under a header line, and a "total" line.  A name may hold parentheses of
 * its own ("start-up IPI (SIPI) (4)"): the reason is the first
 * parenthesised number.  A table cut at the buffer's end (no total row)
 * is refused rather than read as a zero count.
 */
#include <stddef.h>

#include "tests/guest/exit_count.h"
#include "tests/guest/guest.h"
#include "hv/exit/hypercall.h"

#define STATS_TEXT_MAX 4096
#define TOTAL_ROW      "total "    /* the last row: the table was not cut */

static char stats_text[STATS_TEXT_MAX];

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A decimal number at *p; advances *p past it.  False if none is there. */
static bool parse_decimal(const char **p, uint64_t *value)
{
	const char *s = *p;

	if (!is_digit(*s))
		return false;
	for (*value = 0; is_digit(*s); s++)
		*value = *value * 10 + (uint64_t)(*s - '0');
	*p = s;
	return true;
}

/* The reason of a line: the first "(<digits>)" in it; *after points past
 * the ")".  False for the header, the total and anything malformed. */
static bool line_reason(const char *line, const char *end, uint64_t *reason,
			const char **after)
{
	for (const char *p = line; p < end; p++) {
		const char *q = p + 1;
		if (*p == '(' && parse_decimal(&q, reason) && *q == ')') {
			*after = q + 1;
			return true;
		}
	}
	return false;
}

/* The next column of a row at *p (the count is the first number after
 * the reason, the cycles the second); advances *p past it. */
static bool row_column(const char **p, uint64_t *value)
{
	while (**p == ' ')
		(*p)++;
	return parse_decimal(p, value);
}

static bool is_total_row(const char *line, const char *end)
{
	size_t n = sizeof(TOTAL_ROW) - 1;

	return (size_t)(end - line) >= n && memcmp(line, TOTAL_ROW, n) == 0;
}

/* Each line of the fetched table in turn, until visit returns false. */
static void for_each_line(bool (*visit)(const char *line, const char *end,
					void *ctx), void *ctx)
{
	for (const char *line = stats_text; *line;) {
		const char *end = line;
		while (*end && *end != '\n')
			end++;
		if (!visit(line, end, ctx))
			return;
		line = *end ? end + 1 : end;
	}
}

static bool find_total(const char *line, const char *end, void *ctx)
{
	*(bool *)ctx |= is_total_row(line, end);
	return true;
}

bool exit_stats_fetch(void)
{
	bool complete = false;

	stats_text[0] = '\0';
	if (!guest_env.under_hv || !(guest_env.hv_features & HV_FEATURE_EXIT_STATS))
		return false;
	int64_t len = hypercall(HC_GET_EXIT_STATS, (uint64_t)stats_text,
				sizeof(stats_text) - 1, 0);
	if (len <= 0 || len >= (int64_t)sizeof(stats_text))
		return false;
	stats_text[len] = '\0';
	for_each_line(find_total, &complete);
	return complete;
}

struct count_query {
	uint64_t reason;
	uint64_t *count;
	uint64_t *cycles;               /* NULL: the count alone */
	bool ok;
};

static bool find_reason(const char *line, const char *end, void *ctx)
{
	struct count_query *q = ctx;
	const char *after;
	uint64_t r;

	if (!line_reason(line, end, &r, &after) || r != q->reason)
		return true;
	q->ok = row_column(&after, q->count);
	if (q->ok && q->cycles)
		q->ok = row_column(&after, q->cycles);
	return false;
}

bool exit_stats_count(uint32_t reason, uint64_t *count)
{
	struct count_query q = { reason, count, NULL, true };

	*count = 0;
	for_each_line(find_reason, &q);
	return q.ok;
}

bool exit_stats_row(uint32_t reason, uint64_t *count, uint64_t *cycles)
{
	struct count_query q = { reason, count, cycles, true };

	*count = 0;
	*cycles = 0;
	for_each_line(find_reason, &q);
	return q.ok;
}

static bool find_total_row(const char *line, const char *end, void *ctx)
{
	struct count_query *q = ctx;
	const char *after = line + sizeof(TOTAL_ROW) - 1;

	if (!is_total_row(line, end))
		return true;
	q->ok = row_column(&after, q->count) && row_column(&after, q->cycles);
	return false;
}

bool exit_stats_total(uint64_t *count, uint64_t *cycles)
{
	struct count_query q = { 0, count, cycles, false };

	*count = 0;
	*cycles = 0;
	for_each_line(find_total_row, &q);
	return q.ok;
}
