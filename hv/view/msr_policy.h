/*
 * The guest's MSRs: default-deny (pure, unit-tested; tables in
 * hv/view/msr_policy.c, documented in docs/vmx.md "Intercepts").
 *
 * The MSR bitmap makes every RDMSR/WRMSR exit except those in the
 * pass-through table (msr_passthrough[]): MSRs the VMCS switches on entry
 * and exit, or that the host never uses, each row with its reason.  An
 * access that exits goes where msr_route_of() says:
 *
 *  - IA32_FEATURE_CONTROL: reads "locked, VMX off in and outside SMX"
 *    (LOCK only); writes #GP.  Linux reads it on Intel without a fault
 *    handler.
 *  - IA32_VMX_BASIC .. IA32_VMX_PROCBASED_CTLS3 (0x480-0x492): #GP, as on a
 *    CPU without VMX (CPUID hides VMX).
 *  - MSRs the VMCS holds for the guest (SYSENTER_*, DEBUGCTL, FS/GS base,
 *    EFER, PAT when the PAT controls are on): the VMCS field.
 *  - IA32_APIC_BASE, IA32_TSC_DEADLINE and the x2APIC MSRs (0x800-0x8ff):
 *    the guest's virtual LAPIC (hv/lapic/lapic.h), never the hardware.
 *  - The MTRRs: a per-vCPU shadow (hv/view/mtrr_view.h); the hardware's
 *    MTRRs, and so the host's memory types, are never written.
 *  - IA32_BIOS_UPDT_TRIG: writes dropped with a log line (no microcode
 *    loads from a guest); reads #GP.
 *  - Machine check: IA32_MCG_CAP reads 0 (no banks, no MCG_CTL), MCG_STATUS
 *    reads 0 and takes 0; every bank MSR #GPs, as with 0 banks.
 *  - IA32_MISC_ENABLE: reads the hardware with "BTS and PEBS unavailable"
 *    set; a write may only clear "limit CPUID maxval" and "XD disable"
 *    and set "automatic thermal control" (those go to the hardware); any
 *    other change #GPs.
 *  - IA32_XSS: reads the hardware; a write setting a supervisor component
 *    the guest's CPUID leaf 0xD does not report #GPs (hv/view/xsave_policy.h),
 *    the rest goes to the hardware.
 *  - The hardware table (msr_to_hardware[]): the real MSR, read or written
 *    in root mode with fault recovery; a #GP there becomes the guest's.
 *  - MSRs outside the two ranges the bitmaps cover (0-0x1fff and
 *    0xc0000000-0xc0001fff): #GP without asking the hardware.
 *  - Everything else, including the PMU, PEBS, DS and PT (RTIT) MSRs,
 *    which CPUID hides: #GP, with a rate-limited log line naming the MSR.
 */
#ifndef HV_MSR_POLICY_H
#define HV_MSR_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/msr.h"

/* The two MSR ranges the VMX MSR bitmaps cover (SDM Vol. 3,
 * "VM-Execution Control Fields", "MSR-Bitmap Address"). */
#define MSR_LOW_FIRST           0x00000000u
#define MSR_LOW_LAST            0x00001fffu
#define MSR_HIGH_FIRST          0xc0000000u
#define MSR_HIGH_LAST           0xc0001fffu
#define IA32_VMX_FIRST          IA32_VMX_BASIC
#define IA32_VMX_LAST           IA32_VMX_PROCBASED_CTLS3
#define FEATURE_CONTROL_GUEST   FEATURE_CONTROL_LOCK
#define EFER_GUEST_WRITABLE     (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define CANONICAL_BITS_4LEVEL   48
#define CANONICAL_BITS_5LEVEL   57
/* DEBUGCTL bits of the BTS/DS family: refused (DS is hidden in CPUID). */
#define DEBUGCTL_GUEST_DENIED   (DEBUGCTL_TR | DEBUGCTL_BTS | DEBUGCTL_BTINT | \
				 DEBUGCTL_BTS_OFF_OS | DEBUGCTL_BTS_OFF_USR)
