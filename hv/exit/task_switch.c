/*
 * Task-switch exits (reason 9): the hypervisor carries out the hardware task
 * switch the guest asked for, as Intel SDM Vol. 3 "Task Switching" and "VM
 * Exits Due to Task Switches" describe; the rules are hv/exit/tss.c, this
 * file moves state between the VMCS, the guest registers and guest memory.
 *
 * Every guest memory access (the TSSs, the GDT and LDT descriptors, the
 * error code pushed for an exception) is a supervisor implicit access
 * through hv/vcpu/guest_linear.h.  The order is the SDM's:
 *   before the commit point: the new TSS descriptor and both TSS limits are
 *     checked, the new TSS is read, and every write the switch will make is
 *     translated first; a fault here leaves the old task untouched (the
 *     exiting instruction or event is faulted in the old task's context);
 *   the writes: old busy flag (JMP, IRET), old TSS dynamic fields, new
 *     link field (CALL, task gate), new busy flag (all but IRET);
 *   commit: TR, CR0.TS, DR7 local enables, EFLAGS, EIP, the registers, CR3
 *     (32-bit TSS, paging on) with the PDPTEs under PAE paging, then LDTR,
 *     SS, DS, ES, FS, GS and CS with their checks; a fault here is raised
 *     in the new task, the rest of the registers loaded without checks;
 *   then the error code of an exception delivered through a task gate is
 *     pushed, EIP is checked against the CS limit, and the T bit raises
 *     #DB.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/exit/handlers.h"
#include "hv/exit/tss.h"
#include "hv/vcpu/guest_linear.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/guest_seg.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/insn.h"

_Static_assert((int)TS_ES == (int)GUEST_SEG_ES && (int)TS_CS == (int)GUEST_SEG_CS &&
	       (int)TS_SS == (int)GUEST_SEG_SS && (int)TS_DS == (int)GUEST_SEG_DS &&
	       (int)TS_FS == (int)GUEST_SEG_FS && (int)TS_GS == (int)GUEST_SEG_GS,
	       "TSS segment order is the VMCS order");

#define DR6_BT              (1ull << 15)   /* debug trap: task switch */
#define DR7_LOCAL_ENABLES   0x155ull       /* L0-L3 and LE */
#define LINEAR_MASK_32      0xffffffffull
#define V86_SEG_LIMIT       0xffffu
#define V86_SEG_SHIFT       4
#define CPL_USER            3              /* a user-mode stack: GLA_USER */
#define AR_V86_SEG          (AR_TYPE_RW | AR_TYPE_ACCESSED | AR_S | \
			     (CPL_USER << AR_DPL_SHIFT) | AR_P)
#define ERROR_CODE_PUSH_32  4
#define ERROR_CODE_PUSH_16  2
#define PAGE_OFFSET_MASK    0xfffull
#define STACK_MASK_16       0xffffu        /* SS.B = 0: SP wraps at 64 KiB */

/* DR6 is not in the VMCS: the guest's value is the CPU's while in root
 * mode (arch/x86/cpu.h writes it; this reads it). */
