/*
 * hv/lapic/: the virtual LAPIC model against the SDM's rules (registers,
 * priorities, EOI, ESR, SVR, IA32_APIC_BASE transitions, x2APIC MSRs).
 * The timer and the ICR have their own file (test_vlapic_timer.c).
 */
#include "hv/lapic/vlapic.h"
#include "tests/unit/test.h"

#define PHYS_MASK 0x0000000fffffffffull   /* 36-bit physical addresses */

/* A software-enabled xAPIC with ID 0 (as firmware leaves the BSP). */
static void enabled(struct vlapic *l)
{
	struct vlapic_effect fx = { 0 };

	vlapic_reset(l, 0, true);
	vlapic_write(l, LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff, 0, &fx);
}

TEST(vlapic_reset_values)
{
	struct vlapic l;

	vlapic_reset(&l, 3, true);
	CHECK_EQ(vlapic_mode(&l), VLAPIC_XAPIC);
	CHECK_EQ(l.apic_base, 0xfee00000ull | APIC_BASE_ENABLE | APIC_BASE_BSP);
	CHECK_EQ(vlapic_read(&l, LAPIC_ID, 0), 3u << 24);
	CHECK_EQ(vlapic_read(&l, LAPIC_VERSION, 0), 0x00050014);
	CHECK_EQ(vlapic_read(&l, LAPIC_SVR, 0), 0xff);
	CHECK_EQ(vlapic_read(&l, LAPIC_DFR, 0), 0xffffffff);
	CHECK_EQ(vlapic_read(&l, LAPIC_LVT_LINT0, 0), LAPIC_LVT_MASKED);
	CHECK_EQ(vlapic_read(&l, LAPIC_LVT_ERROR, 0), LAPIC_LVT_MASKED);
	CHECK(!vlapic_sw_enabled(&l));
	CHECK_EQ(vlapic_pending(&l), VLAPIC_NO_VECTOR);
}

TEST(vlapic_read_only_registers_ignore_writes)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_ID, 0x55000000, 0, &fx);
	vlapic_write(&l, LAPIC_VERSION, 0, 0, &fx);
	vlapic_write(&l, LAPIC_IRR0 + 0x10, 0xffffffff, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_ID, 0), 0);
	CHECK_EQ(vlapic_read(&l, LAPIC_VERSION, 0), LAPIC_VERSION_VALUE);
	CHECK_EQ(vlapic_read(&l, LAPIC_IRR0 + 0x10, 0), 0);
	CHECK_EQ(l.esr_pending, 0);
}

TEST(vlapic_illegal_register_sets_esr_bit7_after_write)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	(void)vlapic_read(&l, 0x3f0, 0);          /* SELF IPI: x2APIC only */
	CHECK_EQ(vlapic_read(&l, LAPIC_ESR, 0), 0);   /* not yet latched */
	vlapic_write(&l, LAPIC_ESR, 0, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_ESR, 0), LAPIC_ESR_ILLEGAL_REG);
	vlapic_write(&l, LAPIC_ESR, 0, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_ESR, 0), 0);
}

TEST(vlapic_ppr_follows_tpr_and_isr)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_TPR, 0x35, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_TPR, 0), 0x35);
	CHECK_EQ(vlapic_ppr(&l), 0x35);
	vlapic_accept(&l, 0x51, false);
	CHECK_EQ(vlapic_pending(&l), 0x51);
	vlapic_ack(&l, 0x51);
	CHECK_EQ(vlapic_ppr(&l), 0x50);            /* ISRV class wins, subclass 0 */
	vlapic_write(&l, LAPIC_TPR, 0x5f, 0, &fx);
	CHECK_EQ(vlapic_ppr(&l), 0x5f);            /* TPR class >= ISRV class */
	vlapic_write(&l, LAPIC_TPR, 0x1ff, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_TPR, 0), 0xff);
}

TEST(vlapic_tpr_masks_same_and_lower_class)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_TPR, 0x40, 0, &fx);
	vlapic_accept(&l, 0x4f, false);
	CHECK_EQ(vlapic_pending(&l), VLAPIC_NO_VECTOR);
	vlapic_accept(&l, 0x50, false);
	CHECK_EQ(vlapic_pending(&l), 0x50);
	vlapic_write(&l, LAPIC_TPR, 0x3f, 0, &fx);
	CHECK_EQ(vlapic_highest_irr(&l), 0x50);
}

