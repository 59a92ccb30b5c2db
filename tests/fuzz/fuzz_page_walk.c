/*
 * Fuzz the guest page walk (hv/vcpu/page_walk.c): the guest owns its page
 * tables, so every entry is hostile input.  The input is the paging
 * registers, one linear address and access, then guest-physical memory:
 * addresses below ALIAS_LIMIT read the memory bytes modulo its size (so
 * that deep walks are easy to reach; the size is cut to a multiple of 8),
 * anything above is not RAM.
 *
 * Promises: a translation keeps the page offset and stays below
 * MAXPHYADDR; setting A/D bits changes neither the answer nor any bit but
 * A and D; a page fault reports the address and an error code whose W, U
 * and I/D bits describe the access, RSVD and PK only with P; a faulting
 * write changes nothing.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/vcpu/page_walk.h"
#include "tests/fuzz/fuzz.h"

#define ALIAS_LIMIT     0x100000u
#define MEM_MAX         8192u
#define ENTRY_ALIGN     8u
#define AD_BITS         0x60u           /* A (bit 5) and D (bit 6) of byte 0 */
#define PF_ERR_DEFINED  0x3fu
#define LEGACY_MASK     0xffffffffull
#define MAXPHY_MIN      32
#define MAXPHY_SPAN     21              /* 32..52 */

static uint8_t mem_bytes[MEM_MAX];
static size_t mem_size;

static bool aliased(uint64_t gpa, size_t len)
{
	return mem_size && gpa < ALIAS_LIMIT && len <= ALIAS_LIMIT - gpa;
}

static bool f_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	(void)ctx;
	if (!aliased(gpa, len))
		return false;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)dst)[i] = mem_bytes[(gpa + i) % mem_size];
	return true;
}

static bool f_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
	(void)ctx;
	if (!aliased(gpa, len))
		return false;
	for (size_t i = 0; i < len; i++)
		mem_bytes[(gpa + i) % mem_size] = ((const uint8_t *)src)[i];
	return true;
}

static const struct guest_phys_mem fmem = { NULL, f_read, f_write };

/* The paging registers from the input's first bytes. */
static void take_regs(struct fuzz_in *in, struct paging_regs *r)
{
	uint64_t m = fuzz_take(in, 2);

	r->cr0 = CR0_PE | ((m & 1) ? CR0_PG : 0) | ((m & 2) ? CR0_WP : 0);
	r->cr4 = ((m & 4) ? CR4_PAE : 0) | ((m & 8) ? CR4_LA57 : 0) |
		 ((m & 16) ? CR4_PSE : 0) | ((m & 32) ? CR4_SMEP : 0) |
		 ((m & 64) ? CR4_SMAP : 0) | ((m & 128) ? CR4_PKE : 0);
	r->efer = ((m & 256) ? EFER_LMA | EFER_LME : 0) | ((m & 512) ? EFER_NXE : 0);
	r->rflags = RFLAGS_FIXED | ((m & 1024) ? RFLAGS_AC : 0);
	r->gbpages = m & 2048;
	if (r->efer & EFER_LMA)     /* IA-32e mode needs PAE and paging */
		r->cr4 |= CR4_PAE;
	r->maxphyaddr = (uint8_t)(MAXPHY_MIN + fuzz_take(in, 1) % MAXPHY_SPAN);
	r->cr3 = fuzz_take(in, 4);
	for (unsigned i = 0; i < 4; i++)
		r->pdpte[i] = fuzz_take(in, 4);
	r->pkru = (uint32_t)fuzz_take(in, 4);
}

