/*
 * VM-exit dispatch.  One table (hv/exit/table.c) has a row for every basic exit
 * reason of Intel SDM Vol. 3, Appendix C, Table C-1: its SDM name and its
 * handler (or the explicit "unexpected exit" handler).  The dispatcher
 * decodes the exit once into struct vmexit and calls the row's handler,
 * which says what to do next.
 */
#ifndef HV_EXIT_H
#define HV_EXIT_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* The exit, read from the VMCS once. */
struct vmexit {
	uint32_t reason;            /* basic exit reason, bits 15:0 */
	uint32_t raw_reason;        /* the whole field, incl. entry-failure bit */
	uint64_t qualification;
	uint32_t instruction_len;
	uint64_t guest_rip;
	uint32_t intr_info;         /* VM-exit interruption information */
	uint32_t idt_vectoring_info;
};

enum exit_action {
	EXIT_RESUME,                /* re-enter the guest at the same RIP */
	EXIT_SKIP_INSTRUCTION,      /* advance RIP past the exiting instruction */
	EXIT_STOP_GUEST,            /* the handler called vcpu_stop() */
	EXIT_EVENT_DELIVERED,       /* resume; the handler completed the
				     * delivery of the event the exit
				     * interrupted (an IDT task gate): it is
				     * not delivered again */
};

typedef enum exit_action (*exit_handler_fn)(struct vcpu *v,
					    const struct vmexit *e);

struct exit_row {
	const char *name;           /* SDM name, e.g. "CPUID" */
	exit_handler_fn handler;
	/* A simple instruction exit (see hv/exit/dispatch.c): fewer VMCS
	 * reads, and the injection decision stands. */
	bool simple;
	/* An instruction exit (every simple one, and I/O): no event fields
	 * to read, nothing to deliver again, the injection decision stands;
	 * the qualification is read unless simple. */
	bool instruction;
};

struct exit_reason;

/* Handle one VM exit of vcpu v (after vmx_enter returned EXITED); why is
 * the exit-reason field as the run loop read and decoded it. */
void exit_dispatch(struct vcpu *v, const struct exit_reason *why);

/* The SDM name of a basic exit reason ("unknown" for unused numbers). */
const char *exit_reason_name(uint32_t reason);

/* Log every exit of basic reason `reason` from now on (on), or stop (off);
 * false when the SDM has no such reason (the monitor's trace command). */
bool exit_trace_set(uint32_t reason, bool on);

/* The handler for reasons the hypervisor does not expect: prints the
 * reason by name, the exit qualification and the guest state, and stops
 * the guest. */
enum exit_action exit_unexpected(struct vcpu *v, const struct vmexit *e);

#endif
