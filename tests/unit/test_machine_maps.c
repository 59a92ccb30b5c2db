/*
 * The memory-map, MTRR and EPT logic against the recorded memory maps and
 * MTRRs of real machines (tests/unit/machine_maps.h names each source: a
 * laptop, a desktop, a server with 321 GiB and a UEFI server).  For each:
 * the firmware's map goes through memmap_add/memmap_normalize (e820) or
 * efi_memmap_to_boot_info (EFI), the MTRRs into a struct mtrr_state, the
 * hypervisor's image and pool are placed as pmm_global.c does (highest
 * free RAM below 4 GiB), and the guest's EPT is built as guest_mem_init()
 * builds it.  Then every leaf of that EPT is checked: identity, RWX, the
 * memory type mtrr_range_type() gives its whole range; the leaves tile
 * [0, limit) exactly minus the hypervisor's ranges; the limit is the
 * CPU's whole physical address space (MAXPHYADDR) with 1 GiB pages, so
 * every RAM range and MMIO above RAM is mapped.  Spot checks name the
 * types the dumps show (UC holes, WB RAM above 4 GiB, WC, WT, WP).
 */
#include <stdio.h>
#include <stdlib.h>

#include "boot/efi_memmap.h"
#include "mm/ept.h"
#include "mm/memmap.h"
#include "mm/pmm.h"
#include "tests/unit/machine_maps.h"
#include "tests/unit/host_tables.h"
#include "tests/unit/test.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TiB (1ull << 40)
#define PAGE 4096ull
#define POOL_BYTES (16 * MiB)           /* mm/pmm_global.c */
#define POOL_ALIGN (2 * MiB)
#define IMAGE_BYTES (2 * MiB)           /* the image's 2 MiB block */
#define HOLES 2
#define EFI_DESCS_MAX 128

/* A recorded machine, parsed. */
struct machine {
	struct boot_info bi;            /* its memory map in bi.mmap */
	struct mtrr_state mtrr;
	uint32_t phys_bits;             /* MAXPHYADDR, from the MTRR masks */
	struct ept_hole holes[HOLES];   /* the hypervisor's image and pool */
};

/* Linux's name of a memory type (MTRR lines) as the SDM's encoding. */
static int memtype_of(const char *name)
{
	static const struct { const char *name; int type; } names[] = {
		{ "uncachable", MEMTYPE_UC }, { "write-combining", MEMTYPE_WC },
		{ "write-through", MEMTYPE_WT }, { "write-protect", MEMTYPE_WP },
		{ "write-back", MEMTYPE_WB },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i].name))
			return names[i].type;
	return -1;
}

/* An e820 type as Linux prints it, as enum mem_type. */
static uint32_t e820_type_of(const char *name)
{
	if (!strcmp(name, "usable"))
		return MEM_USABLE;
	if (!strcmp(name, "ACPI data"))
		return MEM_ACPI_RECLAIM;
	if (!strcmp(name, "ACPI NVS"))
		return MEM_ACPI_NVS;
	return MEM_RESERVED;
}

/* Set the fixed-range MTRR entries inside [lo, last] to type. */
static void set_fixed(struct mtrr_state *s, uint64_t lo, uint64_t last,
		      int type)
{
	static const struct { uint64_t start, unit; int count; } blocks[] = {
		{ 0x00000, 64 * KiB, 8 }, { 0x80000, 16 * KiB, 16 },
		{ 0xc0000, 4 * KiB, 64 },
	};

	for (int b = 0, idx = 0; b < 3; b++)
		for (int i = 0; i < blocks[b].count; i++, idx++) {
			uint64_t at = blocks[b].start + i * blocks[b].unit;

			if (at >= lo && at <= last)
				s->fixed[idx] = (uint8_t)type;
		}
}