/* The promises about a page fault's report. */
static void check_fault(const struct paging_regs *r, uint64_t gla,
			enum gla_access a, uint32_t flags,
			const struct gla_fault *f)
{
	uint32_t e = f->error_code;
	bool legacy = !(r->efer & EFER_LMA);

	FUZZ_CHECK(f->cr2 == (legacy ? gla & LEGACY_MASK : gla), "cr2 %#llx",
		   (unsigned long long)f->cr2);
	FUZZ_CHECK(!(e & ~PF_ERR_DEFINED), "error code %#x", e);
	FUZZ_CHECK(!!(e & PF_ERR_W) == (a == GLA_WRITE), "W in %#x", e);
	FUZZ_CHECK(!!(e & PF_ERR_U) == !!(flags & GLA_USER), "U in %#x", e);
	FUZZ_CHECK(!(e & PF_ERR_ID) || a == GLA_FETCH, "I/D in %#x", e);
	FUZZ_CHECK(!(e & (PF_ERR_RSVD | PF_ERR_PK)) || (e & PF_ERR_P), "P in %#x", e);
	FUZZ_CHECK(!(e & PF_ERR_PK) || a != GLA_FETCH, "PK on fetch %#x", e);
}

/* Bytes that changed between before and after differ in A/D bits only,
 * which were set, never cleared. */
static void check_only_ad(const uint8_t *before, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t x = before[i] ^ mem_bytes[i];

		FUZZ_CHECK(!(x & ~AD_BITS) && !(x & before[i]),
			   "byte %zu: %#x -> %#x", i, before[i], mem_bytes[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct paging_regs r = { 0 };
	struct gla_fault f = { 0, 0 }, f2 = { 0, 0 };
	static uint8_t before[MEM_MAX];
	uint64_t gla, gpa = 0, gpa2 = 0, sel, val = 0x5a5a5a5a5a5a5a5aull;
	enum gla_access a;
	uint32_t flags;
	enum gla_result res, res2;

	take_regs(&in, &r);
	gla = fuzz_take(&in, 8);
	sel = fuzz_take(&in, 1);
	a = (enum gla_access)(sel % 3);
	flags = (uint32_t)(sel >> 2) & (GLA_USER | GLA_EXPLICIT);
	/* A multiple of 8 bytes, so aliased entries stay aligned and either
	 * coincide or do not overlap, as in real tables. */
	mem_size = (in.left < MEM_MAX ? in.left : MEM_MAX) / ENTRY_ALIGN * ENTRY_ALIGN;
	memcpy(mem_bytes, in.p, mem_size);
	memcpy(before, mem_bytes, mem_size);

	res = page_walk(&r, &fmem, gla, a, flags, false, &gpa, &f);
	FUZZ_CHECK(!memcmp(before, mem_bytes, mem_size), "walk without A/D wrote");
	if (res == GLA_PAGE_FAULT)
		check_fault(&r, gla, a, flags, &f);
	if (res == GLA_OK) {
		FUZZ_CHECK((gpa & 0xfff) == (gla & 0xfff), "offset lost");
		FUZZ_CHECK(!(r.cr0 & CR0_PG) || gpa >> r.maxphyaddr == 0,
			   "gpa %#llx above MAXPHYADDR", (unsigned long long)gpa);
	}
	res2 = page_walk(&r, &fmem, gla, a, flags, true, &gpa2, &f2);
	check_only_ad(before, mem_size);
	FUZZ_CHECK(res2 == res, "A/D changed %d -> %d", res, res2);
	FUZZ_CHECK(res != GLA_OK || res2 != GLA_OK || gpa2 == gpa, "A/D moved gpa");
	FUZZ_CHECK(res != GLA_PAGE_FAULT || f2.error_code == f.error_code,
		   "A/D changed the error code");

	memcpy(before, mem_bytes, mem_size);
	if (page_walk_write(&r, &fmem, gla, &val, sizeof(val), flags, &f) ==
	    GLA_PAGE_FAULT) {
		FUZZ_CHECK(!memcmp(before, mem_bytes, mem_size), "faulting write wrote");
		check_fault(&r, f.cr2, GLA_WRITE, flags, &f);
	}
	return 0;
}
