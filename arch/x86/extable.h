/*
 * Instructions the hypervisor executes on the guest's behalf that may
 * fault in root mode: RDMSR/WRMSR of an MSR the CPU lacks or a value it
 * refuses, XSETBV of a value the CPU refuses.  Each has one fixed site
 * with a recovery point: a fault there (#GP, or #UD for XSETBV) does not
 * reach the fatal exception path but resumes at the recovery point, and
 * the function returns false, so the caller can inject the fault into the
 * guest instead of crashing the host.
 */
#ifndef ARCH_X86_EXTABLE_H
#define ARCH_X86_EXTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/panic.h"

bool rdmsr_safe(uint32_t msr, uint64_t *value);
bool wrmsr_safe(uint32_t msr, uint64_t value);
bool xsetbv_safe(uint32_t xcr, uint64_t value);

/* Called by the exception dispatcher (arch/x86/trap.c): when tf->rip is
 * one of the sites above, point it at the recovery code and return true. */
bool extable_fixup(struct trap_frame *tf);

#endif
