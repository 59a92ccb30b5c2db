/*
 * hv/monitor/parse.c: words, lookup with argument counts, numbers, and a
 * one-line message for every mistake.
 */
#include "hv/monitor/parse.h"
#include "tests/unit/test.h"

static const struct mon_cmd table[] = {
	{ "c", "", "continue", 0, 0, NULL },
	{ "xp", "GPA [N]", "dump", 1, 2, NULL },
};
#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

TEST(monitor_split_words)
{
	char line[] = "  xp\t0x1000  16 ";
	struct mon_words w;

	CHECK(mon_split(line, &w));
	CHECK_EQ(w.count, 3);
	CHECK_STR(w.word[0], "xp");
	CHECK_STR(w.word[1], "0x1000");
	CHECK_STR(w.word[2], "16");
}

TEST(monitor_split_empty_and_too_many)
{
	char empty[] = "   ";
	char many[] = "a b c d e";
	struct mon_words w;

	CHECK(mon_split(empty, &w));
	CHECK_EQ(w.count, 0);
	CHECK(!mon_split(many, &w));
}

TEST(monitor_lookup_and_arity)
{
	char line[] = "xp";
	char bad[] = "nope 1";
	char err[MON_ERROR_MAX];
	struct mon_words w;

	CHECK(mon_split(line, &w));
	CHECK(!mon_lookup(table, TABLE_SIZE, &w, err, sizeof(err)));
	CHECK_STR(err, "usage: xp GPA [N]");
	CHECK(mon_split(bad, &w));
	CHECK(!mon_lookup(table, TABLE_SIZE, &w, err, sizeof(err)));
	CHECK_STR(err, "unknown command 'nope' (help lists them)");
	char ok[] = "xp 0x10 4";
	CHECK(mon_split(ok, &w));
	CHECK(mon_lookup(table, TABLE_SIZE, &w, err, sizeof(err)) == &table[1]);
}

TEST(monitor_numbers)
{
	char line[] = "xp 0x1f zz 99999999999999999999999";
	char err[MON_ERROR_MAX];
	struct mon_words w;
	uint64_t v = 0;

	CHECK(mon_split(line, &w));
	CHECK(mon_number(&w, 1, &v, err, sizeof(err)));
	CHECK_EQ(v, 0x1f);
	CHECK(!mon_number(&w, 2, &v, err, sizeof(err)));
	CHECK_STR(err, "'zz' is not a number (decimal or 0x hex)");
	CHECK(!mon_number(&w, 3, &v, err, sizeof(err)));
	CHECK(!mon_number(&w, 9, &v, err, sizeof(err)));
}
