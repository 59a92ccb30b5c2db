/*
 * String I/O (INS/OUTS, with or without REP) on a port root mode emulates
 * (the virtual UART, the watched 8259A, the hypervisor-owned ports with
 * nothing behind them): each element is one IN or OUT of the instruction's
 * size on the emulated device, its memory operand read or written through
 * the guest's own paging (hv/vcpu/guest_linear.h, copy_from_guest and
 * copy_to_guest underneath), as the CPU does it (Intel SDM Vol. 2, "INS",
 * "OUTS", "REP"): the index register (RSI for OUTS, RDI for INS) moves by
 * the size in the direction of RFLAGS.DF within the address size, RCX
 * counts down with REP.
 *
 * The segment: the exit's guest-linear address is the first element's
 * linear address (SDM Vol. 3, "Exit Qualification for I/O Instructions"
 * and "Guest-Linear Address"), so segment base and override come from
 * the CPU; the base is that address less the index.  The VM exit comes
 * before the CPU's own segment checks (SDM Vol. 3, "Relative Priority of
 * Faults and VM Exits": an unusable segment, an offset beyond the limit
 * and #AC rank below the exit), so they are made here, for every element
 * with the registers at that element and before it touches the port
 * (hv/vcpu/seg_check.h): outside 64-bit mode the segment (ES for INS; for
 * OUTS DS or the override the instruction information names, when
 * IA32_VMX_BASIC[54] says it is reported, else DS) must be usable, of a
 * type the access allows (INS writes: a writable data segment; OUTS
 * reads: data or readable code) and hold every byte of the element at
 * the offset of the address size, expand-down segments by their B flag;
 * virtual-8086 mode the same (its segments are 64 KiB read/write data);
 * real mode checks the limit only.  A refusal is #GP(0), #SS(0) through
 * SS.  In 64-bit mode there are no segment checks; a non-canonical
 * address (the page walk's check) is #GP(0), an SS override included (64-bit
 * mode ignores CS, SS, DS and ES overrides, as bare Bochs does: no #SS).
 * Not modelled: #AC (alignment checking at CPL 3).
 *
 * A REP instruction with more than STRING_CHUNK elements left runs
 * STRING_CHUNK of them per exit and re-executes (RIP unchanged, registers
 * advanced), as the CPU lets interrupts in between iterations.
 * A #PF on an element is injected with the registers at that element (INS
 * translates the destination before it reads the port, so the data is not
 * lost; only an element that straddles a page whose second half faults
 * reads the port first); an operand outside guest RAM (or in the
 * hypervisor's) stops the guest.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/trap.h"
#include "hv/exit/handlers.h"
#include "hv/vcpu/guest_linear.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/seg_check.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/ar.h"
#include "hv/vmcs/guest_seg.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/ctls_bits.h"

#define STRING_CHUNK              64u    /* elements per exit */
#define INFO_ADDR_SIZE_SHIFT      7      /* INS/OUTS instruction information */
#define INFO_ADDR_SIZE_MASK       0x7
#define INFO_SEG_SHIFT            15     /* bits 17:15: ES, CS, SS, DS, FS, GS */
#define INFO_SEG_MASK             0x7
#define ADDR_SIZE_16              0
#define ADDR_SIZE_32              1
#define MASK_16                   0xffffull
#define MASK_32                   0xffffffffull
#define MASK_64                   0xffffffffffffffffull

/* Whether the CPU reports INS/OUTS instruction information
 * (IA32_VMX_BASIC[54]); the MSR is read once. */
static bool ins_outs_info_reported(void)
{
	static int reported = -1;

	if (reported < 0)
		reported = (rdmsr(IA32_VMX_BASIC) & VMX_BASIC_INS_OUTS_INFO) != 0;
	return reported != 0;
}

/* The bits of the index registers (and of RCX with REP) a string I/O
 * instruction uses: SI/DI, ESI/EDI or RSI/RDI by its address size, from
 * the instruction information when IA32_VMX_BASIC[54] says it is
 * reported, else the default of the code segment. */
