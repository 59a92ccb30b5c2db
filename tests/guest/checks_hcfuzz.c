/*
 * attack_hc_fuzz: 10 000 VMCALLs with pseudo-random call numbers (mostly
 * the valid 0-2 and 4, some random; never HC_TEST_EXIT), arguments and
 * buffers: guest RAM (inside a dedicated region), the last bytes of RAM
 * (mostly straddling its end), the hole above RAM, MMIO
 * (I/O APIC, local APIC, the PCI window at 0xE0000000), the hypervisor's
 * ranges, above 4 GiB, just below 2^64, beyond the physical address width;
 * sizes 0, small, up to 8192 and huge; a quarter of them from 32-bit
 * compatibility mode with garbage in the registers' upper halves.  A fixed
 * xorshift seed makes every run the same.
 *
 * Each result must fit the call: HC_GET_VERSION its version, an unknown
 * number -HC_ERR_UNKNOWN, a buffer outside RAM (with a non-zero size) an
 * error, a 32-bit caller a result with a zero upper half, and nothing but
 * a count or -HC_ERR_FAULT / -HC_ERR_INVALID otherwise.  Afterwards the
 * guest's own memory outside the region (image, data, bss but the stack)
 * has its old checksum, the hypervisor still answers HC_GET_VERSION and
 * HC_GET_HV_RANGES names the same ranges.  Under the hypervisor only.
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "hv/exit/hypercall.h"
#include "tests/guest/attacks.h"
#include "tests/guest/check.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/layout.h"

#define FUZZ_CALLS              10000u
#define FUZZ_SEED               0x9e3779b97f4a7c15ull
#define FUZZ_COMPAT_SHARE       4u      /* one call in 4 from 32-bit mode */
#define FUZZ_RANDOM_NR_SHARE    5u      /* one call in 5 a random number */
#define FUZZ_ADDR_SPAN          8192u   /* RAM buffers start in the first 8 KiB */
#define FUZZ_SIZE_MAX           8192u
#define FUZZ_SMALL_SIZE         64u
/* A call writes at most `size` bytes and never more than one page of
 * statistics text: every RAM buffer's writes stay inside the region. */
#define FUZZ_REGION_SIZE        (FUZZ_ADDR_SPAN + FUZZ_SIZE_MAX)
#define HOLE_SPAN               0x4000000ull    /* 64 MiB above the RAM */
#define HIGH_ADDR_BIT           (1ull << 48)    /* beyond any MAXPHYADDR here */
#define ABOVE_4G_SPAN           (1ull << 40)
#define TOP_SPAN                8192u
#define RAM_END_SPAN            64u     /* BUF_RAM_END: this close below the end */
#define CHECKSUM_PRIME          0x100000001b3ull
#define FIRST_BAD_MAX           120
#define CONSOLE_WRITE_MAX       4096
/* A call that succeeds into the hypervisor's log (guest text, the exit
 * statistics table) costs about 4300 emulated instructions per serial
 * byte in Bochs (the UART's 115200 baud at the model's instruction rate):
 * only a few may succeed, and console writes stay short. */
#define FUZZ_LOUD_CONSOLE_MAX   8
#define FUZZ_LOUD_STATS_MAX     1

/* Where a call's buffer points. */
enum buf_class {
	BUF_RAM, BUF_RAM_END, BUF_HOLE, BUF_MMIO, BUF_HV, BUF_ABOVE_4G, BUF_TOP,
	BUF_HIGH, BUF_CLASSES,
	BUF_CLASSES_32 = BUF_ABOVE_4G,  /* the classes below 4 GiB */
};

/* The result classes the check's line reports. */
struct fuzz_tally {
	uint32_t calls, compat, ok, fault, invalid, unknown;
	uint32_t bad;                   /* results that do not fit the call */
	char first_bad[FIRST_BAD_MAX];
};

struct fuzz {
	uint64_t state;                 /* xorshift64 */
	uint64_t ram_top;
	struct hc_range hv[HV_RANGES_MAX];
	int64_t hv_count;
	uint32_t loud_console, loud_stats;      /* successes into the log */
};

/* The region every RAM buffer falls in; excluded from the checksum. */
static uint8_t fuzz_region[FUZZ_REGION_SIZE] __attribute__((aligned(PAGE_SIZE)));

