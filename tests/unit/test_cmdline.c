/* lib/cmdline.c: words, key=value lookup, number parsing. */
#include <stdint.h>

#include "lib/cmdline.h"
#include "tests/unit/test.h"

TEST(cmdline_has_matches_whole_words)
{
	const char *c = "  test-exit\tserial=0x2f8 loglevel=debug guestx ";

	CHECK(cmdline_has(c, "test-exit"));
	CHECK(cmdline_has(c, "serial"));
	CHECK(cmdline_has(c, "loglevel"));
	CHECK(!cmdline_has(c, "test"));
	CHECK(!cmdline_has(c, "guest"));
	CHECK(!cmdline_has(c, "exit"));
	CHECK(!cmdline_has(c, ""));
	CHECK(!cmdline_has("", "serial"));
	CHECK(!cmdline_has(NULL, "serial"));
}

TEST(cmdline_get_returns_last_value)
{
	char out[16];

	CHECK(cmdline_get("a=1 b=2 a=3", "a", out, sizeof(out)));
	CHECK_STR(out, "3");
	CHECK(cmdline_get("x=y=z", "x", out, sizeof(out)));
	CHECK_STR(out, "y=z");
	CHECK(cmdline_get("k=", "k", out, sizeof(out)));
	CHECK_STR(out, "");
	CHECK(!cmdline_get("k", "k", out, sizeof(out)));
	CHECK(!cmdline_get("kk=1", "k", out, sizeof(out)));
	CHECK(!cmdline_get("", "k", out, sizeof(out)));
}

TEST(cmdline_get_rejects_values_that_do_not_fit)
{
	char out[4];

	CHECK(cmdline_get("k=abc", "k", out, sizeof(out)));
	CHECK_STR(out, "abc");
	CHECK(!cmdline_get("k=abcd", "k", out, sizeof(out)));
	CHECK(!cmdline_get("k=a", "k", out, 0));
}

TEST(parse_u64_decimal_and_hex)
{
	uint64_t v;

	CHECK(parse_u64("0", &v));
	CHECK_EQ(v, 0);
	CHECK(parse_u64("115200", &v));
	CHECK_EQ(v, 115200);
	CHECK(parse_u64("0x2f8", &v));
	CHECK_EQ(v, 0x2f8);
	CHECK(parse_u64("0XABCdef", &v));
	CHECK_EQ(v, 0xabcdef);
	CHECK(parse_u64("18446744073709551615", &v));
	CHECK_EQ(v, UINT64_MAX);
	CHECK(parse_u64("0xffffffffffffffff", &v));
	CHECK_EQ(v, UINT64_MAX);
}

TEST(parse_u64_rejects_junk_and_overflow)
{
	uint64_t v = 7;

	CHECK(!parse_u64("", &v));
	CHECK(!parse_u64("0x", &v));
	CHECK(!parse_u64("12a", &v));
	CHECK(!parse_u64("-1", &v));
	CHECK(!parse_u64(" 1", &v));
	CHECK(!parse_u64("0x1g", &v));
	CHECK(!parse_u64("18446744073709551616", &v));
	CHECK(!parse_u64("0x10000000000000000", &v));
	CHECK(!parse_u64(NULL, &v));
	CHECK_EQ(v, 7);
}
