/*
 * Who owns which bit of the guest's CR0 and CR4, shared by the VMCS set-up
 * (hv/vmcs/ctls.c, hv/vmcs/guest.c) and the control-register-access exit
 * handler.  Intel SDM Vol. 3, "Guest/Host Masks and Read Shadows for CR0
 * and CR4", "Restrictions on VMX Operation" (the fixed bits) and Appendix
 * A.7/A.8 (IA32_VMX_CR0_FIXED*, IA32_VMX_CR4_FIXED*).
 *
 * Policy:
 *   - A bit is host-owned (set in the guest/host mask) when VMX operation
 *     fixes it: FIXED0 says it must be 1 or FIXED1 says it must be 0.
 *     With "unrestricted guest", CR0.PE and CR0.PG are exempt: the guest
 *     owns them and may run in real mode or without paging.
 *   - CR4.VMXE is always host-owned and the guest never sees it: its read
 *     shadow is 0 and a guest write setting it is refused by the CR-access
 *     handler (no nested VMX).
 *   - For host-owned bits the read shadow holds the value the guest last
 *     wrote (what it believes); the real register has the fixed value.
 *     Guest-owned bits live in the real register only.
 * Only bits 31:0 of CR0 are considered: its higher bits are reserved and
 * a MOV that sets them faults before any VM exit.  CR4's bits 63:32 are
 * all host-owned and must-be-zero: none is virtualized, and a CPU may
 * allow one in VMX operation (CR4.FRED, bit 32, whose state the VMCS
 * would have to switch; docs/cpu-features.md).
 *
 * Header-only and pure: host unit tests use it as it is.
 */
#ifndef HV_GUEST_CR_H
#define HV_GUEST_CR_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpu.h"

#define GUEST_CR_BITS_MASK 0xffffffffull   /* bits 31:0: the ones a guest may own */

struct guest_cr_policy {
	uint64_t cr0_must_be_one, cr0_must_be_zero;
	uint64_t cr4_must_be_one, cr4_must_be_zero;
	uint64_t cr0_mask, cr4_mask;            /* guest/host masks */
};

/* From the fixed-bit MSRs; unrestricted: the "unrestricted guest"
 * control is on. */
static inline struct guest_cr_policy
guest_cr_policy_make(uint64_t cr0_fixed0, uint64_t cr0_fixed1,
		     uint64_t cr4_fixed0, uint64_t cr4_fixed1, bool unrestricted)
{
	struct guest_cr_policy p;
	uint64_t cr0_exempt = unrestricted ? (CR0_PE | CR0_PG) : 0;

	p.cr0_must_be_one = cr0_fixed0 & ~cr0_exempt & GUEST_CR_BITS_MASK;
	p.cr0_must_be_zero = ~cr0_fixed1 & GUEST_CR_BITS_MASK;
	p.cr4_must_be_one = (cr4_fixed0 | CR4_VMXE) & GUEST_CR_BITS_MASK;
	p.cr4_must_be_zero = ~cr4_fixed1 | ~GUEST_CR_BITS_MASK;
	p.cr0_mask = p.cr0_must_be_one | p.cr0_must_be_zero;
	p.cr4_mask = p.cr4_must_be_one | p.cr4_must_be_zero | CR4_VMXE;
	return p;
}

/* The value to put in the real register (VMCS guest CR0) for what the
 * guest asked for. */
static inline uint64_t guest_cr0_real(const struct guest_cr_policy *p,
				      uint64_t wanted)
{
	return (wanted | p->cr0_must_be_one) & ~p->cr0_must_be_zero;
}

static inline uint64_t guest_cr4_real(const struct guest_cr_policy *p,
				      uint64_t wanted)
{
	return (wanted | p->cr4_must_be_one) & ~p->cr4_must_be_zero;
}

/* The read shadow: the guest's own value, except that CR4.VMXE never
 * shows. */
static inline uint64_t guest_cr0_shadow(uint64_t wanted)
{
	return wanted & GUEST_CR_BITS_MASK;
}

static inline uint64_t guest_cr4_shadow(uint64_t wanted)
{
	return wanted & GUEST_CR_BITS_MASK & ~CR4_VMXE;
}

/* What the guest reads back: host-owned bits from the shadow, the rest
 * from the real register (what MOV from CR0/CR4 returns in VMX non-root
 * operation). */
static inline uint64_t guest_cr_visible(uint64_t real, uint64_t shadow,
					uint64_t mask)
{
	return (real & ~mask) | (shadow & mask);
}

#endif
