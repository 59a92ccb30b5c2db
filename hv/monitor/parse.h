/*
 * The monitor's command line: words split at blanks, the command looked
 * up in a table that gives each command its argument count and one-line
 * help, numbers in decimal or 0x-hexadecimal (lib/cmdline.h parse_u64).
 * Every mistake gets a one-line message.  Pure (host unit-tested, and a
 * fuzz target: tests/fuzz/).
 */
#ifndef HV_MONITOR_PARSE_H
#define HV_MONITOR_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MON_LINE_MAX   128      /* characters of one command line */
#define MON_WORDS_MAX  4        /* the command and up to 3 arguments */
#define MON_ERROR_MAX  96

struct mon_words {
	uint32_t count;
	const char *word[MON_WORDS_MAX];
};

struct mon_ctx;

/* What a command asks of the monitor loop afterwards. */
enum mon_result {
	MON_STAY,               /* prompt again */
	MON_CONTINUE,           /* resume the guest */
};

typedef enum mon_result (*mon_handler_fn)(struct mon_ctx *ctx,
					  const struct mon_words *w);

struct mon_cmd {
	const char *name;
	const char *args;       /* usage after the name, "" for none */
	const char *help;       /* one line */
	uint8_t min_args, max_args;
	mon_handler_fn fn;
};

/* Split line in place at blanks (space, tab); false when it has more
 * than MON_WORDS_MAX words.  An empty line gives count 0. */
bool mon_split(char *line, struct mon_words *w);

/* The table row for w->word[0] with an argument count it accepts; NULL
 * with a one-line reason in err when there is none. */
const struct mon_cmd *mon_lookup(const struct mon_cmd *table, size_t n,
				 const struct mon_words *w, char *err,
				 size_t err_size);

/* Argument i as a number; false with a one-line reason in err. */
bool mon_number(const struct mon_words *w, uint32_t i, uint64_t *out,
		char *err, size_t err_size);

#endif
