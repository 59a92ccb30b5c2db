/*
 * Host paging (see mm/paging.h): one identity map built once at boot.
 *
 * Page sizes follow the MTRRs, because a large page that spans ranges of
 * different memory types is undefined behaviour (SDM Vol. 3, "Large Page
 * Size Considerations"):
 *   - below 2 MiB, 4 KiB pages: the fixed-range MTRRs give the first MiB
 *     (VGA window, option ROMs, BIOS) types at 4 KiB granularity;
 *   - below 4 GiB, 2 MiB pages: the MMIO hole (LAPIC, IOAPIC, HPET, PCI
 *     BARs) sits just under 4 GiB next to RAM;
 *   - above 4 GiB, 1 GiB pages when CPUID.80000001H:EDX.Page1GB says so,
 *     else 2 MiB pages.
 * Every entry leaves PWT/PCD/PAT clear, i.e. PAT entry 0, which is WB after
 * reset; the MTRRs then make MMIO UC, and RAM stays WB.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/page.h"
#include "arch/x86/panic.h"
#include "lib/bits.h"
#include "lib/log.h"
#include "mm/paging.h"
#include "mm/pmm.h"

/* 4-level paging translates 48-bit addresses; the identity map uses the
 * lower half only, so it ends at 2^47. */
#define IDENTITY_MAP_MAX   (1ull << 47)

static unsigned int table_pages;

/* A page table by its physical address: the pool is inside the current
 * identity map. */
static uint64_t *table_at(uint64_t phys)
{
	return (uint64_t *)(uintptr_t)phys;   /* identity-mapped */
}

/* The index of addr in the table whose entries each cover 2^shift bytes. */
static unsigned int table_index(uint64_t addr, unsigned int shift)
{
	return (addr >> shift) & (PT_ENTRIES - 1);
}

/* The table an entry points to, allocated (zeroed) on first use. */
static uint64_t *next_table(uint64_t *entry)
{
	if (!(*entry & PTE_PRESENT)) {
		*entry = pmm_alloc_page() | PTE_PRESENT | PTE_WRITABLE;
		table_pages++;
	}
	return table_at(*entry & PTE_ADDR_MASK);
}

/* Map the page of `size` bytes at addr (aligned) to itself. */
static void map_identity_page(uint64_t pml4, uint64_t addr, uint64_t size)
{
	uint64_t leaf = addr | PTE_PRESENT | PTE_WRITABLE;
	uint64_t *e = &table_at(pml4)[table_index(addr, PML4_SHIFT)];

	e = &next_table(e)[table_index(addr, PDPT_SHIFT)];
	if (size == SIZE_1G) {
		*e = leaf | PTE_PAGE_SIZE;
		return;
	}
	e = &next_table(e)[table_index(addr, PD_SHIFT)];
	if (size == SIZE_2M) {
		*e = leaf | PTE_PAGE_SIZE;
		return;
	}
	e = &next_table(e)[table_index(addr, PT_SHIFT)];
	*e = leaf;
}

/* The page size to use at addr (see the comment at the top). */
static uint64_t page_size_at(uint64_t addr, bool has_1g)
{
	if (addr < SIZE_2M)
		return SIZE_4K;
	if (addr < SIZE_4G || !has_1g)
		return SIZE_2M;
	return SIZE_1G;
}

/* Whether the CPU can map 1 GiB pages in its own page tables (CPUID
 * 80000001H:EDX.Page1GB). */
static bool cpu_has_1g_pages(void)
{
	if (cpuid(CPUID_EXT_MAX_LEAF, 0).eax < CPUID_EXT_FEATURES)
		return false;
	return cpuid(CPUID_EXT_FEATURES, 0).edx & CPUID_80000001_EDX_PDPE1GB;
}

/* The end of the physical addresses this CPU can reach (MAXPHYADDR), capped
 * at what the identity map can hold. */
