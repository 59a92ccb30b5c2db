/*
 * DMA protection with VT-d: discovery, policy, bring-up and fault reports
 * (see hv/iommu.h and docs/iommu.md).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/acpi.h"
#include "arch/x86/page.h"
#include "boot/config.h"
#include "drivers/dmar.h"
#include "drivers/stop.h"
#include "hv/iommu.h"
#include "lib/log.h"
#include "mm/dma_map.h"
#include "mm/guest_mem.h"
#include "mm/pmm.h"

#define DOMAIN_ID       1   /* the one domain (0 is reserved with caching mode) */
#define EARLY_HOLES_MAX (2 + MM_KEPT_MAX)

static struct dmar_info dmar;
static struct vtd_unit units[DMAR_UNITS_MAX];
static uint32_t unit_count;
static bool active;
static bool map_2m, map_1g;         /* page sizes every unit walks */
static bool all_coherent;           /* every unit's walks snoop (ECAP.C) */
static uint64_t map_pml4;
static uint64_t width_limit;        /* addresses every unit translates */
static uint64_t early_limit;        /* the limit of the map iommu_init built */
static struct iommu_stats stats;
static uint64_t last_poll_tsc;

/* Find and parse the DMAR table into dmar; false (logged) when there is
 * none or it is malformed. */
static bool find_dmar(const struct boot_info *bi)
{
	struct acpi_source src = { bi->rsdp_data, acpi_map_identity, NULL };
	char err[DMAR_ERROR_MAX];
	const uint8_t *t;
	uint32_t len;

	if (!bi->has_rsdp) {
		log_warn("iommu: no ACPI RSDP from the loader: no DMAR table");
		return false;
	}
	t = acpi_find_sdt(&src, DMAR_SIGNATURE, NULL, &len, err, sizeof(err));
	if (!t) {
		log_warn("iommu: ACPI: %s", err);
		return false;
	}
	if (!dmar_parse(t, len, &dmar, err, sizeof(err))) {
		log_error("iommu: DMAR table refused: %s", err);
		return false;
	}
	return dmar.unit_count > 0;
}

/* Log one unit of the DMAR table and its device scopes. */
static void log_unit(uint32_t i)
{
	const struct dmar_unit *u = &dmar.units[i];

	log_info("iommu: DRHD %u: registers %#llx (%llu KiB), segment %u%s, "
		 "%u device scope(s)", i, (unsigned long long)u->base,
		 (unsigned long long)u->size >> 10, u->segment,
		 u->include_pci_all ? ", INCLUDE_PCI_ALL" : "",
		 u->scopes.count);
	for (uint32_t k = 0; k < u->scopes.count; k++) {
		uint32_t s = u->scopes.first + k;

		if (s >= dmar.scope_count)
			break;
		log_info("iommu:   %s %02x:%02x.%x (path of %u, id %u)",
			 dmar_scope_type_name(dmar.scopes[s].type),
			 dmar.scopes[s].start_bus, dmar.scopes[s].dev,
			 dmar.scopes[s].fn, dmar.scopes[s].path_len,
			 dmar.scopes[s].enumeration_id);
	}
}

/* Log the table: width, units, RMRRs (mapped for every device: the one
 * identity map covers them) and what this code leaves alone. */
static void log_dmar(void)
{
	log_info("iommu: DMAR: host address width %u, flags %#x, %u unit(s), "
		 "%u RMRR(s), %u ATSR, %u SATC, %u RHSA%s",
		 dmar.host_address_width, dmar.flags, dmar.unit_count,
		 dmar.rmrr_count, dmar.atsr_count, dmar.satc_count,
		 dmar.rhsa_count, dmar.dropped ? " (some dropped: too many)" : "");
	for (uint32_t i = 0; i < dmar.unit_count; i++)
		log_unit(i);
	for (uint32_t i = 0; i < dmar.rmrr_count; i++)
		log_info("iommu: RMRR %#llx-%#llx for %u device(s): stays "
			 "mapped", (unsigned long long)dmar.rmrrs[i].base,
			 (unsigned long long)dmar.rmrrs[i].limit,
			 dmar.rmrrs[i].scopes.count);
}

/* Probe every unit: the page sizes all of them walk and the highest
 * address all of them translate (into map_2m, map_1g, width_limit).
 * False (logged) when a unit does not answer. */
