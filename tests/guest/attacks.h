/*
 * The "attacks" group (issue 8): what the hostile-guest checks share.
 * checks_attacks.c holds the targeted attacks, hcfuzz.c the hypercall
 * fuzzer, reset_attack.c the reset requests that end the run.
 */
#ifndef GUEST_TESTS_ATTACKS_H
#define GUEST_TESTS_ATTACKS_H

#include <stdint.h>

#include "hv/exit/hypercall.h"

/* Addresses no hypercall buffer may name. */
#define IOAPIC_PAGE             0xfec00000ull
#define LAPIC_PAGE              0xfee00000ull
#define PCI_MMCONFIG_GUESS      0xe0000000ull   /* PCI MMIO window / ECAM on PCs */
#define FOUR_GIB                0x100000000ull
#define HV_RANGES_MAX           24              /* = mm/guest_mem.h HV_OWNED_MAX */
#define ARG32_MASK              0xffffffffull

/* VMCALL from 32-bit compatibility mode (tests/guest/compat.S): RAX, RBX,
 * RCX loaded with these 64-bit values in 64-bit mode first; returns RAX as
 * the hypervisor left it.  Only under the hypervisor. */
uint64_t compat_vmcall(uint64_t rax, uint64_t rbx, uint64_t rcx);

/* The end of the highest available entry of the memory map (0 without a
 * map): the first byte above the guest's RAM. */
uint64_t guest_ram_top(void);

/* HC_GET_HV_RANGES into out[HV_RANGES_MAX]; the call's result. */
int64_t hv_ranges_fetch(struct hc_range *out);

#endif
