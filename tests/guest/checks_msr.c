/*
 * MSRs: ordinary ones round-trip, VMX ones are hidden, unimplemented ones
 * raise #GP.
 *
 * Policy under the hypervisor (VMX hidden from the guest):
 *  - IA32_VMX_BASIC .. IA32_VMX_VMFUNC (0x480-0x491; the hypervisor
 *    refuses up to 0x492): RDMSR raises #GP, as on
 *    a CPU without VMX.
 *  - IA32_FEATURE_CONTROL: RDMSR succeeds and returns LOCK set with both
 *    VMX-enable bits clear ("disabled by firmware"); WRMSR raises #GP (the
 *    register is locked).  Linux reads it without a fault handler on Intel.
 *  - An index no CPU implements (NONEXISTENT_MSR): RDMSR and WRMSR #GP.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/probe.h"

/* Outside both architectural MSR ranges (0-0x1fff, 0xc0000000-0xc0001fff),
 * so also outside the VMX MSR bitmaps: every access exits. */
#define NONEXISTENT_MSR          0x12345678u
#define FEATURE_CONTROL_VMX_BITS (FEATURE_CONTROL_VMX_INSIDE_SMX | \
				  FEATURE_CONTROL_VMX_OUTSIDE_SMX)

struct msr_sample {
	uint32_t msr;
	const char *name;
	uint64_t value;      /* canonical, so also valid for the address MSRs */
};

static const struct msr_sample roundtrip_msrs[] = {
	{ IA32_SYSENTER_ESP, "IA32_SYSENTER_ESP", 0xffff800012345670ull },
	{ IA32_SYSENTER_EIP, "IA32_SYSENTER_EIP", 0x00007fffdeadbee0ull },
	{ IA32_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE", 0xffff8000cafe0000ull },
	{ IA32_LSTAR, "IA32_LSTAR", 0xffffffff81000000ull },
};

#define TSC_AUX_SAMPLE 0x2au

/* Write, read back, restore; "" on success, else why. */
static enum verdict roundtrip(struct check_result *r, uint32_t msr,
			      const char *name, uint64_t value)
{
	uint64_t saved, got;
	int v;

	if ((v = probe_rdmsr(msr, &saved)) != NO_FAULT)
		return fail(r, "rdmsr %s (0x%x) raised %s", name, msr, vector_name(v));
	if ((v = probe_wrmsr(msr, value)) != NO_FAULT)
		return fail(r, "wrmsr %s (0x%x) raised %s", name, msr, vector_name(v));
	probe_rdmsr(msr, &got);
	probe_wrmsr(msr, saved);
	if (got != value)
		return fail(r, "%s (0x%x): wrote 0x%lx, read 0x%lx", name, msr,
			    value, got);
	return VERDICT_PASS;
}

enum verdict check_msr_roundtrip(struct check_result *r)
{
	const size_t n = sizeof(roundtrip_msrs) / sizeof(roundtrip_msrs[0]);

	for (size_t i = 0; i < n; i++) {
		const struct msr_sample *m = &roundtrip_msrs[i];
		if (roundtrip(r, m->msr, m->name, m->value) != VERDICT_PASS)
			return VERDICT_FAIL;
	}
	if (cpu_has_rdtscp())
		return roundtrip(r, IA32_TSC_AUX, "IA32_TSC_AUX", TSC_AUX_SAMPLE);
	return VERDICT_PASS;
}

/* Without VMX in CPUID every IA32_VMX_* read must #GP; with it (bare on a
 * VMX CPU) IA32_VMX_BASIC must read. */
enum verdict check_msr_vmx_gp(struct check_result *r)
{
	bool vmx = cpuid(1, 0).ecx & CPUID_1_ECX_VMX;
	uint64_t value;

	if (vmx) {
		if (guest_env.under_hv)
			return fail(r, "CPUID shows VMX under the hypervisor");
		int v = probe_rdmsr(IA32_VMX_BASIC, &value);
		return v == NO_FAULT ? VERDICT_PASS :
			fail(r, "bare VMX CPU: rdmsr IA32_VMX_BASIC raised %s", vector_name(v));
	}
	for (uint32_t msr = IA32_VMX_BASIC; msr <= IA32_VMX_VMFUNC; msr++) {
		int v = probe_rdmsr(msr, &value);
		if (v == VEC_GP)
			continue;
		if (v == NO_FAULT && !guest_env.under_hv)
			return skip(r, "bare: rdmsr 0x%x returned 0x%lx without #GP "
				    "(this emulator ignores unknown MSRs)", msr, value);
		return fail(r, "rdmsr 0x%x: expected #GP, got %s (value 0x%lx)", msr,
			    vector_name(v), value);
	}
	return VERDICT_PASS;
}

enum verdict check_msr_feature_control(struct check_result *r)
{
	uint64_t value;
	int v = probe_rdmsr(IA32_FEATURE_CONTROL, &value);

	if (!guest_env.under_hv)
		return v == NO_FAULT ?
			skip(r, "bare: reads 0x%lx; the policy checked is the hypervisor's", value) :
			skip(r, "bare: rdmsr raised %s", vector_name(v));
	if (v != NO_FAULT)
		return fail(r, "rdmsr IA32_FEATURE_CONTROL raised %s", vector_name(v));
	if (!(value & FEATURE_CONTROL_LOCK) || (value & FEATURE_CONTROL_VMX_BITS))
		return fail(r, "reads 0x%lx, expected LOCK set and VMX bits 1-2 clear", value);
	v = probe_wrmsr(IA32_FEATURE_CONTROL, value);
	if (v != VEC_GP)
		return fail(r, "wrmsr of the locked register: expected #GP, got %s",
			    vector_name(v));
	return VERDICT_PASS;
}

enum verdict check_msr_nonexistent_gp(struct check_result *r)
{
	uint64_t value;
	int v = probe_rdmsr(NONEXISTENT_MSR, &value);

	if (v == NO_FAULT && !guest_env.under_hv)
		return skip(r, "bare: rdmsr 0x%x returned 0x%lx without #GP "
			    "(this emulator ignores unknown MSRs)", NONEXISTENT_MSR, value);
	if (v != VEC_GP)
		return fail(r, "rdmsr 0x%x: expected #GP, got %s", NONEXISTENT_MSR,
			    vector_name(v));
	v = probe_wrmsr(NONEXISTENT_MSR, 0);
	if (v != VEC_GP)
		return fail(r, "wrmsr 0x%x: expected #GP, got %s", NONEXISTENT_MSR,
			    vector_name(v));
	return VERDICT_PASS;
}
