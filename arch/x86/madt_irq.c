/*
 * ISA IRQ routing from the MADT (see arch/x86/madt_irq.h).
 */
#include "arch/x86/madt_irq.h"

#define MADT_ENTRIES            44      /* after the header, LAPIC address, flags */
#define ENTRY_TYPE              0
#define ENTRY_LENGTH            1

#define MADT_TYPE_IOAPIC        1
#define IOAPIC_ENTRY_SIZE       12      /* type, len, id, reserved, u32 address, u32 GSI base */
#define IOAPIC_ENTRY_ID         2
#define IOAPIC_ENTRY_ADDRESS    4
#define IOAPIC_ENTRY_GSI_BASE   8

#define MADT_TYPE_OVERRIDE      2
#define OVERRIDE_ENTRY_SIZE     10      /* type, len, bus, source, u32 GSI, u16 flags */
#define OVERRIDE_ENTRY_BUS      2
#define OVERRIDE_ENTRY_SOURCE   3
#define OVERRIDE_ENTRY_GSI      4
#define OVERRIDE_ENTRY_FLAGS    8
#define OVERRIDE_BUS_ISA        0

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

/* Whether every entry has a length of at least 2 that stays inside the
 * table. */
static bool entries_sane(const uint8_t *madt, uint32_t len)
{
	for (uint32_t off = MADT_ENTRIES; off < len; off += madt[off + ENTRY_LENGTH])
		if (off + 2 > len || madt[off + ENTRY_LENGTH] < 2 ||
		    off + madt[off + ENTRY_LENGTH] > len)
			return false;
	return true;
}

/* An ISA override of irq (the first one, as operating systems take it):
 * its GSI and flags. */
static void find_override(const uint8_t *madt, uint32_t len, uint8_t irq,
			  struct madt_isa_route *out)
{
	for (uint32_t off = MADT_ENTRIES; off < len; off += madt[off + ENTRY_LENGTH]) {
		const uint8_t *e = madt + off;

		if (e[ENTRY_TYPE] != MADT_TYPE_OVERRIDE ||
		    e[ENTRY_LENGTH] < OVERRIDE_ENTRY_SIZE ||
		    e[OVERRIDE_ENTRY_BUS] != OVERRIDE_BUS_ISA ||
		    e[OVERRIDE_ENTRY_SOURCE] != irq)
			continue;
		out->overridden = true;
		out->gsi = get32(e + OVERRIDE_ENTRY_GSI);
		out->inti_flags = (uint16_t)get16(e + OVERRIDE_ENTRY_FLAGS);
		return;
	}
}

/* The I/O APIC with the highest GSI base not above out->gsi. */
static void find_ioapic(const uint8_t *madt, uint32_t len,
			struct madt_isa_route *out)
{
	for (uint32_t off = MADT_ENTRIES; off < len; off += madt[off + ENTRY_LENGTH]) {
		const uint8_t *e = madt + off;
		uint32_t base;

		if (e[ENTRY_TYPE] != MADT_TYPE_IOAPIC ||
		    e[ENTRY_LENGTH] < IOAPIC_ENTRY_SIZE)
			continue;
		base = get32(e + IOAPIC_ENTRY_GSI_BASE);
		if (base > out->gsi || (out->ioapic_found && base < out->gsi_base))
			continue;
		out->ioapic_found = true;
		out->ioapic_id = e[IOAPIC_ENTRY_ID];
		out->ioapic_address = get32(e + IOAPIC_ENTRY_ADDRESS);
		out->gsi_base = base;
		out->pin = out->gsi - base;
	}
}

bool madt_isa_irq_route(const uint8_t *madt, uint32_t len, uint8_t irq,
			struct madt_isa_route *out)
{
	*out = (struct madt_isa_route){ .gsi = irq };
	if (len < MADT_ENTRIES || !entries_sane(madt, len))
		return false;
	find_override(madt, len, irq, out);
	find_ioapic(madt, len, out);
	return true;
}
