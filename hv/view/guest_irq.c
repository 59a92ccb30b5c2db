/*
 * The guest's vector for an ISA interrupt line (see hv/view/guest_irq.h).
 * The I/O APIC is read through its index/data window; the guest's index
 * (IOREGSEL) is put back afterwards, and the guest does not run meanwhile
 * (its one vCPU is in root mode).  Which I/O APIC and pin carry each ISA
 * IRQ comes from the MADT (guest_irq_locate()).
 */
#include "arch/x86/acpi.h"
#include "arch/x86/io.h"
#include "arch/x86/madt.h"
#include "arch/x86/madt_irq.h"
#include "boot/boot_info.h"
#include "hv/exit/handlers.h"
#include "hv/view/guest_irq.h"
#include "hv/view/intercept.h"
#include "hv/view/pic_snoop.h"
#include "hv/view/port_bytes.h"
#include "hv/vcpu/vcpu.h"
#include "lib/format.h"
#include "lib/log.h"

/* I/O APIC (82093AA data sheet): the PC's default address, used when the
 * MADT does not say. */
#define IOAPIC_DEFAULT_BASE  0xfec00000u
/* Pins a redirection entry can be read for (IOREGSEL has 8 bits). */
#define IOAPIC_PINS_MAX      120u
#define IOAPIC_IOREGSEL      0x00
#define IOAPIC_IOWIN         0x10
#define IOAPIC_REDTBL_LOW(n) (0x10u + 2u * (n))
#define IOAPIC_RTE_VECTOR    0xffu
#define IOAPIC_RTE_DELIVERY  0x700u     /* bits 10:8 */
#define IOAPIC_DELIVERY_FIXED  0x000u
#define IOAPIC_DELIVERY_LOWEST 0x100u
#define IOAPIC_RTE_MASKED    0x10000u   /* bit 16 */
#define IOAPIC_ABSENT        0xffffffffu
/* Vectors 0-15 are reserved: an entry with one is not set up. */
#define VECTOR_FIRST_USABLE  0x10u
#define PIC_IRQS             8u

static struct pic_snoop master_pic;

/* Where each ISA IRQ reaches an I/O APIC: until guest_irq_locate() (or
 * without a MADT) the PC's default, IRQ n on pin n at 0xFEC00000. */
static struct isa_route {
	bool none;              /* no I/O APIC carries it: the 8259A only */
	uint32_t ioapic;        /* the I/O APIC's register base */
	uint8_t pin;
} isa_routes[MADT_ISA_IRQS];

static volatile uint32_t *ioapic_reg(uint32_t base, uint32_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(base + offset);
}

/* The low half of the redirection entry for pin of the I/O APIC at base,
 * the guest's IOREGSEL kept. */
static uint32_t ioapic_rte_low(uint32_t base, uint8_t pin)
{
	uint32_t sel = *ioapic_reg(base, IOAPIC_IOREGSEL);
	uint32_t low;

	*ioapic_reg(base, IOAPIC_IOREGSEL) = IOAPIC_REDTBL_LOW(pin);
	low = *ioapic_reg(base, IOAPIC_IOWIN);
	*ioapic_reg(base, IOAPIC_IOREGSEL) = sel;
	return low;
}

/* The vector of an unmasked, fixed or lowest-priority entry for ISA IRQ
 * irq's pin. */
static int ioapic_vector(uint8_t irq)
{
	const struct isa_route *r;
	uint32_t low;

	if (irq >= MADT_ISA_IRQS || isa_routes[irq].none)
		return GUEST_IRQ_NONE;
	r = &isa_routes[irq];
	/* ioapic 0: not located (yet), the PC's default. */
	low = ioapic_rte_low(r->ioapic ? r->ioapic : IOAPIC_DEFAULT_BASE,
			     r->ioapic ? r->pin : irq);
	uint32_t mode = low & IOAPIC_RTE_DELIVERY;

	if (low == IOAPIC_ABSENT || (low & IOAPIC_RTE_MASKED) ||
	    (mode != IOAPIC_DELIVERY_FIXED && mode != IOAPIC_DELIVERY_LOWEST) ||
	    (low & IOAPIC_RTE_VECTOR) < VECTOR_FIRST_USABLE)
		return GUEST_IRQ_NONE;
	return (int)(low & IOAPIC_RTE_VECTOR);
}

/* The master 8259A's vector for irq when the guest programmed it and its
 * mask (OCW1, read from the chip) lets irq through. */
static int pic_vector(uint8_t irq)
{
	if (!master_pic.programmed || (inb(PIC_MASTER_DATA) & (1u << irq)))
		return GUEST_IRQ_NONE;
	return master_pic.vector_base + irq;
}