/* One MTRR line into m; false when it is not one. */
static bool parse_mtrr_line(struct machine *m, const char *l)
{
	unsigned long long a, b;
	unsigned n;
	char word[32];
	int t;

	if (sscanf(l, "MTRR default type: %31s", word) == 1 &&
	    (t = memtype_of(word)) >= 0) {
		m->mtrr.default_type = (uint8_t)t;
		return true;
	}
	if (sscanf(l, " %u base %llx mask %llx %31s", &n, &a, &b, word) == 4 &&
	    (t = memtype_of(word)) >= 0 && n < MTRR_VAR_MAX) {
		m->mtrr.var[n] = (struct mtrr_var){ a | (uint64_t)t,
						    b | MTRR_PHYSMASK_VALID };
		if (n + 1 > m->mtrr.var_count)
			m->mtrr.var_count = n + 1;
		while (b >> m->phys_bits)
			m->phys_bits++;
		return true;
	}
	if (sscanf(l, " %u %31s", &n, word) == 2 && !strcmp(word, "disabled") &&
	    n < MTRR_VAR_MAX) {
		if (n + 1 > m->mtrr.var_count)
			m->mtrr.var_count = n + 1;
		return true;
	}
	if (sscanf(l, " %llx-%llx %31s", &a, &b, word) == 3 &&
	    (t = memtype_of(word)) >= 0) {
		set_fixed(&m->mtrr, a, b, t);
		m->mtrr.fixed_enabled = true;
		return true;
	}
	return false;
}

/* Parse a recorded machine into m: its map (normalized), its MTRRs
 * (enabled, as every dump says) and its MAXPHYADDR.  False on a line that
 * is none of the known formats. */
static bool parse_machine(const struct recorded_machine *rm, struct machine *m)
{
	static struct efi_mmap_desc efi[EFI_DESCS_MAX];
	size_t efi_count = 0;
	unsigned long long a, b, attr;
	unsigned t;
	char word[32];

	memset(m, 0, sizeof(*m));
	m->mtrr.present = m->mtrr.enabled = true;
	for (const char *const *l = rm->lines; *l; l++) {
		if (sscanf(*l, "BIOS-e820: [mem %llx-%llx] %31[^\n]", &a, &b,
			   word) == 3) {
			memmap_add(&m->bi.mmap, a, b + 1 - a, e820_type_of(word));
		} else if (sscanf(*l, "BIOS-e820: %llx - %llx (%31[^)])", &a, &b,
				  word) == 3) {
			memmap_add(&m->bi.mmap, a, b - a, e820_type_of(word));
		} else if (sscanf(*l, "efi: mem%*u: type=%u, attr=%llx, "
				  "range=[%llx-%llx)", &t, &attr, &a, &b) == 4) {
			if (efi_count == EFI_DESCS_MAX)
				return false;
			efi[efi_count++] = (struct efi_mmap_desc){
				.type = t, .physical_start = a,
				.number_of_pages = (b - a) / PAGE,
				.attribute = attr };
		} else if (!parse_mtrr_line(m, *l)) {
			fprintf(stderr, "unparsed: %s\n", *l);
			return false;
		}
	}
	m->mtrr.addr_mask = (1ull << m->phys_bits) - 1;
	if (efi_count)
		return efi_memmap_to_boot_info(efi, efi_count * sizeof(efi[0]),
					       sizeof(efi[0]), &m->bi);
	return memmap_normalize(&m->bi.mmap);
}

/* The hypervisor's pool and image where pmm_global.c puts them: the
 * highest 2 MiB-aligned free RAM below 4 GiB (boot-services memory counts
 * as free); false when there is none. */
static bool place_hypervisor(struct machine *m)
{
	static struct pmm free_ram;
	uint64_t pool, image;

	pmm_reset(&free_ram);
	for (uint32_t i = 0; i < m->bi.mmap.count; i++) {
		const struct mem_range *r = &m->bi.mmap.ranges[i];

		if (r->type == MEM_USABLE || r->type == MEM_BOOT_SERVICES)
			pmm_range_add(&free_ram, r->base, r->length);
	}
	pool = pmm_range_alloc(&free_ram, POOL_BYTES / PAGE, POOL_ALIGN,
			       4 * GiB);
	image = pmm_range_alloc(&free_ram, IMAGE_BYTES / PAGE, POOL_ALIGN,
				4 * GiB);
	if (!pool || !image)
		return false;
	/* Sorted by base, as the EPT builder wants them. */
	m->holes[0] = (struct ept_hole){ image, image + IMAGE_BYTES };
	m->holes[1] = (struct ept_hole){ pool, pool + POOL_BYTES };
	if (image > pool) {
		struct ept_hole h = m->holes[0];

		m->holes[0] = m->holes[1];
		m->holes[1] = h;
	}
	return true;
}