extern char __image_start[], __bss_end[], boot_stack[], boot_stack_top[];
extern char compat_saved_rsp[];

static uint64_t next(struct fuzz *f)
{
	f->state ^= f->state << 13;
	f->state ^= f->state >> 7;
	f->state ^= f->state << 17;
	return f->state;
}

static uint64_t below(struct fuzz *f, uint64_t n)
{
	return next(f) % n;
}

/* ---- the guest's memory outside the buffers ------------------------------- */

struct span {
	uint64_t start, end;
};

/* True when [a, a + 8) lies in one of the spans. */
static bool excluded(uint64_t a, const struct span *ex, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a + sizeof(uint64_t) > ex[i].start && a < ex[i].end)
			return true;
	return false;
}

/* FNV-style checksum of the image, data and bss, a qword at a time, but
 * the fuzz region, the stack (this code's own frames) and the word
 * compat.S keeps the stack pointer in. */
static uint64_t guest_checksum(void)
{
	const struct span ex[] = {
		{ (uint64_t)fuzz_region, (uint64_t)fuzz_region + sizeof(fuzz_region) },
		{ (uint64_t)boot_stack, (uint64_t)boot_stack_top },
		{ (uint64_t)compat_saved_rsp, (uint64_t)compat_saved_rsp + sizeof(uint64_t) },
	};
	uint64_t sum = 0;

	for (uint64_t a = (uint64_t)__image_start; a < (uint64_t)__bss_end;
	     a += sizeof(uint64_t))
		if (!excluded(a, ex, sizeof(ex) / sizeof(ex[0])))
			sum = (sum ^ *(const volatile uint64_t *)a) * CHECKSUM_PRIME;
	return sum;
}

/* ---- drawing one call ------------------------------------------------------ */

static uint64_t mmio_addr(struct fuzz *f)
{
	static const uint64_t pages[] = { IOAPIC_PAGE, LAPIC_PAGE, PCI_MMCONFIG_GUESS };

	return pages[below(f, sizeof(pages) / sizeof(pages[0]))] + below(f, PAGE_SIZE);
}

static uint64_t hv_addr(struct fuzz *f)
{
	const struct hc_range *h = &f->hv[below(f, (uint64_t)f->hv_count)];

	return h->base + below(f, h->end - h->base);
}

static uint64_t buffer_addr(struct fuzz *f, enum buf_class c)
{
	switch (c) {
	case BUF_RAM:      return (uint64_t)fuzz_region + below(f, FUZZ_ADDR_SPAN);
	case BUF_RAM_END:  return f->ram_top - 1 - below(f, RAM_END_SPAN);
	case BUF_HOLE:     return f->ram_top + below(f, HOLE_SPAN);
	case BUF_MMIO:     return mmio_addr(f);
	case BUF_HV:       return hv_addr(f);
	case BUF_ABOVE_4G: return FOUR_GIB + below(f, ABOVE_4G_SPAN);
	case BUF_TOP:      return 0ull - 1 - below(f, TOP_SPAN);
	default:           return next(f) | HIGH_ADDR_BIT;
	}
}

/* 0, small, up to FUZZ_SIZE_MAX, or huge (past 4 GiB, 2^63, all ones). */
static uint64_t buffer_size(struct fuzz *f)
{
	switch (below(f, 8)) {
	case 0:  return 0;
	case 1: case 2: case 3: return 1 + below(f, FUZZ_SMALL_SIZE);
	case 4: case 5: return below(f, FUZZ_SIZE_MAX + 1);
	case 6:  return FOUR_GIB + below(f, FOUR_GIB);
	default: return below(f, 2) ? 1ull << 63 : ~0ull;
	}
}

/* A call number: mostly one of the valid ones but HC_TEST_EXIT, else
 * random (never one that a 32-bit caller would turn into HC_TEST_EXIT). */
static uint64_t call_number(struct fuzz *f)
{
	static const uint64_t valid[] = {
		HC_GET_VERSION, HC_CONSOLE_WRITE, HC_GET_EXIT_STATS, HC_GET_HV_RANGES,
	};
	uint64_t nr;

	if (below(f, FUZZ_RANDOM_NR_SHARE))
		return valid[below(f, sizeof(valid) / sizeof(valid[0]))];
	do
		nr = next(f);
	while ((nr & ARG32_MASK) == HC_TEST_EXIT);
	return nr;
}

