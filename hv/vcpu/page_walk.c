/*
 * The guest's page walk (see page_walk.h).  One loop serves every paging
 * mode: a mode is a number of levels, an entry size and the bits a level
 * translates; what differs between modes (reserved bits, where PS means a
 * page, how a large page's address is formed) is decided per level.
 */
#include "hv/vcpu/page_walk.h"

#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/page.h"

#define LEGACY_ADDR_MASK    ULL_C(0xffffffff)   /* linear addresses outside IA-32e mode */
#define PAGE_OFFSET_MASK    (PAGE_SIZE - 1)
#define LEVELS_MAX          5
#define WRITE_PIECE_PAGES   2                   /* PAGE_SIZE bytes span at most two pages */

/* 32-bit paging (SDM Vol. 3, "32-Bit Paging"). */
#define PT32_INDEX_BITS     10
#define PT32_ENTRY_SIZE     4
#define PT32_ADDR_MASK      ULL_C(0xfffff000)   /* CR3, PDE and PTE: bits 31:12 */
#define PDE32_4M_ADDR_MASK  ULL_C(0xffc00000)   /* PDE (PS = 1): bits 31:22 */
#define PDE32_4M_HI_SHIFT   13                  /* bits 20:13 hold address bits 39:32 */
#define PDE32_4M_HI_MASK    ULL_C(0xff)
#define PDE32_4M_HI_ADDR    32                  /* ...shifted up to bit 32 */
#define PDE32_4M_RSVD_BIT   21
#define PSE36_MAXPHYADDR    40                  /* 32-bit paging reaches 40 bits at most */
#define PSE36_HI_BIAS       19                  /* address bit n sits in PDE bit n - 19 */

/* PAE paging (SDM Vol. 3, "PAE Paging"). */
#define PAE_PDPTES          4
#define PAE_PDPTE_SHIFT     30
#define PAE_PDPTE_RSVD      ULL_C(0x1e6)        /* bits 8:5 and 2:1 */
#define PAE_ENTRY_HI_BIT    62                  /* reserved from here down to MAXPHYADDR */
#define IA32E_ENTRY_HI_BIT  51                  /* 4/5-level: reserved 51:MAXPHYADDR */
#define LARGE_PAGE_RSVD_LO  13                  /* bits 13 up to the page's offset bits */

/* Protection keys (SDM Vol. 3, "Protection Keys"). */
#define PTE_PKEY_SHIFT      59
#define PTE_PKEY_MASK       0xfu
#define PKRU_AD(key)        (1u << (2 * (key)))
#define PKRU_WD(key)        (1u << (2 * (key) + 1))

/* The geometry of a paging mode. */
struct walk_mode {
	uint8_t levels;         /* levels read from memory */
	uint8_t entry_size;     /* 4 or 8 bytes */
	uint8_t index_bits;     /* 10 (32-bit paging) or 9 */
	bool pae;               /* PAE paging: the PDPTE registers sit on top */
	bool ia32e;             /* 4- or 5-level paging */
};

/* What the walk found: the entries read from memory (for A/D bits), the
 * rights they combine to, and the translation. */
struct walk {
	uint64_t entry_gpa[LEVELS_MAX];
	uint64_t entry[LEVELS_MAX];
	unsigned count;
	bool user, writable, xd;
	uint64_t gpa;
	uint64_t leaf;
};

/* Bits hi..lo set (none when lo > hi). */
static uint64_t bit_range(unsigned hi, unsigned lo)
{
	if (lo > hi)
		return 0;
	return (~ULL_C(0) >> (63 - hi)) & ~(BIT_ULL(lo) - 1);
}

/* The paging mode of r; false when paging is off. */
static bool walk_mode_of(const struct paging_regs *r, struct walk_mode *m)
{
	if (!(r->cr0 & CR0_PG))
		return false;
	if (!(r->cr4 & CR4_PAE))
		*m = (struct walk_mode){ 2, PT32_ENTRY_SIZE, PT32_INDEX_BITS, false, false };
	else if (!(r->efer & EFER_LMA))
		*m = (struct walk_mode){ 2, PTE_SIZE, PT_INDEX_BITS, true, false };
	else
		*m = (struct walk_mode){ (r->cr4 & CR4_LA57) ? 5 : 4, PTE_SIZE,
					 PT_INDEX_BITS, false, true };
	return true;
}

