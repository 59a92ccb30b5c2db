/*
 * Fuzz what the console takes from the serial line (docs/console.md): the
 * escape detector (hv/monitor/escape.h) over the raw bytes, and the
 * monitor's command-line parser (hv/monitor/parse.c) over each line.
 * Promises checked: every byte that is not part of a completed escape
 * sequence reaches the guest, in order; a line splits into at most
 * MON_WORDS_MAX non-empty words without blanks; lookup and numbers either
 * succeed or leave a terminated one-line message.
 */
#include "hv/monitor/escape.h"
#include "hv/monitor/parse.h"
#include "lib/cmdline.h"
#include "tests/fuzz/fuzz.h"

#define LINE_INPUT_MAX 4096

static const struct mon_cmd table[] = {
	{ "c", "", "continue", 0, 0, NULL },
	{ "xp", "GPA [N]", "dump", 1, 2, NULL },
	{ "stats", "[reset]", "exits", 0, 1, NULL },
};

/* The escape detector passes on exactly the bytes a completed sequence
 * does not take, in order. */
static void check_escape(const uint8_t *data, size_t size)
{
	struct escape e = { ESCAPE_DEFAULT_KEY, 0 };
	uint8_t out[ESCAPE_PRESSES];
	size_t passed = 0, entered = 0;
	bool enter;

	for (size_t i = 0; i < size; i++) {
		uint32_t n = escape_feed(&e, data[i], out, &enter);

		FUZZ_CHECK(n <= ESCAPE_PRESSES, "%u bytes for one", n);
		FUZZ_CHECK(!enter || n == 0, "bytes passed on entering");
		FUZZ_CHECK(n == 0 || out[n - 1] == data[i], "last byte not the input");
		FUZZ_CHECK(e.held < ESCAPE_PRESSES, "held %u", e.held);
		passed += n;
		entered += enter;
	}
	FUZZ_CHECK(passed + entered * ESCAPE_PRESSES + e.held == size,
		   "%zu passed, %zu entries, %u held of %zu", passed, entered,
		   e.held, size);
}

/* One command line through split, lookup and numbers. */
static void check_line(char *line)
{
	struct mon_words w;
	char err[MON_ERROR_MAX];
	uint64_t v;

	if (!mon_split(line, &w))
		return;
	FUZZ_CHECK(w.count <= MON_WORDS_MAX, "%u words", w.count);
	for (uint32_t i = 0; i < w.count; i++)
		FUZZ_CHECK(w.word[i][0] && !strpbrk(w.word[i], " \t"),
			   "word '%s'", w.word[i]);
	if (!w.count)
		return;
	err[0] = '\0';
	if (!mon_lookup(table, sizeof(table) / sizeof(table[0]), &w, err,
			sizeof(err)))
		FUZZ_CHECK(err[0] && fuzz_has_nul(err, sizeof(err)) &&
			   !strchr(err, '\n'), "lookup message");
	for (uint32_t i = 0; i <= w.count; i++) {
		err[0] = '\0';
		if (!mon_number(&w, i, &v, err, sizeof(err)))
			FUZZ_CHECK(err[0] && fuzz_has_nul(err, sizeof(err)),
				   "number message");
		else
			FUZZ_CHECK(parse_u64(w.word[i], &v), "number %u", i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	char *text;

	check_escape(data, size);
	text = fuzz_take_string(&in, LINE_INPUT_MAX);
	for (char *save, *l = strtok_r(text, "\r\n", &save); l;
	     l = strtok_r(NULL, "\r\n", &save))
		check_line(l);
	free(text);
	return 0;
}
