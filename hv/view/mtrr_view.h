/*
 * The guest's MTRRs: a shadow per vCPU (pure, unit-tested).
 *
 * The shadow starts as a copy of the hardware's MTRRs (what firmware set),
 * so a guest reads what it would read bare.  RDMSR returns the shadow;
 * WRMSR is checked as the CPU checks it (SDM Vol. 3, "Memory Type Range
 * Registers (MTRRs)": valid types, reserved bits, ranges MTRRCAP reports)
 * and changes only the shadow.  The hardware's MTRRs, and with them the
 * memory types of the host's memory, are never written by a guest.  A
 * change that moves the guest's memory types (mtrr_view_types_changed())
 * rebuilds the guest's EPT with the view's types over hardware-WB memory
 * (hv/view/mtrr_ept.c, mm/ept.h: ept_memtype_combine()).
 */
#ifndef HV_MTRR_VIEW_H
#define HV_MTRR_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/msr.h"
#include "mm/mtrr.h"

#define MTRR_FIXED_MSRS         11      /* 64K x1, 16K x2, 4K x8 */
#define MTRR_PHYSMASK_LAST      (IA32_MTRR_PHYSBASE0 + 2 * MTRR_VAR_MAX - 1)
/* MTRRCAP as the guest sees it: VCNT, FIX, WC; not SMRR and later
 * features (their MSRs are not the guest's). */
#define MTRRCAP_GUEST_MASK      (MTRRCAP_VCNT_MASK | MTRRCAP_FIX | MTRRCAP_WC)
#define MTRR_DEF_TYPE_WRITABLE  (MTRR_DEF_TYPE_MASK | MTRR_DEF_TYPE_FE | \
				 MTRR_DEF_TYPE_E)
#define MTRR_PHYSBASE_RESERVED  0xf00ull        /* bits 11:8 */
#define MTRR_PHYSMASK_RESERVED  0x7ffull        /* bits 10:0 */

struct mtrr_view {
	bool ready;                 /* captured from the hardware */
	bool present;               /* CPUID.1:EDX.MTRR */
	uint64_t cap;               /* IA32_MTRRCAP & MTRRCAP_GUEST_MASK */
	uint64_t def_type;
	uint64_t fixed[MTRR_FIXED_MSRS];
	uint64_t var[2 * MTRR_VAR_MAX];  /* PHYSBASE0, PHYSMASK0, ... */
	uint64_t phys_mask;         /* valid physical-address bits */
};

/* True for the MSRs the view answers (IA32_MTRRCAP, IA32_MTRR_DEF_TYPE,
 * the fixed ranges and PHYSBASE0..PHYSMASK31), whether they exist or not. */
bool mtrr_view_owns(uint32_t msr);

/* RDMSR/WRMSR of an owned MSR: false means #GP (no such MTRR on this CPU,
 * a read-only register, a reserved bit or an invalid memory type). */
bool mtrr_view_read(const struct mtrr_view *m, uint32_t msr, uint64_t *value);
bool mtrr_view_write(struct mtrr_view *m, uint32_t msr, uint64_t value);

/* The view as an mtrr_state for mtrr_range_type() (everything UC while the
 * guest's MTRRs are off, as on bare hardware). */
void mtrr_view_state(const struct mtrr_view *m, struct mtrr_state *s);

/* Whether going from view a to view b changes a memory type the guest's
 * MTRRs give: any change of the enable bits or the default type, and of a
 * range while the MTRRs (for fixed ranges: the fixed MTRRs) are enabled,
 * a variable range only when it is valid before or after.  Writes while
 * the guest's MTRRs are off change nothing (all is UC). */
bool mtrr_view_types_changed(const struct mtrr_view *a,
			     const struct mtrr_view *b);

/* Fill the view from this CPU's MTRRs (hv/exit/msr.c; not pure). */
void mtrr_view_capture(struct mtrr_view *m);

#endif
