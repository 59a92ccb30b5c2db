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
#define IOAPIC_DEST_SHIFT     24      /* in the entry's high dword */
#define PIT_TEST_HZ           1000
#define FIRST_TICK_TSC        50000000u
#define HLT_ROUNDS            3

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