#define MISC_ENABLE_GUEST_SET   (MISC_ENABLE_BTS_UNAVAILABLE | \
				 MISC_ENABLE_PEBS_UNAVAILABLE)
/* Bits a guest may clear (firmware limits Linux lifts at boot; clearing
 * them only gives CPUID leaves and NX back, to the host as well) and set
 * (automatic thermal control, which Linux turns on: only a protection). */
#define MISC_ENABLE_GUEST_CLEARABLE (MISC_ENABLE_LIMIT_CPUID_MAXVAL | \
				     MISC_ENABLE_XD_DISABLE)
#define MISC_ENABLE_GUEST_SETTABLE  MISC_ENABLE_TM1
/* MSR refusals (denials, APIC base moves, microcode loads) logged per
 * vCPU before the log falls silent. */
#define MSR_DENY_LOG_LIMIT      32

/* MSR bitmap layout (SDM Vol. 3, "MSR-Bitmap Address"): four 1 KiB parts,
 * read-low (MSRs 0-0x1fff), read-high (0xc0000000-0xc0001fff), write-low,
 * write-high; a 1 bit makes the access exit. */
#define MSR_BITMAP_SIZE         4096
#define MSR_BITMAP_HIGH_OFFSET  1024
#define MSR_BITMAP_WRITE_OFFSET 2048

enum msr_route {
	MSR_ROUTE_HARDWARE,          /* the real MSR, with fault recovery */
	MSR_ROUTE_DENY,              /* #GP, logged: default-deny */
	MSR_ROUTE_FEATURE_CONTROL,
	MSR_ROUTE_VMX_GP,            /* #GP */
	MSR_ROUTE_NONEXISTENT,       /* #GP: outside every MSR range */
	MSR_ROUTE_VMCS,              /* a guest-state field */
	MSR_ROUTE_EFER,              /* guest-state field with LMA rules */
	MSR_ROUTE_VLAPIC,            /* the virtual LAPIC: IA32_APIC_BASE,
					IA32_TSC_DEADLINE, x2APIC MSRs */
	MSR_ROUTE_MTRR,              /* the vCPU's shadow MTRRs */
	MSR_ROUTE_BIOS_UPDT_TRIG,    /* write dropped and logged */
	MSR_ROUTE_MACHINE_CHECK,     /* virtual: no banks */
	MSR_ROUTE_MISC_ENABLE,       /* hardware view, no changes */
	MSR_ROUTE_XSS,               /* hardware, writes only of allowed bits */
};

/* When a pass-through row applies. */
enum msr_cond {
	MSR_ALWAYS,
	MSR_IF_PAT_CTLS,             /* the CPU switches IA32_PAT on entry/exit */
	MSR_IF_SPEC_CTRL,            /* CPUID.(7,0):EDX reports IA32_SPEC_CTRL */
	MSR_IF_IBPB,                 /* ... IA32_PRED_CMD */
	MSR_IF_L1D_FLUSH,            /* ... IA32_FLUSH_CMD */
};

/* One row of a table: MSRs first..last, for RDMSR and/or WRMSR. */
struct msr_range {
	uint32_t first, last;
	bool read, write;
	enum msr_cond cond;          /* MSR_ALWAYS in the hardware table */
	const char *name;            /* "IA32_STAR .. IA32_FMASK" */
	const char *why;
};

/* What the conditions of the pass-through table depend on. */
struct msr_features {
	bool pat_ctls, spec_ctrl, ibpb, l1d_flush;
};

extern const struct msr_range msr_passthrough[];
extern const size_t msr_passthrough_count;
extern const struct msr_range msr_to_hardware[];
extern const size_t msr_to_hardware_count;

/* "always", "with the PAT load/save controls", ... (for docs/vmx.md). */
const char *msr_cond_name(enum msr_cond c);

/* True when a row of table[0..n) covers msr for this direction. */
bool msr_table_has(const struct msr_range *table, size_t n, uint32_t msr,
		   bool write);

/* True when the bitmap lets the access through without an exit. */
bool msr_passes_through(const struct msr_features *f, uint32_t msr,
			bool write);

