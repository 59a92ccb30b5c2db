/*
 * hv/vcpu/init_state.c: the INIT column of the SDM's table "IA-32 and
 * Intel 64 Processor States Following Power-up, Reset, or INIT".
 */
#include "arch/x86/cpu.h"
#include "hv/vcpu/init_state.h"
#include "tests/unit/test.h"

#define SIGNATURE_SKYLAKE_X 0x00050654u

TEST(init_state_bsp_starts_at_the_reset_vector)
{
	struct init_state s = init_state_of(CR0_PE | CR0_PG | CR0_WP | CR0_NE,
					    SIGNATURE_SKYLAKE_X, true);

	CHECK_EQ(s.cr0, CR0_ET);                /* only ET; PE/PG/WP/NE clear */
	CHECK_EQ(s.rflags, 0x2);
	CHECK_EQ(s.cs.selector, 0xf000);
	CHECK_EQ(s.cs.base, 0xffff0000);
	CHECK_EQ(s.cs.base + s.rip, 0xfffffff0);  /* the reset vector */
	CHECK_EQ(s.cs.limit, 0xffff);
	CHECK_EQ(s.cs.ar, 0x9b);
	CHECK_EQ(s.data.selector, 0);
	CHECK_EQ(s.data.base, 0);
	CHECK_EQ(s.data.limit, 0xffff);
	CHECK_EQ(s.data.ar, 0x93);
	CHECK_EQ(s.gdtr_limit, 0xffff);
	CHECK_EQ(s.idtr_limit, 0xffff);
	CHECK_EQ(s.ldtr.ar & 0x8f, 0x82);
	CHECK_EQ(s.tr.ar & 0x8f, 0x8b);
	CHECK_EQ(s.rdx, SIGNATURE_SKYLAKE_X);   /* EDX: the signature */
	CHECK(!s.wait_for_sipi);
}

TEST(init_state_keeps_cd_nw_and_ap_waits)
{
	struct init_state s = init_state_of(CR0_CD | CR0_NW | CR0_PE,
					    SIGNATURE_SKYLAKE_X, false);

	CHECK_EQ(s.cr0, CR0_CD | CR0_NW | CR0_ET);
	CHECK(s.wait_for_sipi);
}

TEST(init_state_debug_register_values)
{
	CHECK_EQ(INIT_DR6, 0xffff0ff0);
	CHECK_EQ(INIT_DR7, 0x400);
}