static uint64_t max_phys_addr_end(void)
{
	unsigned int bits = cpu_maxphyaddr();

	return bits >= 47 ? IDENTITY_MAP_MAX : 1ull << bits;
}

/* The end of [base, base + len), saturating at 2^64 - 1 instead of wrapping.
 */
static uint64_t end_of(uint64_t base, uint64_t len)
{
	return len > UINT64_MAX - base ? UINT64_MAX : base + len;
}

/* Identity-map [base, end) in the page sizes page_size_at() picks. */
static void map_range(uint64_t pml4, uint64_t base, uint64_t end,
		      bool has_1g)
{
	uint64_t addr = base & ~(page_size_at(base, has_1g) - 1);

	while (addr < end) {
		uint64_t size = page_size_at(addr, has_1g);

		map_identity_page(pml4, addr, size);
		addr += size;
	}
}

/*
 * The first 4 GiB whole (RAM, the PCI hole, LAPIC, IOAPIC), and above that
 * only what the boot map names: a reserved range near 1 TiB (QEMU) must not
 * cost a terabyte of 2 MiB mappings.  Returns the highest end mapped.
 */
static uint64_t map_boot_ranges(uint64_t pml4, const struct memmap *map,
				bool has_1g)
{
	uint64_t limit = max_phys_addr_end(), top = SIZE_4G;

	map_range(pml4, 0, SIZE_4G, has_1g);
	for (uint32_t i = 0; i < map->count && i < MEMMAP_MAX; i++) {
		uint64_t base = map->ranges[i].base;
		uint64_t end = end_of(base, map->ranges[i].length);

		if (end <= SIZE_4G || !map->ranges[i].length)
			continue;
		if (end > limit) {
			log_warn("paging: boot map range %#llx-%#llx is beyond "
				 "the %#llx the CPU can address; not mapped "
				 "past that", (unsigned long long)base,
				 (unsigned long long)end - 1,
				 (unsigned long long)limit);
			end = limit;
		}
		if (base < SIZE_4G)
			base = SIZE_4G;
		if (base < end)
			map_range(pml4, base, end, has_1g);
		if (end > top)
			top = end;
	}
	return top;
}

/* Load the new tables and drop every stale translation, global ones too
 * (a CR3 write keeps those; toggling CR4.PGE does not). */
static void load_cr3(uint64_t pml4)
{
	uint64_t cr4 = read_cr4();

	if (cr4 & CR4_PGE)
		write_cr4(cr4 & ~CR4_PGE);
	write_cr3(pml4);
	if (cr4 & CR4_PGE)
		write_cr4(cr4);
}

/* Replace the boot loader's page tables with the hypervisor's own identity
 * map (first 4 GiB, and the boot map above) and load them.  Once on the BSP,
 * after pmm_init(), interrupts off; panics when the loader left 5-level
 * paging on. */
void paging_init(const struct memmap *map)
{
	/* A firmware may run 5-level paging; the tables built here are
	 * 4-level, and leaving LA57 needs a trip out of long mode. */
	if (read_cr4() & CR4_LA57)
		panic("paging_init: the loader left 5-level paging (CR4.LA57) "
		      "on; only 4-level paging is supported");

	bool has_1g = cpu_has_1g_pages();
	uint64_t pml4 = pmm_alloc_page();

	table_pages = 1;
	uint64_t top = map_boot_ranges(pml4, map, has_1g);
	load_cr3(pml4);
	/* The pool lies below 4 GiB; nothing above is handed out. */
	pmm_set_mapped_limit(SIZE_4G);
	log_debug("paging: identity-mapped the first 4 GiB and the boot map "
		 "above, up to %#llx: 4 KiB pages below 2 MiB, 2 MiB below "
		 "4 GiB, %s above; %u table pages, CR3=%#llx",
		 (unsigned long long)top - 1, has_1g ? "1 GiB" : "2 MiB",
		 table_pages, (unsigned long long)pml4);
}
