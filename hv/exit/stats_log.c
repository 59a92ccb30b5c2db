/*
 * exit_stats_log: the exit-statistics table (hv/exit/stats.c) to the log,
 * one log line per table line.
 */
#include "hv/exit/stats.h"
#include "lib/log.h"

/* Log the exit-statistics table at info level, one log line per table line.
 * Formats into a static buffer, so one CPU at a time (the stopping vCPU or
 * the hypercall). */
void exit_stats_log(const struct exit_stats *s)
{
	static char text[EXIT_STATS_TEXT_MAX];
	char *line = text;

	exit_stats_format(s, text, sizeof(text));
	for (char *p = text; *p; p++) {
		if (*p != '\n')
			continue;
		*p = '\0';
		log_info("  %s", line);
		line = p + 1;
	}
	if (*line)
		log_info("  %s", line);
}
