/*
 * Log level names: parsed from the command line (loglevel=) and printed
 * after the line prefix.  Pure, so boot/config.c's unit tests can use it.
 */
#include "lib/log.h"
#include "lib/str.h"

static const char *const level_names[] = {
	[LOG_DEBUG] = "debug",
	[LOG_INFO] = "info",
	[LOG_WARN] = "warn",
	[LOG_ERROR] = "error",
};

static const char *const level_tags[] = {
	[LOG_DEBUG] = "debug: ",
	[LOG_INFO] = "",
	[LOG_WARN] = "warn: ",
	[LOG_ERROR] = "error: ",
	[LOG_PANIC] = "PANIC: ",
	[LOG_ALWAYS] = "",
};

int log_level_from_name(const char *name)
{
	for (int i = 0; i < (int)(sizeof(level_names) / sizeof(level_names[0])); i++) {
		if (strcmp(name, level_names[i]) == 0)
			return i;
	}
	return -1;
}

const char *log_level_tag(enum log_level level)
{
	if ((unsigned int)level >= sizeof(level_tags) / sizeof(level_tags[0]))
		return "";
	return level_tags[level];
}
