/*
 * The test aid debug-iommu-dma (see hv/iommu.h): runs instead of the
 * guest, right after iommu_init, in QEMU with `-device intel-iommu` and
 * `-device edu` (no VMX needed).  The hypervisor drives the edu device's
 * DMA engine itself, before any guest exists; nothing here is reachable
 * from a guest.
 *
 * Checks, one line each (`[hv] info: iommu-test: PASS name`):
 *   guest-ram-dma     RAM -> device -> another guest RAM page arrives
 *   pool-write        device -> a hypervisor pool page: blocked, the fault
 *                     names the device, the page and "write"; page intact
 *   image-write       the same for a page inside the hypervisor image
 *   fault-storm       three blocked writes with no poll in between: one
 *                     poll takes between one and three records (a unit may
 *                     collapse repeated faults of one requester, as QEMU
 *                     does, or overflow), the page stays intact, and the
 *                     unit reports the next fault again
 *   pool-read         a pool page -> device: blocked as a read, and what the
 *                     device holds afterwards is not the page's content
 *   remap-invalidates the guest page written by guest-ram-dma becomes a
 *                     hole of a new map (iommu_test_hide_page: the switch
 *                     iommu_follow_guest_mem makes); a write there is now
 *                     blocked, so no stale translation survived
 * Without remapping (no intel-iommu, or iommu=off) the hypervisor pages
 * change and the test fails, as it must.
 */
#include "arch/x86/page.h"
#include "drivers/edu.h"
#include "drivers/stop.h"
#include "hv/iommu.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/pmm.h"

#define LOW_MEMORY_LIMIT  0x100000ull   /* firmware data below 1 MiB */
#define GUEST_PATTERN     0x5a
#define HV_MARK           0xcc
#define HV_SECRET         0x3c
#define FAULTS_MAX        IOMMU_POLL_MAX
#define STORM_WRITES      3

/* A page of the image itself (in .bss), the image-write target. */
static uint8_t image_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* Whether [a, a + PAGE_SIZE) overlaps [base, base + size). */
static bool page_overlaps(uint64_t a, uint64_t base, uint64_t size)
{
	return a < base + size && base < a + PAGE_SIZE;
}

/* Whether page p belongs to the guest-to-be: not the image, the pool, a
 * kept range, a module or the RSDP's page. */
static bool is_guest_page(const struct mm_layout *l, uint64_t p)
{
	uint64_t pool_base, pool_end;

	pmm_pool_bounds(&pool_base, &pool_end);
	if (page_overlaps(p, l->image.base, l->image.size) ||
	    page_overlaps(p, pool_base, pool_end - pool_base) ||
	    page_overlaps(p, l->rsdp & ~(PAGE_SIZE - 1), PAGE_SIZE))
		return false;
	for (uint32_t i = 0; i < l->kept_count && i < MM_KEPT_MAX; i++)
		if (page_overlaps(p, l->kept[i].base, l->kept[i].size))
			return false;
	for (uint32_t i = 0; i < l->module_count && i < MM_MODULES_MAX; i++)
		if (page_overlaps(p, l->modules[i].base, l->modules[i].size))
			return false;
	return true;
}

/* The first usable guest page above 1 MiB and below the device's DMA
 * limit other than skip; 0 when there is none. */
