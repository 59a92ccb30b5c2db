/*
 * hv/vcpu/seg_check.c: the limit, expand-down, access-rights and
 * address-size decisions of a data access outside 64-bit mode (string
 * I/O's memory operand, hv/exit/io_string.c).
 */
#include "hv/vcpu/seg_check.h"
#include "hv/vmcs/ar.h"
#include "tests/unit/test.h"

#define AR_DATA_RW      (AR_TYPE_RW | AR_TYPE_ACCESSED | AR_S | AR_P)
#define AR_DATA_RO      (AR_TYPE_ACCESSED | AR_S | AR_P)
#define AR_DATA_RW_DOWN (AR_DATA_RW | AR_TYPE_CONFORMING)
#define AR_CODE_READ    (AR_TYPE_CODE | AR_TYPE_RW | AR_S | AR_P)
#define AR_CODE_EXEC    (AR_TYPE_CODE | AR_S | AR_P)
#define AR_CODE_CONF_RD (AR_CODE_READ | AR_TYPE_CONFORMING)

static enum seg_check_result chk(uint32_t ar, uint32_t limit, uint64_t offset,
				 uint32_t len, bool write)
{
	struct seg_access a = { .offset = offset, .len = len, .write = write };

	return seg_check_data(ar, limit, &a);
}

static enum seg_check_result chk_real(uint32_t ar, uint32_t limit,
				      uint64_t offset, uint32_t len, bool write)
{
	struct seg_access a = { .offset = offset, .len = len, .write = write,
				.real_mode = true };

	return seg_check_data(ar, limit, &a);
}

TEST(seg_check_expand_up_last_byte_at_limit)
{
	CHECK_EQ(chk(AR_DATA_RW, 0xff, 0xff, 1, false), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_DATA_RW, 0xff, 0x100, 1, false), SEG_CHECK_LIMIT);
	CHECK_EQ(chk(AR_DATA_RW, 0xff, 0, 1, true), SEG_CHECK_OK);
}

TEST(seg_check_expand_up_element_straddles_limit)
{
	/* A dword whose first byte is inside and last byte outside. */
	CHECK_EQ(chk(AR_DATA_RW, 0xff, 0xfc, 4, true), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_DATA_RW, 0xff, 0xfd, 4, true), SEG_CHECK_LIMIT);
	CHECK_EQ(chk(AR_DATA_RW, 0xff, 0xfe, 2, false), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_DATA_RW, 0xff, 0xff, 2, false), SEG_CHECK_LIMIT);
}

TEST(seg_check_flat_4g_top_dword)
{
	CHECK_EQ(chk(AR_DATA_FLAT, 0xffffffffu, 0xfffffffcull, 4, true), SEG_CHECK_OK);
	/* 32-bit offset 0xFFFFFFFD: the last byte would be at 4 GiB. */
	CHECK_EQ(chk(AR_DATA_FLAT, 0xffffffffu, 0xfffffffdull, 4, true), SEG_CHECK_LIMIT);
}

TEST(seg_check_16bit_address_word_at_ffff)
{
	/* SI = 0xFFFF, a word: byte 0x10000 is beyond a 64 KiB limit. */
	CHECK_EQ(chk(AR_DATA_RW, 0xffff, 0xffff, 2, false), SEG_CHECK_LIMIT);
	CHECK_EQ(chk(AR_DATA_RW, 0xffff, 0xffff, 1, false), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_DATA_RW, 0x1ffff, 0xffff, 2, false), SEG_CHECK_OK);
}

TEST(seg_check_expand_down_16)
{
	/* Limit 0x7FFF, B = 0: offsets 0x8000 .. 0xFFFF. */
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0x7fff, 0x8000, 1, true), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0x7fff, 0x7fff, 1, true), SEG_CHECK_LIMIT);
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0x7fff, 0, 1, false), SEG_CHECK_LIMIT);
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0x7fff, 0xffff, 1, false), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0x7fff, 0xfffe, 2, false), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0x7fff, 0xffff, 2, false), SEG_CHECK_LIMIT);
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0x7fff, 0x10000, 1, false), SEG_CHECK_LIMIT);
}