/* The memory map's limit as guest_mem_choose_limit() computes it: the top
 * of the map rounded up to 1 GiB, at least 4 GiB, 512 GiB with 1 GiB pages. */
static uint64_t map_limit(const struct memmap *map, bool pages_1g)
{
	uint64_t top = 4 * GiB;

	for (uint32_t i = 0; i < map->count; i++) {
		uint64_t end = map->ranges[i].base + map->ranges[i].length;

		end = (end + GiB - 1) & ~(GiB - 1);
		if (end > top)
			top = end;
	}
	return pages_1g && top < 512 * GiB ? 512 * GiB : top;
}

/* The state of a check over the EPT's leaves in address order. */
struct tiling {
	const struct machine *m;
	uint64_t cursor;                /* everything below is checked */
	uint64_t leaves;
	bool failed;
};

/* Fail the walk with a message naming the machine's address. */
#define TILE_FAIL(t, ...)                                               \
	do {                                                            \
		char msg_[160];                                         \
		snprintf(msg_, sizeof(msg_), __VA_ARGS__);              \
		test_fail(__FILE__, __LINE__, "%s", msg_);              \
		(t)->failed = true;                                     \
	} while (0)

/* Whether [lo, hi) is all hypervisor range. */
static bool all_holes(const struct machine *m, uint64_t lo, uint64_t hi)
{
	while (lo < hi) {
		int i;

		for (i = 0; i < HOLES; i++)
			if (m->holes[i].base <= lo && lo < m->holes[i].end)
				break;
		if (i == HOLES)
			return false;
		lo = m->holes[i].end;
	}
	return true;
}

/* One leaf mapping [base, base + size) with entry e: identity, RWX, the
 * MTRRs' uniform type, no hypervisor range in it, nothing but hypervisor
 * ranges between it and the previous leaf. */
static void check_leaf(struct tiling *t, uint64_t base, uint64_t size,
		       uint64_t e)
{
	uint8_t type = (uint8_t)((e & EPT_MEMTYPE_MASK) >> EPT_MEMTYPE_SHIFT);
	uint8_t want = mtrr_range_type(&t->m->mtrr, base, size);

	t->leaves++;
	if ((e & EPT_ADDR_MASK) != base)
		TILE_FAIL(t, "leaf at %#llx maps %#llx", (unsigned long long)base,
			  (unsigned long long)(e & EPT_ADDR_MASK));
	if ((e & EPT_RWX) != EPT_RWX)
		TILE_FAIL(t, "leaf at %#llx is not RWX", (unsigned long long)base);
	if (type != want)
		TILE_FAIL(t, "leaf %#llx+%#llx type %u, MTRRs say %u",
			  (unsigned long long)base, (unsigned long long)size,
			  type, want);
	for (int i = 0; i < HOLES; i++)
		if (t->m->holes[i].base < base + size &&
		    base < t->m->holes[i].end)
			TILE_FAIL(t, "leaf %#llx+%#llx maps the hypervisor",
				  (unsigned long long)base,
				  (unsigned long long)size);
	if (!all_holes(t->m, t->cursor, base))
		TILE_FAIL(t, "unmapped gap %#llx-%#llx",
			  (unsigned long long)t->cursor,
			  (unsigned long long)base);
	t->cursor = base + size;
}

/* Visit the leaves under the table at phys (level 0: PML4) covering the
 * addresses from base, in address order. */