static bool probe_units(void)
{
	map_2m = map_1g = all_coherent = true;
	width_limit = ~0ull;
	for (uint32_t i = 0; i < dmar.unit_count; i++) {
		struct vtd_unit *u = &units[i];

		if (!vtd_probe(u, dmar.units[i].base)) {
			log_error("iommu: DRHD %u at %#llx does not answer", i,
				  (unsigned long long)dmar.units[i].base);
			return false;
		}
		map_2m = map_2m && u->caps.pages_2m;
		all_coherent = all_coherent && u->caps.coherent;
		map_1g = map_1g && u->caps.pages_1g;
		if (u->caps.mgaw < 64 && width_limit > (1ull << u->caps.mgaw))
			width_limit = 1ull << u->caps.mgaw;
	}
	return true;
}

/* limit cut to what every unit translates (logged when cut). */
static uint64_t clamp_limit(uint64_t limit)
{
	if (limit <= width_limit)
		return limit;
	log_warn("iommu: DMA map cut to the units' address width: %#llx",
		 (unsigned long long)width_limit);
	return width_limit;
}

/* Each unit's walk depth for a map of [0, limit), logged with what its
 * capability registers say; false when a unit has none that fits. */
static bool choose_levels(uint64_t limit)
{
	for (uint32_t i = 0; i < dmar.unit_count; i++) {
		struct vtd_unit *u = &units[i];

		u->levels = vtd_levels(&u->caps, limit);
		log_info("iommu: DRHD %u: version %u.%u, cap %#llx, ecap %#llx: "
			 "%d-level walks, %s%s%s%s%s%s", i,
			 (u->version >> 4) & 0xf,
			 u->version & 0xf, (unsigned long long)u->cap,
			 (unsigned long long)u->ecap, u->levels,
			 u->caps.coherent ? "coherent" : "tables flushed",
			 u->caps.rwbf ? ", write-buffer flush" : "",
			 u->caps.caching_mode ? ", caching mode" : "",
			 u->caps.scalable ? ", scalable mode offered (unused)"
					  : "",
			 u->firmware_te ? ", firmware left translation on" : "",
			 u->firmware_pmr ? ", firmware left protected memory "
					   "regions on" : "");
		if (!u->levels) {
			log_error("iommu: DRHD %u: no usable second-level walk "
				  "(SAGAW %#x)", i, u->caps.sagaw);
			return false;
		}
	}
	return true;
}

/* Insert [base, end) into the sorted array h of *n holes. */
static void add_hole(struct ept_hole *h, size_t *n, uint64_t base,
		     uint64_t end)
{
	size_t i;

	base &= ~(PAGE_SIZE - 1);
	end = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (i = *n; i > 0 && h[i - 1].base > base; i--)
		h[i] = h[i - 1];
	h[i] = (struct ept_hole){ base, end };
	(*n)++;
}

/* The hypervisor's ranges known now, as guest_mem will collect them: the
 * image, the kept ranges (VT-d registers included) and the pool. */
static size_t early_holes(const struct mm_layout *l, struct ept_hole *h)
{
	size_t n = 0;
	uint64_t pool_base, pool_end;

	add_hole(h, &n, l->image.base, l->image.base + l->image.size);
	for (uint32_t i = 0; i < l->kept_count && i < MM_KEPT_MAX; i++)
		add_hole(h, &n, l->kept[i].base,
			 l->kept[i].base + l->kept[i].size);
	pmm_pool_bounds(&pool_base, &pool_end);
	add_hole(h, &n, pool_base, pool_end);
	return n;
}

/* Warn about RMRRs a hole cuts into: their devices' firmware-owned DMA
 * there will fault (the pool and image come from usable RAM, RMRRs are
 * reserved memory, so this should never happen). */
static void check_rmrrs(const struct ept_hole *h, size_t n)
{
	for (uint32_t i = 0; i < dmar.rmrr_count; i++)
		for (size_t k = 0; k < n; k++)
			if (h[k].base <= dmar.rmrrs[i].limit &&
			    dmar.rmrrs[i].base < h[k].end)
				log_warn("iommu: RMRR %#llx-%#llx overlaps "
					 "hypervisor range %#llx-%#llx: its "
					 "devices' DMA there will fault",
					 (unsigned long long)dmar.rmrrs[i].base,
					 (unsigned long long)dmar.rmrrs[i].limit,
					 (unsigned long long)h[k].base,
					 (unsigned long long)h[k].end - 1);
}

/* Warn when segment 0 has no INCLUDE_PCI_ALL unit: a device outside every
 * unit's device scopes (one added later, or one the firmware forgot) is
 * then not translated by any unit. */
static void check_coverage(void)
{
	for (uint32_t i = 0; i < dmar.unit_count; i++)
		if (dmar.units[i].include_pci_all && dmar.units[i].segment == 0)
			return;
	log_warn("iommu: no INCLUDE_PCI_ALL unit: only the devices the DMAR "
		 "lists are remapped; any other device's DMA is not");
}

