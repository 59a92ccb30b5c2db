/*
 * The monitor's command-line parsing (see hv/monitor/parse.h).
 */
#include "hv/monitor/parse.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/str.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

bool mon_split(char *line, struct mon_words *w)
{
	char *p = line;

	w->count = 0;
	for (;;) {
		while (blank(*p))
			*p++ = '\0';
		if (!*p)
			return true;
		if (w->count == MON_WORDS_MAX)
			return false;
		w->word[w->count++] = p;
		while (*p && !blank(*p))
			p++;
	}
}

const struct mon_cmd *mon_lookup(const struct mon_cmd *table, size_t n,
				 const struct mon_words *w, char *err,
				 size_t err_size)
{
	for (size_t i = 0; i < n; i++) {
		const struct mon_cmd *c = &table[i];
		uint32_t args = w->count - 1;

		if (strcmp(c->name, w->word[0]) != 0)
			continue;
		if (args < c->min_args || args > c->max_args) {
			format(err, err_size, "usage: %s%s%s", c->name,
			       c->args[0] ? " " : "", c->args);
			return NULL;
		}
		return c;
	}
	format(err, err_size, "unknown command '%.32s' (help lists them)",
	       w->word[0]);
	return NULL;
}

bool mon_number(const struct mon_words *w, uint32_t i, uint64_t *out,
		char *err, size_t err_size)
{
	if (i >= w->count || !parse_u64(w->word[i], out)) {
		format(err, err_size, "'%.32s' is not a number (decimal or 0x hex)",
		       i < w->count ? w->word[i] : "");
		return false;
	}
	return true;
}
