/*
 * Exception dispatch (arch/x86/trap.c), called from the stubs in isr.S.
 */
#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/panic.h"

#define VECTOR_DE   0
#define VECTOR_NMI  2
#define VECTOR_UD   6
#define VECTOR_DF   8
#define VECTOR_SS   12
#define VECTOR_GP   13
#define VECTOR_PF   14
#define VECTOR_MC   18

void trap_dispatch(struct trap_frame *tf);

/* "Mnemonic (name)" of an exception vector, e.g. "PF", "page fault". */
const char *trap_mnemonic(uint64_t vector);
const char *trap_name(uint64_t vector);

/*
 * Raise exception `vector` on purpose: #UD, #PF, #GP or #DE (the
 * debug-fault= option, hv/debug_fault.c, tests the dump and the clean stop
 * with it).  False for any other vector; true when the fault was tried but
 * did not happen (the handler never returns from a fatal exception).
 */
bool trap_raise(uint8_t vector);

#endif
