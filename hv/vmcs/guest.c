/*
 * Initial guest state (Intel SDM Vol. 3, "Guest-State Area") from a
 * loader's struct guest_entry (guest/guest.h).  Both entry modes use the
 * selectors of the Linux boot protocol (code __BOOT_CS 0x10, data
 * __BOOT_DS 0x18) with flat descriptors cached in the VMCS; the guest's
 * GDT is the loader's (or none: multiboot says the OS loads its own
 * before it reloads a segment register).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/view/cr.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/fields.h"
#include "hv/vmcs/guest_seg.h"
#include "hv/vmcs/init.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/ctls_bits.h"
#include "lib/log.h"

#define GUEST_SEL_CODE          0x10
#define GUEST_SEL_DATA          0x18
#define FLAT_LIMIT              0xffffffffu
#define TSS_LIMIT               0x67u       /* a minimal 104-byte TSS */
#define DR7_RESET               0x400ull    /* bit 10 reads as 1 */
#define PAT_RESET               0x0007040600070406ull
#define VMCS_LINK_POINTER_NONE  0xffffffffffffffffull

/* The four field encodings of each guest segment register. */
struct seg_fields {
	uint32_t sel, base, limit, ar;
};

static const struct seg_fields seg_fields[GUEST_SEGS] = {
	[GUEST_SEG_ES] = VMCS_GUEST_SEG_FIELDS(ES),
	[GUEST_SEG_CS] = VMCS_GUEST_SEG_FIELDS(CS),
	[GUEST_SEG_SS] = VMCS_GUEST_SEG_FIELDS(SS),
	[GUEST_SEG_DS] = VMCS_GUEST_SEG_FIELDS(DS),
	[GUEST_SEG_FS] = VMCS_GUEST_SEG_FIELDS(FS),
	[GUEST_SEG_GS] = VMCS_GUEST_SEG_FIELDS(GS),
	[GUEST_SEG_LDTR] = VMCS_GUEST_SEG_FIELDS(LDTR),
	[GUEST_SEG_TR] = VMCS_GUEST_SEG_FIELDS(TR),
};

static const enum guest_seg data_segs[] = {
	GUEST_SEG_DS, GUEST_SEG_ES, GUEST_SEG_FS, GUEST_SEG_GS, GUEST_SEG_SS,
};

/* The generic vmcs_read() for the same reason as the writer below. */
struct guest_seg_state vmcs_read_guest_seg(enum guest_seg seg)
{
	const struct seg_fields *f = &seg_fields[seg];

	return (struct guest_seg_state){
		(uint16_t)vmcs_read(f->sel), vmcs_read(f->base),
		(uint32_t)vmcs_read(f->limit), (uint32_t)vmcs_read(f->ar),
	};
}

/* The field encodings vary, so the generic vmcs_write() is used here;
 * the widths are fixed by the SDM for every segment the same way. */
void vmcs_write_guest_seg(enum guest_seg seg, uint16_t sel, uint64_t base,
			  uint32_t limit, uint32_t ar)
{
	const struct seg_fields *f = &seg_fields[seg];

	vmcs_write(f->sel, sel);
	vmcs_write(f->base, base);
	vmcs_write(f->limit, limit);
	vmcs_write(f->ar, ar);
}

/* Whether the loader asks for a start in 64-bit mode (else 32-bit protected
 * mode, paging off). */
static bool long_mode(const struct guest_entry *e)
{
	return e->mode == GUEST_ENTRY_LONG64;
}

/* Flat 4-GiB code and data segments under the boot protocol's selectors
 * (64-bit code for a long-mode start), a minimal busy TSS, no LDT, the
 * loader's GDT and an empty IDT. */
