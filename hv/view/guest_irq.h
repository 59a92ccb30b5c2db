/*
 * Raising a legacy (ISA) interrupt the hypervisor emulates, such as the
 * virtual UART's IRQ 4, with the vector the guest programmed for that
 * line.  The guest owns its interrupt controllers; the hypervisor only
 * reads what the guest set up:
 *  - the I/O APIC's redirection entry for the line (ISA IRQ n on pin n, as
 *    on the PC without an interrupt source override for it): when it is
 *    unmasked with fixed or lowest-priority delivery, its vector;
 *  - else the master 8259A's vector base, learnt from the ICW2 the guest
 *    wrote (hv/view/pic_snoop.h; ports 0x20/0x21 are intercepted and
 *    passed through), plus n, when the 8259A's mask (read from the chip)
 *    lets IRQ n through;
 *  - else the line is masked: nothing is delivered yet.
 * The vector is injected as an external interrupt (hv/vcpu/inject.h).
 * It does not pass through the guest's LAPIC (its IRR/ISR), so the
 * guest's EOI for it finds nothing in service, which the LAPIC ignores;
 * the 8259A likewise gets an EOI with nothing in service.  See
 * docs/console.md.
 */
#ifndef HV_VIEW_GUEST_IRQ_H
#define HV_VIEW_GUEST_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/exit/qual.h"
#include "hv/exit/dispatch.h"

struct vcpu;

#define GUEST_IRQ_NONE (-1)

/* Intercept the 8259A ports so that the vector base can be learnt. */
void guest_irq_intercept(struct vcpu *v);

/* An access to an 8259A port: carried out on the chip and watched.  False
 * when the port is not one of them. */
bool guest_irq_handle_io(struct vcpu *v, const struct qual_io *q,
			 enum exit_action *action);

/* The vector ISA IRQ `irq` (0-7) reaches the guest with now, or
 * GUEST_IRQ_NONE while the guest keeps it masked. */
int guest_irq_vector(uint8_t irq);

#endif
