/*
 * string_io_segment: OUTSB/INSB on COM1's scratch register (SCR, harmless)
 * meet the segment checks the CPU makes (Intel SDM Vol. 2, "INS", "OUTS",
 * "Protected Mode Exceptions"; Vol. 3, "Segment-Limit Checking"): in
 * compatibility mode (tests/guest/strseg.S) through a data segment of a
 * small limit (the last byte works, the next one is #GP(0)), a REP across
 * the limit (#GP(0) at the first element outside, the elements before
 * done), an expand-down segment, a read-only one (INSB: #GP(0), OUTSB
 * works), null DS and ES, 16-bit addressing (SI, not ESI), a word that
 * straddles the limit, and SS (#SS(0)); in 64-bit mode a non-canonical
 * address (#GP(0), with an SS override too: 64-bit mode ignores it, bare
 * Bochs raises #GP(0) there).  A fault leaves the index and
 * count registers at the faulting element, RIP at the instruction, and
 * neither the port nor memory touched by it.  Under the hypervisor the
 * UART is the virtual one (hv/exit/io_string.c emulates each element,
 * hv/vcpu/seg_check.c decides); bare Bochs's real 16550 and CPU are the
 * reference: both must give the same results.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/layout.h"

#define SCR_PORT          (COM1_BASE + UART_SCR)
#define MSR_SCR_PORT      (COM1_BASE + UART_SCR - 1)   /* a word: MSR and SCR */
#define SCR_MARK          0xee       /* in SCR before each case */
#define PATTERN_BASE      0x40       /* buf[i] = PATTERN_BASE + i */
#define BUF_BYTES         64
#define SMALL_LIMIT       15         /* the small segment: 16 bytes */
#define DOWN_LIMIT        0x7fff     /* expand-down, B = 0: 0x8000 .. 0xFFFF */
#define DOWN_FIRST        0x8000
#define SS_LIMIT_PAGES    0x7ffff    /* G = 1: 2 GiB, the stack inside */
#define SS_BEYOND         0x80000000u
#define NON_CANONICAL     0x8000000000000000ull

/* Descriptor fields (SDM Vol. 3, "Segment Descriptors"). */
#define ACC_DATA_RW       0x93       /* P, S, read/write, accessed */
#define ACC_DATA_RW_DOWN  0x97       /* ... expand-down */
#define ACC_DATA_RO       0x91       /* P, S, read-only, accessed */
#define ACC_NULL          0x00       /* no descriptor: the null selector */
#define FLAG_G            0x8        /* in the descriptor's bits 55:52 */
#define FLAG_B            0x4        /* a 32-bit stack: ESP */
#define DESC_LIMIT_LOW    0xffffu
#define DESC_BASE_LOW     0xffffffu
#define DESC_BASE_SHIFT   16
#define DESC_ACCESS_SHIFT 40
#define DESC_LIMIT_HIGH_SHIFT 48
#define DESC_LIMIT_HIGH   0xfu
#define DESC_FLAGS_SHIFT  52
#define DESC_BASE_HIGH_SHIFT 56
#define DESC_BYTES        8
#define GDT_ENTRIES       16

/* What strseg.S's strseg_run takes and gives (offsets checked below). */
struct strseg_regs {
	const char *snippet;
	uint16_t sel, port;
	uint32_t esi, edi, ecx;
};
_Static_assert(__builtin_offsetof(struct strseg_regs, sel) == 8, "SR_SEL");
_Static_assert(__builtin_offsetof(struct strseg_regs, port) == 10, "SR_PORT");
_Static_assert(__builtin_offsetof(struct strseg_regs, esi) == 12, "SR_ESI");
_Static_assert(__builtin_offsetof(struct strseg_regs, edi) == 16, "SR_EDI");
_Static_assert(__builtin_offsetof(struct strseg_regs, ecx) == 20, "SR_ECX");

void strseg_run(struct strseg_regs *r);

/* The snippets and their instructions (strseg.S). */
#define SNIPPET(name) extern const char name[], name##_insn[]
SNIPPET(strseg_outsb_ds);
SNIPPET(strseg_insb_es);
SNIPPET(strseg_rep_outsb_ds);
SNIPPET(strseg_rep_insb_es);
SNIPPET(strseg_outsb16_ds);
SNIPPET(strseg_outsw_ds);
SNIPPET(strseg_outsb_ss);
#define RUN(name) name, name##_insn

