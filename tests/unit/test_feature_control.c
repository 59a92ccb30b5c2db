/* Unit tests for the IA32_FEATURE_CONTROL decision (hv/vmx/feature_control.c). */
#include "arch/x86/msr.h"
#include "hv/vmx/feature_control.h"
#include "tests/unit/test.h"

#define LOCK    FEATURE_CONTROL_LOCK
#define INSIDE  FEATURE_CONTROL_VMX_INSIDE_SMX
#define OUTSIDE FEATURE_CONTROL_VMX_OUTSIDE_SMX
#define SENTER_ENABLES (0x7full << 8)   /* SENTER local function enables */
#define SENTER_GLOBAL  (1ull << 15)
#define SGX_ENABLE     (1ull << 18)
#define LMCE_ON        (1ull << 20)
#define UNTOUCHED      0xdeadbeefull    /* write_value left alone */

TEST(feature_control_locked_on)
{
	uint64_t w = UNTOUCHED;
	CHECK_EQ(feature_control_decide(LOCK | OUTSIDE, false, &w),
		 FEATURE_CONTROL_USABLE);
	CHECK_EQ(w, UNTOUCHED);
	/* Both enables, other bits: still usable as is. */
	CHECK_EQ(feature_control_decide(LOCK | INSIDE | OUTSIDE | SGX_ENABLE,
					false, &w), FEATURE_CONTROL_USABLE);
	CHECK_EQ(w, UNTOUCHED);
}

TEST(feature_control_locked_off)
{
	uint64_t w = UNTOUCHED;
	CHECK_EQ(feature_control_decide(LOCK, false, &w),
		 FEATURE_CONTROL_LOCKED_OFF);
	CHECK_EQ(feature_control_decide(LOCK | SGX_ENABLE | LMCE_ON, false, &w),
		 FEATURE_CONTROL_LOCKED_OFF);
	CHECK_EQ(w, UNTOUCHED);
}

TEST(feature_control_locked_only_inside_smx)
{
	uint64_t w = UNTOUCHED;
	/* VMX allowed only inside SMX: useless to a hypervisor outside it. */
	CHECK_EQ(feature_control_decide(LOCK | INSIDE, false, &w),
		 FEATURE_CONTROL_LOCKED_OFF);
	CHECK_EQ(feature_control_decide(LOCK | INSIDE | SENTER_ENABLES |
					SENTER_GLOBAL, false, &w),
		 FEATURE_CONTROL_LOCKED_OFF);
	/* ... and the reverse when running inside SMX. */
	CHECK_EQ(feature_control_decide(LOCK | INSIDE, true, &w),
		 FEATURE_CONTROL_USABLE);
	CHECK_EQ(feature_control_decide(LOCK | OUTSIDE, true, &w),
		 FEATURE_CONTROL_LOCKED_OFF);
	CHECK_EQ(w, UNTOUCHED);
}

TEST(feature_control_unlocked_zero)
{
	uint64_t w = 0;
	CHECK_EQ(feature_control_decide(0, false, &w),
		 FEATURE_CONTROL_ENABLE_AND_LOCK);
	CHECK_EQ(w, LOCK | OUTSIDE);
	CHECK_EQ(w, 0x5);
	CHECK_EQ(feature_control_decide(0, true, &w),
		 FEATURE_CONTROL_ENABLE_AND_LOCK);
	CHECK_EQ(w, LOCK | INSIDE);
}

TEST(feature_control_unlocked_preserves_other_bits)
{
	uint64_t w = 0;
	uint64_t others = INSIDE | SENTER_ENABLES | SENTER_GLOBAL | SGX_ENABLE |
			  LMCE_ON;
	CHECK_EQ(feature_control_decide(others, false, &w),
		 FEATURE_CONTROL_ENABLE_AND_LOCK);
	CHECK_EQ(w, others | OUTSIDE | LOCK);
	/* Enabled but not locked: VMXON would still #GP, so lock it. */
	CHECK_EQ(feature_control_decide(OUTSIDE | LMCE_ON, false, &w),
		 FEATURE_CONTROL_ENABLE_AND_LOCK);
	CHECK_EQ(w, OUTSIDE | LMCE_ON | LOCK);
}
