/* hv/vcpu/page_walk.c over page tables built in a fake guest memory. */
#include <stdbool.h>

#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/page.h"
#include "hv/vcpu/page_walk.h"
#include "tests/unit/test.h"

#define FAKE_PAGES   64
#define FAKE_SIZE    (FAKE_PAGES * 4096u)
#define TEST_MAXPHY  39
#define PT32_ENTRIES_BITS 10

#define P   PTE_PRESENT
#define W   PTE_WRITABLE
#define U   PTE_USER
#define PS  PTE_PAGE_SIZE

static uint8_t fake[FAKE_SIZE];
static uint64_t next_page;
static unsigned fake_writes;

static bool fake_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	(void)ctx;
	if (gpa >= FAKE_SIZE || len > FAKE_SIZE - gpa)
		return false;
	memcpy(dst, fake + gpa, len);
	return true;
}

static bool fake_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	(void)ctx;
	if (gpa >= FAKE_SIZE || len > FAKE_SIZE - gpa)
		return false;
	memcpy(fake + gpa, src, len);
	fake_writes++;
	return true;
}

static const struct guest_phys_mem mem = { NULL, fake_read, fake_write };

static uint64_t get(uint64_t gpa, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, fake + gpa, size);
	return v;
}

static void put(uint64_t gpa, uint64_t v, unsigned size)
{
	memcpy(fake + gpa, &v, size);
}

static void reset(void)
{
	memset(fake, 0, sizeof(fake));
	next_page = 0x1000;
	fake_writes = 0;
}

static uint64_t alloc_page(void)
{
	uint64_t p = next_page;

	next_page += 4096;
	return p;
}

/*
 * Map gla to gpa below the table at `table`: `levels` levels of entries of
 * `esize` bytes translating `bits` bits each; the leaf at leaf_level
 * (1 = 4 KiB) gets lflags (PS added above level 1), tables get tflags.
 * Returns the leaf entry's address.
 */
static uint64_t map(uint64_t table, unsigned levels, unsigned bits,
		    unsigned esize, uint64_t gla, uint64_t gpa,
		    unsigned leaf_level, uint64_t tflags, uint64_t lflags)
{
	uint64_t at;

	for (unsigned l = levels; l > leaf_level; l--) {
		uint64_t e;

		at = table + ((gla >> (12 + bits * (l - 1))) & ((1u << bits) - 1)) * esize;
		e = get(at, esize);
		if (!(e & P)) {
			e = alloc_page() | tflags;
			put(at, e, esize);
		}
		table = e & PTE_ADDR_MASK;
	}
	at = table + ((gla >> (12 + bits * (leaf_level - 1))) & ((1u << bits) - 1)) * esize;
	put(at, gpa | lflags | (leaf_level > 1 ? PS : 0), esize);
	return at;
}

/* Paging registers for each mode, CR3 at a fresh page. */
static struct paging_regs regs32(bool pse)
{
	return (struct paging_regs){ .cr0 = CR0_PE | CR0_PG,
				     .cr4 = pse ? CR4_PSE : 0,
				     .cr3 = alloc_page(), .maxphyaddr = 40 };
}

static struct paging_regs regs_pae(void)
{
	struct paging_regs r = { .cr0 = CR0_PE | CR0_PG, .cr4 = CR4_PAE,
				 .efer = EFER_NXE, .maxphyaddr = TEST_MAXPHY };

	for (unsigned i = 0; i < 4; i++)
		r.pdpte[i] = alloc_page() | P;
	return r;
}

static struct paging_regs regs64(bool la57)
{
	return (struct paging_regs){ .cr0 = CR0_PE | CR0_PG,
				     .cr4 = CR4_PAE | (la57 ? CR4_LA57 : 0),
				     .efer = EFER_LME | EFER_LMA | EFER_NXE,
				     .cr3 = alloc_page(), .maxphyaddr = TEST_MAXPHY,
				     .gbpages = true };
}