/* ---- judging one result ---------------------------------------------------- */

struct call {
	uint64_t nr, addr, size;        /* as the hypervisor must see them */
	uint64_t ram_top;
	uint64_t hv_bytes;              /* what HC_GET_HV_RANGES writes */
	enum buf_class buf;
	bool compat;
};

static bool takes_buffer(uint64_t nr)
{
	return nr == HC_CONSOLE_WRITE || nr == HC_GET_EXIT_STATS ||
	       nr == HC_GET_HV_RANGES;
}

/* The bytes at addr the call checks: HC_GET_HV_RANGES writes (and
 * checks) only its entries, the size being an upper bound. */
static uint64_t touched(const struct call *c)
{
	if (c->nr == HC_GET_HV_RANGES && c->size > c->hv_bytes)
		return c->hv_bytes;
	return c->size;
}

/* Why result v does not fit call c; NULL when it does. */
static const char *misfit(const struct call *c, int64_t v)
{
	if (c->nr == HC_GET_VERSION)
		return v == HV_ABI_VERSION ? NULL : "wrong version";
	if (!takes_buffer(c->nr))
		return v == -HC_ERR_UNKNOWN ? NULL : "unknown call not refused";
	if (v < 0)
		return v == -HC_ERR_FAULT || v == -HC_ERR_INVALID ? NULL
								   : "unexpected error";
	if (c->buf == BUF_RAM_END && touched(c) <= c->ram_top - c->addr)
		return NULL;            /* wholly below the end: RAM */
	if (c->buf != BUF_RAM && (v > 0 || c->size != 0))
		return "buffer outside RAM accepted";
	return NULL;
}

static void count(struct fuzz_tally *t, const struct call *c, int64_t v)
{
	if (v >= 0)
		t->ok++;
	else if (v == -HC_ERR_FAULT)
		t->fault++;
	else if (v == -HC_ERR_INVALID)
		t->invalid++;
	else if (v == -HC_ERR_UNKNOWN)
		t->unknown++;
	const char *why = misfit(c, v);
	if (why && !t->bad++)
		format(t->first_bad, sizeof(t->first_bad),
			     "%s: nr 0x%lx addr 0x%lx size 0x%lx%s -> %ld", why,
			     c->nr, c->addr, c->size, c->compat ? " (32-bit)" : "", v);
}

/* One call in 64-bit mode: the values as drawn. */
static int64_t call64(const struct call *c, uint64_t extra)
{
	return hypercall(c->nr, c->addr, c->size, extra);
}

/* One call from 32-bit mode: random upper halves over the values the
 * hypervisor must use; a result with a non-zero upper half is a misfit
 * of its own. */
static int64_t call32(struct fuzz *f, const struct call *c, bool *wide)
{
	uint64_t v = compat_vmcall((next(f) & ~ARG32_MASK) | c->nr,
				   (next(f) & ~ARG32_MASK) | c->addr,
				   (next(f) & ~ARG32_MASK) | c->size);

	*wide = v >> 32;
	return (int64_t)(int32_t)(uint32_t)v;
}

/* Keep the calls that would fill the log few (see FUZZ_LOUD_*): a RAM
 * buffer with a size the call may accept becomes a short write while the
 * budget lasts, then size 0 (refused, or nothing to print). */
static void quieten(struct fuzz *f, struct call *c)
{
	if ((c->buf != BUF_RAM && c->buf != BUF_RAM_END) || c->size == 0 ||
	    c->size >= FOUR_GIB)
		return;
	if (c->nr == HC_CONSOLE_WRITE && c->size <= CONSOLE_WRITE_MAX) {
		if (f->loud_console++ < FUZZ_LOUD_CONSOLE_MAX)
			c->size = 1 + c->size % FUZZ_SMALL_SIZE;
		else
			c->size = 0;
	} else if (c->nr == HC_GET_EXIT_STATS) {
		if (f->loud_stats++ >= FUZZ_LOUD_STATS_MAX)
			c->size = 0;
	}
}