TEST(vlapic_nested_service_and_eoi_of_highest)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_accept(&l, 0x31, false);
	vlapic_ack(&l, vlapic_pending(&l));
	vlapic_accept(&l, 0x32, false);             /* same class: waits */
	CHECK_EQ(vlapic_pending(&l), VLAPIC_NO_VECTOR);
	vlapic_accept(&l, 0x61, false);             /* higher class preempts */
	CHECK_EQ(vlapic_pending(&l), 0x61);
	vlapic_ack(&l, 0x61);
	CHECK_EQ(vlapic_highest_isr(&l), 0x61);
	CHECK_EQ(vlapic_read(&l, LAPIC_ISR0 + 0x30, 0), 1u << 1);
	vlapic_write(&l, LAPIC_EOI, 0, 0, &fx);     /* ends 0x61 */
	CHECK_EQ(vlapic_highest_isr(&l), 0x31);
	CHECK_EQ(vlapic_pending(&l), VLAPIC_NO_VECTOR);
	vlapic_write(&l, LAPIC_EOI, 0, 0, &fx);     /* ends 0x31 */
	CHECK_EQ(vlapic_pending(&l), 0x32);
	CHECK(!(fx.flags & VLAPIC_FX_EOI_LEVEL));
}

TEST(vlapic_level_eoi_reports_vector)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_accept(&l, 0x39, true);
	CHECK_EQ(vlapic_read(&l, LAPIC_TMR0 + 0x10, 0), 1u << (0x39 - 32));
	vlapic_ack(&l, 0x39);
	vlapic_write(&l, LAPIC_EOI, 0, 0, &fx);
	CHECK(fx.flags & VLAPIC_FX_EOI_LEVEL);
	CHECK_EQ(fx.eoi_vector, 0x39);
}

TEST(vlapic_eoi_without_isr_does_nothing)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_EOI, 0, 0, &fx);
	CHECK_EQ(fx.flags, 0);
}

TEST(vlapic_illegal_received_vector_goes_to_esr)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_accept(&l, 0x0f, false);
	CHECK_EQ(vlapic_highest_irr(&l), VLAPIC_NO_VECTOR);
	vlapic_write(&l, LAPIC_ESR, 0, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_ESR, 0), LAPIC_ESR_RECV_ILLEGAL_VEC);
}

TEST(vlapic_error_lvt_raises_its_vector)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_LVT_ERROR, 0xe3, 0, &fx);
	vlapic_accept(&l, 0x02, false);
	CHECK_EQ(vlapic_pending(&l), 0xe3);
}

TEST(vlapic_svr_disable_masks_lvts_and_forces_mask)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_LVT_LINT0, 0x700, 0, &fx);   /* ExtINT */
	CHECK_EQ(vlapic_read(&l, LAPIC_LVT_LINT0, 0), 0x700);
	vlapic_write(&l, LAPIC_SVR, 0xff, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_LVT_LINT0, 0), 0x700 | LAPIC_LVT_MASKED);
	vlapic_write(&l, LAPIC_LVT_PERF, 0x40, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_LVT_PERF, 0), 0x40 | LAPIC_LVT_MASKED);
	vlapic_write(&l, LAPIC_SVR, 0x1ff, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_LVT_PERF, 0), 0x40 | LAPIC_LVT_MASKED);
	vlapic_write(&l, LAPIC_LVT_PERF, 0x40, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_LVT_PERF, 0), 0x40);
	vlapic_write(&l, LAPIC_SVR, 0xfffff3ff, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_SVR, 0), 0x3ff);
}

TEST(vlapic_ldr_dfr_writable_bits)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_write(&l, LAPIC_LDR, 0x12345678, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_LDR, 0), 0x12000000);
	vlapic_write(&l, LAPIC_DFR, 0x0, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_DFR, 0), 0x0fffffff);
	vlapic_write(&l, LAPIC_ICR_HI, 0xffffffff, 0, &fx);
	CHECK_EQ(vlapic_read(&l, LAPIC_ICR_HI, 0), 0xff000000);
}

