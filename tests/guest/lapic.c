/*
 * The test guest's local APIC driver (lapic.h): register access in both
 * modes, IPIs, and saving and restoring the state the other checks expect.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/lapic.h"
#include "tests/guest/probe.h"

#define CPUID_1_ECX_X2APIC           (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE     (1u << 24)
#define ICR_IDLE_POLLS               1000000u
#define ISR_DRAIN_MAX                256     /* one EOI per vector at most */

/* The registers lapic_save keeps (writable in xAPIC mode), in restore
 * order after SVR. */
static const uint32_t saved_regs[] = {
	LAPIC_DFR, LAPIC_LDR, LAPIC_TPR, LAPIC_TIMER_DIVIDE, LAPIC_LVT_TIMER,
	LAPIC_LVT_THERMAL, LAPIC_LVT_PERF, LAPIC_LVT_LINT0, LAPIC_LVT_LINT1,
	LAPIC_LVT_ERROR,
};
#define SAVED_REGS (sizeof(saved_regs) / sizeof(saved_regs[0]))

static struct {
	enum lapic_mode mode;
	volatile uint32_t *mmio;
} cur;

static struct {
	uint64_t base;
	uint32_t svr;
	uint32_t value[SAVED_REGS];
} saved;

bool lapic_has_x2apic(void)
{
	return cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_X2APIC;
}

bool lapic_has_tsc_deadline(void)
{
	return cpuid(CPUID_LEAF_FEATURES, 0).ecx & CPUID_1_ECX_TSC_DEADLINE;
}

void lapic_open(void)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);

	cur.mode = base & APIC_BASE_X2APIC_ENABLE ? LAPIC_MODE_X2APIC :
						    LAPIC_MODE_XAPIC;
	cur.mmio = cur.mode == LAPIC_MODE_XAPIC ?
		(volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR_MASK32) :
		NULL;
}

enum lapic_mode lapic_mode(void)
{
	return cur.mode;
}

volatile uint32_t *lapic_window(void)
{
	return cur.mmio;
}

/* The x2APIC MSR of the register at xAPIC offset reg. */
static uint32_t x2apic_msr(uint32_t reg)
{
	return X2APIC_MSR_BASE + reg / LAPIC_VECTOR_REG_STRIDE;
}

uint32_t lapic_read(uint32_t reg)
{
	if (cur.mode == LAPIC_MODE_X2APIC)
		return (uint32_t)rdmsr(x2apic_msr(reg));
	return cur.mmio[reg / sizeof(uint32_t)];
}

void lapic_write(uint32_t reg, uint32_t value)
{
	if (cur.mode == LAPIC_MODE_X2APIC)
		wrmsr(x2apic_msr(reg), value);
	else
		cur.mmio[reg / sizeof(uint32_t)] = value;
}

int lapic_probe_rdmsr(uint32_t reg, uint64_t *value)
{
	return probe_rdmsr(x2apic_msr(reg), value);
}

int lapic_probe_wrmsr(uint32_t reg, uint64_t value)
{
	return probe_wrmsr(x2apic_msr(reg), value);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return cur.mode == LAPIC_MODE_X2APIC ? id : id >> XAPIC_ID_SHIFT;
}

void lapic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	if (cur.mode == LAPIC_MODE_X2APIC) {
		wrmsr(x2apic_msr(LAPIC_ICR_LOW),
		      (uint64_t)dest << X2APIC_DEST_SHIFT | icr_low);
		return;
	}
	cur.mmio[LAPIC_ICR_HIGH / 4] = dest << XAPIC_DEST_SHIFT;
	cur.mmio[LAPIC_ICR_LOW / 4] = icr_low;
	for (uint32_t i = 0; i < ICR_IDLE_POLLS; i++)
		if (!(cur.mmio[LAPIC_ICR_LOW / 4] & ICR_DELIVERY_PENDING))
			return;
}

void lapic_self_ipi(uint8_t vector)
{
	lapic_send_ipi(lapic_id(), ICR_DELIVERY_FIXED | ICR_LEVEL_ASSERT |
			       vector);
}

bool lapic_vector_bit(uint32_t base, uint8_t vector)
{
	uint32_t reg = base + (vector / LAPIC_VECTORS_PER_REG) *
				      LAPIC_VECTOR_REG_STRIDE;

	return lapic_read(reg) >> (vector % LAPIC_VECTORS_PER_REG) & 1;
}

uint32_t lapic_esr(void)
{
	lapic_write(LAPIC_ESR, 0);
	return lapic_read(LAPIC_ESR);
}

void lapic_save(void)
{
	irq_disable();
	saved.base = rdmsr(IA32_APIC_BASE);
	lapic_open();
	saved.svr = lapic_read(LAPIC_SVR);
	for (uint32_t i = 0; i < SAVED_REGS; i++)
		if (cur.mode == LAPIC_MODE_XAPIC || saved_regs[i] != LAPIC_DFR)
			saved.value[i] = lapic_read(saved_regs[i]);
}