/* The lowest linear-address bit level `level` (1 = page table) indexes. */
static unsigned level_shift(const struct walk_mode *m, unsigned level)
{
	return PAGE_SHIFT + (level - 1) * m->index_bits;
}

bool page_walk_canonical(const struct paging_regs *r, uint64_t gla)
{
	struct walk_mode m;
	unsigned top;

	if (!walk_mode_of(r, &m) || !m.ia32e)
		return true;
	top = level_shift(&m, m.levels) + m.index_bits - 1;   /* 47 or 56 */
	return (uint64_t)((int64_t)(gla << (63 - top)) >> (63 - top)) == gla;
}

/* Whether PS = 1 at `level` maps a page (true) or is reserved (false);
 * *honoured is false when PS is ignored there (32-bit paging, CR4.PSE = 0;
 * page tables). */
static bool large_page_allowed(const struct paging_regs *r,
			       const struct walk_mode *m, unsigned level,
			       bool *honoured)
{
	*honoured = level > 1 && (m->entry_size == PTE_SIZE || (r->cr4 & CR4_PSE));
	if (level == 2)
		return true;
	return level == 3 && m->ia32e && r->gbpages;
}

/* The reserved bits of an entry at `level` that maps a page (large) or
 * points to a table. */
static uint64_t reserved_bits(const struct paging_regs *r,
			      const struct walk_mode *m, unsigned level,
			      bool large)
{
	uint64_t rsvd;
	unsigned top;

	if (m->entry_size == PT32_ENTRY_SIZE) {
		if (!large)
			return 0;
		top = r->maxphyaddr < PSE36_MAXPHYADDR ? r->maxphyaddr : PSE36_MAXPHYADDR;
		return BIT_ULL(PDE32_4M_RSVD_BIT) |
		       bit_range(PDE32_4M_RSVD_BIT - 1, top - PSE36_HI_BIAS);
	}
	rsvd = bit_range(m->ia32e ? IA32E_ENTRY_HI_BIT : PAE_ENTRY_HI_BIT,
			 r->maxphyaddr);
	if (!(r->efer & EFER_NXE))
		rsvd |= PTE_XD;
	if (large)
		rsvd |= bit_range(level_shift(m, level) - 1, LARGE_PAGE_RSVD_LO);
	return rsvd;
}

/* The address bits of a non-leaf entry (or CR3): the next table. */
static uint64_t table_addr(const struct paging_regs *r,
			   const struct walk_mode *m, uint64_t entry)
{
	if (m->entry_size == PT32_ENTRY_SIZE)
		return entry & PT32_ADDR_MASK;
	return entry & bit_range(r->maxphyaddr - 1, PAGE_SHIFT);
}

/* The physical address a leaf entry at `level` maps gla to. */
static uint64_t leaf_addr(const struct paging_regs *r,
			  const struct walk_mode *m, unsigned level,
			  uint64_t entry, uint64_t gla)
{
	unsigned shift = level_shift(m, level);
	uint64_t offset = gla & (BIT_ULL(shift) - 1);

	if (m->entry_size == PT32_ENTRY_SIZE && level == 2)
		return (entry & PDE32_4M_ADDR_MASK) |
		       (((entry >> PDE32_4M_HI_SHIFT) & PDE32_4M_HI_MASK) << PDE32_4M_HI_ADDR) |
		       offset;
	if (m->entry_size == PT32_ENTRY_SIZE)
		return (entry & PT32_ADDR_MASK) | offset;
	return (entry & bit_range(r->maxphyaddr - 1, shift)) | offset;
}

/* The error-code bits that describe the access itself (W/R, U/S, I/D). */
static uint32_t access_error_bits(const struct paging_regs *r,
				  enum gla_access access, uint32_t flags)
{
	uint32_t err = 0;

