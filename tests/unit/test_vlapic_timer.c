/*
 * hv/lapic/: the virtual LAPIC timer as TSC arithmetic (one-shot,
 * periodic, TSC-deadline, divide values, masked LVT) and the ICR's
 * destinations, shorthands, NMI and illegal vectors.
 */
#include "hv/lapic/vlapic.h"
#include "tests/unit/test.h"

#define T0 1000000ull     /* an arbitrary TSC at which the test starts */

static void enabled(struct vlapic *l)
{
	struct vlapic_effect fx = { 0 };

	vlapic_reset(l, 0, true);
	vlapic_write(l, LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0, &fx);
}

TEST(vlapic_timer_divide_values)
{
	static const uint32_t want[16] = {
		[0x0] = 2, [0x1] = 4, [0x2] = 8, [0x3] = 16,
		[0x8] = 32, [0x9] = 64, [0xa] = 128, [0xb] = 1,
	};

	for (uint32_t dcr = 0; dcr < 16; dcr++)
		if (want[dcr])
			CHECK_EQ(vlapic_timer_divide(dcr), want[dcr]);
}

TEST(vlapic_timer_oneshot)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_TIMER_DCR, 0x3, T0, &fx);          /* by 16 */
	vlapic_write(&l, LAPIC_LVT_TIMER, 0x30, T0, &fx);
	vlapic_write(&l, LAPIC_TIMER_ICR, 1000, T0, &fx);
	CHECK(fx.flags & VLAPIC_FX_TIMER);
	CHECK_EQ(vlapic_timer_deadline(&l), T0 + 16000);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0), 1000);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0 + 160), 990);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0 + 15999), 1);
	CHECK(!vlapic_timer_expire(&l, T0 + 15999));
	CHECK(vlapic_timer_expire(&l, T0 + 16000));
	CHECK_EQ(vlapic_pending(&l), 0x30);
	CHECK_EQ(vlapic_timer_deadline(&l), VLAPIC_NO_DEADLINE);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0 + 20000), 0);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_ICR, T0 + 20000), 1000);
}

TEST(vlapic_timer_each_divide_sets_period)
{
	static const uint32_t dcrs[] = { 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa, 0xb };

	for (unsigned i = 0; i < sizeof(dcrs) / sizeof(dcrs[0]); i++) {
		struct vlapic l;
		struct vlapic_effect fx = { 0 };

		enabled(&l);
		vlapic_write(&l, LAPIC_TIMER_DCR, dcrs[i], T0, &fx);
		vlapic_write(&l, LAPIC_LVT_TIMER, 0x30, T0, &fx);
		vlapic_write(&l, LAPIC_TIMER_ICR, 100, T0, &fx);
		CHECK_EQ(vlapic_timer_deadline(&l),
			 T0 + 100ull * vlapic_timer_divide(dcrs[i]));
	}
}

TEST(vlapic_timer_periodic_rearms_and_coalesces)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_TIMER_DCR, 0xb, T0, &fx);          /* by 1 */
	vlapic_write(&l, LAPIC_LVT_TIMER, 0x20031, T0, &fx);      /* periodic */
	vlapic_write(&l, LAPIC_TIMER_ICR, 500, T0, &fx);
	CHECK(vlapic_timer_expire(&l, T0 + 500));
	CHECK_EQ(vlapic_timer_deadline(&l), T0 + 1000);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0 + 600), 400);
	CHECK(vlapic_timer_expire(&l, T0 + 2750));                 /* 3 periods late */
	CHECK_EQ(vlapic_timer_deadline(&l), T0 + 3000);
	CHECK_EQ(l.counts.timer_fires, 2);
	CHECK_EQ(vlapic_highest_irr(&l), 0x31);
}

TEST(vlapic_timer_masked_counts_but_delivers_nothing)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_TIMER_DCR, 0xb, T0, &fx);
	vlapic_write(&l, LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | 0x30, T0, &fx);
	vlapic_write(&l, LAPIC_TIMER_ICR, 50, T0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0 + 10), 40);
	CHECK(vlapic_timer_expire(&l, T0 + 50));
	CHECK_EQ(vlapic_highest_irr(&l), VLAPIC_NO_VECTOR);
}