/*
 * Back to the saved base.  x2APIC mode, once entered, stays: leaving it
 * needs the disabled state (x2APIC -> xAPIC directly raises #GP), and
 * Bochs ignores every IA32_APIC_BASE write while the APIC is globally
 * disabled (the P6's "only a reset re-enables it"), so the guest would
 * lose its APIC.  The table runs the x2APIC checks after the xAPIC ones.
 */
static void restore_base(void)
{
	uint64_t now = rdmsr(IA32_APIC_BASE);

	if ((now & APIC_BASE_X2APIC_ENABLE) &&
	    !(saved.base & APIC_BASE_X2APIC_ENABLE))
		saved.base = now;
	if (now != saved.base)
		wrmsr(IA32_APIC_BASE, saved.base);
}

/* EOI whatever a check left in service. */
static void drain_isr(void)
{
	for (int i = 0; i < ISR_DRAIN_MAX; i++) {
		bool any = false;
		for (uint32_t reg = 0; reg < 8; reg++)
			any |= lapic_read(LAPIC_ISR0 + reg *
					  LAPIC_VECTOR_REG_STRIDE) != 0;
		if (!any)
			return;
		lapic_eoi();
	}
}

void lapic_restore(void)
{
	irq_disable();
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	if (lapic_has_tsc_deadline())
		wrmsr(IA32_TSC_DEADLINE_MSR, 0);
	restore_base();
	lapic_open();
	lapic_write(LAPIC_SVR, saved.svr);
	for (uint32_t i = 0; i < SAVED_REGS; i++)
		if (cur.mode == LAPIC_MODE_XAPIC ||
		    (saved_regs[i] != LAPIC_DFR && saved_regs[i] != LAPIC_LDR))
			lapic_write(saved_regs[i], saved.value[i]);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	drain_isr();
	(void)lapic_esr();
}

bool lapic_enter_mode(enum lapic_mode mode)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);

	if (mode == LAPIC_MODE_X2APIC && !(base & APIC_BASE_X2APIC_ENABLE) &&
	    probe_wrmsr(IA32_APIC_BASE, base | APIC_BASE_X2APIC_ENABLE) !=
		    NO_FAULT)
		return false;
	lapic_open();
	return cur.mode == mode;
}

/* A known starting point: software-enabled, TPR 0, timer stopped and
 * masked, ESR clear, an empty log. */
static void prepare(void)
{
	lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | LAPIC_SPURIOUS_VECTOR);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
	drain_isr();
	(void)lapic_esr();
	lapic_log_clear();
}

enum verdict lapic_run_in_mode(struct check_result *r, enum lapic_mode mode,
			       enum verdict (*fn)(struct check_result *r))
{
	enum verdict v;

	if (!(cpuid(CPUID_LEAF_FEATURES, 0).edx & CPUID_1_EDX_APIC))
		return skip(r, "no local APIC (CPUID.1:EDX.APIC clear)");
	if (mode == LAPIC_MODE_X2APIC && !lapic_has_x2apic())
		return skip(r, "no x2APIC (CPUID.1:ECX[21] clear)");
	if (mode == LAPIC_MODE_XAPIC &&
	    (rdmsr(IA32_APIC_BASE) & APIC_BASE_X2APIC_ENABLE))
		return fail(r, "the APIC is in x2APIC mode already (the table "
			    "runs the xAPIC checks first)");
	lapic_save();
	if (!lapic_enter_mode(mode)) {
		lapic_restore();
		return fail(r, "could not enter %s mode (IA32_APIC_BASE 0x%lx)",
			    mode == LAPIC_MODE_X2APIC ? "x2APIC" : "xAPIC",
			    rdmsr(IA32_APIC_BASE));
	}
	prepare();
	v = fn(r);
	for (unsigned int vec = FREE_VECTOR_FIRST; vec < IDT_VECTORS; vec++)
		idt_set_vector_handler(vec, NULL);
	lapic_restore();
	return v;
}

struct lapic_irq_log lapic_log;

/* The logging handler: what lapic_log describes, then EOI. */
static void log_handler(unsigned int vector)
{
	uint8_t v = (uint8_t)vector;

	lapic_log.last_tsc = rdtsc();
	lapic_log.last_vector = vector;
	lapic_log.last_ppr = lapic_read(LAPIC_PPR);
	lapic_log.last_in_isr = lapic_vector_bit(LAPIC_ISR0, v);
	lapic_log.last_in_irr = lapic_vector_bit(LAPIC_IRR0, v);
	lapic_log.count[v]++;
	lapic_log.total++;
	lapic_eoi();
}

void lapic_log_route(uint8_t vector)
{
	idt_set_vector_handler(vector, log_handler);
}

void lapic_log_clear(void)
{
	memset((void *)&lapic_log, 0, sizeof(lapic_log));
}

bool lapic_wait_change(volatile uint32_t *flag, uint32_t before,
		       uint64_t tsc_budget)
{
	uint64_t start = rdtsc();

	while (*flag == before) {
		if (rdtsc() - start > tsc_budget)
			return false;
		cpu_relax();
	}
	return true;
}