	if (access == GLA_WRITE)
		err |= PF_ERR_W;
	if (flags & GLA_USER)
		err |= PF_ERR_U;
	if (access == GLA_FETCH &&
	    ((r->cr4 & CR4_SMEP) ||
	     ((r->cr4 & CR4_PAE) && (r->efer & EFER_NXE))))
		err |= PF_ERR_ID;
	return err;
}

/* Fill *fault and return GLA_PAGE_FAULT. */
static enum gla_result page_fault(struct gla_fault *fault, uint64_t gla,
				  uint32_t error_code)
{
	fault->cr2 = gla;
	fault->error_code = error_code;
	return GLA_PAGE_FAULT;
}

/* The PDPTE register for gla (PAE paging), as if it were a table entry. */
static bool pae_pdpte(const struct paging_regs *r, uint64_t gla,
		      uint64_t *pdpte, uint32_t *err)
{
	*pdpte = r->pdpte[(gla >> PAE_PDPTE_SHIFT) & (PAE_PDPTES - 1)];
	if (!(*pdpte & PTE_PRESENT)) {
		*err = 0;
		return false;
	}
	if (*pdpte & (PAE_PDPTE_RSVD | bit_range(63, r->maxphyaddr))) {
		*err = PF_ERR_P | PF_ERR_RSVD;
		return false;
	}
	return true;
}

/* Read the entry for gla at `level` of the table at `table`; record it in
 * w.  Returns GLA_OK, GLA_NOT_RAM, or GLA_PAGE_FAULT with *err (not
 * present: 0; reserved bit: P | RSVD).  *leaf tells whether it maps the
 * page. */
static enum gla_result read_entry(const struct paging_regs *r,
				  const struct guest_phys_mem *mem,
				  const struct walk_mode *m, unsigned level,
				  uint64_t table, uint64_t gla, struct walk *w,
				  bool *leaf, uint32_t *err)
{
	uint64_t index = (gla >> level_shift(m, level)) & (BIT_ULL(m->index_bits) - 1);
	uint64_t gpa = table + index * m->entry_size, e = 0;
	bool honoured, allowed;

	if (!mem->read(mem->ctx, gpa, &e, m->entry_size))
		return GLA_NOT_RAM;
	w->entry_gpa[w->count] = gpa;
	w->entry[w->count++] = e;
	*err = 0;
	if (!(e & PTE_PRESENT))
		return GLA_PAGE_FAULT;
	allowed = large_page_allowed(r, m, level, &honoured);
	*leaf = level == 1 || (honoured && (e & PTE_PAGE_SIZE));
	if ((*leaf && level > 1 && !allowed) ||
	    (e & reserved_bits(r, m, level, *leaf && level > 1))) {
		*err = PF_ERR_P | PF_ERR_RSVD;
		return GLA_PAGE_FAULT;
	}
	return GLA_OK;
}

/* Combine the rights of entry e into w (all levels must allow). */
static void combine_rights(const struct walk_mode *m, uint64_t e, struct walk *w)
{
	w->user = w->user && (e & PTE_USER);
	w->writable = w->writable && (e & PTE_WRITABLE);
	if (m->entry_size == PTE_SIZE)
		w->xd = w->xd || (e & PTE_XD);
}

/* Walk the tables for gla; on GLA_OK, w holds the entries, rights and the
 * translation.  On GLA_PAGE_FAULT, *err holds P/RSVD. */
static enum gla_result walk_tables(const struct paging_regs *r,
				   const struct guest_phys_mem *mem,
				   const struct walk_mode *m, uint64_t gla,
				   struct walk *w, uint32_t *err)
{
	uint64_t table = table_addr(r, m, r->cr3), pdpte;
	enum gla_result res;
	bool leaf = false;

	*w = (struct walk){ .user = true, .writable = true };
	if (m->pae) {
		if (!pae_pdpte(r, gla, &pdpte, err))
			return GLA_PAGE_FAULT;
		table = table_addr(r, m, pdpte);
	}
	for (unsigned level = m->levels; level >= 1; level--) {
		res = read_entry(r, mem, m, level, table, gla, w, &leaf, err);
		if (res != GLA_OK)
			return res;
		combine_rights(m, w->entry[w->count - 1], w);
		if (leaf) {
			w->leaf = w->entry[w->count - 1];
			w->gpa = leaf_addr(r, m, level, w->leaf, gla);
			return GLA_OK;
		}
		table = table_addr(r, m, w->entry[w->count - 1]);
	}
	return GLA_OK;   /* not reached: level 1 is always a leaf */
}

