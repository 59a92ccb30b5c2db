/*
 * Local APIC register checks (issue 9), each in xAPIC (MMIO) and x2APIC
 * (MSR) mode through lapic_run_in_mode (tests/guest/lapic.c): the mode is
 * entered and the LAPIC's state put back afterwards.
 *   lapic_id_version_*  ID matches CPUID's initial APIC ID; the version is
 *                       an integrated APIC's with at least 4 LVT entries
 *   lapic_tpr_ppr_*     TPR reads back; with nothing in service PPR = TPR;
 *                       a vector whose class is not above TPR's waits in
 *                       IRR until TPR drops; in service PPR = its class
 *   lapic_svr_*         the spurious vector reads back; software disable
 *                       masks every LVT entry and keeps them masked;
 *                       enable lets them be unmasked again
 *   lapic_bad_input_*   writes to read-only registers change nothing
 *                       (x2APIC: #GP), reserved bits are ignored (x2APIC:
 *                       #GP), write-only registers raise #GP when read
 *                       (x2APIC), an LVT entry with vector 0-15 delivers
 *                       nothing and sets "receive illegal vector" in ESR
 * Vectors used: LAPIC_TEST_VECTOR_* below (free in the guest's IDT).
 */
#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/idt.h"
#include "tests/guest/lapic.h"
#include "tests/guest/lapic_checks.h"

#define TPR_BLOCKING              0x60     /* class 6 */
#define TPR_OPEN                  0x40     /* class 4 */
#define VECTOR_CLASS_MASK         0xf0u
#define TPR_MASK                  0xffu
#define LVT_ENTRIES_MIN           4        /* max LVT entry field >= 3 */
#define SVR_TEST_VECTOR           0xef
#define SVR_READBACK_MASK         (SVR_APIC_ENABLE | SVR_VECTOR_MASK)
#define WAIT_TSC                  2000000u
#define TIMER_SHORT_COUNT         1000u
#define ALL_ONES                  0xffffffffu
#define TPR_RESERVED_PATTERN      0xffffff00u

/* The LVT entries every APIC with LVT_ENTRIES_MIN or more has. */
static const uint32_t lvt_regs[] = {
	LAPIC_LVT_TIMER, LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR,
};
#define LVT_REGS (sizeof(lvt_regs) / sizeof(lvt_regs[0]))

/* ---- lapic_id_version -------------------------------------------------- */

/* The ID the CPU reports for this mode: CPUID.0xB:EDX (x2APIC), else
 * CPUID.1:EBX[31:24]. */
static uint32_t cpuid_apic_id(void)
{
	if (lapic_mode() == LAPIC_MODE_X2APIC &&
	    cpuid(0, 0).eax >= CPUID_LEAF_TOPOLOGY)
		return cpuid(CPUID_LEAF_TOPOLOGY, 0).edx;
	return cpuid(1, 0).ebx >> XAPIC_ID_SHIFT;
}

/* lapic_id_version_*: the ID against CPUID, the version register's fields. */
static enum verdict id_version(struct check_result *r)
{
	uint32_t id = lapic_id(), want = cpuid_apic_id();
	uint32_t ver = lapic_read(LAPIC_VERSION);
	uint32_t max_lvt = ver >> LAPIC_MAX_LVT_SHIFT & LAPIC_MAX_LVT_MASK;

	if (id != want)
		return fail(r, "APIC ID %u, CPUID says %u", id, want);
	if ((ver & LAPIC_VERSION_MASK) < LAPIC_VERSION_INTEGRATED_MIN ||
	    (ver & LAPIC_VERSION_MASK) > LAPIC_VERSION_INTEGRATED_MAX)
		return fail(r, "version register 0x%x: not an integrated APIC",
			    ver);
	if (max_lvt + 1 < LVT_ENTRIES_MIN)
		return fail(r, "version register 0x%x: %u LVT entries", ver,
			    max_lvt + 1);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(id_version)

/* ---- lapic_tpr_ppr ----------------------------------------------------- */

static const uint8_t tpr_values[] = { 0x00, 0x10, 0x5a, 0xf0, 0xff, 0x00 };

/* TPR reads back each value; with ISR empty PPR equals it. */
static enum verdict tpr_readback(struct check_result *r)
{
	for (unsigned int i = 0; i < sizeof(tpr_values); i++) {
		lapic_write(LAPIC_TPR, tpr_values[i]);
		uint32_t tpr = lapic_read(LAPIC_TPR);
		uint32_t ppr = lapic_read(LAPIC_PPR);
		if (tpr != tpr_values[i] || ppr != tpr_values[i])
			return fail(r, "TPR written 0x%x: reads TPR 0x%x PPR "
				    "0x%x", tpr_values[i], tpr, ppr);
	}
	return VERDICT_PASS;
}

/* A vector of TPR's class or below stays in IRR; dropping TPR delivers
 * it, and in its handler PPR is the vector's class. */
static enum verdict tpr_masks(struct check_result *r)
{
	uint8_t vec = TPR_BLOCKING | 0x5;   /* same class as TPR: blocked */

