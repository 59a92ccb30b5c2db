/*
 * How an event is written to the VM-entry event fields: the pure rules,
 * header-only and free of VMCS access so that the host unit tests check
 * them (tests/unit/test_event_rules.c).  hv/vcpu/inject.c applies them in
 * one place (entry_event_set()); docs/vmx.md ("Event injection") lists
 * them with their SDM sections.
 *
 * Sources (Intel SDM Vol. 3): "Event Injection" and "Checks on VM-Entry
 * Control Fields" (VM entries); "Information for VM Exits During Event
 * Delivery"; "Exception Classifications" and "Interrupt 8—Double Fault
 * Exception (#DF)" (the benign / contributory / page-fault table);
 * "Instruction-Breakpoint Exception Condition" (RF pushed for faults).
 */
#ifndef HV_EVENT_RULES_H
#define HV_EVENT_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/vmx/ctls_bits.h"

/* Exception vectors (SDM Vol. 3, "Exception and Interrupt Reference"). */
#define EXC_DE  0
#define EXC_DB  1
#define EXC_NMI 2
#define EXC_BP  3
#define EXC_OF  4
#define EXC_UD  6
#define EXC_DF  8
#define EXC_TS  10
#define EXC_NP  11
#define EXC_SS  12
#define EXC_GP  13
#define EXC_PF  14
#define EXC_AC  17
#define EXC_MC  18
#define EXC_CP  21
#define EXC_LAST 31                  /* vectors 0-31 are exceptions */

/* One event as VM entry delivers it: the VM-entry interruption-
 * information field's parts, its error code and instruction length. */
struct event {
	uint8_t type;                /* INTR_TYPE_* */
	uint8_t vector;
	bool has_error_code;
	uint32_t error_code;
	uint32_t instruction_len;    /* software events only */
};

/* Exceptions that push an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC,
 * #CP ("Exception and Interrupt Reference"). */
static inline bool event_exception_has_error_code(uint8_t vector)
{
	switch (vector) {
	case EXC_DF: case EXC_TS: case EXC_NP: case EXC_SS: case EXC_GP:
	case EXC_PF: case EXC_AC: case EXC_CP:
		return true;
	default:
		return false;
	}
}

/* A hardware exception the hypervisor raises: its error code only where
 * the vector has one and the guest is in protected mode (VM entry refuses
 * an error code with CR0.PE = 0: real-mode delivery pushes none). */
static inline struct event event_hw_exception(uint8_t vector,
					      uint32_t error_code,
					      bool protected_mode)
{
	bool with_code = event_exception_has_error_code(vector) && protected_mode;

	return (struct event){
		.type = INTR_TYPE_HW_EXCEPTION, .vector = vector,
		.has_error_code = with_code, .error_code = with_code ? error_code : 0,
	};
}

/* Software interrupts (INT n), privileged software exceptions (INT1) and
 * software exceptions (INT3, INTO) are delivered past their instruction:
 * VM entry needs its length to push the return address. */
static inline bool event_needs_length(uint8_t type)
{
	return type == INTR_TYPE_SW_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	       type == INTR_TYPE_SW_EXCEPTION;
}

/* Fault-class hardware exceptions push RFLAGS with RF = 1; VM entry does
 * not set it, the injector must (KVM and ACRN do the same).  Not faults:
 * #DB (a trap here: instruction breakpoints are the one fault that pushes
 * RF = 0, and this hypervisor cannot tell them apart), NMI, #BP and #OF
 * (traps), #DF and #MC (aborts).  Interrupts and software events never
 * set it. */
static inline bool event_sets_rf(const struct event *e)
{
	if (e->type != INTR_TYPE_HW_EXCEPTION || e->vector > EXC_LAST)
		return false;
	switch (e->vector) {
	case EXC_DB: case EXC_NMI: case EXC_BP: case EXC_OF: case EXC_DF:
	case EXC_MC:
		return false;
	default:
		return true;
	}
}