TEST(vlapic_timer_zero_count_stops)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_LVT_TIMER, 0x30, T0, &fx);
	vlapic_write(&l, LAPIC_TIMER_ICR, 50, T0, &fx);
	vlapic_write(&l, LAPIC_TIMER_ICR, 0, T0 + 10, &fx);
	CHECK_EQ(vlapic_timer_deadline(&l), VLAPIC_NO_DEADLINE);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0 + 20), 0);
}

TEST(vlapic_timer_dcr_change_keeps_count)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_TIMER_DCR, 0xb, T0, &fx);          /* by 1 */
	vlapic_write(&l, LAPIC_LVT_TIMER, 0x30, T0, &fx);
	vlapic_write(&l, LAPIC_TIMER_ICR, 100, T0, &fx);
	vlapic_write(&l, LAPIC_TIMER_DCR, 0x0, T0 + 40, &fx);     /* by 2 */
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0 + 40), 60);
	CHECK_EQ(vlapic_timer_deadline(&l), T0 + 40 + 120);
}

TEST(vlapic_timer_tsc_deadline)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_tsc_deadline_write(&l, T0 + 5, &fx);               /* not in mode */
	CHECK_EQ(vlapic_tsc_deadline_read(&l), 0);
	vlapic_write(&l, LAPIC_LVT_TIMER, 0x40032, T0, &fx);      /* TSC-deadline */
	vlapic_write(&l, LAPIC_TIMER_ICR, 100, T0, &fx);          /* ignored */
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_ICR, T0), 0);
	CHECK_EQ(vlapic_timer_deadline(&l), VLAPIC_NO_DEADLINE);
	vlapic_tsc_deadline_write(&l, T0 + 777, &fx);
	CHECK_EQ(vlapic_tsc_deadline_read(&l), T0 + 777);
	CHECK_EQ(vlapic_timer_deadline(&l), T0 + 777);
	CHECK_EQ(vlapic_read(&l, LAPIC_TIMER_CCR, T0 + 1), 0);
	CHECK(!vlapic_timer_expire(&l, T0 + 776));
	CHECK(vlapic_timer_expire(&l, T0 + 778));
	CHECK_EQ(vlapic_pending(&l), 0x32);
	CHECK_EQ(vlapic_tsc_deadline_read(&l), 0);                 /* cleared */
	/* Zero disarms; leaving the mode disarms too. */
	vlapic_tsc_deadline_write(&l, T0 + 900, &fx);
	vlapic_tsc_deadline_write(&l, 0, &fx);
	CHECK_EQ(vlapic_timer_deadline(&l), VLAPIC_NO_DEADLINE);
	vlapic_tsc_deadline_write(&l, T0 + 900, &fx);
	vlapic_write(&l, LAPIC_LVT_TIMER, 0x32, T0, &fx);
	CHECK_EQ(vlapic_timer_deadline(&l), VLAPIC_NO_DEADLINE);
}

/* ---- ICR ----------------------------------------------------------------- */

TEST(vlapic_icr_self_fixed_and_shorthands)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_ICR_LO, (LAPIC_ICR_SELF << 18) | 0x41, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x41);
	CHECK(fx.ipi.to_self && !fx.ipi.to_others);
	vlapic_write(&l, LAPIC_ICR_LO, (LAPIC_ICR_ALL_INCL_SELF << 18) | 0x52, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x52);
	CHECK(fx.ipi.to_self && fx.ipi.to_others);
	fx = (struct vlapic_effect){ 0 };
	vlapic_write(&l, LAPIC_ICR_LO, (LAPIC_ICR_ALL_EXCL_SELF << 18) | 0x63, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x52);
	CHECK(!fx.ipi.to_self && fx.ipi.to_others);
	CHECK_EQ(l.counts.ipis_elsewhere, 2);
	CHECK_EQ(vlapic_read(&l, LAPIC_ICR_LO, 0) & LAPIC_ICR_BUSY, 0);
}

