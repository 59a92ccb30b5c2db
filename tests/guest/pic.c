/*
 * 8259A (Intel 8259A datasheet, ICW/OCW) and 8254 channel 0 programming.
 */
#include "arch/x86/io.h"
#include "tests/guest/layout.h"
#include "tests/guest/pic.h"

#define ICW1_INIT_ICW4   0x11   /* edge triggered, cascade, ICW4 follows */
#define ICW4_8086        0x01
#define OCW2_EOI         0x20   /* non-specific end of interrupt */
#define OCW3_READ_IRR    0x0a
#define PIC_ALL_MASKED   0xff

#define PIT_SEL_CH0      0x00
#define PIT_ACCESS_LOHI  0x30
#define PIT_MODE2        0x04   /* rate generator */
#define PIT_LATCH_CH0    0x00

void pic_init(void)
{
	outb(PIC1_COMMAND, ICW1_INIT_ICW4);
	outb(PIC2_COMMAND, ICW1_INIT_ICW4);
	outb(PIC1_DATA, IRQ_VECTOR_BASE);                 /* ICW2: vectors */
	outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);
	outb(PIC1_DATA, 1u << PIC_CASCADE_IRQ);           /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, PIC_CASCADE_IRQ);                 /* ICW3: slave id */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, PIC_ALL_MASKED);
	outb(PIC2_DATA, PIC_ALL_MASKED);
}

void pic_set_mask(unsigned int irq, bool masked)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
	uint8_t bit = (uint8_t)(1u << (irq & 7));
	uint8_t mask = inb(port);

	outb(port, masked ? (uint8_t)(mask | bit) : (uint8_t)(mask & ~bit));
	if (irq >= 8 && !masked)
		pic_set_mask(PIC_CASCADE_IRQ, false);
}

void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC2_COMMAND, OCW2_EOI);
	outb(PIC1_COMMAND, OCW2_EOI);
}

uint16_t pic_read_irr(void)
{
	outb(PIC1_COMMAND, OCW3_READ_IRR);
	outb(PIC2_COMMAND, OCW3_READ_IRR);
	return (uint16_t)(inb(PIC1_COMMAND) | (inb(PIC2_COMMAND) << 8));
}

void pit_start_periodic(uint32_t hz)
{
	uint32_t divisor = PIT_HZ / hz;

	outb(PIT_COMMAND, PIT_SEL_CH0 | PIT_ACCESS_LOHI | PIT_MODE2);
	outb(PIT_CHANNEL0, (uint8_t)divisor);
	outb(PIT_CHANNEL0, (uint8_t)(divisor >> 8));
}

uint16_t pit_read_count(void)
{
	outb(PIT_COMMAND, PIT_SEL_CH0 | PIT_LATCH_CH0);
	uint8_t lo = inb(PIT_CHANNEL0);
	uint8_t hi = inb(PIT_CHANNEL0);
	return (uint16_t)(lo | (hi << 8));
}
