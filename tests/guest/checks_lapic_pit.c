/*
 * The PIT's interrupt through the local APIC (issue 9):
 *   lapic_pit_extint    8254 channel 0 -> 8259 IRQ0 -> LINT0 programmed as
 *                       ExtINT (unmasked): the 8259's vector arrives, and
 *                       HLT with IF=1 wakes on each tick (xAPIC mode)
 *   lapic_pit_ioapic_*  the same PIT through the I/O APIC (8259 line masked,
 *                       LINT0 masked): ISA IRQ0 is I/O APIC input 2 (the
 *                       interrupt source override every PC chipset with an
 *                       I/O APIC has, Bochs's and QEMU's among them), a
 *                       fixed, edge, physical redirection entry to the own
 *                       APIC ID; HLT wakes on it; in xAPIC and x2APIC mode
 * The I/O APIC is at its default base (82093AA: IOREGSEL at +0, IOWIN at
 * +0x10); its redirection entry is put back afterwards.
 */
#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/lapic.h"
#include "tests/guest/lapic_checks.h"
#include "tests/guest/pic.h"

#define IOAPIC_BASE           0xfec00000u
#define IOAPIC_IOREGSEL       0x00
#define IOAPIC_IOWIN          0x10
#define IOAPIC_REDTBL(pin)    (0x10 + 2 * (pin))
#define IOAPIC_PIT_PIN        2
#define IOAPIC_RTE_MASKED     (1u << 16)
#define IOAPIC_RTE_LEVEL      (1u << 15)   /* trigger mode: level */
#define IOAPIC_RTE_REMOTE_IRR (1u << 14)   /* read-only: level in service */
#define IOAPIC_RTE_ACTIVE_LOW (1u << 13)   /* interrupt input pin polarity */
#define IOAPIC_DEST_SHIFT     24      /* in the entry's high dword */
#define PIT_TEST_HZ           1000
#define FIRST_TICK_TSC        50000000u
#define HLT_ROUNDS            3
#define LEVEL_PIT_HZ          200     /* 5 ms periods: polled with room */
#define LEVEL_PERIODS         10      /* periods the deliveries are counted over */
#define LEVEL_SLACK           1       /* a delivery either side of the window */
#define LEVEL_PERIODS_TSC     500000000u /* give up waiting for the periods */

static volatile uint32_t pic_ticks;

/* IRQ0 handler (the 8259 path): count. */
static void count_pic_tick(unsigned int irq)
{
	(void)irq;
	pic_ticks++;
}

/* HLT rounds (IF=1) that each saw counter move. */
static int hlt_rounds_woken(volatile uint32_t *counter)
{
	int woken = 0;

	for (int i = 0; i < HLT_ROUNDS; i++) {
		uint32_t before = *counter;
		cpu_halt();          /* sti; hlt */
		if (*counter != before)
			woken++;
	}
	irq_disable();
	return woken;
}

/* ---- lapic_pit_extint -------------------------------------------------------- */

static enum verdict pit_extint(struct check_result *r)
{
	pic_ticks = 0;
	lapic_write(LAPIC_LVT_LINT0, LVT_DELIVERY_EXTINT);
	idt_set_irq_handler(PIT_IRQ, count_pic_tick);
	pit_start_periodic(PIT_TEST_HZ);
	pic_set_mask(PIT_IRQ, false);
	irq_enable();
	bool ticked = lapic_wait_change(&pic_ticks, 0, FIRST_TICK_TSC);
	int woken = ticked ? hlt_rounds_woken(&pic_ticks) : 0;
	irq_disable();
	pic_set_mask(PIT_IRQ, true);
	idt_set_irq_handler(PIT_IRQ, NULL);
	if (!ticked)
		return fail(r, "no IRQ0 through LINT0 (ExtINT) within %u TSC "
			    "ticks (PIC IRR 0x%x)", FIRST_TICK_TSC,
			    pic_read_irr());
	if (woken != HLT_ROUNDS)
		return fail(r, "%d of %d HLTs woke with a new tick", woken,
			    HLT_ROUNDS);
	return VERDICT_PASS;
}
LAPIC_CHECK_IN_MODE(pit_extint, xapic, LAPIC_MODE_XAPIC)

