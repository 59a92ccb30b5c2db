/*
 * hv/view/port_bytes.h: which bytes of an I/O write land in a power
 * register, whatever the access width (a word at 0xCF8 writes 0xCF9).
 */
#include "hv/view/port_bytes.h"
#include "tests/unit/test.h"

TEST(port_bytes_exact_byte)
{
	struct reg_write w = port_bytes_to_reg(0xcf9, 1, 0x06, 0xcf9, 1);

	CHECK_EQ(w.value, 0x06);
	CHECK_EQ(w.mask, 0xff);
}

TEST(port_bytes_word_below_covers_high_byte)
{
	/* outw 0x0600 to 0xCF8: 0xCF9 gets 0x06. */
	struct reg_write w = port_bytes_to_reg(0xcf8, 2, 0x0600, 0xcf9, 1);

	CHECK_EQ(w.value, 0x06);
	CHECK_EQ(w.mask, 0xff);
}

TEST(port_bytes_dword_over_kbc)
{
	/* outl 0x000000fe to 0x64: 0x64 gets the low byte. */
	struct reg_write w = port_bytes_to_reg(0x64, 4, 0x123456fe, 0x64, 1);

	CHECK_EQ(w.value, 0xfe);
	CHECK_EQ(w.mask, 0xff);
}

TEST(port_bytes_high_byte_of_pm1_cnt)
{
	/* outb to PM1a_CNT + 1: SLP_EN (bit 13) is bit 5 of that byte. */
	struct reg_write w = port_bytes_to_reg(0xb005, 1, 0x20, 0xb004, 2);

	CHECK_EQ(w.value, 0x2000);
	CHECK_EQ(w.mask, 0xff00);
}

TEST(port_bytes_dword_straddling_register_start)
{
	/* outl at 0xb002 covers 0xb002-0xb005: bytes 2 and 3 of the value
	 * are PM1a_CNT's two bytes. */
	struct reg_write w = port_bytes_to_reg(0xb002, 4, 0x3c00aaaa, 0xb004, 2);

	CHECK_EQ(w.value, 0x3c00);
	CHECK_EQ(w.mask, 0xffff);
}

TEST(port_bytes_miss_and_port_wrap)
{
	CHECK_EQ(port_bytes_to_reg(0xcfa, 2, 0xffff, 0xcf9, 1).mask, 0);
	CHECK_EQ(port_bytes_to_reg(0xfffe, 4, 0xffffffff, 0x0000, 1).mask, 0);
	CHECK(port_overlaps(0xcf8, 2, 0xcf9, 1));
	CHECK(!port_overlaps(0xcf8, 1, 0xcf9, 1));
	CHECK(port_overlaps(0x60, 4, 0x64, 1) == 0);
	CHECK(port_overlaps(0x62, 4, 0x64, 1));
}