static uint64_t io_string_index_mask(void)
{
	uint32_t size;

	if (ins_outs_info_reported())
		size = (vmcs_read32(VMCS_EXIT_INSTRUCTION_INFO) >>
			INFO_ADDR_SIZE_SHIFT) & INFO_ADDR_SIZE_MASK;
	else if (guest_in_64bit_mode())
		return MASK_64;
	else
		size = (vmcs_read32(VMCS_GUEST_CS_ACCESS_RIGHTS) & AR_DB) ?
		       ADDR_SIZE_32 : ADDR_SIZE_16;
	return size == ADDR_SIZE_16 ? MASK_16 :
	       size == ADDR_SIZE_32 ? MASK_32 : MASK_64;
}

/* bytes as the signed move of an index register: negated when RFLAGS.DF
 * says the string runs downwards. */
static uint64_t io_string_delta(uint64_t bytes)
{
	return (vmcs_readnat(VMCS_GUEST_RFLAGS) & RFLAGS_DF) ?
	       (uint64_t)0 - bytes : bytes;
}

/* reg advanced by delta within mask (the CPU's wrap-around at the
 * address size): the bits above a 16-bit mask are left as they were, a
 * 32-bit result is zero-extended as every 32-bit register write is (SDM
 * Vol. 1, "General-Purpose Registers in 64-Bit Mode"; outside 64-bit
 * mode the upper half is undefined). */
static uint64_t io_string_advance(uint64_t reg, uint64_t delta, uint64_t mask)
{
	if (mask == MASK_32)
		return (reg + delta) & MASK_32;
	return (reg & ~mask) | ((reg + delta) & mask);
}

/* The segment of the memory operand: ES for INS (no override; the
 * instruction information's segment field is undefined for INS), for
 * OUTS the field when IA32_VMX_BASIC[54] says it is reported, else DS,
 * the default (an override is then not seen: see the file comment). */
static enum guest_seg string_segment(const struct qual_io *q)
{
	uint32_t seg;

	if (q->in)
		return GUEST_SEG_ES;
	if (!ins_outs_info_reported())
		return GUEST_SEG_DS;
	seg = (vmcs_read32(VMCS_EXIT_INSTRUCTION_INFO) >> INFO_SEG_SHIFT) &
	      INFO_SEG_MASK;
	return seg <= GUEST_SEG_GS ? (enum guest_seg)seg : GUEST_SEG_DS;
}

/* One string instruction in progress. */
struct string_op {
	const struct qual_io *q;
	uint64_t mask;          /* index (and count) bits */
	uint64_t linear_mask;   /* 32-bit linear addresses outside IA-32e mode */
	uint64_t seg_base;      /* linear address = seg_base + index */
	uint64_t *index;        /* &regs.rsi (OUTS) or &regs.rdi (INS) */
	uint64_t step;          /* +size, or -size with RFLAGS.DF */
	uint32_t flags;         /* GLA_* of the guest's CPL */
	bool seg_checked;       /* outside 64-bit mode: limit and type checks */
	bool real_mode;         /* CR0.PE = 0: the limit only */
	uint32_t seg_ar;        /* the segment's VMCS access rights and limit */
	uint32_t seg_limit;
	uint8_t seg_vector;     /* of a segment check: #SS for SS, else #GP */
};

/* Whether the segment lets the current element through (SDM Vol. 3,
 * "Segment-Limit Checking", "Type Checking"): always in 64-bit mode. */
static bool segment_allows(const struct string_op *op)
{
	struct seg_access a = {
		.offset = *op->index & op->mask, .len = op->q->size,
		.write = op->q->in, .real_mode = op->real_mode,
	};

	return !op->seg_checked ||
	       seg_check_data(op->seg_ar, op->seg_limit, &a) == SEG_CHECK_OK;
}

/* What the element's memory access ended with, as an exit action;
 * GLA_OK: nothing (the caller goes on).  A non-canonical address (64-bit
 * mode) is #GP(0) whatever the override (see the file comment). */