/* Map in the mode of r (levels from CR4.LA57). */
static uint64_t map64(const struct paging_regs *r, uint64_t gla, uint64_t gpa,
		      unsigned leaf_level, uint64_t tflags, uint64_t lflags)
{
	unsigned levels = (r->cr4 & CR4_LA57) ? 5 : 4;

	return map(r->cr3 & PTE_ADDR_MASK, levels, 9, 8, gla, gpa, leaf_level,
		   tflags, lflags);
}

static uint64_t map_pae(const struct paging_regs *r, uint64_t gla, uint64_t gpa,
			unsigned leaf_level, uint64_t tflags, uint64_t lflags)
{
	return map(r->pdpte[(gla >> 30) & 3] & PTE_ADDR_MASK, 2, 9, 8, gla, gpa,
		   leaf_level, tflags, lflags);
}

static uint64_t map32(const struct paging_regs *r, uint64_t gla, uint64_t gpa,
		      unsigned leaf_level, uint64_t tflags, uint64_t lflags)
{
	return map(r->cr3, 2, PT32_ENTRIES_BITS, 4, gla, gpa, leaf_level,
		   tflags, lflags);
}

/* page_walk without A/D updates: the translation or ~0. */
static uint64_t xlate(const struct paging_regs *r, uint64_t gla,
		      enum gla_access a, uint32_t flags, struct gla_fault *f)
{
	uint64_t gpa = 0;
	enum gla_result res = page_walk(r, &mem, gla, a, flags, false, &gpa, f);

	return res == GLA_OK ? gpa : ~0ull;
}

/* The #PF error code page_walk gives, or ~0u when it does not fault. */
static uint32_t pf(const struct paging_regs *r, uint64_t gla,
		   enum gla_access a, uint32_t flags)
{
	struct gla_fault f = { 0, 0 };
	uint64_t gpa;

	if (page_walk(r, &mem, gla, a, flags, false, &gpa, &f) != GLA_PAGE_FAULT)
		return ~0u;
	if (f.cr2 != gla)
		return ~1u;
	return f.error_code;
}

TEST(page_walk_no_paging)
{
	struct paging_regs r = { .cr0 = CR0_PE, .maxphyaddr = TEST_MAXPHY };
	struct gla_fault f;

	reset();
	CHECK_EQ(xlate(&r, 0x12345678, GLA_WRITE, GLA_USER, &f), 0x12345678);
	CHECK_EQ(xlate(&r, 0x100000000ull + 0x10, GLA_READ, 0, &f), 0x10);
	CHECK_EQ(fake_writes, 0);
}

TEST(page_walk_32bit_4k)
{
	struct paging_regs r;
	struct gla_fault f;
	uint64_t pte, pde;
	uint32_t v = 0;

	reset();
	r = regs32(false);
	pte = map32(&r, 0x00403000, 0x9000, 1, P | W | U, P | W | U);
	pde = r.cr3 + 1 * 4;
	CHECK_EQ(xlate(&r, 0x00403123, GLA_READ, GLA_USER, &f), 0x9123);
	CHECK_EQ(fake_writes, 0);
	/* Bits above 31 are not part of a legacy linear address. */
	CHECK_EQ(xlate(&r, 0x700403123ull, GLA_READ, 0, &f), 0x9123);
	put(0x9120, 0xdeadbeef, 4);
	CHECK_EQ(page_walk_read(&r, &mem, 0x00403120, &v, 4, GLA_READ, 0, &f), GLA_OK);
	CHECK_EQ(v, 0xdeadbeef);
	CHECK_EQ(get(pde, 4) & (PTE_ACCESSED | PTE_DIRTY), PTE_ACCESSED);
	CHECK_EQ(get(pte, 4) & (PTE_ACCESSED | PTE_DIRTY), PTE_ACCESSED);
	v = 0x11223344;
	CHECK_EQ(page_walk_write(&r, &mem, 0x00403120, &v, 4, 0, &f), GLA_OK);
	CHECK_EQ(get(0x9120, 4), 0x11223344);
	CHECK_EQ(get(pte, 4) & (PTE_ACCESSED | PTE_DIRTY), PTE_ACCESSED | PTE_DIRTY);
	CHECK_EQ(get(pde, 4) & PTE_DIRTY, 0);   /* D only in the leaf */
	/* Not present: P = 0; the access bits still describe the access. */
	CHECK_EQ(pf(&r, 0x00404000, GLA_WRITE, GLA_USER), PF_ERR_W | PF_ERR_U);
	CHECK_EQ(pf(&r, 0x00800000, GLA_READ, 0), 0);
	/* 32-bit paging has no XD and no I/D bit without SMEP. */
	CHECK_EQ(xlate(&r, 0x00403000, GLA_FETCH, GLA_USER, &f), 0x9000);
	CHECK_EQ(pf(&r, 0x00404000, GLA_FETCH, 0), 0);
}