/* One compatibility-mode case.  The segment: base buf + base_off (0 with
 * flat), limit and flags as in the descriptor.  index: ESI or EDI, plus
 * buf's address with rel.  Afterwards (at the fault, or when done): the
 * index (same rel) and ECX; INS wrote SCR's byte to buf[first .. first +
 * n), OUTS left buf[first + n - 1] in SCR (n = 0: nothing moved). */
struct compat_case {
	const char *what;
	const char *snippet, *insn;
	bool ins;
	uint8_t access, flags;
	uint32_t limit;
	int32_t base_off;
	bool flat, rel;
	uint32_t index, count;
	uint16_t port;
	int vector;
	uint32_t index_after, count_after;
	uint8_t first, n;
};

static const struct compat_case compat_cases[] = {
	{ "OUTSB at the limit", RUN(strseg_outsb_ds), false, ACC_DATA_RW, 0,
	  SMALL_LIMIT, 0, false, false, SMALL_LIMIT, 0, SCR_PORT, NO_FAULT,
	  SMALL_LIMIT + 1, 0, SMALL_LIMIT, 1 },
	{ "OUTSB beyond the limit", RUN(strseg_outsb_ds), false, ACC_DATA_RW, 0,
	  SMALL_LIMIT, 0, false, false, SMALL_LIMIT + 1, 0, SCR_PORT, VEC_GP,
	  SMALL_LIMIT + 1, 0, 0, 0 },
	{ "INSB at the limit", RUN(strseg_insb_es), true, ACC_DATA_RW, 0,
	  SMALL_LIMIT, 0, false, false, SMALL_LIMIT, 0, SCR_PORT, NO_FAULT,
	  SMALL_LIMIT + 1, 0, SMALL_LIMIT, 1 },
	{ "INSB beyond the limit", RUN(strseg_insb_es), true, ACC_DATA_RW, 0,
	  SMALL_LIMIT, 0, false, false, SMALL_LIMIT + 1, 0, SCR_PORT, VEC_GP,
	  SMALL_LIMIT + 1, 0, 0, 0 },
	{ "REP OUTSB up to the limit", RUN(strseg_rep_outsb_ds), false,
	  ACC_DATA_RW, 0, SMALL_LIMIT, 0, false, false, SMALL_LIMIT - 5, 6,
	  SCR_PORT, NO_FAULT, SMALL_LIMIT + 1, 0, SMALL_LIMIT - 5, 6 },
	{ "REP OUTSB across the limit", RUN(strseg_rep_outsb_ds), false,
	  ACC_DATA_RW, 0, SMALL_LIMIT, 0, false, false, SMALL_LIMIT - 1, 4,
	  SCR_PORT, VEC_GP, SMALL_LIMIT + 1, 2, SMALL_LIMIT - 1, 2 },
	{ "REP INSB across the limit", RUN(strseg_rep_insb_es), true,
	  ACC_DATA_RW, 0, SMALL_LIMIT, 0, false, false, SMALL_LIMIT - 1, 4,
	  SCR_PORT, VEC_GP, SMALL_LIMIT + 1, 2, SMALL_LIMIT - 1, 2 },
	{ "OUTSW straddling the limit", RUN(strseg_outsw_ds), false, ACC_DATA_RW,
	  0, SMALL_LIMIT, 0, false, false, SMALL_LIMIT, 0, MSR_SCR_PORT, VEC_GP,
	  SMALL_LIMIT, 0, 0, 0 },
	{ "OUTSB 16-bit address (SI inside)", RUN(strseg_outsb16_ds), false,
	  ACC_DATA_RW, 0, SMALL_LIMIT, 0, false, false, 0x10005, 0, SCR_PORT,
	  NO_FAULT, 0x10006, 0, 5, 1 },
	{ "OUTSB 32-bit address (ESI beyond)", RUN(strseg_outsb_ds), false,
	  ACC_DATA_RW, 0, SMALL_LIMIT, 0, false, false, 0x10005, 0, SCR_PORT,
	  VEC_GP, 0x10005, 0, 0, 0 },
	{ "OUTSB expand-down, first offset", RUN(strseg_outsb_ds), false,
	  ACC_DATA_RW_DOWN, 0, DOWN_LIMIT, -DOWN_FIRST, false, false, DOWN_FIRST,
	  0, SCR_PORT, NO_FAULT, DOWN_FIRST + 1, 0, 0, 1 },
	{ "OUTSB expand-down, at the limit", RUN(strseg_outsb_ds), false,
	  ACC_DATA_RW_DOWN, 0, DOWN_LIMIT, -DOWN_FIRST, false, false, DOWN_LIMIT,
	  0, SCR_PORT, VEC_GP, DOWN_LIMIT, 0, 0, 0 },
	{ "INSB expand-down, above 0xFFFF", RUN(strseg_insb_es), true,
	  ACC_DATA_RW_DOWN, 0, DOWN_LIMIT, -DOWN_FIRST, false, false, 0x10000,
	  0, SCR_PORT, VEC_GP, 0x10000, 0, 0, 0 },
	{ "INSB expand-down, inside", RUN(strseg_insb_es), true,
	  ACC_DATA_RW_DOWN, 0, DOWN_LIMIT, -DOWN_FIRST, false, false,
	  DOWN_FIRST + 1, 0, SCR_PORT, NO_FAULT, DOWN_FIRST + 2, 0, 1, 1 },
	{ "INSB read-only ES", RUN(strseg_insb_es), true, ACC_DATA_RO, 0,
	  BUF_BYTES - 1, 0, false, false, 2, 0, SCR_PORT, VEC_GP, 2, 0, 0, 0 },
	{ "OUTSB read-only DS", RUN(strseg_outsb_ds), false, ACC_DATA_RO, 0,
	  BUF_BYTES - 1, 0, false, false, 2, 0, SCR_PORT, NO_FAULT, 3, 0, 2, 1 },
	{ "INSB null ES", RUN(strseg_insb_es), true, ACC_NULL, 0, 0, 0, false,
	  true, 2, 0, SCR_PORT, VEC_GP, 2, 0, 0, 0 },
	{ "OUTSB null DS", RUN(strseg_outsb_ds), false, ACC_NULL, 0, 0, 0, false,
	  true, 2, 0, SCR_PORT, VEC_GP, 2, 0, 0, 0 },
	{ "OUTSB SS: inside", RUN(strseg_outsb_ss), false, ACC_DATA_RW, FLAG_G | FLAG_B,
	  SS_LIMIT_PAGES, 0, true, true, 3, 0, SCR_PORT, NO_FAULT, 4, 0, 3, 1 },
	{ "OUTSB SS: beyond", RUN(strseg_outsb_ss), false, ACC_DATA_RW, FLAG_G | FLAG_B,
	  SS_LIMIT_PAGES, 0, true, false, SS_BEYOND, 0, SCR_PORT, VEC_SS,
	  SS_BEYOND, 0, 0, 0 },
};

