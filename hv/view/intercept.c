/*
 * The MSR and I/O bitmaps and THE list of intercepted ports (see
 * hv/view/intercept.h).  The MSR bitmap comes from the allow-list in
 * hv/view/msr_policy.c.  I/O bitmap A covers ports 0-0x7fff, B
 * 0x8000-0xffff, one bit per port.
 */
#include "arch/x86/cpu.h"
#include "hv/view/cpuid.h"
#include "hv/view/intercept.h"
#include "hv/view/msr_policy.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"
#include "lib/bits.h"
#include "mm/pmm.h"

#define IO_BITMAP_PORTS      0x8000u      /* ports per bitmap */

/* ---- The list ------------------------------------------------------------
 * Ports the hypervisor owns: the emulator exits it uses to end a test run,
 * and Bochs's port 0xE9 it says its verdict on, must not be reachable by
 * the guest (a guest could otherwise end the run with any verdict).  The COM port the hypervisor logs on is shared with
 * the guest's console and passes through: both write whole lines. */
static const struct {
	uint16_t first, last;
	const char *why;
} intercepted_ports[] = {
	{ 0x00f4, 0x00f7, "QEMU isa-debug-exit" },
	{ 0x8900, 0x8900, "Bochs shutdown port" },
	{ 0x00e9, 0x00e9, "Bochs port 0xE9: the hypervisor's verdict" },
};


/* A bitmap page by its physical address (the hypervisor is identity-
 * mapped). */
static uint8_t *page_at(uint64_t phys)
{
	return (uint8_t *)(uintptr_t)phys;       /* identity-mapped */
}

/* Make the guest's accesses to port exit (on) or pass (off), in v's I/O
 * bitmap A or B; the bitmap pages must exist (intercept_init()). */
void intercept_io_set(struct vcpu *v, uint16_t port, bool on)
{
	uint64_t phys = port < IO_BITMAP_PORTS ? v->io_bitmap_a_phys
					       : v->io_bitmap_b_phys;
	uint32_t index = port % IO_BITMAP_PORTS;
	uint8_t bit = (uint8_t)(1u << (index % BITS_PER_BYTE));

	if (on)
		page_at(phys)[index / BITS_PER_BYTE] |= bit;
	else
		page_at(phys)[index / BITS_PER_BYTE] &= (uint8_t)~bit;
}

/* Make the guest's accesses to port exit. */
void intercept_io(struct vcpu *v, uint16_t port)
{
	intercept_io_set(v, port, true);
}

/* Set the intercepts of the fixed lists above (hypervisor-owned ports, VMX
 * MSRs) in v's bitmaps. */
static void apply_list(struct vcpu *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(intercepted_ports); i++)
		for (uint32_t p = intercepted_ports[i].first;
		     p <= intercepted_ports[i].last; p++)
			intercept_io(v, (uint16_t)p);
}

/* What the conditional rows of the MSR allow-list depend on: the PAT
 * controls, and the speculation MSRs this CPU reports in CPUID.(7,0):EDX. */
static struct msr_features msr_features_of(const struct vcpu *v)
{
	uint32_t edx = 0;

	if (cpuid(0, 0).eax >= CPUID_LEAF_EXT_FEATURES)
		edx = cpuid(CPUID_LEAF_EXT_FEATURES, 0).edx;
	return (struct msr_features){
		.pat_ctls = v->ctls.pat,
		.spec_ctrl = (edx & CPUID_7_EDX_SPEC_CTRL_ANY) != 0,
		.ibpb = (edx & CPUID_7_EDX_IBRS_IBPB) != 0,
		.l1d_flush = (edx & CPUID_7_EDX_L1D_FLUSH) != 0,
	};
}

/* Allocate v's MSR and I/O bitmaps (zeroed: everything passes through),
 * intercept the fixed lists and point the current VMCS at them.  Expects v's
 * VMCS current; other parts add intercepts afterwards (power_intercept()). */
void intercept_init(struct vcpu *v)
{
	struct msr_features f = msr_features_of(v);

	v->msr_bitmap_phys = pmm_alloc_page();
	v->io_bitmap_a_phys = pmm_alloc_page();      /* zeroed: pass-through */
	v->io_bitmap_b_phys = pmm_alloc_page();
	msr_bitmap_build(&f, page_at(v->msr_bitmap_phys));
	apply_list(v);
	vmcs_write64(VMCS_MSR_BITMAP_ADDR, v->msr_bitmap_phys);
	vmcs_write64(VMCS_IO_BITMAP_A_ADDR, v->io_bitmap_a_phys);
	vmcs_write64(VMCS_IO_BITMAP_B_ADDR, v->io_bitmap_b_phys);
}