TEST(seg_check_expand_down_32)
{
	/* B = 1: the top is 0xFFFFFFFF. */
	uint32_t ar = AR_DATA_RW_DOWN | AR_DB;

	CHECK_EQ(chk(ar, 0xfff, 0x1000, 4, true), SEG_CHECK_OK);
	CHECK_EQ(chk(ar, 0xfff, 0xffe, 4, true), SEG_CHECK_LIMIT);
	CHECK_EQ(chk(ar, 0xfff, 0x10000, 1, false), SEG_CHECK_OK);
	CHECK_EQ(chk(ar, 0xfff, 0xfffffffcull, 4, false), SEG_CHECK_OK);
	CHECK_EQ(chk(ar, 0xfff, 0xfffffffdull, 4, false), SEG_CHECK_LIMIT);
}

TEST(seg_check_expand_down_limit_ffff_b0_is_empty)
{
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0xffff, 0xffff, 1, false), SEG_CHECK_LIMIT);
	CHECK_EQ(chk(AR_DATA_RW_DOWN, 0xffff, 0, 1, false), SEG_CHECK_LIMIT);
}

TEST(seg_check_unusable_and_not_present)
{
	CHECK_EQ(chk(AR_DATA_FLAT | AR_UNUSABLE, 0xffffffffu, 0, 1, false),
		 SEG_CHECK_UNUSABLE);
	CHECK_EQ(chk(AR_DATA_FLAT & ~AR_P, 0xffffffffu, 0, 1, true),
		 SEG_CHECK_UNUSABLE);
}

TEST(seg_check_write_needs_writable_data)
{
	CHECK_EQ(chk(AR_DATA_RO, 0xfff, 0, 1, true), SEG_CHECK_TYPE);
	CHECK_EQ(chk(AR_DATA_RO, 0xfff, 0, 1, false), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_CODE_READ, 0xfff, 0, 1, true), SEG_CHECK_TYPE);
	CHECK_EQ(chk(AR_CODE_CONF_RD, 0xfff, 0, 1, true), SEG_CHECK_TYPE);
	/* Read-only expand-down: type first, whatever the offset. */
	CHECK_EQ(chk(AR_DATA_RO | AR_TYPE_CONFORMING, 0xfff, 0, 1, true), SEG_CHECK_TYPE);
}

TEST(seg_check_read_needs_readable)
{
	CHECK_EQ(chk(AR_CODE_EXEC, 0xfff, 0, 1, false), SEG_CHECK_TYPE);
	CHECK_EQ(chk(AR_CODE_READ, 0xfff, 0, 1, false), SEG_CHECK_OK);
	/* Conforming is not expand-down for code: the limit is an upper one. */
	CHECK_EQ(chk(AR_CODE_CONF_RD, 0xfff, 0, 1, false), SEG_CHECK_OK);
	CHECK_EQ(chk(AR_CODE_CONF_RD, 0xfff, 0x1000, 1, false), SEG_CHECK_LIMIT);
}

TEST(seg_check_system_segment_refused)
{
	CHECK_EQ(chk(AR_TSS_BUSY, 0xffff, 0, 1, false), SEG_CHECK_TYPE);
	CHECK_EQ(chk(AR_TYPE_LDT | AR_P, 0xffff, 0, 1, true), SEG_CHECK_TYPE);
}

TEST(seg_check_real_mode_limit_only)
{
	/* Unusable and read-only code are not looked at; the limit is. */
	CHECK_EQ(chk_real(AR_DATA_RW | AR_UNUSABLE, 0xffff, 0x10, 1, true), SEG_CHECK_OK);
	CHECK_EQ(chk_real(AR_CODE_READ, 0xffff, 0x10, 1, true), SEG_CHECK_OK);
	CHECK_EQ(chk_real(AR_DATA_RW, 0xffff, 0xffff, 2, false), SEG_CHECK_LIMIT);
	/* Big real mode: a 4 GiB limit kept from protected mode. */
	CHECK_EQ(chk_real(AR_DATA_FLAT, 0xffffffffu, 0x123456, 4, true), SEG_CHECK_OK);
	/* An expand-down attribute kept from protected mode still applies. */
	CHECK_EQ(chk_real(AR_DATA_RW_DOWN, 0x7fff, 0x10, 1, false), SEG_CHECK_LIMIT);
}