/* Build a DMA map of [0, limit) without holes h; its root in map_pml4.
 * False (logged) when it does not fit. */
static bool build_map(const struct ept_hole *h, size_t n, uint64_t limit)
{
	struct ept_stats st;

	check_rmrrs(h, n);
	if (!dma_map_build(h, n, limit, map_2m, map_1g, &map_pml4, &st)) {
		log_error("iommu: DMA map of 0-%#llx does not fit",
			  (unsigned long long)limit - 1);
		return false;
	}
	if (!all_coherent)
		dma_map_write_back();
	log_info("iommu: DMA identity map 0-%#llx without %u hypervisor "
		 "range(s): %llu x 1 GiB, %llu x 2 MiB, %llu x 4 KiB pages in "
		 "%llu tables", (unsigned long long)limit - 1, (unsigned)n,
		 (unsigned long long)st.pages_1g,
		 (unsigned long long)st.pages_2m,
		 (unsigned long long)st.pages_4k,
		 (unsigned long long)st.tables);
	return true;
}

/* Give every unit its root and context table and enable translation. */
static bool enable_units(void)
{
	for (uint32_t i = 0; i < dmar.unit_count; i++) {
		struct vtd_unit *u = &units[i];
		struct vtd_entry *root = (void *)(uintptr_t)pmm_alloc_page();
		struct vtd_entry *ctx = (void *)(uintptr_t)pmm_alloc_page();

		if (!vtd_enable(u, root, ctx, map_pml4, DOMAIN_ID)) {
			log_error("iommu: DRHD %u did not complete a command",
				  i);
			return false;
		}
		unit_count = i + 1;
	}
	log_info("iommu: DMA remapping enabled on %u unit(s): legacy mode "
		 "(root and context tables, one domain for every requester)",
		 unit_count);
	return true;
}

/* Hide every unit's registers from the guest: kept ranges become EPT
 * holes and reserved memory in the guest's maps.  False (logged) when
 * there is no room: the guest could then reach them. */
static bool keep_registers(struct mm_layout *l)
{
	for (uint32_t i = 0; i < dmar.unit_count; i++) {
		if (l->kept_count == MM_KEPT_MAX) {
			log_error("iommu: no room to hide DRHD %u's registers",
				  i);
			return false;
		}
		l->kept[l->kept_count++] = (struct mem_extent){
			dmar.units[i].base, dmar.units[i].size };
	}
	return true;
}

/* Discovery and enabling; false when DMA stays unprotected. */
static bool bring_up(const struct boot_info *bi, struct mm_layout *l)
{
	struct ept_hole h[EARLY_HOLES_MAX];
	uint64_t limit;

	if (!find_dmar(bi))
		return false;
	log_dmar();
	if (dmar.units_dropped) {
		log_error("iommu: the DMAR lists more than %u units: not every "
			  "device could be remapped", DMAR_UNITS_MAX);
		return false;
	}
	check_coverage();
	if (!keep_registers(l) || !probe_units())
		return false;
	limit = clamp_limit(guest_mem_choose_limit(l->map, map_1g));
	if (!choose_levels(limit))
		return false;
	size_t n = early_holes(l, h);
	early_limit = limit;
	return build_map(h, n, limit) && enable_units();
}

/* Discover, enable, apply the policy (see iommu.h). */
void iommu_init(const struct boot_info *bi, struct mm_layout *l)
{
	if (hv_config.iommu == IOMMU_OFF) {
		log_warn("iommu: iommu=off: DMA remapping not used; DMA from "
			 "the guest's devices is NOT restricted");
		return;
	}
	active = bring_up(bi, l);
	if (active)
		return;
	if (hv_config.iommu == IOMMU_REQUIRED)
		hv_stop(false, "iommu=required: no usable VT-d DMA remapping");
	log_warn("iommu: ***************************************************");
	log_warn("iommu: * DMA is UNPROTECTED: no usable VT-d (DMAR table or");
	log_warn("iommu: * remapping unit).  Devices the guest drives can");
	log_warn("iommu: * write hypervisor memory.  Turn VT-d on in the");
	log_warn("iommu: * firmware, or boot with iommu=required to refuse.");
	log_warn("iommu: ***************************************************");
}

/* Whether DMA remapping is on. */
bool iommu_active(void)
{
	return active;
}

/* Switch every unit to the map just built (map_pml4) and free the one
 * before; false when a unit does not complete the invalidation. */