int guest_irq_vector(uint8_t irq, bool *via_8259)
{
	int vector = ioapic_vector(irq);

	*via_8259 = false;
	if (irq >= PIC_IRQS || vector != GUEST_IRQ_NONE)
		return vector;
	vector = pic_vector(irq);
	*via_8259 = vector != GUEST_IRQ_NONE;
	return vector;
}

/* Take ISA IRQ irq's route from the MADT; false (r unchanged) when the
 * MADT names no usable I/O APIC pin for it. */
static bool route_from_madt(const uint8_t *madt, uint32_t len, uint8_t irq,
			    struct madt_isa_route *r)
{
	if (!madt_isa_irq_route(madt, len, irq, r) || !r->ioapic_found ||
	    !r->ioapic_address || r->pin >= IOAPIC_PINS_MAX)
		return false;
	isa_routes[irq] = (struct isa_route){
		.ioapic = r->ioapic_address, .pin = (uint8_t)r->pin,
	};
	return true;
}

/* The start-up line for ISA IRQ irq: which I/O APIC and pin, and why. */
static void log_route(uint8_t irq, bool from_madt, const struct madt_isa_route *r,
		      const char *why)
{
	if (!from_madt) {
		log_info("guest irq: ISA IRQ %u: I/O APIC at %#x pin %u, the PC's "
			 "default (%s)", irq, IOAPIC_DEFAULT_BASE, irq, why);
		return;
	}
	if (r->overridden)
		log_info("guest irq: ISA IRQ %u: GSI %u by the MADT's interrupt "
			 "source override (flags %#x), I/O APIC %u at %#x pin %u",
			 irq, r->gsi, r->inti_flags, r->ioapic_id,
			 r->ioapic_address, r->pin);
	else
		log_info("guest irq: ISA IRQ %u: GSI %u (no override in the MADT), "
			 "I/O APIC %u at %#x pin %u", irq, r->gsi, r->ioapic_id,
			 r->ioapic_address, r->pin);
}

void guest_irq_locate(const struct boot_info *bi, uint8_t log_irq)
{
	char err[MADT_ERROR_MAX] = "no ACPI RSDP from the loader";
	struct acpi_source src = { bi->rsdp_data, acpi_map_identity, NULL };
	const uint8_t *madt = NULL;
	struct madt_isa_route r, logged = { 0 };
	bool logged_found = false;
	uint32_t len = 0;

	if (bi->has_rsdp)
		madt = acpi_find_sdt(&src, MADT_SIGNATURE, NULL, &len, err,
				     sizeof(err));
	for (uint8_t irq = 0; madt && irq < MADT_ISA_IRQS; irq++) {
		bool found = route_from_madt(madt, len, irq, &r);

		if (irq == log_irq) {
			logged = r;
			logged_found = found;
		}
	}
	if (madt && !logged_found)
		format(err, sizeof(err), "the MADT names no I/O APIC pin for it");
	log_route(log_irq, logged_found, &logged, err);
}

void guest_irq_intercept(struct vcpu *v)
{
	intercept_io(v, PIC_MASTER_CMD);
	intercept_io(v, PIC_MASTER_DATA);
	io_route(PIC_MASTER_CMD, 2, IO_OWNER_CONSOLE);
}

/* Watch a write of value (q->size bytes at q->port) for the 8259A's
 * initialization and mask words. */
static void snoop_write(const struct qual_io *q, uint32_t value)
{
	struct reg_write w = port_bytes_to_reg(q->port, q->size, value,
					       PIC_MASTER_CMD, 2);

	if (w.mask & PORT_BYTE_MASK)
		pic_snoop_write(&master_pic, false, (uint8_t)w.value);
	if (w.mask & (PORT_BYTE_MASK << PORT_BYTE_BITS))
		pic_snoop_write(&master_pic, true,
				(uint8_t)(w.value >> PORT_BYTE_BITS));
}

/* One element of INS/OUTS on the 8259A's ports (hv/exit/io_string.c):
 * on the chip, the writes watched. */
static uint32_t pic_element(struct vcpu *v, const struct qual_io *q,
			    uint32_t value)
{
	(void)v;
	if (q->in)
		return q->size == 1 ? inb(q->port) : q->size == 2 ? inw(q->port) :
								   inl(q->port);
	snoop_write(q, value);
	if (q->size == 1)
		outb(q->port, (uint8_t)value);
	else if (q->size == 2)
		outw(q->port, (uint16_t)value);
	else
		outl(q->port, value);
	return 0;
}

bool guest_irq_handle_io(struct vcpu *v, const struct qual_io *q,
			 enum exit_action *action)
{
	if (!port_overlaps(q->port, q->size, PIC_MASTER_CMD, 2))
		return false;
	if (q->string) {
		*action = io_string_emulate(v, q, pic_element);
		return true;
	}
	if (!q->in)
		snoop_write(q, (uint32_t)v->regs.rax);
	*action = io_pass_through(v, q);
	return true;
}