/* SMAP refuses a supervisor data access to a user page unless it is an
 * explicit access made with RFLAGS.AC = 1. */
static bool smap_refuses(const struct paging_regs *r, uint32_t flags)
{
	return (r->cr4 & CR4_SMAP) &&
	       !((flags & GLA_EXPLICIT) && (r->rflags & RFLAGS_AC));
}

/* Whether the page's rights (w) refuse the access (SDM Vol. 3, "Access
 * Rights"), protection keys aside. */
static bool rights_refuse(const struct paging_regs *r, const struct walk *w,
			  enum gla_access access, uint32_t flags)
{
	bool user = flags & GLA_USER;

	if (user && !w->user)
		return true;
	if (access == GLA_FETCH)
		return w->xd || (!user && w->user && (r->cr4 & CR4_SMEP));
	if (!user && w->user && smap_refuses(r, flags))
		return true;
	return access == GLA_WRITE && !w->writable &&
	       (user || (r->cr0 & CR0_WP));
}

/* Whether PKRU refuses the access: data accesses to user pages in IA-32e
 * mode with CR4.PKE (SDM Vol. 3, "Protection Keys"). */
static bool pkey_refuses(const struct paging_regs *r, const struct walk_mode *m,
			 const struct walk *w, enum gla_access access,
			 uint32_t flags)
{
	unsigned key = (w->leaf >> PTE_PKEY_SHIFT) & PTE_PKEY_MASK;

	if (!m->ia32e || !(r->cr4 & CR4_PKE) || !w->user || access == GLA_FETCH)
		return false;
	if (r->pkru & PKRU_AD(key))
		return true;
	return access == GLA_WRITE && (r->pkru & PKRU_WD(key)) &&
	       ((flags & GLA_USER) || (r->cr0 & CR0_WP));
}

/* Set the accessed bit of every entry used and, for a write, the dirty
 * bit of the leaf, writing back only entries that change.  The guest has
 * one vCPU and it is stopped here, so a plain read-modify-write cannot
 * race with the guest's own updates. */
static enum gla_result set_accessed_dirty(const struct guest_phys_mem *mem,
					  const struct walk_mode *m,
					  const struct walk *w, bool write)
{
	for (unsigned i = 0; i < w->count; i++) {
		uint64_t e = w->entry[i] | PTE_ACCESSED;

		if (write && i == w->count - 1)
			e |= PTE_DIRTY;
		if (e != w->entry[i] &&
		    !mem->write(mem->ctx, w->entry_gpa[i], &e, m->entry_size))
			return GLA_NOT_RAM;
	}
	return GLA_OK;
}

enum gla_result page_walk(const struct paging_regs *r,
			  const struct guest_phys_mem *mem, uint64_t gla,
			  enum gla_access access, uint32_t flags, bool set_ad,
			  uint64_t *gpa, struct gla_fault *fault)
{
	struct walk_mode m;
	struct walk w;
	enum gla_result res;
	uint32_t err = 0;

	if (!walk_mode_of(r, &m)) {
		*gpa = gla & LEGACY_ADDR_MASK;
		return GLA_OK;
	}
	if (!m.ia32e)
		gla &= LEGACY_ADDR_MASK;
	else if (!page_walk_canonical(r, gla))
		return GLA_NOT_CANONICAL;
	res = walk_tables(r, mem, &m, gla, &w, &err);
	if (res == GLA_PAGE_FAULT)
		return page_fault(fault, gla, err | access_error_bits(r, access, flags));
	if (res != GLA_OK)
		return res;
	if (pkey_refuses(r, &m, &w, access, flags))
		err |= PF_ERR_PK;
	if (err || rights_refuse(r, &w, access, flags))
		return page_fault(fault, gla, err | PF_ERR_P |
				  access_error_bits(r, access, flags));
	if (set_ad && (res = set_accessed_dirty(mem, &m, &w, access == GLA_WRITE)) != GLA_OK)
		return res;
	*gpa = w.gpa;
	return GLA_OK;
}