TEST(page_walk_32bit_4m_pse36)
{
	struct paging_regs r;
	struct gla_fault f;

	reset();
	r = regs32(true);
	/* PDE bits 20:13 = 0x12: physical bits 39:32. */
	map32(&r, 0x00c00000, 0x01400000 | (0x12ull << 13), 2, 0, P | W);
	CHECK_EQ(xlate(&r, 0x00c12345, GLA_READ, 0, &f), 0x1201412345ull);
	/* Bit 21 is reserved in a 4-MiB PDE. */
	map32(&r, 0x01000000, 0x01400000 | (1u << 21), 2, 0, P | W);
	CHECK_EQ(pf(&r, 0x01000000, GLA_WRITE, 0), PF_ERR_P | PF_ERR_RSVD | PF_ERR_W);
	/* With MAXPHYADDR 36, bits 20:17 (address bits 39:36) are reserved. */
	r.maxphyaddr = 36;
	CHECK_EQ(pf(&r, 0x00c00000, GLA_READ, 0), PF_ERR_P | PF_ERR_RSVD);
	map32(&r, 0x01400000, 0x01400000 | (0xfull << 13), 2, 0, P);
	CHECK_EQ(xlate(&r, 0x01400010, GLA_READ, 0, &f), 0xf01400010ull);
	/* Without CR4.PSE, PS is ignored: the PDE points to a page table. */
	reset();
	r = regs32(false);
	map32(&r, 0x00c00000, 0x3000, 2, 0, P | W);
	put(0x3000 + 5 * 4, 0x7000 | P, 4);
	CHECK_EQ(xlate(&r, 0x00c05abc, GLA_READ, 0, &f), 0x7abc);
}

TEST(page_walk_pae)
{
	struct paging_regs r;
	struct gla_fault f;
	uint64_t pde;

	reset();
	r = regs_pae();
	map_pae(&r, 0xc0201000, 0xa000, 1, P | W, P | W);
	CHECK_EQ(xlate(&r, 0xc0201abc, GLA_WRITE, 0, &f), 0xaabc);
	pde = map_pae(&r, 0x40400000, 0x12600000, 2, 0, P | W | U);
	CHECK_EQ(xlate(&r, 0x40412345, GLA_READ, GLA_USER, &f), 0x12612345);
	/* XD with EFER.NXE: a fetch faults with I/D. */
	put(pde, get(pde, 8) | PTE_XD, 8);
	CHECK_EQ(pf(&r, 0x40412345, GLA_FETCH, GLA_USER),
		 PF_ERR_P | PF_ERR_U | PF_ERR_ID);
	CHECK_EQ(xlate(&r, 0x40412345, GLA_READ, GLA_USER, &f), 0x12612345);
	/* Without NXE, bit 63 is reserved and I/D stays 0. */
	r.efer = 0;
	CHECK_EQ(pf(&r, 0x40412345, GLA_FETCH, 0), PF_ERR_P | PF_ERR_RSVD);
	r.efer = EFER_NXE;
	/* PAE PDE bits 62:MAXPHYADDR and a 2-MiB page's bits 20:13 are reserved. */
	put(pde, (get(pde, 8) & ~PTE_XD) | (1ull << 50), 8);
	CHECK_EQ(pf(&r, 0x40400000, GLA_READ, 0), PF_ERR_P | PF_ERR_RSVD);
	put(pde, (get(pde, 8) & ~(1ull << 50)) | (1ull << 13), 8);
	CHECK_EQ(pf(&r, 0x40400000, GLA_READ, 0), PF_ERR_P | PF_ERR_RSVD);
	/* A PDPTE register that is not present. */
	r.pdpte[0] = 0;
	CHECK_EQ(pf(&r, 0x00001000, GLA_WRITE, 0), PF_ERR_W);
	/* PDPTE registers have no A bit: only the PDE and PTE get theirs. */
	fake_writes = 0;
	CHECK_EQ(page_walk(&r, &mem, 0xc0201000, GLA_READ, 0, true, &pde, &f), GLA_OK);
	CHECK_EQ(fake_writes, 2);
}

