/*
 * The guest's vector for an ISA interrupt line (see hv/view/guest_irq.h).
 * The I/O APIC is read through its index/data window; the guest's index
 * (IOREGSEL) is put back afterwards, and the guest does not run meanwhile
 * (its one vCPU is in root mode).
 */
#include "arch/x86/io.h"
#include "hv/exit/handlers.h"
#include "hv/view/guest_irq.h"
#include "hv/view/intercept.h"
#include "hv/view/pic_snoop.h"
#include "hv/view/port_bytes.h"
#include "hv/vcpu/vcpu.h"

/* I/O APIC (82093AA data sheet): the PC's default address. */
#define IOAPIC_BASE          0xfec00000u
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

static volatile uint32_t *ioapic_reg(uint32_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + offset);
}

/* The low half of the redirection entry for pin, the guest's IOREGSEL
 * kept. */
static uint32_t ioapic_rte_low(uint8_t pin)
{
	uint32_t sel = *ioapic_reg(IOAPIC_IOREGSEL);
	uint32_t low;

	*ioapic_reg(IOAPIC_IOREGSEL) = IOAPIC_REDTBL_LOW(pin);
	low = *ioapic_reg(IOAPIC_IOWIN);
	*ioapic_reg(IOAPIC_IOREGSEL) = sel;
	return low;
}

/* The vector of an unmasked, fixed or lowest-priority entry for pin. */
static int ioapic_vector(uint8_t pin)
{
	uint32_t low = ioapic_rte_low(pin);
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

void guest_irq_intercept(struct vcpu *v)
{
	intercept_io(v, PIC_MASTER_CMD);
	intercept_io(v, PIC_MASTER_DATA);
	io_route(PIC_MASTER_CMD, 2, IO_OWNER_CONSOLE);
}

bool guest_irq_handle_io(struct vcpu *v, const struct qual_io *q,
			 enum exit_action *action)
{
	if (!port_overlaps(q->port, q->size, PIC_MASTER_CMD, 2) || q->string)
		return false;
	if (!q->in) {
		struct reg_write w = port_bytes_to_reg(q->port, q->size,
						       (uint32_t)v->regs.rax,
						       PIC_MASTER_CMD, 2);

		if (w.mask & PORT_BYTE_MASK)
			pic_snoop_write(&master_pic, false, (uint8_t)w.value);
		if (w.mask & (PORT_BYTE_MASK << PORT_BYTE_BITS))
			pic_snoop_write(&master_pic, true,
					(uint8_t)(w.value >> PORT_BYTE_BITS));
	}
	*action = io_pass_through(v, q);
	return true;
}
