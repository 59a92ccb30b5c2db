/*
 * The guest's UART at the console's ports (hv/view/vuart.h) connected to
 * the machine: the guest's accesses to the 8 ports exit and go to the
 * model, its output goes to the console line (drivers/console.h), the
 * line's input goes to its receiver, and its interrupt output reaches the
 * guest as ISA IRQ 4 with the guest's vector (hv/view/guest_irq.h).
 * String I/O (INS/OUTS, REP too) on the ports is emulated element by
 * element (hv/exit/io_string.c).
 * Active when the hypervisor's console runs on a UART; otherwise the ports
 * pass through as before.
 */
#ifndef HV_VIEW_VUART_IO_H
#define HV_VIEW_VUART_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/exit/dispatch.h"
#include "hv/exit/qual.h"

struct vcpu;

/* The ISA line of COM1/COM3 on the PC. */
#define VUART_ISA_IRQ 4

/* The escape key (hv/monitor/escape.h; Ctrl-A unless set). */
void vuart_io_set_escape(uint8_t key);

/* Intercept the console UART's ports (and the 8259A's) for v; the line
 * runs at baud (for how often its input is looked at). */
void vuart_io_init(struct vcpu *v, uint16_t base, uint32_t baud);

/* An I/O exit on the virtual UART's ports: handled, and *action set.
 * False for other ports. */
bool vuart_io_handle(struct vcpu *v, const struct qual_io *q,
		     enum exit_action *action);

/* When the hypervisor's timer deadline passed (hv/vcpu/timer.h), at TSC
 * now, before the entry: the guest's output to the console, the console
 * to the wire, the line's input to the guest, the interrupt, and the
 * console's next deadlines. */
void vuart_io_poll(struct vcpu *v, uint64_t now);

#endif