static uint8_t buf[BUF_BYTES];
static uint64_t gdt[GDT_ENTRIES];

static uint64_t make_desc(uint32_t base, uint32_t limit, uint8_t access,
			  uint8_t flags)
{
	return (limit & DESC_LIMIT_LOW) |
	       ((uint64_t)(base & DESC_BASE_LOW) << DESC_BASE_SHIFT) |
	       ((uint64_t)access << DESC_ACCESS_SHIFT) |
	       ((uint64_t)((limit >> 16) & DESC_LIMIT_HIGH) << DESC_LIMIT_HIGH_SHIFT) |
	       ((uint64_t)flags << DESC_FLAGS_SHIFT) |
	       ((uint64_t)(base >> 24) << DESC_BASE_HIGH_SHIFT);
}

static void sgdt(struct desc_ptr *p)
{
	__asm__ volatile("sgdt %0" : "=m"(*p));
}

static void lgdt(const struct desc_ptr *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p) : "memory");
}

/* DS, ES and SS back to the flat data segment (a fault leaves them as
 * the case loaded them). */
static void flat_data_segments(void)
{
	__asm__ volatile("mov %0, %%ds\n\tmov %0, %%es\n\tmov %0, %%ss"
			 : : "r"((uint32_t)SEL_DATA) : "memory");
}