static bool switch_units(void)
{
	for (uint32_t i = 0; i < unit_count; i++)
		if (!vtd_switch_map(&units[i], map_pml4, DOMAIN_ID))
			return false;
	dma_map_retire_old();
	return true;
}

/* Rebuild the map from the guest EPT's holes and switch the units to it
 * (see iommu.h). */
void iommu_follow_guest_mem(void)
{
	struct ept_hole h[HV_OWNED_MAX];

	if (!active)
		return;
	size_t n = guest_mem_hv_ranges(h, HV_OWNED_MAX);
	/* The limit iommu_init() chose from the memory map: the EPT reaches
	 * on to MAXPHYADDR (MMIO), which DMA has no business with and which
	 * would cost a table per GiB where the units lack 1 GiB pages. */
	if (n > HV_OWNED_MAX || !build_map(h, n, early_limit))
		hv_stop(false, "iommu: the guest's DMA map cannot be built");
	if (!switch_units())
		hv_stop(false, "iommu: a unit did not take the new map");
	log_info("iommu: DMA map now follows the guest's EPT exactly "
		 "(its holes, up to 0x%llx)", (unsigned long long)early_limit);
}

/* Test aid (see iommu.h): the early map plus one more hole, switched to
 * the way iommu_follow_guest_mem switches. */
bool iommu_test_hide_page(const struct mm_layout *l, uint64_t page)
{
	struct ept_hole h[EARLY_HOLES_MAX + 1];

	if (!active)
		return false;
	size_t n = early_holes(l, h);
	add_hole(h, &n, page, page + PAGE_SIZE);
	return build_map(h, n, early_limit) && switch_units();
}

/* Log fault f of unit u, rate-limited: the first IOMMU_LOG_FIRST one by
 * one, then one line per IOMMU_LOG_EVERY. */
static void log_fault(uint32_t u, const struct vtd_fault *f)
{
	if (stats.logged < IOMMU_LOG_FIRST) {
		stats.logged++;
		log_warn("iommu: DMA fault: DRHD %u, source %02x:%02x.%x, %s "
			 "%#llx: %s (reason %#x)", u, f->source_id >> 8,
			 (f->source_id >> 3) & 0x1f, f->source_id & 0x7,
			 f->read ? "read" : "write",
			 (unsigned long long)f->address,
			 vtd_fault_reason_name(f->reason), f->reason);
		if (stats.logged == IOMMU_LOG_FIRST)
			log_warn("iommu: further DMA faults are counted, one "
				 "line per %u", IOMMU_LOG_EVERY);
	} else if (stats.faults % IOMMU_LOG_EVERY == 0) {
		log_warn("iommu: %llu DMA faults so far",
			 (unsigned long long)stats.faults);
	}
}

/* Take, count and log faults (see iommu.h). */
uint32_t iommu_poll_faults(struct vtd_fault *out, uint32_t max)
{
	struct vtd_fault f[IOMMU_POLL_MAX];
	uint32_t taken = 0;

	for (uint32_t i = 0; i < unit_count && taken < IOMMU_POLL_MAX; i++) {
		bool overflow;
		uint32_t n = vtd_take_faults(&units[i], f + taken,
					     IOMMU_POLL_MAX - taken, &overflow);

		if (overflow && stats.overflows++ == 0)
			log_warn("iommu: DRHD %u dropped faults (overflow)", i);
		for (uint32_t k = taken; k < taken + n; k++) {
			stats.faults++;
			log_fault(i, &f[k]);
			if (out && k < max)
				out[k] = f[k];
		}
		taken += n;
	}
	return taken;
}

/* Poll at most once per IOMMU_POLL_TSC cycles (see iommu.h). */
void iommu_poll_periodic(void)
{
	uint64_t now;

	if (!active)
		return;
	now = rdtsc();
	if (now - last_poll_tsc < IOMMU_POLL_TSC)
		return;
	last_poll_tsc = now;
	iommu_poll_faults(NULL, 0);
}

/* Copy the counters. */
void iommu_stats_get(struct iommu_stats *out)
{
	*out = stats;
}

/* Log the counters once the guest stopped. */
void iommu_stats_log(void)
{
	if (!active) {
		log_info("iommu: DMA remapping was off: no DMA faults counted");
		return;
	}
	iommu_poll_faults(NULL, 0);
	log_info("iommu: %llu DMA fault(s) blocked, %llu overflow(s), %llu "
		 "logged one by one", (unsigned long long)stats.faults,
		 (unsigned long long)stats.overflows,
		 (unsigned long long)stats.logged);
}