	lapic_log_route(vec);
	lapic_write(LAPIC_TPR, TPR_BLOCKING);
	irq_enable();
	lapic_self_ipi(vec);
	bool early = lapic_wait_change(&lapic_log.total, 0, WAIT_TSC);
	bool pending = lapic_vector_bit(LAPIC_IRR0, vec);
	lapic_write(LAPIC_TPR, TPR_OPEN);
	bool late = lapic_wait_change(&lapic_log.total, 0, WAIT_TSC);
	irq_disable();
	if (early)
		return fail(r, "vector 0x%x delivered with TPR 0x%x", vec,
			    TPR_BLOCKING);
	if (!pending)
		return fail(r, "vector 0x%x not pending in IRR under TPR 0x%x",
			    vec, TPR_BLOCKING);
	if (!late)
		return fail(r, "vector 0x%x not delivered after TPR 0x%x", vec,
			    TPR_OPEN);
	if (lapic_log.last_ppr != (vec & VECTOR_CLASS_MASK) ||
	    !lapic_log.last_in_isr)
		return fail(r, "in service of 0x%x: PPR 0x%x (want 0x%x), ISR "
			    "bit %u", vec, lapic_log.last_ppr,
			    vec & VECTOR_CLASS_MASK, lapic_log.last_in_isr);
	if (lapic_read(LAPIC_PPR) != TPR_OPEN)
		return fail(r, "after EOI PPR 0x%x, want TPR 0x%x",
			    lapic_read(LAPIC_PPR), TPR_OPEN);
	return VERDICT_PASS;
}

/* lapic_tpr_ppr_*: read-back, then masking and PPR in service. */
static enum verdict tpr_ppr(struct check_result *r)
{
	enum verdict v = tpr_readback(r);

	return v == VERDICT_PASS ? tpr_masks(r) : v;
}
LAPIC_CHECK_BOTH_MODES(tpr_ppr)

/* ---- lapic_svr --------------------------------------------------------- */

/* The first LVT entry whose mask bit reads clear, or 0. */
static uint32_t unmasked_lvt(void)
{
	for (unsigned int i = 0; i < LVT_REGS; i++)
		if (!(lapic_read(lvt_regs[i]) & LVT_MASKED))
			return lvt_regs[i];
	return 0;
}

/* lapic_svr_*: the spurious vector, software disable and enable. */
static enum verdict svr(struct check_result *r)
{
	uint32_t want = SVR_APIC_ENABLE | SVR_TEST_VECTOR, got, reg;

	lapic_write(LAPIC_SVR, want);
	if (((got = lapic_read(LAPIC_SVR)) & SVR_READBACK_MASK) != want)
		return fail(r, "SVR written 0x%x reads 0x%x", want, got);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TEST_VECTOR_TIMER | LVT_MASKED);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TEST_VECTOR_TIMER);
	lapic_write(LAPIC_SVR, SVR_TEST_VECTOR);          /* software disable */
	if ((reg = unmasked_lvt()))
		return fail(r, "software disabled: LVT 0x%x reads 0x%x "
			    "(unmasked)", reg, lapic_read(reg));
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TEST_VECTOR_TIMER);
	if (!(lapic_read(LAPIC_LVT_TIMER) & LVT_MASKED))
		return fail(r, "software disabled: an unmasked LVT timer write "
			    "reads unmasked");
	lapic_write(LAPIC_SVR, want);
	if (!(lapic_read(LAPIC_LVT_TIMER) & LVT_MASKED))
		return fail(r, "re-enabled: LVT timer unmasked before a write");
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TEST_VECTOR_TIMER);
	if ((got = lapic_read(LAPIC_LVT_TIMER)) != LAPIC_TEST_VECTOR_TIMER)
		return fail(r, "re-enabled: LVT timer written 0x%x reads 0x%x",
			    LAPIC_TEST_VECTOR_TIMER, got);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(svr)

/* ---- lapic_bad_input --------------------------------------------------- */

/* Read-only registers written with all ones (xAPIC: the write is
 * ignored). */
static const uint32_t read_only_regs[] = {
	LAPIC_VERSION, LAPIC_PPR, LAPIC_ISR0, LAPIC_TMR0, LAPIC_IRR0,
	LAPIC_TIMER_CURRENT,
};
#define READ_ONLY_REGS (sizeof(read_only_regs) / sizeof(read_only_regs[0]))

/* Each read-only register keeps its value through a write. */
static enum verdict xapic_read_only(struct check_result *r)
{
	for (unsigned int i = 0; i < READ_ONLY_REGS; i++) {
		uint32_t reg = read_only_regs[i], before = lapic_read(reg);
		lapic_write(reg, ALL_ONES);
		if (lapic_read(reg) != before)
			return fail(r, "read-only register 0x%x: 0x%x became "
				    "0x%x after a write", reg, before,
				    lapic_read(reg));
	}
	return VERDICT_PASS;
}

/* Reserved bits of TPR and the divide configuration are ignored. */
static enum verdict xapic_reserved(struct check_result *r)
{
	uint32_t got;