TEST(vlapic_extint_follows_lint0)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	vlapic_accept_extint(&l, 0x09);              /* the platform's routing */
	CHECK_EQ(vlapic_pending(&l), 0x09);
	vlapic_ack(&l, 0x09);
	vlapic_write(&l, LAPIC_LVT_LINT0, LAPIC_LVT_MASKED | 0x700, 0, &fx);
	vlapic_accept_extint(&l, 0x08);              /* LINT0 masked */
	CHECK_EQ(vlapic_pending(&l), VLAPIC_NO_VECTOR);
	CHECK_EQ(l.counts.extint_dropped, 1);
	vlapic_write(&l, LAPIC_LVT_LINT0, 0x700, 0, &fx);
	vlapic_write(&l, LAPIC_TPR, 0xff, 0, &fx);  /* ExtINT ignores TPR */
	vlapic_accept_extint(&l, 0x08);
	CHECK_EQ(vlapic_pending(&l), 0x08);
	vlapic_ack(&l, 0x08);
	CHECK_EQ(vlapic_pending(&l), VLAPIC_NO_VECTOR);
	CHECK_EQ(vlapic_highest_isr(&l), VLAPIC_NO_VECTOR);
}

TEST(vlapic_extint_reaches_software_disabled_apic)
{
	struct vlapic l;

	vlapic_reset(&l, 0, true);                   /* SVR 0xff: disabled */
	vlapic_accept_extint(&l, 0x20);
	CHECK_EQ(vlapic_pending(&l), 0x20);
	CHECK_EQ(l.counts.extint_dropped, 0);
}

/* ---- IA32_APIC_BASE ------------------------------------------------------ */

TEST(vlapic_base_relocation)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	CHECK(vlapic_set_apic_base(&l, 0xfed00000ull | APIC_BASE_ENABLE, PHYS_MASK, &fx));
	CHECK_EQ(vlapic_window_base(&l), 0xfed00000ull);
	CHECK(l.apic_base & APIC_BASE_BSP);          /* BSP flag kept */
	CHECK(fx.flags & VLAPIC_FX_MODE);
	CHECK(!vlapic_set_apic_base(&l, 0x1000000000ull | APIC_BASE_ENABLE, PHYS_MASK, &fx));
	CHECK(!vlapic_set_apic_base(&l, 0xfee00001ull | APIC_BASE_ENABLE, PHYS_MASK, &fx));
}

TEST(vlapic_base_transitions)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };
	const uint64_t b = VLAPIC_DEFAULT_BASE;

	enabled(&l);
	/* EXTD without EN is invalid. */
	CHECK(!vlapic_set_apic_base(&l, b | APIC_BASE_X2APIC_ENABLE, PHYS_MASK, &fx));
	/* xAPIC -> x2APIC. */
	CHECK(vlapic_set_apic_base(&l, b | APIC_BASE_ENABLE | APIC_BASE_X2APIC_ENABLE,
				   PHYS_MASK, &fx));
	CHECK_EQ(vlapic_mode(&l), VLAPIC_X2APIC);
	CHECK(vlapic_sw_enabled(&l));                /* state kept */
	/* x2APIC -> xAPIC is illegal. */
	CHECK(!vlapic_set_apic_base(&l, b | APIC_BASE_ENABLE, PHYS_MASK, &fx));
	/* x2APIC -> disabled resets the registers. */
	CHECK(vlapic_set_apic_base(&l, b, PHYS_MASK, &fx));
	CHECK_EQ(vlapic_mode(&l), VLAPIC_DISABLED);
	CHECK(!vlapic_sw_enabled(&l));
	/* disabled -> x2APIC is illegal, disabled -> xAPIC legal. */
	CHECK(!vlapic_set_apic_base(&l, b | APIC_BASE_ENABLE | APIC_BASE_X2APIC_ENABLE,
				    PHYS_MASK, &fx));
	CHECK(vlapic_set_apic_base(&l, b | APIC_BASE_ENABLE, PHYS_MASK, &fx));
	CHECK_EQ(vlapic_mode(&l), VLAPIC_XAPIC);
}

TEST(vlapic_disabled_delivers_no_fixed_interrupt)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };

	enabled(&l);
	CHECK(vlapic_set_apic_base(&l, VLAPIC_DEFAULT_BASE, PHYS_MASK, &fx));
	vlapic_accept(&l, 0x40, false);
	CHECK_EQ(vlapic_pending(&l), VLAPIC_NO_VECTOR);
	vlapic_accept_extint(&l, 0x20);              /* 8259 straight to the CPU */
	CHECK_EQ(vlapic_pending(&l), 0x20);
}

/* ---- x2APIC MSRs ----------------------------------------------------------- */

/* A software-enabled x2APIC with ID 0x25. */
static void x2apic(struct vlapic *l)
{
	struct vlapic_effect fx = { 0 };

	vlapic_reset(l, 0x25, true);
	vlapic_set_apic_base(l, VLAPIC_DEFAULT_BASE | APIC_BASE_ENABLE |
			     APIC_BASE_X2APIC_ENABLE, PHYS_MASK, &fx);
	vlapic_msr_write(l, X2APIC_MSR(LAPIC_SVR), 0x1ff, 0, &fx);
}