static inline uint64_t read_dr6(void)
{
	uint64_t v;

	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

/* A descriptor table, by its linear base and limit; !usable: no table
 * (the new task's LDT before LDTR is loaded, or a null LDTR). */
struct desc_table {
	uint64_t base;
	uint32_t limit;
	bool usable;
};

/* One task switch in progress. */
struct ts_ctx {
	struct vcpu *v;
	const struct vmexit *e;
	enum task_switch_source src;
	uint16_t sel;                 /* the new TSS */
	struct intr_info event;       /* IDT gate: the event being delivered */
	bool ext;                     /* faults carry EXT */
	struct desc_table gdt, ldt;   /* ldt: the new task's, once loaded */
	struct guest_seg_state tr;    /* the old task's TR */
	uint64_t new_raw;
	struct seg_desc new_desc;
	struct task_state old, next;
	/* The outcome of the last failed step. */
	struct ts_fault fault;
	uint64_t cr2;                 /* fault.vector == EXC_PF */
	bool not_ram;                 /* stop the guest */
};

/* ---- Guest memory ---------------------------------------------------------- */

/* Record a failed access: a #PF for the guest, memory that is not RAM
 * (the guest stops), or a non-canonical address (#GP(0); only in IA-32e
 * mode, where no switch gets this far). */
static bool mem_result(struct ts_ctx *c, enum gla_result r,
		       const struct gla_fault *f)
{
	switch (r) {
	case GLA_OK:
		return true;
	case GLA_PAGE_FAULT:
		c->fault = (struct ts_fault){ EXC_PF, f->error_code };
		c->cr2 = f->cr2;
		return false;
	case GLA_NOT_CANONICAL:
		c->fault = (struct ts_fault){ TS_VEC_GP, 0 };
		return false;
	default:
		c->not_ram = true;
		return false;
	}
}

/* Read len bytes at a 32-bit linear address (supervisor implicit access). */
static bool mem_read(struct ts_ctx *c, uint64_t gla, void *dst, size_t len)
{
	struct gla_fault f;

	return mem_result(c, guest_linear_read(c->v, gla & LINEAR_MASK_32, dst,
					       len, GLA_READ, 0, &f), &f);
}

/* Write len bytes at a 32-bit linear address; flags: GLA_USER for a
 * CPL-3 stack push, else 0 (supervisor implicit access). */
static bool mem_write_as(struct ts_ctx *c, uint64_t gla, const void *src,
			 size_t len, uint32_t flags)
{
	struct gla_fault f;

	return mem_result(c, guest_linear_write(c->v, gla & LINEAR_MASK_32, src,
						len, flags, &f), &f);
}

/* Write len bytes at a 32-bit linear address (supervisor implicit). */
static bool mem_write(struct ts_ctx *c, uint64_t gla, const void *src, size_t len)
{
	return mem_write_as(c, gla, src, len, 0);
}

/* Whether every page of [gla, gla + len) may be written: translated once
 * per page before the switch writes anything. */
static bool mem_writable(struct ts_ctx *c, uint64_t gla, size_t len)
{
	uint64_t end = gla + len;
	struct gla_fault f;
	uint64_t gpa;

	for (uint64_t a = gla; a < end; a = (a | PAGE_OFFSET_MASK) + 1)
		if (!mem_result(c, guest_linear_translate(c->v, a & LINEAR_MASK_32,
							  GLA_WRITE, 0, &gpa, &f), &f))
			return false;
	return true;
}

/* The descriptor sel names in table t (GDT or LDT by its TI bit); *found
 * false when the selector lies outside the table.  False on a memory
 * failure. */
static bool desc_fetch(struct ts_ctx *c, uint16_t sel, uint64_t *raw, bool *found)
{
	const struct desc_table *t = (sel & SEL_TI) ? &c->ldt : &c->gdt;
	uint32_t offset = sel & SEL_INDEX_MASK;

	*raw = 0;
	*found = t->usable && offset + sizeof(*raw) - 1 <= t->limit;
	if (!*found)
		return true;
	return mem_read(c, t->base + offset, raw, sizeof(*raw));
}

/* Linear address of sel's descriptor in the GDT. */
static uint64_t gdt_entry(const struct ts_ctx *c, uint16_t sel)
{
	return c->gdt.base + (sel & SEL_INDEX_MASK);
}

/* ---- The old task ------------------------------------------------------------ */

/* EIP the old task resumes at: past the CALL, JMP, IRET or software
 * interrupt; at the interrupted instruction for hardware events. */
static uint32_t old_eip(const struct ts_ctx *c)
{
	bool past = c->src != TASK_SWITCH_IDT_GATE ||
		    c->event.type == INTR_TYPE_SW_INTR ||
		    c->event.type == INTR_TYPE_SW_EXCEPTION ||
		    c->event.type == INTR_TYPE_PRIV_SW_EXCEPTION;

	return (uint32_t)(c->e->guest_rip + (past ? c->e->instruction_len : 0));
}

/* The old task's EFLAGS image: NT cleared for IRET.  RF needs nothing:
 * after an exit during event delivery the guest RFLAGS already holds the
 * RF of the image the delivery would save (SDM Vol. 3, "Saving RIP, RSP,
 * RFLAGS, and SSP"), set for a fault through a task gate. */
static uint32_t old_eflags(const struct ts_ctx *c)
{
	return ts_saved_eflags(c->src, (uint32_t)vmcs_readnat(VMCS_GUEST_RFLAGS));
}

/* The state the old task leaves behind, from the VMCS and v->regs. */
static void old_state(struct ts_ctx *c)
{
	const struct guest_regs *r = &c->v->regs;
	struct task_state *s = &c->old;

	s->eip = old_eip(c);
	s->eflags = old_eflags(c);
	s->gpr[TS_EAX] = (uint32_t)r->rax;
	s->gpr[TS_ECX] = (uint32_t)r->rcx;
	s->gpr[TS_EDX] = (uint32_t)r->rdx;
	s->gpr[TS_EBX] = (uint32_t)r->rbx;
	s->gpr[TS_ESP] = (uint32_t)vmcs_readnat(VMCS_GUEST_RSP);
	s->gpr[TS_EBP] = (uint32_t)r->rbp;
	s->gpr[TS_ESI] = (uint32_t)r->rsi;
	s->gpr[TS_EDI] = (uint32_t)r->rdi;
	for (int i = 0; i < TS_SEGS; i++)
		s->sel[i] = vmcs_read_guest_seg((enum guest_seg)i).sel;
}

/* Write the old task's dynamic fields into its TSS (32- or 16-bit as TR
 * says). */
static bool save_old(struct ts_ctx *c)
{
	struct tss32 t32;
	struct tss16 t16;

	if (tss_is_32bit((uint8_t)(c->tr.ar & AR_TYPE_MASK))) {
		tss32_save(&c->old, &t32);
		return mem_write(c, c->tr.base + TSS32_SAVE_START,
				 (const uint8_t *)&t32 + TSS32_SAVE_START,
				 TSS32_SAVE_END - TSS32_SAVE_START);
	}
	tss16_save(&c->old, &t16);
	return mem_write(c, c->tr.base + TSS16_SAVE_START,
			 (const uint8_t *)&t16 + TSS16_SAVE_START,
			 TSS16_SAVE_END - TSS16_SAVE_START);
}

/* ---- Before the commit point ------------------------------------------------- */

/* The new TSS descriptor, its checks, and the old TSS's limit. */
static bool check_descriptors(struct ts_ctx *c)
{
	bool found = !(c->sel & SEL_TI);

	if (found && !desc_fetch(c, c->sel, &c->new_raw, &found))
		return false;
	c->new_desc = desc_decode(c->new_raw);
	c->fault = ts_check_new_tss(c->src, c->sel, found, &c->new_desc, c->ext);
	if (c->fault.vector != TS_VEC_NONE)
		return false;
	c->fault = ts_check_old_tss(c->tr.sel, (uint8_t)(c->tr.ar & AR_TYPE_MASK),
				    c->tr.limit, c->ext);
	return c->fault.vector == TS_VEC_NONE;
}

/* Read the new task's state from its TSS. */
static bool read_new_tss(struct ts_ctx *c)
{
	struct tss32 t32;
	struct tss16 t16;

	if (tss_is_32bit(c->new_desc.type)) {
		if (!mem_read(c, c->new_desc.base, &t32, sizeof(t32)))
			return false;
		tss32_load(&t32, &c->next);
		return true;
	}
	if (!mem_read(c, c->new_desc.base, &t16, sizeof(t16)))
		return false;
	tss16_load(&t16, &c->next);
	return true;
}

/* Every page the switch writes, translated before the first write so that
 * a #PF leaves the old task as it was. */
static bool check_writes(struct ts_ctx *c)
{
	bool old32 = tss_is_32bit((uint8_t)(c->tr.ar & AR_TYPE_MASK));
	uint32_t start = old32 ? TSS32_SAVE_START : TSS16_SAVE_START;
	uint32_t end = old32 ? TSS32_SAVE_END : TSS16_SAVE_END;

	if (!mem_writable(c, c->tr.base + start, end - start))
		return false;
	if (ts_clears_old_busy(c->src) &&
	    !mem_writable(c, gdt_entry(c, c->tr.sel) + DESC_TYPE_BYTE, 1))
		return false;
	if (ts_links(c->src) && !mem_writable(c, c->new_desc.base, sizeof(uint16_t)))
		return false;
	return !ts_sets_new_busy(c->src) ||
	       mem_writable(c, gdt_entry(c, c->sel) + DESC_TYPE_BYTE, 1);
}

/* Set or clear the busy flag of the TSS descriptor sel names in the GDT. */
static bool set_busy(struct ts_ctx *c, uint16_t sel, bool busy)
{
	uint8_t type_byte;
	uint64_t at = gdt_entry(c, sel) + DESC_TYPE_BYTE;

	if (!mem_read(c, at, &type_byte, 1))
		return false;
	type_byte = busy ? (uint8_t)(type_byte | DESC_TYPE_TSS_BUSY_BIT)
			 : (uint8_t)(type_byte & ~DESC_TYPE_TSS_BUSY_BIT);
	return mem_write(c, at, &type_byte, 1);
}

/* The memory side of the switch: busy flags, the old task's state into
 * its TSS, link field. */
static bool write_tss_state(struct ts_ctx *c)
{
	old_state(c);
	if (ts_clears_old_busy(c->src) && !set_busy(c, c->tr.sel, false))
		return false;
	if (!save_old(c))
		return false;
	if (ts_links(c->src) && !mem_write(c, c->new_desc.base, &c->tr.sel,
					   sizeof(c->tr.sel)))
		return false;
	return !ts_sets_new_busy(c->src) || set_busy(c, c->sel, true);
}

/* ---- After the commit point ------------------------------------------------- */

/* TR, CR0.TS and DR7's local enables (SDM "Task Switching", steps 10-11;
 * "Debug Control Register (DR7)"). */
static void commit_task_register(struct ts_ctx *c)
{
	uint64_t cr0_mask = vmcs_readnat(VMCS_CR0_GUEST_HOST_MASK);

	vmcs_write_guest_seg(GUEST_SEG_TR, c->sel, c->new_desc.base,
			     c->new_desc.limit,
			     desc_vmx_ar(c->new_raw) | DESC_TYPE_TSS_BUSY_BIT);
	vmcs_writenat(VMCS_GUEST_CR0, vmcs_readnat(VMCS_GUEST_CR0) | CR0_TS);
	if (cr0_mask & CR0_TS)
		vmcs_writenat(VMCS_CR0_READ_SHADOW,
			      vmcs_readnat(VMCS_CR0_READ_SHADOW) | CR0_TS);
	vmcs_writenat(VMCS_GUEST_DR7, vmcs_readnat(VMCS_GUEST_DR7) & ~DR7_LOCAL_ENABLES);
}

/* EFLAGS, EIP and the general registers of the new task. */
static void commit_registers(struct ts_ctx *c)
{
	struct guest_regs *r = &c->v->regs;
	const uint32_t *g = c->next.gpr;

	vmcs_writenat(VMCS_GUEST_RFLAGS, ts_loaded_eflags(c->src, c->next.eflags));
	vmcs_writenat(VMCS_GUEST_RIP, c->next.eip);
	vmcs_writenat(VMCS_GUEST_RSP, g[TS_ESP]);
	r->rax = g[TS_EAX];
	r->rcx = g[TS_ECX];
	r->rdx = g[TS_EDX];
	r->rbx = g[TS_EBX];
	r->rbp = g[TS_EBP];
	r->rsi = g[TS_ESI];
	r->rdi = g[TS_EDI];
}

/* CR3 from a 32-bit TSS when paging is on, with the PDPTEs under PAE
 * paging and the guest's TLB flushed (its VPID survives entries). */
static void commit_cr3(struct ts_ctx *c)
{
	if (!tss_is_32bit(c->new_desc.type) ||
	    !(vmcs_readnat(VMCS_GUEST_CR0) & CR0_PG))
		return;
	vmcs_writenat(VMCS_GUEST_CR3, c->next.cr3);
	load_pdptes();
	flush_guest_tlb(c->v);
}

/* Set the accessed bit of the descriptor at linear `at` (raw: its value),
 * as a segment load does.  A write that fails (a read-only or absent GDT
 * page) leaves the bit clear and changes nothing else: the CPU would have
 * faulted on the descriptor read first. */
static void set_accessed(struct ts_ctx *c, uint64_t at, uint64_t raw)
{
	uint8_t type_byte = (uint8_t)(raw >> (8 * DESC_TYPE_BYTE)) | DESC_TYPE_ACCESSED;
	struct gla_fault f;

	if (raw & ((uint64_t)DESC_TYPE_ACCESSED << (8 * DESC_TYPE_BYTE)))
		return;
	(void)guest_linear_write(c->v, (at + DESC_TYPE_BYTE) & LINEAR_MASK_32,
				 &type_byte, 1, 0, &f);
}

/* Load segment register seg with sel and its code/data descriptor raw
 * (accessed in memory and in the cache); !usable makes it unusable. */
static void load_seg(struct ts_ctx *c, enum guest_seg seg, uint16_t sel,
		     uint64_t raw, bool usable)
{
	struct seg_desc d = desc_decode(raw);
	const struct desc_table *t = (sel & SEL_TI) ? &c->ldt : &c->gdt;

	if (!usable) {
		vmcs_write_guest_seg(seg, sel, 0, 0, AR_UNUSABLE);
		return;
	}
	set_accessed(c, t->base + (sel & SEL_INDEX_MASK), raw);
	vmcs_write_guest_seg(seg, sel, d.base, d.limit,
			     desc_vmx_ar(raw) | DESC_TYPE_ACCESSED);
}

/* LDTR of the new task; later TI = 1 selectors use it. */
static struct ts_fault commit_ldtr(struct ts_ctx *c)
{
	uint16_t sel = c->next.ldt;
	struct ts_fault f;
	uint64_t raw = 0;
	bool found = false;
	struct seg_desc d;

	if (!(sel & SEL_TI) && !SEL_NULL(sel) && !desc_fetch(c, sel, &raw, &found))
		return c->fault;
	d = desc_decode(raw);
	f = ts_check_ldt(sel, found, &d, c->ext);
	if (f.vector != TS_VEC_NONE || SEL_NULL(sel)) {
		vmcs_write_guest_seg(GUEST_SEG_LDTR, sel, 0, 0, AR_UNUSABLE);
		return f;
	}
	vmcs_write_guest_seg(GUEST_SEG_LDTR, sel, d.base, d.limit, desc_vmx_ar(raw));
	c->ldt = (struct desc_table){ d.base, d.limit, true };
	return f;
}

/* The check of one segment register by its kind. */
static struct ts_fault check_seg(struct ts_ctx *c, enum ts_seg seg, uint16_t sel,
				 bool found, const struct seg_desc *d)
{
	uint8_t cs_rpl = c->next.sel[TS_CS] & SEL_RPL_MASK;

	if (seg == TS_CS)
		return ts_check_cs(sel, found, d, c->ext);
	if (seg == TS_SS)
		return ts_check_ss(sel, found, d, cs_rpl, c->ext);
	return ts_check_data(sel, found, d, cs_rpl, c->ext);
}

/* Load one segment register of the new task.  checked: no fault yet, so
 * the SDM's checks apply and the first failure is returned; after a fault
 * the register is loaded when its descriptor can sit there at all, else
 * a data register becomes unusable and CS/SS keep the old task's (a
 * loaded selector with an invalid cache is a state the VMCS cannot hold). */
static struct ts_fault commit_seg(struct ts_ctx *c, enum ts_seg seg, bool checked)
{
	uint16_t sel = c->next.sel[seg];
	struct ts_fault f = TS_FAULT_NONE;
	uint64_t raw = 0;
	bool found = false;
	struct seg_desc d;

	if (!SEL_NULL(sel) && !desc_fetch(c, sel, &raw, &found))
		return c->fault;
	d = desc_decode(raw);
	if (checked)
		f = check_seg(c, seg, sel, found, &d);
	if (f.vector == TS_VEC_NONE && found && ts_desc_loadable(seg, &d))
		load_seg(c, (enum guest_seg)seg, sel, raw, true);
	else if (seg != TS_CS && seg != TS_SS)
		load_seg(c, (enum guest_seg)seg, sel, 0, false);
	return f;
}

/* A virtual-8086 task: segments are 8086 registers (base = selector * 16,
 * limit 64 KiB, DPL 3). */
static void commit_v86_segs(struct ts_ctx *c)
{
	for (int i = 0; i < TS_SEGS; i++) {
		uint16_t sel = c->next.sel[i];

		vmcs_write_guest_seg((enum guest_seg)i, sel,
				     (uint64_t)sel << V86_SEG_SHIFT,
				     V86_SEG_LIMIT, AR_V86_SEG);
	}
}

/* LDTR, SS, DS, ES, FS, GS, CS in the order Bochs and the SDM's table of
 * checks use; the first fault is returned and the loads go on without
 * checks. */
static struct ts_fault commit_segments(struct ts_ctx *c)
{
	static const enum ts_seg order[] = { TS_SS, TS_DS, TS_ES, TS_FS, TS_GS, TS_CS };
	struct ts_fault first = commit_ldtr(c);

	if (c->not_ram)
		return first;
	if (c->next.eflags & RFLAGS_VM) {
		commit_v86_segs(c);
		return first;
	}
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		struct ts_fault f = commit_seg(c, order[i], first.vector == TS_VEC_NONE);

		if (c->not_ram)
			return f;
		if (first.vector == TS_VEC_NONE)
			first = f;
	}
	return first;
}

