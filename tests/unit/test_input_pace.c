/*
 * hv/view/input_pace.h: the console's input is looked at every `fast`
 * ticks while the line is active (a byte less than `active` ago) and
 * every `quiet` ticks when it is not (from the start until the first
 * byte too); any exit after `fast` looks too.
 */
#include "hv/view/input_pace.h"
#include "tests/unit/test.h"

/* 115200 baud, 12 bytes of 10 bits, TSC at 3.5 GHz: 3 645 833 ticks. */
#define HZ      3500000000ull
#define FAST    (HZ * 12 * 10 / 115200)
#define QUIET   (HZ / 10)
#define ACTIVE  (HZ * 10)
#define START   1000000ull

TEST(input_pace_quiet_until_first_byte)
{
	struct input_pace p = input_pace_start(FAST, QUIET, ACTIVE);

	CHECK(!input_pace_active(&p, 0));
	CHECK(!input_pace_active(&p, START));
	CHECK_EQ(input_pace_hard(&p, START), START + QUIET);
	input_pace_byte(&p, START);
	CHECK(input_pace_active(&p, START));
	CHECK(input_pace_active(&p, START + ACTIVE - 1));
	CHECK(!input_pace_active(&p, START + ACTIVE));
	CHECK_EQ(input_pace_hard(&p, START), START + FAST);
	CHECK_EQ(input_pace_hard(&p, START + ACTIVE), START + ACTIVE + QUIET);
}

TEST(input_pace_soft_is_fast_either_way)
{
	struct input_pace p = input_pace_start(FAST, QUIET, ACTIVE);
	uint64_t later = START + 5 * ACTIVE;

	CHECK_EQ(input_pace_soft(&p, START), START + FAST);
	input_pace_byte(&p, START);
	CHECK_EQ(input_pace_soft(&p, later), later + FAST);
	CHECK(input_pace_hard(&p, later) > input_pace_soft(&p, later));
}

TEST(input_pace_byte_makes_line_active)
{
	struct input_pace p = input_pace_start(FAST, QUIET, ACTIVE);
	uint64_t t = START + 3 * ACTIVE;

	input_pace_byte(&p, START);
	CHECK_EQ(input_pace_hard(&p, t), t + QUIET);
	input_pace_byte(&p, t);
	CHECK(input_pace_active(&p, t));
	CHECK_EQ(input_pace_hard(&p, t + 1), t + 1 + FAST);
	CHECK_EQ(input_pace_hard(&p, t + ACTIVE), t + ACTIVE + QUIET);
}

/* A TSC read before the last byte was recorded (another path read it
 * first) is no reason to slow down. */
TEST(input_pace_earlier_tsc_counts_as_active)
{
	struct input_pace p = input_pace_start(FAST, QUIET, ACTIVE);

	input_pace_byte(&p, START + 5 * ACTIVE);
	CHECK(input_pace_active(&p, START + 5 * ACTIVE - 1));
}
/* The figures the pace exists for: a quiet line at 115200 baud costs ten
 * hard looks a second instead of 960. */
TEST(input_pace_quiet_rate)
{
	CHECK_EQ(HZ / FAST, 960);
	CHECK_EQ(HZ / QUIET, 10);
}
