/*
 * Raising a legacy (ISA) interrupt the hypervisor emulates, such as the
 * virtual UART's IRQ 4, with the vector the guest programmed for that
 * line.  The guest owns its interrupt controllers; the hypervisor only
 * reads what the guest set up:
 *  - the I/O APIC's redirection entry for the line (the I/O APIC and pin
 *    the ACPI MADT gives for ISA IRQ n, an interrupt source override
 *    included; without a MADT, pin n at 0xFEC00000 as on the PC): when it
 *    is unmasked with fixed or lowest-priority delivery, its vector;
 *  - else the master 8259A's vector base, learnt from the ICW2 the guest
 *    wrote (hv/view/pic_snoop.h; ports 0x20/0x21 are intercepted and
 *    passed through), plus n, when the 8259A's mask (read from the chip)
 *    lets IRQ n through;
 *  - else the line is masked: nothing is delivered yet.
 * The vector goes to the guest's virtual LAPIC (hv/lapic/lapic.h,
 * lapic_isa_interrupt()): an I/O APIC vector into its IRR as an edge
 * interrupt (the guest's EOI ends it there; no physical EOI is owed), an
 * 8259A vector as ExtINT through LINT0, as the physical 8259's come.  The
 * 8259A gets the guest's EOI with nothing in service.  See
 * docs/console.md and docs/apic.md.
 */
#ifndef HV_VIEW_GUEST_IRQ_H
#define HV_VIEW_GUEST_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/exit/qual.h"
#include "hv/exit/dispatch.h"

struct vcpu;
struct boot_info;

#define GUEST_IRQ_NONE (-1)

/* Learn from the MADT (through the loader's RSDP) which I/O APIC and pin
 * carry each ISA IRQ; log what is used for log_irq (the console UART's),
 * and why.  Without it, or without a MADT, the PC's default stands. */
void guest_irq_locate(const struct boot_info *bi, uint8_t log_irq);

/* Intercept the 8259A ports so that the vector base can be learnt. */
void guest_irq_intercept(struct vcpu *v);

/* An access to an 8259A port: carried out on the chip and watched.  False
 * when the port is not one of them. */
bool guest_irq_handle_io(struct vcpu *v, const struct qual_io *q,
			 enum exit_action *action);

/* The vector ISA IRQ `irq` (0-7) reaches the guest with now, or
 * GUEST_IRQ_NONE while the guest keeps it masked; *via_8259 tells whether
 * it comes through the 8259A (ExtINT) rather than the I/O APIC. */
int guest_irq_vector(uint8_t irq, bool *via_8259);

#endif