/* ---- lapic_pit_ioapic -------------------------------------------------------- */

/* I/O APIC register reg through IOREGSEL/IOWIN. */
static uint32_t ioapic_read(uint32_t reg)
{
	volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;

	io[IOAPIC_IOREGSEL / 4] = reg;
	return io[IOAPIC_IOWIN / 4];
}

/* Write I/O APIC register reg. */
static void ioapic_write(uint32_t reg, uint32_t value)
{
	volatile uint32_t *io = (volatile uint32_t *)(uintptr_t)IOAPIC_BASE;

	io[IOAPIC_IOREGSEL / 4] = reg;
	io[IOAPIC_IOWIN / 4] = value;
}

/* lapic_pit_ioapic_*: route input 2 to the own APIC, wait for ticks,
 * halt on them, put the entry back. */
static enum verdict pit_ioapic(struct check_result *r)
{
	uint32_t reg = IOAPIC_REDTBL(IOAPIC_PIT_PIN);
	uint32_t old_lo = ioapic_read(reg), old_hi = ioapic_read(reg + 1);
	uint8_t vec = LAPIC_TEST_VECTOR_IOAPIC;

	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED | LVT_DELIVERY_EXTINT);
	pic_set_mask(PIT_IRQ, true);
	lapic_log_route(vec);
	ioapic_write(reg, IOAPIC_RTE_MASKED);
	ioapic_write(reg + 1, lapic_id() << IOAPIC_DEST_SHIFT);
	ioapic_write(reg, vec);           /* fixed, physical, edge, high */
	pit_start_periodic(PIT_TEST_HZ);
	irq_enable();
	bool ticked = lapic_wait_change(&lapic_log.total, 0, FIRST_TICK_TSC);
	int woken = ticked ? hlt_rounds_woken(&lapic_log.total) : 0;
	irq_disable();
	ioapic_write(reg, old_lo | IOAPIC_RTE_MASKED);
	ioapic_write(reg + 1, old_hi);
	ioapic_write(reg, old_lo);
	if (!ticked)
		return fail(r, "no vector 0x%x from I/O APIC input %u within %u "
			    "TSC ticks", vec, IOAPIC_PIT_PIN, FIRST_TICK_TSC);
	if (woken != HLT_ROUNDS)
		return fail(r, "%d of %d HLTs woke with a new tick", woken,
			    HLT_ROUNDS);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(pit_ioapic)

/* ---- lapic_pit_level --------------------------------------------------------- */

/* What the level handler saw, one counter per observation. */
static volatile struct {
	uint32_t count;             /* deliveries (of the programmed vector:
				     * the only one routed here) */
	uint32_t not_in_service;    /* ... whose ISR bit was clear */
	uint32_t tmr_clear;         /* ... whose TMR bit was clear */
	uint32_t remote_irr;        /* ... with Remote IRR set before the EOI */
	uint32_t remote_irr_after;  /* ... with Remote IRR still set after it */
	uint32_t isr_after;         /* ... still in service after the EOI */
} level;

/* Whether the PIT input's entry has Remote IRR set. */
static bool remote_irr_set(void)
{
	return ioapic_read(IOAPIC_REDTBL(IOAPIC_PIT_PIN)) & IOAPIC_RTE_REMOTE_IRR;
}

/* The level vector's handler: what is true while it is in service, the
 * EOI, and what the EOI changed. */
static void level_handler(unsigned int vector)
{
	level.count++;
	if (!lapic_vector_bit(LAPIC_ISR0, (uint8_t)vector))
		level.not_in_service++;
	if (!lapic_vector_bit(LAPIC_TMR0, (uint8_t)vector))
		level.tmr_clear++;
	if (remote_irr_set())
		level.remote_irr++;
	lapic_eoi();
	if (remote_irr_set())
		level.remote_irr_after++;
	if (lapic_vector_bit(LAPIC_ISR0, (uint8_t)vector))
		level.isr_after++;
}

/* Wait (IF=1) for the PIT's counter to reload (mode 2 counts down to 1,
 * then starts again from the divisor: a reading above the last one);
 * false when it does not within the budget. */
