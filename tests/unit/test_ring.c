/*
 * lib/ring.c: the byte ring with history keeps the newest bytes, readers
 * keep their own positions and skip what was overwritten.
 */
#include "lib/ring.h"
#include "tests/unit/test.h"

#define RING_TEST_SIZE 8

static char ring_buf[RING_TEST_SIZE];

TEST(ring_reads_what_was_written)
{
	struct ring r;
	uint64_t pos = 0;
	char out[RING_TEST_SIZE + 1] = { 0 };

	ring_init(&r, ring_buf, RING_TEST_SIZE);
	ring_put(&r, "abc", 3);
	CHECK_EQ(ring_read(&r, &pos, out, sizeof(out) - 1), 3);
	CHECK_STR(out, "abc");
	CHECK_EQ(pos, 3);
	CHECK_EQ(ring_read(&r, &pos, out, sizeof(out) - 1), 0);
}

TEST(ring_overwrites_oldest_and_reader_skips)
{
	struct ring r;
	uint64_t pos = 1;
	char out[RING_TEST_SIZE + 1] = { 0 };

	ring_init(&r, ring_buf, RING_TEST_SIZE);
	ring_put(&r, "0123456789", 10);
	CHECK_EQ(r.end, 10);
	CHECK_EQ(ring_oldest(&r), 2);
	CHECK_EQ(ring_read(&r, &pos, out, sizeof(out) - 1), 8);
	CHECK_STR(out, "23456789");
}

TEST(ring_wraps_in_small_puts_and_partial_reads)
{
	struct ring r;
	uint64_t pos = 0;
	char out[4] = { 0 };

	ring_init(&r, ring_buf, RING_TEST_SIZE);
	ring_put(&r, "abcdef", 6);
	CHECK_EQ(ring_read(&r, &pos, out, 3), 3);
	ring_put(&r, "ghij", 4);       /* wraps; "abcd" overwritten? only "ab" */
	CHECK_EQ(ring_oldest(&r), 2);
	CHECK_EQ(ring_read(&r, &pos, out, 3), 3);
	CHECK_STR(out, "def");
	CHECK_EQ(ring_read(&r, &pos, out, 3), 3);
	CHECK_STR(out, "ghi");
	CHECK_EQ(ring_read(&r, &pos, out, 3), 1);
	CHECK_EQ(out[0], 'j');
}