/* The VM-entry interruption-information word for e. */
static inline uint32_t event_entry_info(const struct event *e)
{
	return INTR_INFO_VALID | e->vector |
	       ((uint32_t)(e->type & INTR_INFO_TYPE_MASK) << INTR_INFO_TYPE_SHIFT) |
	       (e->has_error_code ? INTR_INFO_ERROR_CODE_VALID : 0);
}

/* ---- An exception raised while another event was being delivered -------- */

enum exception_class { EXC_CLASS_BENIGN, EXC_CLASS_CONTRIBUTORY,
		       EXC_CLASS_PAGE_FAULT, EXC_CLASS_DOUBLE_FAULT };

/* The #DF table's classes: contributory #DE, #TS, #NP, #SS, #GP (and
 * #CP); page fault #PF; #DF itself; everything else benign. */
static inline enum exception_class event_exception_class(uint8_t vector)
{
	switch (vector) {
	case EXC_DE: case EXC_TS: case EXC_NP: case EXC_SS: case EXC_GP:
	case EXC_CP:
		return EXC_CLASS_CONTRIBUTORY;
	case EXC_PF:
		return EXC_CLASS_PAGE_FAULT;
	case EXC_DF:
		return EXC_CLASS_DOUBLE_FAULT;
	default:
		return EXC_CLASS_BENIGN;
	}
}

enum event_combination {
	EVENT_SECOND_SERIAL,         /* deliver the second (inject.c: combine()) */
	EVENT_DOUBLE_FAULT,          /* deliver #DF (error code 0) instead */
	EVENT_TRIPLE_FAULT,          /* shutdown */
};

/* The first event (a hardware exception) was being delivered when the
 * second exception arose ("Conditions for Generating a Double Fault"):
 *   contributory then contributory            -> #DF
 *   page fault then contributory or page fault -> #DF
 *   #DF then contributory or page fault        -> shutdown (triple fault)
 *   anything else                              -> handled serially.
 * A first event that is not a hardware exception (interrupt, NMI,
 * software event) always combines serially. */
static inline enum event_combination event_combine(const struct event *first,
						   uint8_t second)
{
	enum exception_class c1, c2;

	if (first->type != INTR_TYPE_HW_EXCEPTION)
		return EVENT_SECOND_SERIAL;
	c1 = event_exception_class(first->vector);
	c2 = event_exception_class(second);
	if (c2 != EXC_CLASS_CONTRIBUTORY && c2 != EXC_CLASS_PAGE_FAULT)
		return EVENT_SECOND_SERIAL;
	if (c1 == EXC_CLASS_DOUBLE_FAULT)
		return EVENT_TRIPLE_FAULT;
	if (c1 == EXC_CLASS_PAGE_FAULT ||
	    (c1 == EXC_CLASS_CONTRIBUTORY && c2 == EXC_CLASS_CONTRIBUTORY))
		return EVENT_DOUBLE_FAULT;
	return EVENT_SECOND_SERIAL;
}

/* ---- 8259 vectors -------------------------------------------------------- */

/* Vectors 0-31 are exceptions in protected and long mode; only the 8259
 * under the BIOS's mapping (IRQ 0-7 = vectors 8-15, right for real mode)
 * hands such a vector over.  An exit acknowledges the 8259 while the
 * guest runs with IF = 0, earlier than the guest would: a tick that came
 * just before the guest masked IRQ 0, reprogrammed the 8259 (ICW1 drops a
 * pending request bare) and left real mode then sits in the queue and
 * would reach a protected-mode guest as "vector 8", i.e. through its
 * double-fault gate.  Such a vector is not forwarded in protected mode
 * (a protected-mode guest that keeps the BIOS's mapping loses those
 * interrupts: documented in docs/vmx.md); in real mode it is the IVT's. */
static inline bool event_ext_vector_leftover(uint8_t vector, bool protected_mode)
{
	return protected_mode && vector <= EXC_LAST;
}

#endif