static void walk_leaves(struct tiling *t, uint64_t phys, int level,
			uint64_t base)
{
	static const unsigned shift[EPT_LEVELS] = { 39, 30, 21, 12 };
	const uint64_t *table = table_virt(phys);

	for (uint64_t i = 0; i < EPT_ENTRIES && !t->failed; i++) {
		uint64_t e = table[i], at = base + (i << shift[level]);

		if (!(e & EPT_RWX))
			continue;
		if (level == EPT_LEVELS - 1 ||
		    ((level == 1 || level == 2) && (e & EPT_LARGE_PAGE)))
			check_leaf(t, at, 1ull << shift[level], e);
		else
			walk_leaves(t, e & EPT_ADDR_MASK, level + 1, at);
	}
}

/* Build the machine's EPT up to limit and check every leaf and the tiling
 * of [0, limit); false (reported) on any defect. */
static bool check_ept(const struct machine *m, uint64_t limit, bool pages_1g)
{
	struct ept_params p = {
		.mtrr = &m->mtrr, .holes = m->holes, .hole_count = HOLES,
		.limit = limit, .pages_2m = true, .pages_1g = pages_1g,
		.alloc_table = alloc_table, .table_virt = table_virt,
	};
	struct ept_stats st;
	struct tiling t = { .m = m };
	uint64_t pml4 = ept_build_identity(&p, &st);

	if (!pml4) {
		test_fail(__FILE__, __LINE__, "EPT build failed");
		return false;
	}
	walk_leaves(&t, pml4, 0, 0);
	if (!t.failed && !all_holes(m, t.cursor, limit))
		TILE_FAIL(&t, "EPT ends at %#llx, limit %#llx",
			  (unsigned long long)t.cursor,
			  (unsigned long long)limit);
	if (!t.failed && t.cursor > limit)
		TILE_FAIL(&t, "EPT maps beyond its limit");
	free_tables();
	return !t.failed;
}

/* The EPT type at gpa, or -1 when gpa is not mapped. */
static int ept_type_at(const struct machine *m, uint64_t limit, uint64_t gpa)
{
	struct ept_params p = {
		.mtrr = &m->mtrr, .holes = m->holes, .hole_count = HOLES,
		.limit = limit, .pages_2m = true, .pages_1g = true,
		.alloc_table = alloc_table, .table_virt = table_virt,
	};
	struct ept_stats st;
	struct ept_walk w;
	uint64_t pml4 = ept_build_identity(&p, &st);
	int type = -1;

	ept_walk(pml4, gpa, table_virt, &w);
	if (w.mapped)
		type = (int)((w.entry[w.levels - 1] & EPT_MEMTYPE_MASK) >>
			     EPT_MEMTYPE_SHIFT);
	free_tables();
	return type;
}

static struct machine machine;

/* Parse and place recorded machine i into `machine`. */
static bool load(size_t i)
{
	return parse_machine(&recorded_machines[i], &machine) &&
	       place_hypervisor(&machine);
}

TEST(machine_maps_parse)
{
	static const uint32_t bits[] = { 36, 36, 46, 46 };
	static const uint32_t fragments[] = { 0, 0, 0, 4 }; /* free RAM runs */

	CHECK_EQ(RECORDED_MACHINE_COUNT, 4);
	for (size_t i = 0; i < RECORDED_MACHINE_COUNT; i++) {
		CHECK(load(i));
		CHECK_EQ(machine.phys_bits, bits[i]);
		CHECK(machine.bi.mmap.count >= 7);
		/* The UEFI server's RAM below 2 GiB is in several pieces. */
		uint32_t runs = 0;
		for (uint32_t r = 0; r < machine.bi.mmap.count; r++)
			runs += machine.bi.mmap.ranges[r].type ==
				MEM_BOOT_SERVICES;
		CHECK(runs >= fragments[i]);
	}
}