TEST(page_walk_4level_sizes)
{
	struct paging_regs r;
	struct gla_fault f;
	uint64_t e;

	reset();
	r = regs64(false);
	map64(&r, 0xffff800000001000ull, 0x5000, 1, P | W, P | W);
	CHECK_EQ(xlate(&r, 0xffff800000001008ull, GLA_READ, 0, &f), 0x5008);
	map64(&r, 0x7f0000200000ull, 0x40000000, 2, P | W | U, P | W | U);
	CHECK_EQ(xlate(&r, 0x7f0000212345ull, GLA_WRITE, GLA_USER, &f), 0x40012345);
	e = map64(&r, 0x0000004080000000ull, 0x40000000, 3, P | W, P | W);
	CHECK_EQ(xlate(&r, 0x00000040a1234567ull, GLA_READ, 0, &f), 0x61234567);
	/* 1-GiB pages on a CPU without them: PS is reserved in the PDPTE. */
	r.gbpages = false;
	CHECK_EQ(pf(&r, 0x00000040a1234567ull, GLA_READ, 0), PF_ERR_P | PF_ERR_RSVD);
	r.gbpages = true;
	/* A 1-GiB page's bits 29:13 are reserved. */
	put(e, get(e, 8) | (1ull << 20), 8);
	CHECK_EQ(pf(&r, 0x00000040a1234567ull, GLA_READ, 0), PF_ERR_P | PF_ERR_RSVD);
	/* PS is reserved in a PML4E. */
	put(r.cr3 + 8 * 511, 0x1000 | P | PS, 8);
	CHECK_EQ(pf(&r, 0xffffff8000000000ull, GLA_READ, 0), PF_ERR_P | PF_ERR_RSVD);
}

TEST(page_walk_4level_reserved)
{
	struct paging_regs r;
	uint64_t e;

	reset();
	r = regs64(false);
	e = map64(&r, 0x1000, 0x5000, 1, P | W, P | W);
	/* Address bits at and above MAXPHYADDR (39) up to 51 are reserved... */
	put(e, get(e, 8) | (1ull << TEST_MAXPHY), 8);
	CHECK_EQ(pf(&r, 0x1000, GLA_WRITE, 0), PF_ERR_P | PF_ERR_RSVD | PF_ERR_W);
	/* ...bits 62:52 are ignored... */
	put(e, (get(e, 8) & ~(1ull << TEST_MAXPHY)) | (1ull << 55), 8);
	CHECK(xlate(&r, 0x1000, GLA_WRITE, 0, &(struct gla_fault){ 0, 0 }) == 0x5000);
	/* ...and XD is reserved without EFER.NXE, in every level. */
	put(r.cr3, get(r.cr3, 8) | PTE_XD, 8);
	r.efer &= ~EFER_NXE;
	CHECK_EQ(pf(&r, 0x1000, GLA_READ, GLA_USER), PF_ERR_P | PF_ERR_RSVD | PF_ERR_U);
	/* Not-present entries are not checked for reserved bits. */
	put(r.cr3 + 8, 0xfff0000000000000ull, 8);
	CHECK_EQ(pf(&r, 0x8000000000ull, GLA_READ, 0), 0);
}