/* Where the read bit for msr lives in the bitmap (the write bit is at
 * *byte + MSR_BITMAP_WRITE_OFFSET).  False for MSRs outside the two
 * ranges, which always exit. */
bool msr_bitmap_position(uint32_t msr, uint32_t *byte, uint8_t *bit);

/* Fill a whole bitmap: every bit set (exit) except the pass-through rows
 * whose condition holds. */
void msr_bitmap_build(const struct msr_features *f,
		      uint8_t bitmap[MSR_BITMAP_SIZE]);

/* Where an RDMSR (write false) or WRMSR (write true) that exited goes. */
enum msr_route msr_route_of(uint32_t msr, bool write, bool pat_in_vmcs);

/* A WRMSR of value to IA32_MISC_ENABLE that reads view: true when it
 * only clears MISC_ENABLE_GUEST_CLEARABLE bits and sets
 * MISC_ENABLE_GUEST_SETTABLE ones; *clear and *set are the bits to change
 * in the hardware. */
static inline bool misc_enable_write_allowed(uint64_t view, uint64_t value,
					     uint64_t *clear, uint64_t *set)
{
	uint64_t cleared = view & ~value, raised = value & ~view;

	if ((cleared & ~MISC_ENABLE_GUEST_CLEARABLE) ||
	    (raised & ~MISC_ENABLE_GUEST_SETTABLE))
		return false;
	*clear = cleared;
	*set = raised;
	return true;
}

/* Machine-check MSRs as a CPU with no banks shows them: false (#GP) or
 * *value / the write absorbed. */
bool machine_check_read(uint32_t msr, uint64_t *value);
bool machine_check_write(uint32_t msr, uint64_t value);

/* Spend one log line of *used (at most MSR_DENY_LOG_LIMIT); true when the
 * caller may log. */
static inline bool msr_deny_log_take(uint32_t *used)
{
	if (*used >= MSR_DENY_LOG_LIMIT)
		return false;
	(*used)++;
	return true;
}

/* The MSRs a guest was refused by default-deny (#GP), kept for one summary
 * line when the guest stops instead of a log line each: the log costs the
 * guest time (about 2700 emulated instructions a byte at 115200 baud) and
 * Linux probes a handful at every boot.  Distinct MSRs up to
 * MSR_DENIED_KEPT; the rest are only counted. */
#define MSR_DENIED_KEPT         16

struct msr_denied {
	uint32_t total;                     /* refused accesses */
	uint32_t kept;                      /* entries in msr[] */
	uint32_t others;                    /* refused MSRs not kept */
	struct {
		uint32_t msr;
		bool read, write;
	} msr[MSR_DENIED_KEPT];
};

/* Record a refused RDMSR (write false) or WRMSR of msr. */
static inline void msr_denied_record(struct msr_denied *d, uint32_t msr,
				     bool write)
{
	uint32_t i;

	d->total++;
	for (i = 0; i < d->kept && d->msr[i].msr != msr; i++)
		;
	if (i == d->kept) {
		if (d->kept == MSR_DENIED_KEPT) {
			d->others++;
			return;
		}
		d->msr[d->kept++].msr = msr;
	}
	if (write)
		d->msr[i].write = true;
	else
		d->msr[i].read = true;
}

/*
 * A WRMSR to IA32_EFER: false (#GP) for reserved bits or an LME change
 * while paging is on (SDM "IA32_EFER MSR"); else *out is the new value
 * with LMA kept as it is (WRMSR ignores the written LMA: the CPU sets it
 * when paging turns on).
 */
static inline bool efer_write(uint64_t old, uint64_t value, bool cr0_pg,
			      uint64_t *out)
{
	if (value & ~EFER_GUEST_WRITABLE)
		return false;
	if (cr0_pg && ((old ^ value) & EFER_LME))
		return false;
	*out = (value & ~EFER_LMA) | (old & EFER_LMA);
	return true;
}

static inline bool canonical(uint64_t addr, unsigned bits)
{
	int64_t shifted = (int64_t)(addr << (64 - bits)) >> (64 - bits);

	return (uint64_t)shifted == addr;
}

#endif