/* Draw one call: the values the hypervisor must act on (cut to 32 bits
 * for a 32-bit caller). */
static struct call draw(struct fuzz *f)
{
	struct call c = { .compat = !below(f, FUZZ_COMPAT_SHARE),
			  .ram_top = f->ram_top,
			  .hv_bytes = (uint64_t)f->hv_count * sizeof(struct hc_range) };

	c.nr = call_number(f);
	c.buf = (enum buf_class)below(f, c.compat ? BUF_CLASSES_32 : BUF_CLASSES);
	c.addr = buffer_addr(f, c.buf);
	c.size = buffer_size(f);
	if (c.compat) {
		c.nr &= ARG32_MASK;
		c.addr &= ARG32_MASK;
		c.size &= ARG32_MASK;
	}
	quieten(f, &c);
	return c;
}

static void fuzz_one(struct fuzz *f, struct fuzz_tally *t)
{
	struct call c = draw(f);
	bool wide = false;
	int64_t v;

	if (c.compat) {
		v = call32(f, &c, &wide);
		t->compat++;
	} else {
		v = call64(&c, next(f));
	}
	t->calls++;
	count(t, &c, v);
	if (wide && !t->bad++)
		format(t->first_bad, sizeof(t->first_bad),
		       "32-bit caller got a 64-bit result: nr 0x%lx", c.nr);
}

/* ---- the check ------------------------------------------------------------- */

static bool same_ranges(const struct hc_range *a, const struct hc_range *b,
			int64_t n)
{
	for (int64_t i = 0; i < n; i++)
		if (a[i].base != b[i].base || a[i].end != b[i].end)
			return false;
	return true;
}

/* The hypervisor after the storm: version, the same ranges, the guest's
 * memory as it was. */
static enum verdict after_fuzz(struct check_result *r, const struct fuzz *f,
			       const struct fuzz_tally *t, uint64_t sum)
{
	struct hc_range again[HV_RANGES_MAX];
	int64_t v = hypercall(HC_GET_VERSION, 0, 0, 0);

	if (v != HV_ABI_VERSION)
		return fail(r, "after %u calls HC_GET_VERSION returned 0x%lx",
			    t->calls, v);
	if (hv_ranges_fetch(again) != f->hv_count ||
	    !same_ranges(f->hv, again, f->hv_count))
		return fail(r, "after %u calls HC_GET_HV_RANGES changed", t->calls);
	if (guest_checksum() != sum)
		return fail(r, "guest memory outside the fuzz buffers changed "
			    "(checksum 0x%lx -> 0x%lx)", sum, guest_checksum());
	if (t->bad)
		return fail(r, "%u misfit results; first: %s", t->bad, t->first_bad);
	return VERDICT_PASS;
}

/* The calls, with interrupts off (no handler writes guest memory while
 * the checksum matters); the fuzz state lives on the stack, outside the
 * checksum. */
enum verdict check_attack_hc_fuzz(struct check_result *r)
{
	struct fuzz f = { .state = FUZZ_SEED, .ram_top = guest_ram_top() };
	struct fuzz_tally t = { .calls = 0 };
	bool irqs_on = read_rflags() & RFLAGS_IF;

	if (!guest_env.under_hv)
		return skip_bare(r);
	f.hv_count = hv_ranges_fetch(f.hv);
	if (f.hv_count < 1 || f.hv_count > HV_RANGES_MAX || !f.ram_top)
		return fail(r, "no hypervisor ranges (%ld) or no RAM top", f.hv_count);
	irq_disable();
	uint64_t sum = guest_checksum();
	while (t.calls < FUZZ_CALLS)
		fuzz_one(&f, &t);
	enum verdict v = after_fuzz(r, &f, &t, sum);
	if (irqs_on)
		irq_enable();
	/* The counts, on a line of their own (the PASS line is the name). */
	say("attack_hc_fuzz: %u calls (%u from 32-bit mode): ok %u, "
	    "-HC_ERR_FAULT %u, -HC_ERR_INVALID %u, -HC_ERR_UNKNOWN %u, misfit %u",
	    t.calls, t.compat, t.ok, t.fault, t.invalid, t.unknown, t.bad);
	return v;
}