/* The linear address len bytes after gla, wrapping at 4 GiB outside
 * IA-32e mode as the CPU's linear addresses do. */
static uint64_t gla_advance(const struct paging_regs *r, uint64_t gla, size_t len)
{
	struct walk_mode m;

	if (walk_mode_of(r, &m) && m.ia32e)
		return gla + len;
	return (gla + len) & LEGACY_ADDR_MASK;
}

/* Bytes from gla to the end of its page, at most len. */
static size_t page_chunk(uint64_t gla, size_t len)
{
	size_t room = PAGE_SIZE - (gla & PAGE_OFFSET_MASK);

	return len < room ? len : room;
}

enum gla_result page_walk_read(const struct paging_regs *r,
			       const struct guest_phys_mem *mem, uint64_t gla,
			       void *dst, size_t len, enum gla_access access,
			       uint32_t flags, struct gla_fault *fault)
{
	uint8_t *out = dst;

	while (len) {
		size_t n = page_chunk(gla, len);
		uint64_t gpa;
		enum gla_result res = page_walk(r, mem, gla, access, flags,
						true, &gpa, fault);

		if (res != GLA_OK)
			return res;
		if (!mem->read(mem->ctx, gpa, out, n))
			return GLA_NOT_RAM;
		out += n;
		len -= n;
		gla = gla_advance(r, gla, n);
	}
	return GLA_OK;
}

/* Translate every page of [gla, gla + len) for a write without touching
 * memory: the check before the first byte is written. */
static enum gla_result check_writable(const struct paging_regs *r,
				      const struct guest_phys_mem *mem,
				      uint64_t gla, size_t len, uint32_t flags,
				      struct gla_fault *fault)
{
	while (len) {
		size_t n = page_chunk(gla, len);
		uint64_t gpa;
		enum gla_result res = page_walk(r, mem, gla, GLA_WRITE, flags,
						false, &gpa, fault);

		if (res != GLA_OK)
			return res;
		len -= n;
		gla = gla_advance(r, gla, n);
	}
	return GLA_OK;
}

/* Write at most one page's worth (len <= PAGE_SIZE, so at most two pages):
 * both translations, with their A/D bits, are made before the first byte
 * is written, as the CPU translates a page-crossing store; so even data
 * that overwrites the guest's own page tables cannot change where the
 * rest of this piece goes. */
static enum gla_result write_piece(const struct paging_regs *r,
				   const struct guest_phys_mem *mem,
				   uint64_t gla, const uint8_t *src, size_t len,
				   uint32_t flags, struct gla_fault *fault)
{
	size_t n[WRITE_PIECE_PAGES] = { page_chunk(gla, len), 0 };
	uint64_t gpa[WRITE_PIECE_PAGES] = { 0, 0 };
	enum gla_result res;

	n[1] = len - n[0];
	for (unsigned i = 0; i < WRITE_PIECE_PAGES && n[i]; i++) {
		res = page_walk(r, mem, gla_advance(r, gla, i ? n[0] : 0),
				GLA_WRITE, flags, true, &gpa[i], fault);
		if (res != GLA_OK)
			return res;
	}
	for (unsigned i = 0; i < WRITE_PIECE_PAGES && n[i]; i++) {
		if (!mem->write(mem->ctx, gpa[i], src, n[i]))
			return GLA_NOT_RAM;
		src += n[i];
	}
	return GLA_OK;
}

enum gla_result page_walk_write(const struct paging_regs *r,
				const struct guest_phys_mem *mem, uint64_t gla,
				const void *src, size_t len, uint32_t flags,
				struct gla_fault *fault)
{
	const uint8_t *in = src;
	enum gla_result res = check_writable(r, mem, gla, len, flags, fault);

	while (res == GLA_OK && len) {
		size_t n = len < PAGE_SIZE ? len : PAGE_SIZE;

		res = write_piece(r, mem, gla, in, n, flags, fault);
		in += n;
		len -= n;
		gla = gla_advance(r, gla, n);
	}
	return res;
}