TEST(machine_maps_limit_is_maxphyaddr)
{
	/* 1 GiB pages: the CPU's whole physical address space. */
	CHECK_EQ(ept_choose_limit(5 * GiB, 36, true), 64 * GiB);
	CHECK_EQ(ept_choose_limit(322 * GiB, 46, true), 64 * TiB);
	CHECK_EQ(ept_choose_limit(512 * GiB, 39, true), 512 * GiB);
	/* A 4-level walk ends at 2^48 whatever MAXPHYADDR says. */
	CHECK_EQ(ept_choose_limit(512 * GiB, 52, true), 256 * TiB);
	/* Without 1 GiB pages 64 GiB, or more when the map goes further;
	 * never beyond MAXPHYADDR. */
	CHECK_EQ(ept_choose_limit(4 * GiB, 39, false), 64 * GiB);
	CHECK_EQ(ept_choose_limit(322 * GiB, 46, false), 322 * GiB);
	CHECK_EQ(ept_choose_limit(4 * GiB, 36, false), 64 * GiB);
	CHECK_EQ(ept_choose_limit(512 * GiB, 36, true), 64 * GiB);
}

TEST(machine_maps_ept_tiles_address_space_1g)
{
	for (size_t i = 0; i < RECORDED_MACHINE_COUNT; i++) {
		CHECK(load(i));
		uint64_t limit = ept_choose_limit(
			map_limit(&machine.bi.mmap, true), machine.phys_bits,
			true);
		CHECK_EQ(limit, 1ull << machine.phys_bits);
		CHECK(check_ept(&machine, limit, true));
	}
}

TEST(machine_maps_ept_tiles_address_space_2m)
{
	for (size_t i = 0; i < RECORDED_MACHINE_COUNT; i++) {
		CHECK(load(i));
		uint64_t limit = ept_choose_limit(
			map_limit(&machine.bi.mmap, false), machine.phys_bits,
			false);
		CHECK(limit >= map_limit(&machine.bi.mmap, false));
		CHECK(check_ept(&machine, limit, false));
	}
}

TEST(machine_maps_ram_is_write_back_and_mapped)
{
	for (size_t i = 0; i < RECORDED_MACHINE_COUNT; i++) {
		CHECK(load(i));
		uint64_t limit = 1ull << machine.phys_bits;

		for (uint32_t r = 0; r < machine.bi.mmap.count; r++) {
			const struct mem_range *g = &machine.bi.mmap.ranges[r];
			uint64_t first = g->base & ~(PAGE - 1);
			uint64_t last = (g->base + g->length - 1) & ~(PAGE - 1);

			if (g->type != MEM_USABLE)
				continue;
			CHECK(g->base + g->length <= limit);
			CHECK_EQ(mtrr_range_type(&machine.mtrr, first,
						 last + PAGE - first),
				 MEMTYPE_WB);
			if (!all_holes(&machine, first, first + PAGE))
				CHECK_EQ(ept_type_at(&machine, limit, first),
					 MEMTYPE_WB);
			if (!all_holes(&machine, last, last + PAGE))
				CHECK_EQ(ept_type_at(&machine, limit, last),
					 MEMTYPE_WB);
		}
	}
}

TEST(machine_maps_hypervisor_unmapped)
{
	for (size_t i = 0; i < RECORDED_MACHINE_COUNT; i++) {
		CHECK(load(i));
		uint64_t limit = 1ull << machine.phys_bits;

		for (int h = 0; h < HOLES; h++) {
			CHECK(machine.holes[h].end <= 4 * GiB);
			CHECK_EQ(ept_type_at(&machine, limit,
					     machine.holes[h].base), -1);
			CHECK_EQ(ept_type_at(&machine, limit,
					     machine.holes[h].end - PAGE), -1);
			if (!all_holes(&machine, machine.holes[h].end,
				       machine.holes[h].end + PAGE))
				CHECK(ept_type_at(&machine, limit,
						  machine.holes[h].end) >= 0);
		}
	}
}

/* The types the dumps show at chosen addresses (read off the dmesg lines
 * by hand), one machine per row. */
struct spot {
	uint64_t gpa;
	int type;
};

