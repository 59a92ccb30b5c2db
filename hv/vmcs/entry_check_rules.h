/*
 * Private to the software VM-entry check (hv/vmcs/entry_check*.c): the
 * checker that counts and reports broken rules, the small predicates both
 * halves share, and the constants of the rules.  Not for other users.
 */
#ifndef HV_VMCS_ENTRY_CHECK_RULES_H
#define HV_VMCS_ENTRY_CHECK_RULES_H

#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/entry_check.h"
#include "hv/vmx/ctls_bits.h"
#include "lib/bits.h"
#include "mm/ept.h"

#define LINEAR_ADDR_BITS        48
#define PAGE_OFFSET_MASK        0xfffull
#define CR3_TARGETS_MAX         4
#define EFER_ALLOWED            (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define RFLAGS_RESERVED_ZERO    (~0x3fffffull | (1ull << 15) | (1ull << 5) | \
				 (1ull << 3))
#define DEBUGCTL_RESERVED       (0x3cull | ~0xffffull)
#define DR7_RESERVED_HIGH       (~0xffffffffull)
#define PENDING_DBG_RESERVED    (0xff0ull | (1ull << 13) | (1ull << 15) | \
				 ~0x1ffffull)
#define INTR_STATE_RESERVED     (~0x1full)
#define INTR_INFO_RESERVED      0x7ffff000u
#define INTR_TYPE_RESERVED      1
#define NMI_VECTOR              2
#define EXCEPTION_VECTOR_MAX    31
#define SEG_LIMIT_LOW_BITS      0xfffu
#define SEG_LIMIT_HIGH_BITS     0xfff00000u
#define SEL_TI                  0x4u
#define SEL_RPL_MASK            0x3u
#define LINK_POINTER_NONE       0xffffffffffffffffull

struct checker {
	const struct vmentry_state *s;
	vmentry_report_fn report;
	void *ctx;
	unsigned broken;
};

static inline void rule(struct checker *c, bool ok, const char *text,
		 const char *field, uint64_t value)
{
	if (ok)
		return;
	c->broken++;
	if (c->report)
		c->report(c->ctx, text, field, value);
}

static inline bool canonical(uint64_t a)
{
	const unsigned shift = 64 - LINEAR_ADDR_BITS;

	return (uint64_t)((int64_t)(a << shift) >> shift) == a;
}

static inline bool within_phys(const struct vmentry_state *s, uint64_t a)
{
	return s->maxphyaddr >= 64 || (a >> s->maxphyaddr) == 0;
}

static inline bool fixed_ok(uint64_t v, uint64_t fixed0, uint64_t fixed1)
{
	return (v & fixed0) == fixed0 && (v & ~fixed1) == 0;
}

static inline bool ia32e_guest(const struct vmentry_state *s)
{
	return (s->entry & ENTRY_CTLS_IA32E_MODE) != 0;
}

static inline bool unrestricted(const struct vmentry_state *s)
{
	return (s->proc & PROCBASED_CTLS_ACTIVATE_SECONDARY_CONTROLS) &&
	       (s->proc2 & PROCBASED_CTLS2_UNRESTRICTED_GUEST);
}


/* The two halves, each applying its SDM section's rules to c->s. */
void vmentry_check_ctls_host(struct checker *c);
void vmentry_check_guest(struct checker *c);

#endif
