/*
 * The guest instruction behind an MMIO exit (an EPT violation or an APIC
 * access on a page root mode emulates or watches): fetched at CS:RIP
 * through the guest's own paging, decoded (arch/x86/insn_decode.h), and
 * carried out on the guest's registers.  Root mode never touches the MMIO
 * itself here: the caller decides what the access means.
 *
 * Use, in a handler:
 *     struct mmio_insn mi;
 *     if (mmio_insn_fetch(v, &mi) != MMIO_INSN_OK) ... (resume: the CPU
 *         re-executes and raises its own fault; or stop with mi.reason)
 *     store: value = mmio_insn_store_value(v, &mi), size mi.access.size
 *     load:  mmio_insn_complete_load(v, &mi, value)
 *     mmio_insn_skip(v, &mi); return EXIT_RESUME;
 */
#ifndef HV_EXIT_MMIO_H
#define HV_EXIT_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/insn_decode.h"
#include "hv/exit/dispatch.h"
#include "hv/vcpu/guest_linear.h"

struct vcpu;

#define MMIO_OPEN_BUS   (~0ull)     /* what a read nothing answers gives */

struct mmio_insn {
	struct insn_access access;  /* MMIO_INSN_OK: the decoded instruction */
	uint64_t rip;               /* where it was fetched (CS-relative) */
	enum insn_mode mode;
	uint8_t bytes[INSN_MAX_LEN];
	uint8_t fetched;            /* bytes read into bytes[] */
	const char *reason;         /* not OK: why, for the log */
	struct gla_fault fault;     /* MMIO_INSN_PAGE_FAULT: the fetch's #PF */
};

enum mmio_insn_status {
	MMIO_INSN_OK,
	MMIO_INSN_PAGE_FAULT,       /* the guest's paging refused the fetch */
	MMIO_INSN_UNSUPPORTED,      /* not a form the decoder accepts, or the
				       bytes are not readable: see reason */
};

/* Fetch (at most 15 bytes, fewer when the code segment's limit or an
 * unreadable second page says so) and decode the guest's instruction at
 * CS:RIP, with the guest's CPL for the fetch's access rights. */
enum mmio_insn_status mmio_insn_fetch(struct vcpu *v, struct mmio_insn *mi);

/* The value a decoded store writes (its low access.size bytes). */
uint64_t mmio_insn_store_value(struct vcpu *v, const struct mmio_insn *mi);

/* Complete a decoded load with the access.size bytes read in value. */
void mmio_insn_complete_load(struct vcpu *v, const struct mmio_insn *mi,
			     uint64_t value);

/* Advance RIP past the decoded instruction (guest_skip_instruction()). */
void mmio_insn_skip(struct vcpu *v, const struct mmio_insn *mi);

/* Log the instruction bytes and the reason at error level. */
void mmio_insn_log(const struct mmio_insn *mi, const char *what);

/*
 * An access (write: what the exit says) to a page where no device answers,
 * as on a bus where nothing claims the address: a load reads all ones, a
 * store is dropped, the instruction is skipped.  A fetch that page-faults
 * resumes (the CPU re-executes and raises it); an instruction the decoder
 * refuses, or whose direction differs from the exit's, stops the guest with
 * its bytes in the log and stop_reason (a string that lives for ever) as
 * the reason.  For the physical LAPIC's page when the guest's window is
 * elsewhere, and the hidden PCI UART's ECAM page (hv/view/pci_ecam.h).
 */
enum exit_action mmio_emulate_absent(struct vcpu *v, const struct vmexit *e,
				     bool write, const char *stop_reason);

#endif