TEST(vlapic_x2apic_id_ldr_version)
{
	struct vlapic l;
	uint64_t v = 0;

	x2apic(&l);
	CHECK(vlapic_msr_read(&l, 0x802, &v, 0));
	CHECK_EQ(v, 0x25);
	CHECK(vlapic_msr_read(&l, 0x80d, &v, 0));
	CHECK_EQ(v, (2u << 16) | (1u << 5));
	CHECK(vlapic_msr_read(&l, 0x803, &v, 0));
	CHECK_EQ(v, LAPIC_VERSION_VALUE);
	CHECK(vlapic_msr_read(&l, 0x80f, &v, 0));
	CHECK_EQ(v, 0x1ff);
}

TEST(vlapic_x2apic_gp_rules)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };
	uint64_t v;

	x2apic(&l);
	CHECK(!vlapic_msr_read(&l, 0x80b, &v, 0));        /* EOI write-only */
	CHECK(!vlapic_msr_read(&l, 0x83f, &v, 0));        /* SELF IPI write-only */
	CHECK(!vlapic_msr_read(&l, 0x809, &v, 0));        /* no APR */
	CHECK(!vlapic_msr_read(&l, 0x80e, &v, 0));        /* no DFR */
	CHECK(!vlapic_msr_read(&l, 0x831, &v, 0));        /* no ICR high */
	CHECK(!vlapic_msr_write(&l, 0x802, 0, 0, &fx));   /* ID read-only */
	CHECK(!vlapic_msr_write(&l, 0x80d, 0, 0, &fx));   /* LDR read-only */
	CHECK(!vlapic_msr_write(&l, 0x839, 0, 0, &fx));   /* current count */
	CHECK(!vlapic_msr_write(&l, 0x808, 0x100, 0, &fx)); /* TPR reserved */
	CHECK(!vlapic_msr_write(&l, 0x80b, 1, 0, &fx));   /* EOI non-zero */
	CHECK(!vlapic_msr_write(&l, 0x828, 1, 0, &fx));   /* ESR non-zero */
	CHECK(!vlapic_msr_write(&l, 0x808, 1ull << 32, 0, &fx));
	CHECK(!vlapic_msr_write(&l, 0x83e, 0x4, 0, &fx)); /* DCR reserved */
	CHECK(!vlapic_msr_write(&l, 0x83f, 0x100, 0, &fx));
	CHECK(vlapic_msr_write(&l, 0x808, 0x20, 0, &fx));
	CHECK(vlapic_msr_read(&l, 0x808, &v, 0));
	CHECK_EQ(v, 0x20);
}

TEST(vlapic_x2apic_msrs_gp_in_xapic_mode)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };
	uint64_t v;

	enabled(&l);
	CHECK(!vlapic_msr_read(&l, 0x802, &v, 0));
	CHECK(!vlapic_msr_write(&l, 0x808, 0, 0, &fx));
}

TEST(vlapic_x2apic_self_ipi_and_eoi)
{
	struct vlapic l;
	struct vlapic_effect fx = { 0 };
	uint64_t v;

	x2apic(&l);
	CHECK(vlapic_msr_write(&l, 0x83f, 0x44, 0, &fx));
	CHECK_EQ(vlapic_pending(&l), 0x44);
	vlapic_ack(&l, 0x44);
	CHECK(vlapic_msr_read(&l, 0x810 + 2, &v, 0));    /* ISR bits 95:64 */
	CHECK_EQ(v, 1u << 4);
	CHECK(vlapic_msr_write(&l, 0x80b, 0, 0, &fx));
	CHECK_EQ(vlapic_highest_isr(&l), VLAPIC_NO_VECTOR);
}

TEST(vlapic_x2apic_readable_msrs)
{
	CHECK(vlapic_x2apic_msr_readable(0x802));
	CHECK(vlapic_x2apic_msr_readable(0x830));
	CHECK(vlapic_x2apic_msr_readable(0x839));
	CHECK(!vlapic_x2apic_msr_readable(0x80b));    /* EOI: write-only */
	CHECK(!vlapic_x2apic_msr_readable(0x83f));    /* SELF IPI */
	CHECK(!vlapic_x2apic_msr_readable(0x831));
	CHECK(!vlapic_x2apic_msr_readable(0x900));
}