/* Push the error code of an exception delivered through a task gate on
 * the new task's stack (a dword for a 32-bit TSS, a word for a 16-bit
 * one). */
static bool push_error_code(struct ts_ctx *c, uint32_t code)
{
	uint32_t size = tss_is_32bit(c->new_desc.type) ? ERROR_CODE_PUSH_32
						       : ERROR_CODE_PUSH_16;
	struct guest_seg_state ss = vmcs_read_guest_seg(GUEST_SEG_SS);
	uint32_t old = (uint32_t)vmcs_readnat(VMCS_GUEST_RSP), esp = old - size;
	uint32_t offset = esp;

	if (!(ss.ar & AR_DB)) {      /* a 16-bit stack: SP wraps, the rest stays */
		offset = esp & STACK_MASK_16;
		esp = (old & ~STACK_MASK_16) | offset;
	}
	if (!mem_write_as(c, ss.base + offset, &code, size,
			  AR_DPL(ss.ar) == CPL_USER ? GLA_USER : 0))
		return false;
	vmcs_writenat(VMCS_GUEST_RSP, esp);
	return true;
}

/* ---- The switch ---------------------------------------------------------------- */

/* Raise fault f in the guest (a #PF with its CR2). */
static void raise(struct ts_ctx *c, struct ts_fault f)
{
	if (f.vector == EXC_PF)
		c->v->regs.cr2 = c->cr2;
	inject_exception(c->v, f.vector, f.error_code);
}