TEST(page_walk_5level_and_canonical)
{
	struct paging_regs r;
	struct gla_fault f;
	uint64_t gpa;

	reset();
	r = regs64(true);
	map64(&r, 0x0080000000001000ull, 0x7000, 1, P | W, P | W);
	CHECK_EQ(xlate(&r, 0x0080000000001010ull, GLA_READ, 0, &f), 0x7010);
	CHECK(page_walk_canonical(&r, 0xff00000000000000ull));
	CHECK(!page_walk_canonical(&r, 0x0100000000000000ull));
	CHECK_EQ(page_walk(&r, &mem, 0x0200000000000000ull, GLA_READ, 0, false,
			   &gpa, &f), GLA_NOT_CANONICAL);
	/* 4-level: bit 47 is the top. */
	r.cr4 &= ~CR4_LA57;
	CHECK(page_walk_canonical(&r, 0xffff800000000000ull));
	CHECK(!page_walk_canonical(&r, 0x0000800000000000ull));
	CHECK(!page_walk_canonical(&r, 0x0080000000001000ull));
	CHECK_EQ(page_walk(&r, &mem, 0x0000800000000000ull, GLA_READ, 0, false,
			   &gpa, &f), GLA_NOT_CANONICAL);
}

TEST(page_walk_user_supervisor_wp)
{
	struct paging_regs r;
	struct gla_fault f;

	reset();
	r = regs64(false);
	map64(&r, 0x1000, 0x5000, 1, P | W | U, P | U);        /* user, read-only */
	map64(&r, 0x2000, 0x6000, 1, P | W | U, P | W);        /* supervisor */
	map64(&r, 0x400000000ull, 0x6000, 1, P | U, P | W | U); /* RO above */
	CHECK_EQ(pf(&r, 0x2000, GLA_READ, GLA_USER), PF_ERR_P | PF_ERR_U);
	CHECK_EQ(pf(&r, 0x1000, GLA_WRITE, GLA_USER), PF_ERR_P | PF_ERR_W | PF_ERR_U);
	CHECK_EQ(pf(&r, 0x400000000ull, GLA_WRITE, GLA_USER),
		 PF_ERR_P | PF_ERR_W | PF_ERR_U);
	CHECK_EQ(xlate(&r, 0x1000, GLA_READ, GLA_USER, &f), 0x5000);
	/* Supervisor writes to read-only pages: allowed unless CR0.WP. */
	CHECK_EQ(xlate(&r, 0x1000, GLA_WRITE, 0, &f), 0x5000);
	r.cr0 |= CR0_WP;
	CHECK_EQ(pf(&r, 0x1000, GLA_WRITE, 0), PF_ERR_P | PF_ERR_W);
	CHECK_EQ(pf(&r, 0x400000000ull, GLA_WRITE, GLA_EXPLICIT), PF_ERR_P | PF_ERR_W);
	CHECK_EQ(xlate(&r, 0x2000, GLA_WRITE, 0, &f), 0x6000);
}

