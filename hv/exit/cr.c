/*
 * Control-register accesses (exit qualification: SDM Vol. 3, "Exit
 * Qualification for Control-Register Accesses").
 *
 * CR0/CR4: a MOV, CLTS or LMSW exits only when it would change a bit the
 * guest/host mask gives to the hypervisor (v->cr, hv/view/cr.h: the bits
 * VMX fixes, and CR4.VMXE).  The policy is that header's: the read shadow
 * takes the guest's value, so the guest reads back what it wrote; the real
 * register takes the same value with the fixed bits forced (PE and PG are
 * free under unrestricted guest).  Values the CPU would refuse raise #GP,
 * as the CPU would: CR4.VMXE and CR4.SMXE always (VMX and SMX are hidden
 * from the guest), CR4 bits the CPU lacks, and the architectural CR0/CR4
 * combination checks.
 * Side effects the CPU would have had: EFER.LMA and the "IA-32e mode
 * guest" entry control follow CR0.PG when EFER.LME is set; PAE paging
 * reloads the PDPTEs into the VMCS; the guest's TLB (its VPID) is flushed.
 * CR3: only with CR3-load/-store exiting (forced on by CPUs without the
 * TRUE_* MSRs): loads and stores the VMCS field.
 * CR8: only with CR8 exiting (no TPR shadow): a virtual TPR that holds
 * back injection of lower-priority interrupts (hv/vcpu/event_queue.h); the
 * physical TPR stays the host's.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/view/cr.h"
#include "hv/exit/handlers.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/ctls_bits.h"
#include "mm/guest_copy.h"
#include "mm/guest_mem.h"
#include "lib/log.h"
#include "lib/str.h"

#define CR_HIGH_BITS        0xffffffff00000000ull
#define CR3_PCID_NOFLUSH    (1ull << 63)
#define CR3_PAE_PDPT_MASK   0xffffffe0ull     /* PAE: PDPT is 32-byte aligned */
#define PAE_PDPTES          4
#define CR8_TPR_MASK        0xfull
#define LMSW_BITS           (CR0_PE | CR0_MP | CR0_EM | CR0_TS)

/* ---- Side effects ------------------------------------------------------- */

/* The guest's TLB entries are tagged with its VPID and survive VM
 * entries; a CR write the CPU would have acted on must drop them.
 * Without VPID every entry and exit flushes already. */
void flush_guest_tlb(const struct vcpu *v)
{
	if (!v->ctls.vpid)
		return;
	if (invvpid(INVVPID_SINGLE_CONTEXT, v->vpid, 0) != VMX_SUCCEED)
		invvpid(INVVPID_ALL_CONTEXT, 0, 0);
}

/* PAE paging (PG, PAE, not LMA) with EPT: the CPU uses the PDPTE fields of
 * the VMCS, which only a non-exiting MOV would have refreshed.  The PDPT is
 * read like any guest memory (mm/guest_copy.h): a CR3 outside usable guest
 * RAM (a device, a hole) gives four not-present entries, so the guest
 * faults on its own access instead of the hypervisor reading a device. */
void load_pdptes(void)
{
	uint64_t cr0 = vmcs_readnat(VMCS_GUEST_CR0), cr4 = vmcs_readnat(VMCS_GUEST_CR4);
	uint64_t pdpt = vmcs_readnat(VMCS_GUEST_CR3) & CR3_PAE_PDPT_MASK;
	uint64_t e[PAE_PDPTES] = { 0 };

	if (!(cr0 & CR0_PG) || !(cr4 & CR4_PAE) ||
	    (vmcs_read64(VMCS_GUEST_IA32_EFER) & EFER_LMA))
		return;
	if (!copy_from_guest(e, pdpt, sizeof(e))) {
		log_warn("guest PAE PDPT at %#llx is not guest RAM: its entries "
			 "read as not present", (unsigned long long)pdpt);
		memset(e, 0, sizeof(e));
	}
	vmcs_write64(VMCS_GUEST_PDPTE0, e[0]);
	vmcs_write64(VMCS_GUEST_PDPTE1, e[1]);
	vmcs_write64(VMCS_GUEST_PDPTE2, e[2]);
	vmcs_write64(VMCS_GUEST_PDPTE3, e[3]);
}

