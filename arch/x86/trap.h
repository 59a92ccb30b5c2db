/*
 * Exception dispatch (arch/x86/trap.c), called from the stubs in isr.S.
 */
#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

#include <stdint.h>

#include "arch/x86/panic.h"

#define VECTOR_DE   0
#define VECTOR_NMI  2
#define VECTOR_UD   6
#define VECTOR_DF   8
#define VECTOR_GP   13
#define VECTOR_PF   14
#define VECTOR_MC   18

void trap_dispatch(struct trap_frame *tf);

/* "Mnemonic (name)" of an exception vector, e.g. "PF", "page fault". */
const char *trap_mnemonic(uint64_t vector);
const char *trap_name(uint64_t vector);

/*
 * Raise the exception the debug-fault= option names (enum debug_fault in
 * hv/config.h), or call panic() for debug-fault=panic; nothing for
 * DEBUG_FAULT_NONE.  Called at the end of bring-up so tests can check the
 * dump and the clean stop.  Returns only when no fault happened (then it
 * stops with FAIL itself).
 */
void trap_debug_fault(uint32_t kind);

#endif
