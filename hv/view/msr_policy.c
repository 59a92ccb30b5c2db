/*
 * The MSR tables and routing (policy in hv/view/msr_policy.h; the tables
 * are repeated in docs/vmx.md, and a unit test keeps the two equal).
 */
#include "hv/view/msr_policy.h"
#include "hv/view/mtrr_view.h"
#include "lib/bits.h"

#define R true
#define W true
#define NO false
/* A row of one MSR or of first..last, named by the SDM names. */
#define ROW1(msr, rd, wr, cond, why) \
	{ msr, msr, rd, wr, cond, #msr, why }
#define ROWN(first, last, rd, wr, cond, why) \
	{ first, last, rd, wr, cond, #first " .. " #last, why }

/*
 * The allow-list: RDMSR/WRMSR of these run in the guest without an exit.
 * Each is either switched by the VMCS on every entry and exit, or a
 * register the host never uses (so the guest's value cannot mislead it).
 * Sorted, no overlaps (unit-tested).
 */
const struct msr_range msr_passthrough[] = {
	ROW1(IA32_TIME_STAMP_COUNTER, R, NO, MSR_ALWAYS,
	     "reads add the VMCS TSC offset; writes would move the host's TSC"),
	ROW1(IA32_SPEC_CTRL, R, W, MSR_IF_SPEC_CTRL,
	     "speculation controls; switched by the run loop where the host sets IBRS (enhanced IBRS), else the host relies on none"),
	ROW1(IA32_PRED_CMD, NO, W, MSR_IF_IBPB,
	     "write-only command (IBPB): no state"),
	ROW1(IA32_FLUSH_CMD, NO, W, MSR_IF_L1D_FLUSH,
	     "write-only command (L1D flush): no state"),
	ROWN(IA32_SYSENTER_CS, IA32_SYSENTER_EIP, R, W, MSR_ALWAYS,
	     "the VMCS loads the guest's on entry and the host's on exit"),
	ROW1(IA32_DEBUGCTL, R, NO, MSR_ALWAYS,
	     "switched by the debug-controls load/save; writes exit to refuse BTS"),
	ROW1(IA32_PAT, R, W, MSR_IF_PAT_CTLS,
	     "switched by the PAT load/save controls; the CPU checks the types"),
	ROW1(IA32_EFER, R, W, MSR_ALWAYS,
	     "switched by the EFER load/save controls (required); the CPU checks writes"),
	ROWN(IA32_STAR, IA32_FMASK, R, W, MSR_ALWAYS,
	     "SYSCALL/SYSRET set-up: the host never executes SYSCALL"),
	ROWN(IA32_FS_BASE, IA32_GS_BASE, R, W, MSR_ALWAYS,
	     "segment bases the VMCS switches"),
	ROW1(IA32_KERNEL_GS_BASE, R, W, MSR_ALWAYS,
	     "the host never executes SWAPGS"),
	ROW1(IA32_TSC_AUX, R, W, MSR_ALWAYS,
	     "the host never executes RDTSCP or RDPID"),
};
const size_t msr_passthrough_count = ARRAY_SIZE(msr_passthrough);

/*
 * MSRs that exit but are known harmless to route to the hardware (with
 * fault recovery).  Sorted, no overlaps (unit-tested).
 */
const struct msr_range msr_to_hardware[] = {
	ROW1(IA32_PLATFORM_ID, R, NO, MSR_ALWAYS,
	     "read-only platform ID (microcode matching)"),
	ROW1(IA32_TSC_ADJUST, R, W, MSR_ALWAYS,
	     "moves this core's TSC; the host times only statistics with it"),
	ROW1(IA32_BIOS_SIGN_ID, R, W, MSR_ALWAYS,
	     "microcode revision: write 0, CPUID, read it back"),
	ROWN(IA32_MPERF, IA32_APERF, R, NO, MSR_ALWAYS,
	     "read-only frequency feedback counters"),
	ROW1(IA32_ARCH_CAPABILITIES, R, NO, MSR_ALWAYS,
	     "read-only list of the CPU's speculation issues"),
	ROW1(IA32_TSX_CTRL, R, W, MSR_ALWAYS,
	     "TSX off switch and its CPUID bits; the host never uses TSX"),
	ROW1(IA32_MCU_OPT_CTRL, R, W, MSR_ALWAYS,
	     "RDRAND/RDSEED mitigation control; the host never uses them"),
	ROWN(IA32_THERM_INTERRUPT, IA32_THERM_STATUS, R, W, MSR_ALWAYS,
	     "thermal reporting; the host uses none of it"),
	ROW1(IA32_XSS, R, W, MSR_ALWAYS,
	     "supervisor XSAVE components; the host never executes XSAVES; only components CPUID 0xD.1 reports"),
};
const size_t msr_to_hardware_count = ARRAY_SIZE(msr_to_hardware);

/* True when row covers msr in the direction asked. */
static bool row_has(const struct msr_range *row, uint32_t msr, bool write)
{
	return msr >= row->first && msr <= row->last &&
	       (write ? row->write : row->read);
}

/* True when one of the n rows of table covers msr that way. */
bool msr_table_has(const struct msr_range *table, size_t n, uint32_t msr,
		   bool write)
{
	for (size_t i = 0; i < n; i++)
		if (row_has(&table[i], msr, write))
			return true;
	return false;
}

/* The condition's name, for the docs table and messages. */
const char *msr_cond_name(enum msr_cond c)
{
	switch (c) {
	case MSR_IF_PAT_CTLS:   return "with the PAT load/save controls";
	case MSR_IF_SPEC_CTRL:  return "when CPUID.(7,0):EDX[26, 27 or 31] is set";
	case MSR_IF_IBPB:       return "when CPUID.(7,0):EDX[26] is set";
	case MSR_IF_L1D_FLUSH:  return "when CPUID.(7,0):EDX[28] is set";
	default:                return "always";
	}
}

/* Whether the CPU features f satisfy the row condition c. */
static bool cond_holds(const struct msr_features *f, enum msr_cond c)
{
	switch (c) {
	case MSR_IF_PAT_CTLS:   return f->pat_ctls;
	case MSR_IF_SPEC_CTRL:  return f->spec_ctrl;
	case MSR_IF_IBPB:       return f->ibpb;
	case MSR_IF_L1D_FLUSH:  return f->l1d_flush;
	default:                return true;
	}
}

/* True when the allow-list lets this access run without an exit on a CPU
 * with features f. */
bool msr_passes_through(const struct msr_features *f, uint32_t msr,
			bool write)
{
	for (size_t i = 0; i < msr_passthrough_count; i++)
		if (row_has(&msr_passthrough[i], msr, write) &&
		    cond_holds(f, msr_passthrough[i].cond))
			return true;
	return false;
}

/* Where msr's read bit lives in the MSR bitmap (byte, bit; the write bit is
 * MSR_BITMAP_WRITE_OFFSET further); false outside the two covered ranges,
 * whose MSRs always exit. */
bool msr_bitmap_position(uint32_t msr, uint32_t *byte, uint8_t *bit)
{
	uint32_t index, base;

	if (msr <= MSR_LOW_LAST) {
		index = msr;
		base = 0;
	} else if (msr >= MSR_HIGH_FIRST && msr <= MSR_HIGH_LAST) {
		index = msr - MSR_HIGH_FIRST;
		base = MSR_BITMAP_HIGH_OFFSET;
	} else {
		return false;
	}
	*byte = base + index / BITS_PER_BYTE;
	*bit = (uint8_t)(index % BITS_PER_BYTE);
	return true;
}

/* Clear the exit bit of msr for one direction. */
static void let_through(uint8_t *bitmap, uint32_t msr, bool write)
{
	uint32_t byte;
	uint8_t bit;

	if (!msr_bitmap_position(msr, &byte, &bit))
		return;
	if (write)
		byte += MSR_BITMAP_WRITE_OFFSET;
	bitmap[byte] &= (uint8_t)~(1u << bit);
}

/* Fill a 4 KiB MSR bitmap: every access exits except the allow-list's rows
 * whose condition holds on f. */
void msr_bitmap_build(const struct msr_features *f,
		      uint8_t bitmap[MSR_BITMAP_SIZE])
{
	for (uint32_t i = 0; i < MSR_BITMAP_SIZE; i++)
		bitmap[i] = 0xff;
	for (size_t i = 0; i < msr_passthrough_count; i++) {
		const struct msr_range *row = &msr_passthrough[i];

		if (!cond_holds(f, row->cond))
			continue;
		for (uint32_t m = row->first; m <= row->last; m++) {
			if (row->read)
				let_through(bitmap, m, false);
			if (row->write)
				let_through(bitmap, m, true);
		}
	}
}

/* True for the machine-check bank MSRs (IA32_MCi_*, and CTL2). */
static bool machine_check_bank(uint32_t msr)
{
	return (msr >= IA32_MC0_CTL && msr <= IA32_MC31_MISC) ||
	       (msr >= IA32_MC0_CTL2 && msr <= IA32_MC31_CTL2);
}

/* The MSRs with a route of their own, or MSR_ROUTE_DENY. */
static enum msr_route special_route(uint32_t msr, bool pat_in_vmcs)
{
	switch (msr) {
	case IA32_FEATURE_CONTROL:
		return MSR_ROUTE_FEATURE_CONTROL;
	case IA32_EFER:
		return MSR_ROUTE_EFER;
	case IA32_SYSENTER_CS: case IA32_SYSENTER_ESP: case IA32_SYSENTER_EIP:
	case IA32_DEBUGCTL: case IA32_FS_BASE: case IA32_GS_BASE:
		return MSR_ROUTE_VMCS;
	case IA32_PAT:
		return pat_in_vmcs ? MSR_ROUTE_VMCS : MSR_ROUTE_HARDWARE;
	case IA32_APIC_BASE:
	case IA32_TSC_DEADLINE:
		return MSR_ROUTE_VLAPIC;
	case IA32_BIOS_UPDT_TRIG:
		return MSR_ROUTE_BIOS_UPDT_TRIG;
	case IA32_MCG_CAP: case IA32_MCG_STATUS: case IA32_MCG_CTL:
		return MSR_ROUTE_MACHINE_CHECK;
	case IA32_MISC_ENABLE:
		return MSR_ROUTE_MISC_ENABLE;
	case IA32_XSS:
		return MSR_ROUTE_XSS;
	default:
		if (msr >= IA32_VMX_FIRST && msr <= IA32_VMX_LAST)
			return MSR_ROUTE_VMX_GP;
		if (msr >= IA32_X2APIC_FIRST && msr <= IA32_X2APIC_LAST)
			return MSR_ROUTE_VLAPIC;
		if (machine_check_bank(msr))
			return MSR_ROUTE_MACHINE_CHECK;
		if (mtrr_view_owns(msr))
			return MSR_ROUTE_MTRR;
		return MSR_ROUTE_DENY;
	}
}

/* Where an exiting RDMSR/WRMSR of msr goes (see msr_policy.h). */
enum msr_route msr_route_of(uint32_t msr, bool write, bool pat_in_vmcs)
{
	enum msr_route r = special_route(msr, pat_in_vmcs);

	if (r != MSR_ROUTE_DENY)
		return r;
	if (msr > MSR_LOW_LAST && (msr < MSR_HIGH_FIRST || msr > MSR_HIGH_LAST))
		return MSR_ROUTE_NONEXISTENT;
	/* A pass-through MSR exits only when its condition fails (say, no
	 * SPEC_CTRL on this CPU): the hardware then gives the right #GP. */
	if (msr_table_has(msr_passthrough, msr_passthrough_count, msr, write) ||
	    msr_table_has(msr_to_hardware, msr_to_hardware_count, msr, write))
		return MSR_ROUTE_HARDWARE;
	return MSR_ROUTE_DENY;
}

/* No banks, no MCG_CTL, no extensions: the CPU as a guest sees it. */
bool machine_check_read(uint32_t msr, uint64_t *value)
{
	if (msr != IA32_MCG_CAP && msr != IA32_MCG_STATUS)
		return false;
	*value = 0;
	return true;
}

/* MCG_CAP is read-only; MCG_STATUS takes 0 (a handler clearing MCIP). */
bool machine_check_write(uint32_t msr, uint64_t value)
{
	return msr == IA32_MCG_STATUS && value == 0;
}
