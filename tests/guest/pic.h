/*
 * The 8259A pair and the 8254 PIT channel 0, as much as the timer check
 * needs.  The PICs are remapped to IRQ_VECTOR_BASE so IRQs never alias
 * exceptions.
 */
#ifndef GUEST_TESTS_PIC_H
#define GUEST_TESTS_PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC1_COMMAND   0x20
#define PIC1_DATA      0x21
#define PIC2_COMMAND   0xa0
#define PIC2_DATA      0xa1
#define PIC_CASCADE_IRQ 2
#define PIT_IRQ        0

#define PIT_CHANNEL0   0x40
#define PIT_COMMAND    0x43
#define PIT_HZ         1193182u

/* Remap both PICs to IRQ_VECTOR_BASE and mask every line. */
void pic_init(void);
void pic_set_mask(unsigned int irq, bool masked);
void pic_eoi(unsigned int irq);
/* Interrupt request register: bit n = IRQ n raised, not yet acknowledged. */
uint16_t pic_read_irr(void);

/* Channel 0, mode 2 (rate generator) at hz. */
void pit_start_periodic(uint32_t hz);
/* Latch and read channel 0's current count. */
uint16_t pit_read_count(void);

#endif
