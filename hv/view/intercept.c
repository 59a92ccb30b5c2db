/*
 * The MSR and I/O bitmaps and THE list of what the hypervisor intercepts
 * (see hv/view/intercept.h).
 *
 * MSR bitmap layout (SDM Vol. 3, "MSR-Bitmap Address"): four 1 KiB parts,
 * read-low (MSRs 0-0x1fff), read-high (0xc0000000-0xc0001fff), write-low,
 * write-high; a 1 bit makes the access exit.  I/O bitmap A covers ports
 * 0-0x7fff, B 0x8000-0xffff, one bit per port.
 */
#include "arch/x86/msr.h"
#include "hv/view/intercept.h"
#include "hv/view/msr_policy.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"
#include "mm/pmm.h"

#define MSR_BITMAP_HIGH_OFFSET 1024
#define IO_BITMAP_PORTS      0x8000u      /* ports per bitmap */
#define BITS_PER_BYTE        8

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

/* MSRs the hypervisor owns or virtualises.  VMX is not offered to the
 * guest: IA32_FEATURE_CONTROL and the VMX capability MSRs exit so the
 * handler can answer "no VMX" (#GP or a cleared enable bit).  EFER is
 * switched by the VM-entry/VM-exit controls and passes through. */
static const struct {
	uint32_t first, last;
	bool read, write;
	const char *why;
} intercepted_msrs[] = {
	{ IA32_FEATURE_CONTROL, IA32_FEATURE_CONTROL, true, true,
	  "VMX hidden from the guest" },
	{ IA32_VMX_BASIC, IA32_VMX_PROCBASED_CTLS3, true, true,
	  "VMX capability MSRs: no nested VMX" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Where msr's read bit lives in the MSR bitmap (byte offset and bit; the
 * write bit is MSR_BITMAP_WRITE_OFFSET further).  False for MSRs outside the
 * two ranges the bitmap covers: those always exit. */
bool msr_bitmap_position(uint32_t msr, uint32_t *byte, uint8_t *bit)
{
	uint32_t index, base;

	if (msr <= MSR_LOW_LAST) {
		index = msr - MSR_LOW_FIRST;
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

/* A bitmap page by its physical address (the hypervisor's memory is
 * identity-mapped). */
static uint8_t *page_at(uint64_t phys)
{
	return (uint8_t *)(uintptr_t)phys;       /* identity-mapped */
}

/* Make the guest's RDMSR and/or WRMSR of msr exit, in v's MSR bitmap.  Only
 * adds intercepts, never removes one; the bitmap pages must exist
 * (intercept_init()). */
void intercept_msr(struct vcpu *v, uint32_t msr, bool read, bool write)
{
	uint8_t *bitmap = page_at(v->msr_bitmap_phys);
	uint32_t byte;
	uint8_t bit;

	if (!msr_bitmap_position(msr, &byte, &bit))
		return;                 /* outside the ranges: always exits */
	if (read)
		bitmap[byte] |= (uint8_t)(1u << bit);
	if (write)
		bitmap[byte + MSR_BITMAP_WRITE_OFFSET] |= (uint8_t)(1u << bit);
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
	for (size_t i = 0; i < ARRAY_SIZE(intercepted_msrs); i++)
		for (uint32_t m = intercepted_msrs[i].first;
		     m <= intercepted_msrs[i].last; m++)
			intercept_msr(v, m, intercepted_msrs[i].read,
				      intercepted_msrs[i].write);
}

/* Allocate v's MSR and I/O bitmaps (zeroed: everything passes through),
 * intercept the fixed lists and point the current VMCS at them.  Expects v's
 * VMCS current; other parts add intercepts afterwards (power_intercept()). */
void intercept_init(struct vcpu *v)
{
	v->msr_bitmap_phys = pmm_alloc_page();      /* zeroed: pass-through */
	v->io_bitmap_a_phys = pmm_alloc_page();
	v->io_bitmap_b_phys = pmm_alloc_page();
	apply_list(v);
	vmcs_write64(VMCS_MSR_BITMAP_ADDR, v->msr_bitmap_phys);
	vmcs_write64(VMCS_IO_BITMAP_A_ADDR, v->io_bitmap_a_phys);
	vmcs_write64(VMCS_IO_BITMAP_B_ADDR, v->io_bitmap_b_phys);
}