static enum exit_action memory_fault(struct vcpu *v, enum gla_result res,
				     const struct gla_fault *f)
{
	if (res == GLA_PAGE_FAULT) {
		v->regs.cr2 = f->cr2;
		inject_exception(v, VECTOR_PF, f->error_code);
		return EXIT_RESUME;
	}
	if (res == GLA_NOT_CANONICAL) {
		inject_exception(v, VECTOR_GP, 0);
		return EXIT_RESUME;
	}
	vcpu_stop(v, false, "string I/O: the memory operand is not guest RAM");
	return EXIT_STOP_GUEST;
}

/* One element: OUTS reads memory and writes the port, INS reads the port
 * and writes memory; then the index moves.  GLA_OK or the fault. */
static enum gla_result one_element(struct vcpu *v, struct string_op *op,
				   io_element_fn element, struct gla_fault *f)
{
	uint64_t lin = (op->seg_base + (*op->index & op->mask)) & op->linear_mask;
	uint32_t value = 0;
	enum gla_result res;

	if (op->q->in) {
		uint64_t gpa;

		res = guest_linear_translate(v, lin, GLA_WRITE, op->flags, &gpa, f);
		if (res != GLA_OK)
			return res;
		value = element(v, op->q, 0);
		res = guest_linear_write(v, lin, &value, op->q->size, op->flags, f);
	} else {
		res = guest_linear_read(v, lin, &value, op->q->size, GLA_READ,
					op->flags, f);
		if (res == GLA_OK)
			(void)element(v, op->q, value);
	}
	if (res == GLA_OK)
		*op->index = io_string_advance(*op->index, op->step, op->mask);
	return res;
}

/* The segment part of a string instruction's state: which checks apply
 * in the guest's mode (64-bit mode: none; op->linear_mask already says
 * which mode), the segment's attributes and its fault vector. */
static void string_begin_segment(struct string_op *op, enum guest_seg seg)
{
	struct guest_seg_state s = vmcs_read_guest_seg(seg);

	op->seg_checked = op->linear_mask != MASK_64;
	op->real_mode = !(vmcs_readnat(VMCS_GUEST_CR0) & CR0_PE);
	op->seg_ar = s.ar;
	op->seg_limit = s.limit;
	op->seg_vector = seg == GUEST_SEG_SS ? VECTOR_SS : VECTOR_GP;
}

/* The state a string instruction starts from (see the file comment). */
static struct string_op string_begin(struct vcpu *v, const struct qual_io *q)
{
	struct string_op op = { .q = q, .mask = io_string_index_mask() };

	op.index = q->in ? &v->regs.rdi : &v->regs.rsi;
	op.linear_mask = guest_in_64bit_mode() ? MASK_64 : MASK_32;
	op.seg_base = vmcs_readnat(VMCS_GUEST_LINEAR_ADDR) - (*op.index & op.mask);
	op.step = io_string_delta(q->size);
	op.flags = guest_linear_cpl_flags(v);
	string_begin_segment(&op, string_segment(q));
	return op;
}

enum exit_action io_string_emulate(struct vcpu *v, const struct qual_io *q,
				   io_element_fn element)
{
	struct string_op op = string_begin(v, q);
	uint64_t left = q->rep ? (v->regs.rcx & op.mask) : 1;
	struct gla_fault f;

	for (uint32_t n = 0; left && n < STRING_CHUNK; n++, left--) {
		enum gla_result res;

		if (!segment_allows(&op)) {
			inject_exception(v, op.seg_vector, 0);
			return EXIT_RESUME;
		}
		res = one_element(v, &op, element, &f);
		if (res != GLA_OK)
			return memory_fault(v, res, &f);
		if (q->rep)
			v->regs.rcx = io_string_advance(v->regs.rcx,
							(uint64_t)0 - 1, op.mask);
	}
	if (!left)
		return EXIT_SKIP_INSTRUCTION;
	/* Re-executed for the elements left: RF set, as the CPU has it
	 * between iterations, so that an instruction breakpoint on it does
	 * not hit again (SDM Vol. 3, "Resume Flag (RF)"). */
	vmcs_writenat(VMCS_GUEST_RFLAGS,
		      vmcs_readnat(VMCS_GUEST_RFLAGS) | RFLAGS_RF);
	return EXIT_RESUME;
}