/* Everything up to the commit point; false with c->fault or c->not_ram. */
static bool before_commit(struct ts_ctx *c)
{
	return check_descriptors(c) && read_new_tss(c) && check_writes(c) &&
	       write_tss_state(c);
}

/* After the TSS writes the switch is done whatever happens: load the new
 * task, then the faults of the new context in the SDM's order. */
static struct ts_fault after_commit(struct ts_ctx *c)
{
	struct ts_fault f;

	commit_task_register(c);
	commit_registers(c);
	commit_cr3(c);
	f = commit_segments(c);
	if (c->not_ram || f.vector != TS_VEC_NONE)
		return f;
	if (c->src == TASK_SWITCH_IDT_GATE && c->event.error_code_valid &&
	    !push_error_code(c, vmcs_read32(VMCS_IDT_VECTORING_ERROR_CODE)))
		return c->fault;
	if (c->next.eip > vmcs_read32(VMCS_GUEST_CS_LIMIT))
		return (struct ts_fault){ TS_VEC_GP, 0 };
	if (c->next.trap) {
		write_dr6(read_dr6() | DR6_BT);
		return (struct ts_fault){ TS_VEC_DB, 0 };
	}
	return f;
}

/* The guest's interruptibility after the switch: an instruction ended any
 * STI or MOV-SS shadow; an NMI delivered through a task gate blocks NMIs
 * as its delivery through an interrupt gate would. */