static const struct spot laptop_spots[] = {
	{ 0x0, MEMTYPE_WB }, { 0xa0000, MEMTYPE_UC }, { 0xe0000, MEMTYPE_WT },
	{ 0xf0000, MEMTYPE_WP }, { 0x100000, MEMTYPE_WB },
	{ 0xb7d8f000, MEMTYPE_WB }, { 0xb7e00000, MEMTYPE_UC },
	{ 0xb8000000, MEMTYPE_UC }, { 0xc0000000, MEMTYPE_UC },
	{ 0xfee00000, MEMTYPE_UC }, { 0x100000000, MEMTYPE_WB },
	{ 0x13ffff000, MEMTYPE_WB }, { 0x140000000, MEMTYPE_UC },
	{ 0xffffff000, MEMTYPE_UC }, { 0, -2 }
};
static const struct spot desktop_spots[] = {
	{ 0x9f000, MEMTYPE_WB }, { 0xc0000, MEMTYPE_WP },
	{ 0xcd000, MEMTYPE_UC }, { 0x5ffff000, MEMTYPE_WB },
	{ 0x60000000, MEMTYPE_UC }, { 0xe0000000, MEMTYPE_WC },
	{ 0xe3fff000, MEMTYPE_WC }, { 0xe4000000, MEMTYPE_UC },
	{ 0xfec00000, MEMTYPE_UC }, { 0x100000000, MEMTYPE_UC },
	{ 0xffffff000, MEMTYPE_UC }, { 0, -2 }
};
static const struct spot server_spots[] = {
	{ 0x695fe000, MEMTYPE_WB }, { 0x7f000000, MEMTYPE_UC },
	{ 0x80000000, MEMTYPE_UC }, { 0xfe000000, MEMTYPE_UC },
	{ 0x100000000, MEMTYPE_WB }, { 0x4000000000, MEMTYPE_WB },
	{ 0x506ffff000, MEMTYPE_WB }, { 0x5070000000, MEMTYPE_UC },
	{ 0x5080000000, MEMTYPE_UC }, { 0x200000000000, MEMTYPE_UC },
	{ 0x3ffffffff000, MEMTYPE_UC }, { 0, -2 }
};
static const struct spot td340_spots[] = {
	{ 0x8000, MEMTYPE_WB }, { 0xc8000, MEMTYPE_UC },
	{ 0xe0000, MEMTYPE_WP }, { 0x7f3ea000, MEMTYPE_WB },
	{ 0x80000000, MEMTYPE_UC }, { 0xfed20000, MEMTYPE_UC },
	{ 0xff000000, MEMTYPE_UC }, { 0x27ffff000, MEMTYPE_WB },
	{ 0x280000000, MEMTYPE_UC }, { 0x3ffffffff000, MEMTYPE_UC },
	{ 0, -2 }
};
static const struct spot *const spots[] = {
	laptop_spots, desktop_spots, server_spots, td340_spots,
};

TEST(machine_maps_spot_types)
{
	for (size_t i = 0; i < RECORDED_MACHINE_COUNT; i++) {
		CHECK(load(i));
		uint64_t limit = 1ull << machine.phys_bits;

		for (const struct spot *s = spots[i]; s->type != -2; s++) {
			CHECK(!all_holes(&machine, s->gpa, s->gpa + PAGE));
			CHECK_EQ(ept_type_at(&machine, limit, s->gpa), s->type);
		}
	}
}

TEST(machine_maps_efi_only_mmio_is_mapped_uc)
{
	/* The TD340's EFI map names MMIO (type 11) the hypervisor keeps in
	 * the map as MMIO: mapped, uncached, below the limit. */
	CHECK(load(3));
	uint32_t mmio = 0;
	for (uint32_t r = 0; r < machine.bi.mmap.count; r++) {
		const struct mem_range *g = &machine.bi.mmap.ranges[r];

		if (g->type != MEM_MMIO)
			continue;
		mmio++;
		CHECK_EQ(ept_type_at(&machine, 1ull << machine.phys_bits,
				     g->base), MEMTYPE_UC);
	}
	CHECK(mmio >= 3);
}