/* With EFER.LME, turning paging on enters IA-32e mode and off leaves it. */
static void sync_long_mode(struct vcpu *v, bool paging)
{
	uint64_t efer = vmcs_read64(VMCS_GUEST_IA32_EFER);
	uint32_t entry = vmcs_read32(VMCS_ENTRY_CTLS);

	if (!(efer & EFER_LME))
		return;
	efer = paging ? (efer | EFER_LMA) : (efer & ~EFER_LMA);
	entry = paging ? (entry | ENTRY_CTLS_IA32E_MODE)
		       : (entry & ~ENTRY_CTLS_IA32E_MODE);
	vmcs_write64(VMCS_GUEST_IA32_EFER, efer);
	vmcs_write32(VMCS_ENTRY_CTLS, entry);
	v->ctls.word[ENTRY_CTLS] = entry;
}

/* ---- CR0 ------------------------------------------------------------------ */

/* The architectural #GP cases of MOV to CR0 (SDM "MOV—Move to/from
 * Control Registers"). */
static bool cr0_value_valid(uint64_t value)
{
	uint64_t cr4 = guest_cr4_view(), efer = vmcs_read64(VMCS_GUEST_IA32_EFER);

	if (value & CR_HIGH_BITS)
		return false;
	if ((value & CR0_PG) && !(value & CR0_PE))
		return false;
	if ((value & CR0_NW) && !(value & CR0_CD))
		return false;
	if ((value & CR0_PG) && (efer & EFER_LME) && !(cr4 & CR4_PAE))
		return false;
	if (!(value & CR0_PG) && guest_in_64bit_mode())
		return false;
	return true;
}

/* The guest writes CR0 (MOV, CLTS or LMSW): #GP for a value the CPU would
 * refuse; else the shadow takes the guest's value, the real CR0 the same
 * with the VMX-fixed bits forced, and the side effects follow (IA-32e mode
 * on a PG change, PAE PDPTEs, TLB).  VMCS current. */
static enum exit_action guest_write_cr0(struct vcpu *v, uint64_t value)
{
	uint64_t old = guest_cr0_view();

	if (!cr0_value_valid(value)) {
		inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	vmcs_writenat(VMCS_CR0_READ_SHADOW, guest_cr0_shadow(value));
	vmcs_writenat(VMCS_GUEST_CR0, guest_cr0_real(&v->cr, value));
	if ((old ^ value) & CR0_PG)
		sync_long_mode(v, (value & CR0_PG) != 0);
	load_pdptes();
	flush_guest_tlb(v);
	return EXIT_SKIP_INSTRUCTION;
}

/* ---- CR4 ------------------------------------------------------------------ */

/* Bits the CPU cannot hold in VMX operation, and VMXE/SMXE (VMX and SMX
 * are hidden from the guest), are reserved for it. */
static bool cr4_value_valid(const struct vcpu *v, uint64_t value)
{
	uint64_t reserved = v->cr.cr4_must_be_zero | CR4_VMXE | CR4_SMXE;

	if (value & reserved)
		return false;
	if (!(value & CR4_PAE) && (vmcs_read64(VMCS_GUEST_IA32_EFER) & EFER_LMA))
		return false;
	return true;
}

/* The guest writes CR4: #GP for reserved bits (VMXE and SMXE among them) or
 * for clearing PAE in IA-32e mode; else shadow and real register as for CR0,
 * then reload the PAE PDPTEs and flush the guest's TLB.  VMCS current. */
static enum exit_action guest_write_cr4(struct vcpu *v, uint64_t value)
{
	if (!cr4_value_valid(v, value)) {
		inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	vmcs_writenat(VMCS_CR4_READ_SHADOW, guest_cr4_shadow(value));
	vmcs_writenat(VMCS_GUEST_CR4, guest_cr4_real(&v->cr, value));
	load_pdptes();
	flush_guest_tlb(v);
	return EXIT_SKIP_INSTRUCTION;
}

/* ---- CR3, CR8 ------------------------------------------------------------- */

/* MOV to CR3 (only with CR3-load exiting): load the VMCS field, without the
 * PCID no-flush bit, which is not part of the register.  The guest's TLB is
 * flushed unless that bit asked otherwise under CR4.PCIDE. */
static enum exit_action guest_write_cr3(struct vcpu *v, uint64_t value)
{
	bool no_flush = (guest_cr4_view() & CR4_PCIDE) && (value & CR3_PCID_NOFLUSH);