/* Run the GDT with the caller's entries and one free slot after them;
 * its selector, or 0 when the table is too small. */
static uint16_t gdt_with_test_slot(const struct desc_ptr *saved)
{
	uint32_t bytes = (uint32_t)saved->limit + 1;
	struct desc_ptr mine;

	if (bytes % DESC_BYTES || bytes + DESC_BYTES > sizeof(gdt))
		return 0;
	__builtin_memcpy(gdt, (const void *)(uintptr_t)saved->base, bytes);
	mine = (struct desc_ptr){ (uint16_t)(bytes + DESC_BYTES - 1),
				  (uint64_t)(uintptr_t)gdt };
	lgdt(&mine);
	return (uint16_t)bytes;
}

static void buf_fill(void)
{
	for (uint32_t i = 0; i < BUF_BYTES; i++)
		buf[i] = (uint8_t)(PATTERN_BASE + i);
}

static void run_regs(void *arg)
{
	strseg_run(arg);
}

/* The registers the case starts with, its descriptor in slot sel. */
static struct strseg_regs case_regs(const struct compat_case *c, uint16_t sel)
{
	uint32_t bufa = (uint32_t)(uintptr_t)buf;
	uint32_t base = c->flat ? 0 : bufa + (uint32_t)c->base_off;
	uint32_t index = c->index + (c->rel ? bufa : 0);
	struct strseg_regs regs = { .snippet = c->snippet, .port = c->port,
				    .ecx = c->count };

	if (c->access == ACC_NULL)
		sel = 0;
	else
		gdt[sel / DESC_BYTES] = make_desc(base, c->limit, c->access, c->flags);
	regs.sel = sel;
	if (c->ins)
		regs.edi = index;
	else
		regs.esi = index;
	return regs;
}

/* The fault (or its absence) as the case wants it. */
static enum verdict judge_fault(struct check_result *r, const struct compat_case *c,
				int vector, const struct fault_record *f)
{
	if (vector != c->vector)
		return fail(r, "%s: %s, want %s", c->what,
			    vector == NO_FAULT ? "no fault" : vector_name(vector),
			    c->vector == NO_FAULT ? "no fault" : vector_name(c->vector));
	if (vector == NO_FAULT)
		return VERDICT_PASS;
	if (f->error_code != 0 || f->rip != (uint64_t)(uintptr_t)c->insn ||
	    f->cs != SEL_CODE32)
		return fail(r, "%s: %s error 0x%lx at 0x%lx CS 0x%lx, want error 0 "
			    "at 0x%lx CS 0x%x", c->what, vector_name(vector),
			    f->error_code, f->rip, f->cs,
			    (uint64_t)(uintptr_t)c->insn, SEL_CODE32);
	return VERDICT_PASS;
}

/* Index register and ECX afterwards. */
static enum verdict judge_regs(struct check_result *r, const struct compat_case *c,
			       uint32_t index, uint32_t count)
{
	uint32_t want = c->index_after + (c->rel ? (uint32_t)(uintptr_t)buf : 0);

	if (index != want || count != c->count_after)
		return fail(r, "%s: %s 0x%x ECX %u, want 0x%x and %u", c->what,
			    c->ins ? "EDI" : "ESI", index, count, want, c->count_after);
	return VERDICT_PASS;
}

/* What moved between SCR and buf. */
static enum verdict judge_data(struct check_result *r, const struct compat_case *c)
{
	uint8_t scr = inb(SCR_PORT);
	uint8_t want_scr = (!c->ins && c->n) ?
		(uint8_t)(PATTERN_BASE + c->first + c->n - 1) : SCR_MARK;

	if (scr != want_scr)
		return fail(r, "%s: SCR 0x%x, want 0x%x", c->what, scr, want_scr);
	for (uint32_t i = 0; i < BUF_BYTES; i++) {
		bool written = c->ins && i >= c->first && i < (uint32_t)c->first + c->n;
		uint8_t want = written ? SCR_MARK : (uint8_t)(PATTERN_BASE + i);

		if (buf[i] != want)
			return fail(r, "%s: buf[%u] 0x%x, want 0x%x", c->what, i,
				    buf[i], want);
	}
	return VERDICT_PASS;
}

