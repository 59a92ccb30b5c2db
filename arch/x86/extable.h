/*
 * Instructions the hypervisor executes on the guest's behalf that may
 * fault in root mode: RDMSR/WRMSR of an MSR the CPU lacks or a value it
 * refuses, XSETBV of a value the CPU refuses, and the copy to or from
 * guest memory (a last line of defence behind the callers' own range
 * checks: see mm/guest_copy.h).  Each has one fixed site
 * with a recovery point: a fault there (#GP or #PF, #UD for XSETBV) does not
 * reach the fatal exception path but resumes at the recovery point, and
 * the function returns false, so the caller can inject the fault into the
 * guest instead of crashing the host.
 */
#ifndef ARCH_X86_EXTABLE_H
#define ARCH_X86_EXTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/panic.h"

bool rdmsr_safe(uint32_t msr, uint64_t *value);
bool wrmsr_safe(uint32_t msr, uint64_t value);
bool xsetbv_safe(uint32_t xcr, uint64_t value);
/* Copy len bytes; false when the copy faulted (dst then holds a prefix). */
bool memcpy_safe(void *dst, const void *src, size_t len);

/* Called by the exception dispatcher (arch/x86/trap.c): when tf->rip is
 * one of the sites above, point it at the recovery code and return true. */
bool extable_fixup(struct trap_frame *tf);

#endif
