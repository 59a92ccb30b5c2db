/*
 * Where an ISA IRQ reaches an I/O APIC, from the ACPI MADT (ACPI 6.x,
 * "Multiple APIC Description Table": "I/O APIC Structure", "Interrupt
 * Source Override Structure").  ISA IRQ n is global system interrupt
 * (GSI) n unless an override names another; the GSI belongs to the I/O
 * APIC whose GSI base is the highest one not above it, at pin GSI - base.
 * Pure: the caller maps the MADT (acpi_find_sdt, arch/x86/acpi.h); every
 * entry's length is checked before it is read (host unit-tested,
 * tests/unit/test_madt_irq.c).
 */
#ifndef ARCH_X86_MADT_IRQ_H
#define ARCH_X86_MADT_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#define MADT_ISA_IRQS          16
#define MADT_INTI_POLARITY     0x3     /* MPS INTI flags bits 1:0 */
#define MADT_INTI_TRIGGER      0xc     /* bits 3:2 */
#define MADT_INTI_TRIGGER_SHIFT 2
#define MADT_INTI_CONFORMS     0       /* either field: as the bus does */
#define MADT_INTI_HIGH_EDGE    1       /* polarity active high / trigger edge */
#define MADT_INTI_LOW_LEVEL    3       /* polarity active low / trigger level */

struct madt_isa_route {
	bool ioapic_found;          /* an I/O APIC holds the GSI */
	bool overridden;            /* an Interrupt Source Override names the IRQ */
	uint8_t ioapic_id;
	uint32_t ioapic_address;    /* its registers' physical address */
	uint32_t gsi_base;          /* its first GSI */
	uint32_t gsi;               /* the IRQ's global system interrupt */
	uint32_t pin;               /* gsi - gsi_base */
	uint16_t inti_flags;        /* the override's flags (0 without one) */
};

/*
 * The route of ISA IRQ irq through the MADT at madt (len bytes, the whole
 * table as its header says).  False when the table is too short or an
 * entry's length is bad; otherwise true, with out->ioapic_found false when
 * the MADT lists no I/O APIC for the IRQ's GSI.
 */
bool madt_isa_irq_route(const uint8_t *madt, uint32_t len, uint8_t irq,
			struct madt_isa_route *out);

#endif