static void commit_interruptibility(const struct ts_ctx *c)
{
	uint32_t s = vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE);

	s &= ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	if (c->src == TASK_SWITCH_IDT_GATE && c->event.type == INTR_TYPE_NMI)
		s |= GUEST_INTR_STATE_NMI;
	vmcs_write32(VMCS_GUEST_INTERRUPTIBILITY_STATE, s);
}

/* The context of the exit: source, selectors, tables, the event an IDT
 * task gate was delivering. */
static void ctx_init(struct ts_ctx *c, struct vcpu *v, const struct vmexit *e)
{
	struct qual_task_switch q = qual_task_switch_decode(e->qualification);

	*c = (struct ts_ctx){ .v = v, .e = e, .src = q.source, .sel = q.selector };
	c->event = intr_info_decode(e->idt_vectoring_info);
	c->ext = c->src == TASK_SWITCH_IDT_GATE && c->event.valid &&
		 (c->event.type == INTR_TYPE_EXT_INTR || c->event.type == INTR_TYPE_NMI ||
		  c->event.type == INTR_TYPE_HW_EXCEPTION);
	c->gdt = (struct desc_table){ vmcs_readnat(VMCS_GUEST_GDTR_BASE),
				      vmcs_read32(VMCS_GUEST_GDTR_LIMIT), true };
	c->tr = vmcs_read_guest_seg(GUEST_SEG_TR);
	c->fault = TS_FAULT_NONE;
}