TEST(page_walk_nx_smep_smap)
{
	struct paging_regs r;
	struct gla_fault f;

	reset();
	r = regs64(false);
	map64(&r, 0x1000, 0x5000, 1, P | W | U, P | W | U);            /* user */
	map64(&r, 0x2000, 0x6000, 1, P | W, P | W | PTE_XD);           /* NX */
	map64(&r, 0x8000000000ull, 0x6000, 1, P | W | PTE_XD, P | W);  /* NX above */
	CHECK_EQ(pf(&r, 0x2000, GLA_FETCH, 0), PF_ERR_P | PF_ERR_ID);
	CHECK_EQ(pf(&r, 0x8000000000ull, GLA_FETCH, 0), PF_ERR_P | PF_ERR_ID);
	CHECK_EQ(xlate(&r, 0x2000, GLA_READ, 0, &f), 0x6000);
	/* SMEP: no supervisor fetch from a user page. */
	CHECK_EQ(xlate(&r, 0x1000, GLA_FETCH, 0, &f), 0x5000);
	r.cr4 |= CR4_SMEP;
	CHECK_EQ(pf(&r, 0x1000, GLA_FETCH, 0), PF_ERR_P | PF_ERR_ID);
	CHECK_EQ(xlate(&r, 0x1000, GLA_FETCH, GLA_USER, &f), 0x5000);
	/* SMAP: implicit supervisor accesses never reach user pages; explicit
	 * ones do with RFLAGS.AC. */
	r.cr4 |= CR4_SMAP;
	CHECK_EQ(pf(&r, 0x1000, GLA_READ, 0), PF_ERR_P);
	CHECK_EQ(pf(&r, 0x1000, GLA_WRITE, GLA_EXPLICIT), PF_ERR_P | PF_ERR_W);
	r.rflags = RFLAGS_FIXED | RFLAGS_AC;
	CHECK_EQ(xlate(&r, 0x1000, GLA_WRITE, GLA_EXPLICIT, &f), 0x5000);
	CHECK_EQ(pf(&r, 0x1000, GLA_READ, 0), PF_ERR_P);
	CHECK_EQ(xlate(&r, 0x1000, GLA_READ, GLA_USER, &f), 0x5000);
	/* I/D with SMEP alone (no NXE). */
	r.efer &= ~EFER_NXE;
	r.cr4 = CR4_PAE | CR4_SMEP;
	CHECK_EQ(pf(&r, 0x3000, GLA_FETCH, 0), PF_ERR_ID);
	r.cr4 = CR4_PAE;
	CHECK_EQ(pf(&r, 0x3000, GLA_FETCH, 0), 0);
}

TEST(page_walk_protection_keys)
{
	struct paging_regs r;
	struct gla_fault f;
	const uint64_t key3 = 3ull << 59;

	reset();
	r = regs64(false);
	map64(&r, 0x1000, 0x5000, 1, P | W | U, P | W | U | key3);
	map64(&r, 0x2000, 0x6000, 1, P | W, P | W | key3);     /* supervisor page */
	r.pkru = 1u << 6;                                       /* AD for key 3 */
	CHECK_EQ(xlate(&r, 0x1000, GLA_READ, GLA_USER, &f), 0x5000);  /* no PKE */
	r.cr4 |= CR4_PKE;
	CHECK_EQ(pf(&r, 0x1000, GLA_READ, GLA_USER), PF_ERR_P | PF_ERR_U | PF_ERR_PK);
	CHECK_EQ(pf(&r, 0x1000, GLA_READ, GLA_EXPLICIT), PF_ERR_P | PF_ERR_PK);
	CHECK_EQ(xlate(&r, 0x1000, GLA_FETCH, GLA_USER, &f), 0x5000);
	CHECK_EQ(xlate(&r, 0x2000, GLA_READ, 0, &f), 0x6000);
	r.pkru = 1u << 7;                                       /* WD for key 3 */
	CHECK_EQ(xlate(&r, 0x1000, GLA_READ, GLA_USER, &f), 0x5000);
	CHECK_EQ(pf(&r, 0x1000, GLA_WRITE, GLA_USER),
		 PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_PK);
	CHECK_EQ(xlate(&r, 0x1000, GLA_WRITE, GLA_EXPLICIT, &f), 0x5000);
	r.cr0 |= CR0_WP;
	CHECK_EQ(pf(&r, 0x1000, GLA_WRITE, GLA_EXPLICIT), PF_ERR_P | PF_ERR_W | PF_ERR_PK);
}