	vmcs_writenat(VMCS_GUEST_CR3, value & ~CR3_PCID_NOFLUSH);
	load_pdptes();
	if (!no_flush)
		flush_guest_tlb(v);
	return EXIT_SKIP_INSTRUCTION;
}

/* MOV to CR8 (only without a TPR shadow): set the virtual TPR, or #GP when
 * bits above the 4-bit priority class are set, as the CPU does. */
static enum exit_action guest_write_cr8(struct vcpu *v, uint64_t value)
{
	if (value & ~CR8_TPR_MASK) {
		inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	inject_set_tpr(v, (uint8_t)value);
	return EXIT_SKIP_INSTRUCTION;
}

/* MOV to CRn: read the source register (its high half dropped outside 64-bit
 * mode, as the CPU does) and write the register the qualification names.  A
 * CR the hypervisor never intercepts stops the guest. */
static enum exit_action mov_to_cr(struct vcpu *v, const struct vmexit *e,
				  const struct qual_cr *q)
{
	uint64_t value = guest_gpr_read(v, q->gpr);

	if (!guest_in_64bit_mode())
		value &= ~CR_HIGH_BITS;
	switch (q->cr) {
	case 0: return guest_write_cr0(v, value);
	case 3: return guest_write_cr3(v, value);
	case 4: return guest_write_cr4(v, value);
	case 8: return guest_write_cr8(v, value);
	default: return exit_fail(v, e, "MOV to an unknown control register");
	}
}

/* MOV from CR3 or CR8 into the register the qualification names.  Reads of
 * CR0/CR4 never exit (the read shadows answer them), so one here stops the
 * guest. */
static enum exit_action mov_from_cr(struct vcpu *v, const struct vmexit *e,
				    const struct qual_cr *q)
{
	if (q->cr == 3)
		guest_gpr_write(v, q->gpr, vmcs_readnat(VMCS_GUEST_CR3));
	else if (q->cr == 8)
		guest_gpr_write(v, q->gpr, inject_get_tpr(v));
	else
		return exit_fail(v, e, "MOV from CR0/CR4 exited (they never should)");
	return EXIT_SKIP_INSTRUCTION;
}

/* LMSW loads PE, MP, EM, TS; it can set PE but never clear it. */
static uint64_t lmsw_value(uint64_t cr0, uint16_t data)
{
	return (cr0 & ~(LMSW_BITS & ~CR0_PE)) | (data & LMSW_BITS);
}

/* Control-register access exit: decode the qualification once and route by
 * access type (MOV to, MOV from, CLTS, LMSW); CLTS and LMSW are CR0 writes
 * of a computed value.  Runs with the vCPU's VMCS current. */
enum exit_action handle_cr_access(struct vcpu *v, const struct vmexit *e)
{
	struct qual_cr q = qual_cr_decode(e->qualification);

	switch (q.type) {
	case CR_ACCESS_MOV_TO_CR:
		return mov_to_cr(v, e, &q);
	case CR_ACCESS_MOV_FROM_CR:
		return mov_from_cr(v, e, &q);
	case CR_ACCESS_CLTS:
		return guest_write_cr0(v, guest_cr0_view() & ~CR0_TS);
	default:
		return guest_write_cr0(v, lmsw_value(guest_cr0_view(), q.lmsw_data));
	}
}