TEST(vlapic_icr_physical_and_logical_destinations)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_ICR_HI, 0u << 24, 0, &fx);          /* ID 0 */
	vlapic_write(&l, LAPIC_ICR_LO, 0x44, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x44);
	CHECK(!fx.ipi.to_others);
	vlapic_write(&l, LAPIC_ICR_HI, 1u << 24, 0, &fx);          /* ID 1 */
	vlapic_write(&l, LAPIC_ICR_LO, 0x55, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x44);
	CHECK(fx.ipi.to_others && !fx.ipi.to_self);
	/* Flat logical: LDR bit 0x01. */
	vlapic_write(&l, LAPIC_LDR, 0x01000000, 0, &fx);
	vlapic_write(&l, LAPIC_ICR_HI, 0x03u << 24, 0, &fx);
	vlapic_write(&l, LAPIC_ICR_LO, LAPIC_ICR_DEST_LOGICAL | 0x66, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x66);
	CHECK(fx.ipi.to_self && fx.ipi.to_others);
	/* Cluster logical: cluster 1, member 2. */
	vlapic_write(&l, LAPIC_DFR, 0x0fffffff, 0, &fx);
	vlapic_write(&l, LAPIC_LDR, 0x12000000, 0, &fx);
	vlapic_write(&l, LAPIC_ICR_HI, 0x22u << 24, 0, &fx);
	vlapic_write(&l, LAPIC_ICR_LO, LAPIC_ICR_DEST_LOGICAL | 0x77, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x66);
	vlapic_write(&l, LAPIC_ICR_HI, 0x12u << 24, 0, &fx);
	vlapic_write(&l, LAPIC_ICR_LO, LAPIC_ICR_DEST_LOGICAL | 0x77, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x77);
}

TEST(vlapic_icr_nmi_to_self)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_ICR_LO, (LAPIC_ICR_SELF << 18) | (LAPIC_DM_NMI << 8), 0, &fx);
	CHECK_EQ(vlapic_take_nmis(&l), 1);
	CHECK_EQ(vlapic_take_nmis(&l), 0);
	CHECK_EQ(vlapic_highest_irr(&l), VLAPIC_NO_VECTOR);
}

TEST(vlapic_icr_illegal_vector_to_esr)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_ICR_LO, (LAPIC_ICR_SELF << 18) | 0x05, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), VLAPIC_NO_VECTOR);
	vlapic_write(&l, LAPIC_ESR, 0, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_ESR, 0),
		 LAPIC_ESR_SEND_ILLEGAL_VEC | LAPIC_ESR_RECV_ILLEGAL_VEC);
	/* An NMI's vector field does not matter. */
	vlapic_write(&l, LAPIC_ICR_LO, (LAPIC_ICR_SELF << 18) | (LAPIC_DM_NMI << 8), 0, &fx);
	vlapic_write(&l, LAPIC_ESR, 0, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_ESR, 0), 0);
}

TEST(vlapic_icr_init_sipi_elsewhere_counted)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_ICR_HI, 1u << 24, 0, &fx);
	vlapic_write(&l, LAPIC_ICR_LO, (LAPIC_DM_INIT << 8) | LAPIC_ICR_LEVEL_ASSERT, 0, &fx);
	vlapic_write(&l, LAPIC_ICR_LO, (LAPIC_DM_STARTUP << 8) | 0x9a, 0, &fx);
	CHECK_EQ(l.counts.init_sipi, 2);
	CHECK_EQ(fx.ipi.delivery, LAPIC_DM_STARTUP);
	CHECK_EQ(fx.ipi.dest, 1);
	CHECK_EQ(vlapic_highest_irr(&l), VLAPIC_NO_VECTOR);
}

TEST(vlapic_x2apic_icr_is_one_64bit_register)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };
	uint64_t v;

	vlapic_reset(&l, 7, true);
	vlapic_set_apic_base(&l, VLAPIC_DEFAULT_BASE | APIC_BASE_ENABLE |
			     APIC_BASE_X2APIC_ENABLE, ~0ull, &fx);
	vlapic_msr_write(&l, X2APIC_MSR(LAPIC_SVR), 0x1ff, 0, &fx);
	CHECK(vlapic_msr_write(&l, 0x830, (7ull << 32) | 0x81, 0, &fx));
	CHECK_EQ(vlapic_highest_irr(&l), 0x81);
	CHECK(vlapic_msr_read(&l, 0x830, &v, 0));
	CHECK_EQ(v, (7ull << 32) | 0x81);
	CHECK(vlapic_msr_write(&l, 0x830, (8ull << 32) | 0x91, 0, &fx));
	CHECK_EQ(vlapic_highest_irr(&l), 0x81);
	CHECK(fx.ipi.to_others);
}
