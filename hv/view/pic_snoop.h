/*
 * What the guest told its 8259A interrupt controllers, read from the
 * initialization words it writes (Intel 8259A data sheet, "Initialization
 * Command Words"): ICW1 on the command port (bit 4 set) starts the
 * sequence, ICW2 on the data port gives the vector base (bits 7:3), ICW3
 * follows unless ICW1 said "single", ICW4 when ICW1 asked for it; then
 * data-port writes are OCW1 (the mask).  The 8259A cannot be asked for
 * its vector base, so the hypervisor, which raises the virtual UART's IRQ
 * with the vector the guest programmed (hv/view/vuart_io.c), watches the
 * writes as they pass through.  Pure, header-only (host unit-tested).
 */
#ifndef HV_VIEW_PIC_SNOOP_H
#define HV_VIEW_PIC_SNOOP_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_MASTER_CMD   0x20
#define PIC_MASTER_DATA  0x21
#define PIC_SLAVE_CMD    0xa0
#define PIC_SLAVE_DATA   0xa1
#define PIC_ICW1_INIT    0x10
#define PIC_ICW1_SNGL    0x02       /* single: no ICW3 */
#define PIC_ICW1_IC4     0x01       /* ICW4 follows */
#define PIC_ICW2_BASE    0xf8       /* vector of IR0; IRn is base + n */

enum pic_snoop_state {
	PIC_READY,                  /* data-port writes are OCW1 */
	PIC_WANT_ICW2,
	PIC_WANT_ICW3,
	PIC_WANT_ICW4,
};

struct pic_snoop {
	enum pic_snoop_state state;
	uint8_t icw1;
	uint8_t vector_base;
	bool programmed;            /* an ICW2 was seen */
};

/* The state after ICW2 or ICW3: the words ICW1 announced that remain. */
static inline enum pic_snoop_state pic_snoop_after(const struct pic_snoop *p,
						   enum pic_snoop_state done)
{
	if (done == PIC_WANT_ICW2 && !(p->icw1 & PIC_ICW1_SNGL))
		return PIC_WANT_ICW3;
	return (p->icw1 & PIC_ICW1_IC4) ? PIC_WANT_ICW4 : PIC_READY;
}

/* A guest write of value to the command port (data false) or the data
 * port (data true) of one 8259A. */
static inline void pic_snoop_write(struct pic_snoop *p, bool data, uint8_t value)
{
	if (!data) {
		if (value & PIC_ICW1_INIT) {
			p->icw1 = value;
			p->state = PIC_WANT_ICW2;
		}
		return;                 /* OCW2/OCW3 */
	}
	switch (p->state) {
	case PIC_WANT_ICW2:
		p->vector_base = value & PIC_ICW2_BASE;
		p->programmed = true;
		p->state = pic_snoop_after(p, PIC_WANT_ICW2);
		break;
	case PIC_WANT_ICW3:
		p->state = pic_snoop_after(p, PIC_WANT_ICW3);
		break;
	case PIC_WANT_ICW4:
		p->state = PIC_READY;
		break;
	default:
		break;                  /* OCW1: the mask, read back when needed */
	}
}

#endif