static bool pit_next_period(uint64_t start)
{
	uint16_t last = pit_read_count(), now;

	while ((now = pit_read_count()) <= last) {
		if (rdtsc() - start > LEVEL_PERIODS_TSC)
			return false;
		last = now;
	}
	return true;
}

/* The deliveries during LEVEL_PERIODS PIT periods, from one reload to
 * another; -1 when the periods did not pass in time. */
static int32_t deliveries_per_window(void)
{
	uint64_t start = rdtsc();
	uint32_t first;

	if (!pit_next_period(start))
		return -1;
	first = level.count;
	for (int i = 0; i < LEVEL_PERIODS; i++)
		if (!pit_next_period(start))
			return -1;
	return (int32_t)(level.count - first);
}

/* Program the PIT input level-triggered, active low, fixed, physical, to
 * the own APIC ID; count what arrives over a window of PIT periods; put
 * the entry back. */
static int32_t run_level(void)
{
	uint32_t reg = IOAPIC_REDTBL(IOAPIC_PIT_PIN);
	uint32_t old_lo = ioapic_read(reg), old_hi = ioapic_read(reg + 1);
	int32_t n = -1;

	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED | LVT_DELIVERY_EXTINT);
	pic_set_mask(PIT_IRQ, true);
	memset((void *)&level, 0, sizeof(level));
	idt_set_vector_handler(LAPIC_TEST_VECTOR_LEVEL, level_handler);
	ioapic_write(reg, IOAPIC_RTE_MASKED);
	ioapic_write(reg + 1, lapic_id() << IOAPIC_DEST_SHIFT);
	ioapic_write(reg, LAPIC_TEST_VECTOR_LEVEL | IOAPIC_RTE_LEVEL |
			  IOAPIC_RTE_ACTIVE_LOW);
	pit_start_periodic(LEVEL_PIT_HZ);
	irq_enable();
	if (lapic_wait_change(&level.count, 0, FIRST_TICK_TSC))
		n = deliveries_per_window();
	irq_disable();
	ioapic_write(reg, old_lo | IOAPIC_RTE_MASKED);
	ioapic_write(reg + 1, old_hi);
	ioapic_write(reg, old_lo);
	idt_set_vector_handler(LAPIC_TEST_VECTOR_LEVEL, NULL);
	return n;
}

/* The verdict on what the handler saw while the vector was in service
 * and after its EOI; NULL when all is as on hardware. */
static const char *level_service_wrong(void)
{
	if (level.not_in_service)
		return "the vector was not in service in its handler";
	if (level.tmr_clear)
		return "the vector's TMR bit was clear while in service";
	if (level.isr_after)
		return "the vector stayed in service after the EOI";
	if (level.remote_irr_after)
		return "Remote IRR stayed set after the EOI";
	return NULL;
}

static enum verdict pit_level(struct check_result *r)
{
	int32_t n = run_level();
	const char *wrong = level_service_wrong();

	if (!level.count)
		return fail(r, "no vector 0x%x from level-triggered I/O APIC "
			    "input %u within %u TSC ticks",
			    LAPIC_TEST_VECTOR_LEVEL, IOAPIC_PIT_PIN, FIRST_TICK_TSC);
	if (n < 0)
		return fail(r, "%d PIT periods did not pass within %u TSC ticks "
			    "(%u deliveries)", (int)LEVEL_PERIODS, LEVEL_PERIODS_TSC,
			    level.count);
	if (wrong)
		return fail(r, "%s (of %u: ISR clear %u, TMR clear %u; after "
			    "the EOI ISR set %u, Remote IRR set %u)", wrong,
			    level.count, level.not_in_service, level.tmr_clear,
			    level.isr_after, level.remote_irr_after);
	if (n < LEVEL_PERIODS - LEVEL_SLACK || n > LEVEL_PERIODS + LEVEL_SLACK)
		return fail(r, "%d deliveries in %d PIT periods (a storm or "
			    "lost interrupts)", (int)n, (int)LEVEL_PERIODS);
	say("lapic_pit_level: %d deliveries in %d PIT periods; Remote IRR "
	    "set in service %u of %u times", (int)n, LEVEL_PERIODS,
	    level.remote_irr, level.count);
	return VERDICT_PASS;
}
LAPIC_CHECK_BOTH_MODES(pit_level)