/* A fault before the commit point: the old task stays as it was and takes
 * the fault; an event an IDT task gate was delivering combines with it
 * under the double-fault rules (the dispatcher re-delivers it). */
static enum exit_action fault_before_commit(struct ts_ctx *c)
{
	if (c->not_ram)
		return exit_fail(c->v, c->e, "task switch: a TSS or descriptor "
				 "table is not guest RAM");
	raise(c, c->fault);
	return EXIT_RESUME;
}

/*
 * Task switch (reason 9): CALL or JMP to a TSS or task gate, IRET with NT,
 * or an event through a task gate in the IDT.  The CPU made the checks of
 * SDM "Treatment of Task Switches" that precede the exit; they are made
 * again here (an emulator such as Bochs makes some only after it).  In
 * IA-32e mode there are no task switches: #GP(0).  When an IDT task gate
 * delivered the event, the switch consumed it: EXIT_EVENT_DELIVERED keeps
 * the dispatcher from delivering it again.
 */
enum exit_action handle_task_switch(struct vcpu *v, const struct vmexit *e)
{
	struct ts_ctx c;
	struct ts_fault f;

	ctx_init(&c, v, e);
	if (vmcs_read64(VMCS_GUEST_IA32_EFER) & EFER_LMA) {
		inject_exception(v, EXC_GP, 0);
		return EXIT_RESUME;
	}
	if (!before_commit(&c))
		return fault_before_commit(&c);
	f = after_commit(&c);
	commit_interruptibility(&c);
	inject_recheck(v);
	if (c.not_ram)
		return exit_fail(v, e, "task switch: the new task's descriptor "
				 "table or stack is not guest RAM");
	if (f.vector != TS_VEC_NONE)
		raise(&c, f);
	if (c.src != TASK_SWITCH_IDT_GATE)
		return EXIT_RESUME;
	/* A fault in the new task while delivering an exception combines
	 * with it as the CPU's nested delivery would. */
	if (f.vector != TS_VEC_NONE && f.vector != TS_VEC_DB &&
	    c.event.type == INTR_TYPE_HW_EXCEPTION)
		return EXIT_RESUME;
	return EXIT_EVENT_DELIVERED;
}