TEST(page_walk_crossing_pages)
{
	struct paging_regs r;
	struct gla_fault f;
	uint64_t pte1, pte2, val = 0x0807060504030201ull, got = 0;

	reset();
	r = regs64(false);
	pte1 = map64(&r, 0x10000, 0x9000, 1, P | W, P | W);
	pte2 = map64(&r, 0x11000, 0x5000, 1, P | W, P);        /* read-only */
	r.cr0 |= CR0_WP;
	/* A write faulting on the second page changes nothing at all. */
	fake_writes = 0;
	CHECK_EQ(page_walk_write(&r, &mem, 0x10ffc, &val, 8, 0, &f), GLA_PAGE_FAULT);
	CHECK_EQ(f.cr2, 0x11000);
	CHECK_EQ(f.error_code, PF_ERR_P | PF_ERR_W);
	CHECK_EQ(fake_writes, 0);
	put(pte2, get(pte2, 8) | W, 8);
	CHECK_EQ(page_walk_write(&r, &mem, 0x10ffc, &val, 8, 0, &f), GLA_OK);
	CHECK_EQ(get(0x9ffc, 4), 0x04030201);
	CHECK_EQ(get(0x5000, 4), 0x08070605);
	CHECK_EQ(get(pte1, 8) & (PTE_ACCESSED | PTE_DIRTY), PTE_ACCESSED | PTE_DIRTY);
	CHECK_EQ(get(pte2, 8) & (PTE_ACCESSED | PTE_DIRTY), PTE_ACCESSED | PTE_DIRTY);
	CHECK_EQ(get(r.cr3, 8) & (PTE_ACCESSED | PTE_DIRTY), PTE_ACCESSED);
	CHECK_EQ(page_walk_read(&r, &mem, 0x10ffc, &got, 8, GLA_READ, 0, &f), GLA_OK);
	CHECK_EQ(got, val);
	/* A read faulting on the second page reports the second page. */
	CHECK_EQ(page_walk_read(&r, &mem, 0x11ffe, &got, 4, GLA_FETCH, 0, &f),
		 GLA_PAGE_FAULT);
	CHECK_EQ(f.cr2, 0x12000);
	CHECK_EQ(f.error_code, PF_ERR_ID);   /* fetch, PAE paging and NXE */
}

TEST(page_walk_legacy_wrap)
{
	struct paging_regs r;
	struct gla_fault f;
	uint16_t got = 0;

	reset();
	r = regs32(false);
	map32(&r, 0xfffff000, 0x9000, 1, P | W, P | W);
	map32(&r, 0x00000000, 0x5000, 1, P | W, P | W);
	put(0x9fff, 0xaa, 1);
	put(0x5000, 0xbb, 1);
	CHECK_EQ(page_walk_read(&r, &mem, 0xffffffff, &got, 2, GLA_READ, 0, &f), GLA_OK);
	CHECK_EQ(got, 0xbbaa);
}

TEST(page_walk_not_ram)
{
	struct paging_regs r;
	struct gla_fault f;
	uint64_t gpa, e;
	uint8_t b;

	reset();
	r = regs64(false);
	e = map64(&r, 0x1000, FAKE_SIZE, 1, P | W, P | W);     /* target outside */
	CHECK_EQ(page_walk(&r, &mem, 0x1000, GLA_READ, 0, true, &gpa, &f), GLA_OK);
	CHECK_EQ(gpa, FAKE_SIZE);
	CHECK_EQ(page_walk_read(&r, &mem, 0x1000, &b, 1, GLA_READ, 0, &f), GLA_NOT_RAM);
	/* A table outside. */
	(void)e;
	put(r.cr3 + 8 * 1, (FAKE_SIZE + 0x1000) | P | W, 8);
	CHECK_EQ(page_walk(&r, &mem, 0x8000000000ull, GLA_READ, 0, false, &gpa, &f),
		 GLA_NOT_RAM);
}