static void write_segments(const struct guest_entry *e)
{
	vmcs_write_guest_seg(GUEST_SEG_CS, GUEST_SEL_CODE, 0, FLAT_LIMIT,
			     long_mode(e) ? AR_CODE64 : AR_CODE32_FLAT);
	for (size_t i = 0; i < sizeof(data_segs) / sizeof(data_segs[0]); i++)
		vmcs_write_guest_seg(data_segs[i], GUEST_SEL_DATA, 0, FLAT_LIMIT,
				     AR_DATA_FLAT);
	/* VM entry needs a usable busy TSS in TR even though the guest has
	 * none yet; LDTR is unusable. */
	vmcs_write_guest_seg(GUEST_SEG_TR, 0, 0, TSS_LIMIT, AR_TSS_BUSY);
	vmcs_write_guest_seg(GUEST_SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
	vmcs_writenat(VMCS_GUEST_GDTR_BASE, e->gdt_base);
	vmcs_write32(VMCS_GUEST_GDTR_LIMIT, e->gdt_limit);
	vmcs_writenat(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write32(VMCS_GUEST_IDTR_LIMIT, 0);
}

/* CR0/CR4 as the boot protocol defines them; the real registers get the
 * VMX fixed bits on top, the read shadows show the protocol's values. */
static void write_control_registers(const struct vcpu *v,
				    const struct guest_entry *e)
{
	uint64_t cr0 = CR0_PE | CR0_ET | (long_mode(e) ? CR0_PG : 0);
	uint64_t cr4 = long_mode(e) ? CR4_PAE : 0;

	vmcs_writenat(VMCS_GUEST_CR0, guest_cr0_real(&v->cr, cr0));
	vmcs_writenat(VMCS_CR0_READ_SHADOW, guest_cr0_shadow(cr0));
	vmcs_writenat(VMCS_GUEST_CR4, guest_cr4_real(&v->cr, cr4));
	vmcs_writenat(VMCS_CR4_READ_SHADOW, guest_cr4_shadow(cr4));
	vmcs_writenat(VMCS_GUEST_CR3, long_mode(e) ? e->cr3 : 0);
}

/* EFER for the entry mode (LME and LMA for a 64-bit start), PAT at its reset
 * value when the VMCS holds it, DEBUGCTL, DR7 and SYSENTER as after reset. */
static void write_msrs_and_debug(const struct vcpu *v,
				 const struct guest_entry *e)
{
	vmcs_write64(VMCS_GUEST_IA32_EFER, long_mode(e) ? EFER_LME | EFER_LMA : 0);
	if (v->ctls.pat)
		vmcs_write64(VMCS_GUEST_IA32_PAT, PAT_RESET);
	vmcs_write64(VMCS_GUEST_IA32_DEBUGCTL, 0);
	vmcs_writenat(VMCS_GUEST_DR7, DR7_RESET);
	vmcs_write32(VMCS_GUEST_IA32_SYSENTER_CS, 0);
	vmcs_writenat(VMCS_GUEST_IA32_SYSENTER_ESP, 0);
	vmcs_writenat(VMCS_GUEST_IA32_SYSENTER_EIP, 0);
}

/* Interrupts off, active, nothing blocked or pending, no shadow VMCS. */
static void write_non_register_state(const struct guest_entry *e)
{
	vmcs_writenat(VMCS_GUEST_RIP, e->rip);
	vmcs_writenat(VMCS_GUEST_RSP, e->rsp);
	vmcs_writenat(VMCS_GUEST_RFLAGS, RFLAGS_FIXED);
	vmcs_write32(VMCS_GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write32(VMCS_GUEST_INTERRUPTIBILITY_STATE, 0);
	vmcs_writenat(VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, 0);
	vmcs_write64(VMCS_LINK_POINTER, VMCS_LINK_POINTER_NONE);
}

/* "IA-32e mode guest" is guest state: on exactly when the guest starts in
 * 64-bit mode. */
static bool write_entry_mode(struct vcpu *v, const struct guest_entry *e)
{
	uint32_t entry = v->ctls.word[ENTRY_CTLS] & ~ENTRY_CTLS_IA32E_MODE;

	if (long_mode(e)) {
		if (!(v->ctls.may_be_one[ENTRY_CTLS] & ENTRY_CTLS_IA32E_MODE)) {
			log_error("vcpu_init: the CPU cannot enter a 64-bit "
				  "guest (IA-32e mode guest not allowed)");
			return false;
		}
		entry |= ENTRY_CTLS_IA32E_MODE;
	}
	v->ctls.word[ENTRY_CTLS] = entry;
	vmcs_write32(VMCS_ENTRY_CTLS, entry);
	return true;
}

/* Write the guest-state area for the loader's entry e (mode, segments, CRs,
 * MSRs, RIP/RSP, activity) and the initial registers in v->regs.  Expects
 * v's VMCS current and the controls written (vmcs_ctrl_init()); false,
 * logged, for an unknown mode or a 64-bit start the CPU cannot enter. */
bool vmcs_guest_init(struct vcpu *v, const struct guest_entry *e)
{
	if (e->mode != GUEST_ENTRY_PROTECTED32 && e->mode != GUEST_ENTRY_LONG64) {
		log_error("vcpu_init: unknown guest entry mode %u", e->mode);
		return false;
	}
	if (!write_entry_mode(v, e))
		return false;
	write_segments(e);
	write_control_registers(v, e);
	write_msrs_and_debug(v, e);
	write_non_register_state(e);
	v->regs = (struct guest_regs){ .rax = e->rax, .rbx = e->rbx,
				       .rsi = e->rsi };
	return true;
}