static uint64_t find_guest_page(const struct mm_layout *l, uint64_t skip)
{
	for (uint32_t i = 0; i < l->map->count; i++) {
		const struct mem_range *r = &l->map->ranges[i];
		uint64_t p = (r->base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

		if (r->type != MEM_USABLE)
			continue;
		if (p < LOW_MEMORY_LIMIT)
			p = LOW_MEMORY_LIMIT;
		for (; p + PAGE_SIZE <= r->base + r->length &&
		       p + PAGE_SIZE <= EDU_DMA_ADDRESS_LIMIT; p += PAGE_SIZE)
			if (p != skip && is_guest_page(l, p))
				return p;
	}
	return 0;
}

/* Whether all len bytes at p are b. */
static bool bytes_all(uint64_t p, uint32_t len, uint8_t b)
{
	const uint8_t *q = (const uint8_t *)(uintptr_t)p;

	for (uint32_t i = 0; i < len; i++)
		if (q[i] != b)
			return false;
	return true;
}

/* Whether the whole page at p is b. */
static bool page_all(uint64_t p, uint8_t b)
{
	return bytes_all(p, PAGE_SIZE, b);
}

/* One verdict line; returns ok. */
static bool verdict(const char *name, bool ok, const char *why)
{
	if (ok)
		log_info("iommu-test: PASS %s", name);
	else
		log_error("iommu-test: FAIL %s: %s", name, why);
	return ok;
}

/* Whether a fault from e for page p of the given kind was reported. */
static bool fault_seen(const struct edu *e, uint64_t p, bool read)
{
	struct vtd_fault f[FAULTS_MAX];
	uint16_t sid = (uint16_t)(e->bdf.bus << 8 | e->bdf.dev << 3 | e->bdf.fn);
	uint32_t n = iommu_poll_faults(f, FAULTS_MAX);
	bool seen = false;

	for (uint32_t i = 0; i < n && i < FAULTS_MAX; i++)
		seen = seen || (f[i].source_id == sid && f[i].address == p &&
				f[i].read == read);
	return seen;
}

/* guest-ram-dma: RAM at src -> device -> RAM at dst, no fault. */
static bool check_guest_ram(const struct edu *e, uint64_t src, uint64_t dst)
{
	memset((void *)(uintptr_t)src, GUEST_PATTERN, PAGE_SIZE);
	memset((void *)(uintptr_t)dst, 0, PAGE_SIZE);
	if (!edu_dma(e, src, EDU_DMA_MAX, false) ||
	    !edu_dma(e, dst, EDU_DMA_MAX, true))
		return verdict("guest-ram-dma", false, "the device timed out");
	if (iommu_poll_faults(NULL, 0))
		return verdict("guest-ram-dma", false, "a fault was reported");
	return verdict("guest-ram-dma", bytes_all(dst, EDU_DMA_MAX, GUEST_PATTERN),
		       "the data did not arrive");
}

/* A device write into the hypervisor page p: blocked, reported, p intact.
 * The device's buffer holds the guest pattern from the check before. */
static bool check_write(const struct edu *e, const char *name, uint64_t p)
{
	memset((void *)(uintptr_t)p, HV_MARK, PAGE_SIZE);
	if (!edu_dma(e, p, EDU_DMA_MAX, true))
		return verdict(name, false, "the device timed out");
	if (!page_all(p, HV_MARK))
		return verdict(name, false, "the hypervisor page was written");
	return verdict(name, fault_seen(e, p, false),
		       "no write fault for the page was reported");
}

/* fault-storm on the hypervisor page p (see the list at the top). */
static bool check_storm(const struct edu *e, uint64_t p)
{
	struct iommu_stats before, after;
	uint32_t n;

	iommu_stats_get(&before);
	for (uint32_t i = 0; i < STORM_WRITES; i++)
		if (!edu_dma(e, p, EDU_DMA_MAX, true))
			return verdict("fault-storm", false,
				       "the device timed out");
	n = iommu_poll_faults(NULL, 0);
	iommu_stats_get(&after);
	if (!n || n > STORM_WRITES || after.faults != before.faults + n)
		return verdict("fault-storm", false,
			       "the faults were not taken and counted");
	if (!page_all(p, HV_MARK))
		return verdict("fault-storm", false,
			       "the hypervisor page was written");
	if (!edu_dma(e, p, EDU_DMA_MAX, true))
		return verdict("fault-storm", false, "the device timed out");
	return verdict("fault-storm", fault_seen(e, p, false),
		       "no fault reported after the storm");
}

/* pool-read: the device reads the pool page p: blocked and reported, and
 * the page's content never reaches the device (copied out to guest page
 * dst to look). */
static bool check_read(const struct edu *e, uint64_t p, uint64_t dst)
{
	memset((void *)(uintptr_t)p, HV_SECRET, PAGE_SIZE);
	if (!edu_dma(e, p, EDU_DMA_MAX, false))
		return verdict("pool-read", false, "the device timed out");
	if (!fault_seen(e, p, true))
		return verdict("pool-read", false,
			       "no read fault for the page was reported");
	if (!edu_dma(e, dst, EDU_DMA_MAX, true))
		return verdict("pool-read", false, "the device timed out");
	return verdict("pool-read", !bytes_all(dst, EDU_DMA_MAX, HV_SECRET),
		       "the device read the hypervisor page");
}

/* remap-invalidates: after switching to a map without page dst (whose
 * translation the device used a moment ago), a write there is blocked.
 * The device's buffer is loaded with the pattern from src first: a failed
 * read may have left zeros there. */
static bool check_remap(const struct edu *e, const struct mm_layout *l,
			uint64_t src, uint64_t dst)
{
	if (!edu_dma(e, src, EDU_DMA_MAX, false))
		return verdict("remap-invalidates", false,
			       "the device timed out");
	if (!iommu_test_hide_page(l, dst))
		return verdict("remap-invalidates", false,
			       "the map could not be switched");
	memset((void *)(uintptr_t)dst, 0, PAGE_SIZE);
	if (!edu_dma(e, dst, EDU_DMA_MAX, true))
		return verdict("remap-invalidates", false,
			       "the device timed out");
	if (!page_all(dst, 0))
		return verdict("remap-invalidates", false,
			       "the old translation was still used");
	return verdict("remap-invalidates", fault_seen(e, dst, false),
		       "no write fault for the page was reported");
}

/* Run the checks and stop with the verdict (see iommu.h). */
void iommu_selftest(const struct mm_layout *l)
{
	struct edu e;
	uint64_t src = find_guest_page(l, 0);
	uint64_t dst = find_guest_page(l, src);
	uint64_t pool = pmm_alloc_page();
	bool ok = true;

	log_info("iommu-test: DMA remapping %s", iommu_active() ? "on" : "OFF");
	if (!edu_find(&e))
		hv_stop(false, "iommu-test: no edu device (QEMU -device edu)");
	if (!src || !dst || pool + PAGE_SIZE > EDU_DMA_ADDRESS_LIMIT ||
	    (uint64_t)(uintptr_t)image_page + PAGE_SIZE > EDU_DMA_ADDRESS_LIMIT)
		hv_stop(false, "iommu-test: no pages within the device's reach");
	log_info("iommu-test: edu at %02x:%02x.%x, registers %#llx; guest "
		 "pages %#llx %#llx, pool page %#llx, image page %#llx",
		 e.bdf.bus, e.bdf.dev, e.bdf.fn, (unsigned long long)e.bar0,
		 (unsigned long long)src, (unsigned long long)dst,
		 (unsigned long long)pool,
		 (unsigned long long)(uintptr_t)image_page);
	ok &= check_guest_ram(&e, src, dst);
	ok &= check_write(&e, "pool-write", pool);
	ok &= check_write(&e, "image-write", (uint64_t)(uintptr_t)image_page);
	ok &= check_storm(&e, pool);
	ok &= check_read(&e, pool, dst);
	ok &= check_remap(&e, l, src, dst);
	iommu_stats_log();
	hv_stop(ok, ok ? "VT-d DMA self-test passed"
		       : "VT-d DMA self-test failed");
}