	lapic_write(LAPIC_TPR, TPR_RESERVED_PATTERN | TPR_OPEN);
	if ((got = lapic_read(LAPIC_TPR)) != TPR_OPEN)
		return fail(r, "TPR written 0x%x reads 0x%x",
			    TPR_RESERVED_PATTERN | TPR_OPEN, got);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_TIMER_DIVIDE, ALL_ONES);
	if ((got = lapic_read(LAPIC_TIMER_DIVIDE)) != DIVIDE_CONFIG_MASK)
		return fail(r, "divide configuration written 0x%x reads 0x%x",
			    ALL_ONES, got);
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
	return VERDICT_PASS;
}

/* x2APIC accesses that raise #GP (SDM "x2APIC Register Address Space"):
 * writes to read-only registers, reads of write-only ones, reserved bits
 * set, a non-zero EOI or ESR write, registers x2APIC mode lacks. */
static const struct {
	uint32_t reg;
	bool write;
	uint64_t value;
} x2apic_gp[] = {
	{ LAPIC_VERSION, true, 0 },
	{ LAPIC_PPR, true, 0 },
	{ LAPIC_ISR0, true, 0 },
	{ LAPIC_IRR0, true, 0 },
	{ LAPIC_TIMER_CURRENT, true, 0 },
	{ LAPIC_ID, true, 0 },
	{ LAPIC_LDR, true, 0 },
	{ LAPIC_EOI, false, 0 },
	{ LAPIC_SELF_IPI, false, 0 },
	{ LAPIC_EOI, true, 1 },
	{ LAPIC_ESR, true, 1 },
	{ LAPIC_TPR, true, TPR_RESERVED_PATTERN },
	{ LAPIC_DFR, false, 0 },
	{ LAPIC_ICR_HIGH, false, 0 },
};
#define X2APIC_GP (sizeof(x2apic_gp) / sizeof(x2apic_gp[0]))

/* Each access of x2apic_gp raises #GP. */
static enum verdict x2apic_faults(struct check_result *r)
{
	uint64_t value;
	int v;

	for (unsigned int i = 0; i < X2APIC_GP; i++) {
		uint32_t msr = X2APIC_MSR_BASE + x2apic_gp[i].reg /
						 LAPIC_VECTOR_REG_STRIDE;
		v = x2apic_gp[i].write ?
			lapic_probe_wrmsr(x2apic_gp[i].reg, x2apic_gp[i].value) :
			lapic_probe_rdmsr(x2apic_gp[i].reg, &value);
		if (v != VEC_GP)
			return fail(r, "%s MSR 0x%x (value 0x%lx): %s, want #GP",
				    x2apic_gp[i].write ? "WRMSR" : "RDMSR", msr,
				    x2apic_gp[i].value, vector_name(v));
	}
	return VERDICT_PASS;
}

/* An LVT timer entry with vector 0-15 fires: nothing delivered (no
 * exception, no stray), ESR says "receive illegal vector". */
static void fire_illegal_timer(void *arg)
{
	(void)arg;
	irq_enable();
	lapic_write(LAPIC_LVT_TIMER, LAPIC_ILLEGAL_VECTOR | LVT_TIMER_ONESHOT);
	lapic_write(LAPIC_TIMER_INITIAL, TIMER_SHORT_COUNT);
	while (lapic_read(LAPIC_TIMER_CURRENT))
		cpu_relax();
	uint64_t start = rdtsc();
	while (rdtsc() - start < WAIT_TSC)
		cpu_relax();
	irq_disable();
}

/* fire_illegal_timer delivers nothing and sets ESR. */
static enum verdict illegal_lvt_vector(struct check_result *r)
{
	uint64_t strays = idt_stray_count();
	struct fault_record f;
	uint32_t esr;

	int v = try_call(fire_illegal_timer, NULL, &f);
	irq_disable();
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	esr = lapic_esr();
	if (v != NO_FAULT)
		return fail(r, "LVT timer vector %u delivered as %s",
			    LAPIC_ILLEGAL_VECTOR, vector_name(v));
	if (idt_stray_count() != strays)
		return fail(r, "stray vector 0x%x", idt_stray_last());
	if (!(esr & ESR_RECV_ILLEGAL_VECTOR))
		return fail(r, "LVT timer vector %u fired: ESR 0x%x, want "
			    "receive illegal vector (0x%x)",
			    LAPIC_ILLEGAL_VECTOR, esr, ESR_RECV_ILLEGAL_VECTOR);
	return VERDICT_PASS;
}

/* lapic_bad_input_*: the checks of the current mode. */
static enum verdict bad_input(struct check_result *r)
{
	enum verdict v = lapic_mode() == LAPIC_MODE_X2APIC ?
		x2apic_faults(r) : xapic_read_only(r);

	if (v == VERDICT_PASS && lapic_mode() == LAPIC_MODE_XAPIC)
		v = xapic_reserved(r);
	return v == VERDICT_PASS ? illegal_lvt_vector(r) : v;
}
LAPIC_CHECK_BOTH_MODES(bad_input)
