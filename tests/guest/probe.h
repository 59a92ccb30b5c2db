/*
 * Instructions run under try_call(): each returns NO_FAULT or the vector it
 * raised, so a check can expect a fault.
 */
#ifndef GUEST_TESTS_PROBE_H
#define GUEST_TESTS_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpuid.h"

int probe_rdmsr(uint32_t msr, uint64_t *value);
int probe_wrmsr(uint32_t msr, uint64_t value);
int probe_write_cr0(uint64_t value);
int probe_write_cr4(uint64_t value);
int probe_xsetbv(uint32_t xcr, uint64_t value);
uint64_t xgetbv(uint32_t xcr);

/* Feature tests. */
bool cpu_has_ext_leaf(uint32_t leaf);
bool cpu_has_rdtscp(void);

#endif