static enum verdict run_compat_case(struct check_result *r,
				    const struct compat_case *c, uint16_t sel)
{
	struct strseg_regs regs = case_regs(c, sel);
	struct fault_record f;
	enum verdict v;
	int vector;

	buf_fill();
	outb(SCR_PORT, SCR_MARK);
	vector = try_call(run_regs, &regs, &f);
	flat_data_segments();
	v = judge_fault(r, c, vector, &f);
	if (v != VERDICT_PASS)
		return v;
	if (vector != NO_FAULT) {
		regs.esi = LOW32(f.rsi);
		regs.edi = LOW32(f.rdi);
		regs.ecx = LOW32(f.rcx);
	}
	v = judge_regs(r, c, c->ins ? regs.edi : regs.esi, regs.ecx);
	return v != VERDICT_PASS ? v : judge_data(r, c);
}

static enum verdict compat_cases_run(struct check_result *r)
{
	struct desc_ptr saved;
	enum verdict v = VERDICT_PASS;
	uint16_t sel;

	sgdt(&saved);
	sel = gdt_with_test_slot(&saved);
	if (!sel)
		return fail(r, "GDT limit 0x%x: no room for a test descriptor",
			    saved.limit);
	for (size_t i = 0; i < sizeof(compat_cases) / sizeof(compat_cases[0]) &&
			   v == VERDICT_PASS; i++)
		v = run_compat_case(r, &compat_cases[i], sel);
	lgdt(&saved);
	return v;
}

/* ---- 64-bit mode: no limits, canonical addresses ---------------------------- */

static void outsb64(void *arg)
{
	__asm__ volatile("outsb" : "+S"(*(uint64_t *)arg) : "d"(SCR_PORT) : "memory");
}

static void outsb64_ss(void *arg)
{
	__asm__ volatile("outsb %%ss:(%%rsi), (%%dx)"
			 : "+S"(*(uint64_t *)arg) : "d"(SCR_PORT) : "memory");
}

static void insb64(void *arg)
{
	__asm__ volatile("insb" : "+D"(*(uint64_t *)arg) : "d"(SCR_PORT) : "memory");
}

struct long_case {
	const char *what;
	void (*fn)(void *);
	bool ins;
	int vector;
};

static const struct long_case long_cases[] = {
	{ "64-bit OUTSB at a non-canonical address", outsb64, false, VEC_GP },
	{ "64-bit OUTSB SS: at a non-canonical address", outsb64_ss, false, VEC_GP },
	{ "64-bit INSB at a non-canonical address", insb64, true, VEC_GP },
};

static enum verdict run_long_case(struct check_result *r, const struct long_case *c)
{
	uint64_t index = NON_CANONICAL;
	struct fault_record f;
	uint8_t scr;
	int vector;

	outb(SCR_PORT, SCR_MARK);
	vector = try_call(c->fn, &index, &f);
	scr = inb(SCR_PORT);
	if (vector != c->vector || f.error_code != 0)
		return fail(r, "%s: %s error 0x%lx, want %s(0)", c->what,
			    vector == NO_FAULT ? "no fault" : vector_name(vector),
			    f.error_code, vector_name(c->vector));
	if ((c->ins ? f.rdi : f.rsi) != NON_CANONICAL || scr != SCR_MARK)
		return fail(r, "%s: index 0x%lx, SCR 0x%x: want both unchanged",
			    c->what, c->ins ? f.rdi : f.rsi, scr);
	return VERDICT_PASS;
}

enum verdict check_string_io_segment(struct check_result *r)
{
	bool was_on = read_rflags() & RFLAGS_IF;
	uint8_t saved_scr = inb(SCR_PORT);
	enum verdict v;

	irq_disable();
	v = compat_cases_run(r);
	for (size_t i = 0; i < sizeof(long_cases) / sizeof(long_cases[0]) &&
			   v == VERDICT_PASS; i++)
		v = run_long_case(r, &long_cases[i]);
	outb(SCR_PORT, saved_scr);
	if (was_on)
		irq_enable();
	return v;
}
