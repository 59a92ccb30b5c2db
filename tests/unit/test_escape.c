/*
 * hv/monitor/escape.h: three escape keys enter the monitor, anything else
 * reaches the guest as typed (held escape keys included, in order).
 */
#include "hv/monitor/escape.h"
#include "tests/unit/test.h"

TEST(escape_three_ctrl_a_enter)
{
	struct escape e = { ESCAPE_DEFAULT_KEY, 0 };
	uint8_t out[ESCAPE_PRESSES];
	bool enter;

	CHECK_EQ(escape_feed(&e, 1, out, &enter), 0);
	CHECK(!enter);
	CHECK_EQ(escape_feed(&e, 1, out, &enter), 0);
	CHECK_EQ(escape_feed(&e, 1, out, &enter), 0);
	CHECK(enter);
	CHECK_EQ(e.held, 0);
}

TEST(escape_partial_sequence_goes_to_guest)
{
	struct escape e = { ESCAPE_DEFAULT_KEY, 0 };
	uint8_t out[ESCAPE_PRESSES];
	bool enter;

	CHECK_EQ(escape_feed(&e, 'x', out, &enter), 1);
	CHECK_EQ(out[0], 'x');
	(void)escape_feed(&e, 1, out, &enter);
	(void)escape_feed(&e, 1, out, &enter);
	CHECK_EQ(escape_feed(&e, 'c', out, &enter), 3);
	CHECK(!enter);
	CHECK_EQ(out[0], 1);
	CHECK_EQ(out[1], 1);
	CHECK_EQ(out[2], 'c');
	CHECK_EQ(e.held, 0);
}

TEST(escape_key_names)
{
	uint8_t key = 0;

	CHECK(escape_key_from_name("a", &key));
	CHECK_EQ(key, 1);
	CHECK(escape_key_from_name("T", &key));
	CHECK_EQ(key, 0x14);
	CHECK(!escape_key_from_name("", &key));
	CHECK(!escape_key_from_name("ab", &key));
	CHECK(!escape_key_from_name("1", &key));
}
