/*
 * VT-d remapping unit driver (see drivers/vtd.h).  Register programming
 * follows the VT-d spec, 10.4 "Register Descriptions": commands are
 * issued by writing GCMD with the persistent enables read back from GSTS,
 * then waiting for the status bit; invalidations by writing the command
 * register and waiting for its busy bit to clear.
 */
#include "arch/x86/cpu.h"
#include "drivers/vtd.h"

#define VTD_PAGE_SIZE           4096u
#define CACHE_LINE              64u
#define WAIT_LOOPS              10000000u   /* pause loops before giving up */
#define ALL_ONES32              0xffffffffu
#define PML4_FIRST_ENTRY_MASK   0x000ffffffffff000ull
#define DOMAIN_ID_MASK          0xffffu

/* ---- Pure decoding -------------------------------------------------------- */

/* Decode CAP and ECAP into out. */
void vtd_caps_decode(uint64_t cap, uint64_t ecap, struct vtd_caps *out)
{
	*out = (struct vtd_caps){
		.sagaw = (uint8_t)((cap >> VTD_CAP_SAGAW_SHIFT) &
				   VTD_CAP_SAGAW_MASK),
		.mgaw = (uint8_t)(((cap >> VTD_CAP_MGAW_SHIFT) &
				   VTD_CAP_MGAW_MASK) + 1),
		.pages_2m = cap & VTD_CAP_SLLPS_2M,
		.pages_1g = cap & VTD_CAP_SLLPS_1G,
		.coherent = ecap & VTD_ECAP_C,
		.rwbf = cap & VTD_CAP_RWBF,
		.caching_mode = cap & VTD_CAP_CM,
		.scalable = ecap & VTD_ECAP_SMTS,
		.fault_offset = (uint32_t)(((cap >> VTD_CAP_FRO_SHIFT) &
					    VTD_CAP_FRO_MASK) * VTD_FRCD_SIZE),
		.fault_records = (uint32_t)(((cap >> VTD_CAP_NFR_SHIFT) &
					     VTD_CAP_NFR_MASK) + 1),
		.iotlb_offset = (uint32_t)(((ecap >> VTD_ECAP_IRO_SHIFT) &
					    VTD_ECAP_IRO_MASK) * VTD_FRCD_SIZE),
	};
}

/* The walk depth for a map of [0, limit) (see vtd.h). */
int vtd_levels(const struct vtd_caps *c, uint64_t limit)
{
	if (c->sagaw & VTD_SAGAW_48_4LEVEL)
		return 4;
	if ((c->sagaw & VTD_SAGAW_39_3LEVEL) && limit <= (1ull << 39))
		return 3;
	return 0;
}

/* The two halves of a fault recording register, decoded. */
struct vtd_fault vtd_fault_decode(uint64_t lo, uint64_t hi)
{
	return (struct vtd_fault){
		.source_id = (uint16_t)(hi & VTD_FRCD_SID_MASK),
		.reason = (uint8_t)((hi >> VTD_FRCD_FR_SHIFT) & VTD_FRCD_FR_MASK),
		.read = hi & VTD_FRCD_T,
		.address = lo & VTD_FRCD_FI_MASK,
	};
}

/* Appendix A "Non-Recoverable Fault Reason Encodings", the legacy-mode
 * reasons a second-level walk can give. */
const char *vtd_fault_reason_name(uint8_t reason)
{
	static const char *const names[] = {
		[0x1] = "root entry not present",
		[0x2] = "context entry not present",
		[0x3] = "invalid context entry",
		[0x4] = "address beyond the guest address width",
		[0x5] = "write to a page not mapped writable",
		[0x6] = "read of a page not mapped readable",
		[0x7] = "paging-structure address invalid",
		[0x8] = "root table address invalid",
		[0x9] = "context table address invalid",
		[0xa] = "reserved bit in a root entry",
		[0xb] = "reserved bit in a context entry",
		[0xc] = "reserved bit in a paging entry",
		[0xd] = "translation type blocked",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "other reason";
}

/* ---- Registers ------------------------------------------------------------ */

/* The unit's registers: uncached MMIO at u->base, accessed with the
 * width each register has (10.4: 32- or 64-bit). */
static uint32_t rd32(const struct vtd_unit *u, uint32_t reg)
{
	return *(volatile uint32_t *)(uintptr_t)(u->base + reg);
}

/* See rd32. */
static uint64_t rd64(const struct vtd_unit *u, uint32_t reg)
{
	return *(volatile uint64_t *)(uintptr_t)(u->base + reg);
}

/* See rd32. */
static void wr32(const struct vtd_unit *u, uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(u->base + reg) = v;
}

/* See rd32. */
static void wr64(const struct vtd_unit *u, uint32_t reg, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(u->base + reg) = v;
}

/* Wait until (GSTS & bit) is set (want) or clear; false on a timeout. */
static bool wait_gsts(const struct vtd_unit *u, uint32_t bit, bool want)
{
	for (uint32_t i = 0; i < WAIT_LOOPS; i++) {
		if (!!(rd32(u, VTD_GSTS_REG) & bit) == want)
			return true;
		cpu_relax();
	}
	return false;
}

/* Wait until the 64-bit register reg has bit clear; false on a timeout. */
static bool wait_clear64(const struct vtd_unit *u, uint32_t reg, uint64_t bit)
{
	for (uint32_t i = 0; i < WAIT_LOOPS; i++) {
		if (!(rd64(u, reg) & bit))
			return true;
		cpu_relax();
	}
	return false;
}

/* Issue the global command bit cmd (the persistent enables kept) and wait
 * until GSTS shows it done: set for enables and SRTP, clear for WBF. */
static bool global_command(const struct vtd_unit *u, uint32_t cmd,
			   bool status_when_done)
{
	uint32_t keep = rd32(u, VTD_GSTS_REG) & VTD_GSTS_ONE_SHOT_MASK;

	wr32(u, VTD_GCMD_REG, keep | cmd);
	return wait_gsts(u, cmd, status_when_done);
}

/* Probe the unit at base (see vtd.h). */
bool vtd_probe(struct vtd_unit *u, uint64_t base)
{
	*u = (struct vtd_unit){ .base = base };
	u->version = rd32(u, VTD_VER_REG);
	u->cap = rd64(u, VTD_CAP_REG);
	u->ecap = rd64(u, VTD_ECAP_REG);
	if (u->version == ALL_ONES32 || !u->cap || u->cap == ~0ull)
		return false;
	vtd_caps_decode(u->cap, u->ecap, &u->caps);
	u->firmware_te = rd32(u, VTD_GSTS_REG) & VTD_GCMD_TE;
	u->firmware_pmr = (u->cap & (VTD_CAP_PLMR | VTD_CAP_PHMR)) &&
			  (rd32(u, VTD_PMEN_REG) & VTD_PMEN_EPM);
	return true;
}

/* ---- Tables --------------------------------------------------------------- */

/* Write the cache lines of [p, p + len) back when the unit's walks do not
 * snoop (ECAP.C clear), so it reads what was written. */
static void flush_for_unit(const struct vtd_unit *u, const void *p,
			   uint32_t len)
{
	if (u->caps.coherent)
		return;
	for (uint32_t off = 0; off < len; off += CACHE_LINE)
		clflush((const uint8_t *)p + off);
	mfence();
}

/* The second-level root for u's walk depth: the PML4 itself, or for three
 * levels the PDPT its first entry points at (the map then covers at most
 * 512 GiB: vtd_levels checked). */
static uint64_t slpt_root(const struct vtd_unit *u, uint64_t pml4)
{
	if (u->levels == 4)
		return pml4;
	return *(const uint64_t *)(uintptr_t)pml4 & PML4_FIRST_ENTRY_MASK;
}

/* Every context entry: present, untranslated requests through the map at
 * pml4, domain did, fault reporting on. */
static void fill_context(struct vtd_unit *u, uint64_t pml4, uint16_t did)
{
	uint64_t aw = u->levels == 4 ? VTD_CONTEXT_AW_4LEVEL
				     : VTD_CONTEXT_AW_3LEVEL;
	struct vtd_entry e = {
		.lo = (slpt_root(u, pml4) & VTD_ENTRY_ADDR_MASK) |
		      VTD_ENTRY_PRESENT,
		.hi = aw | (uint64_t)(did & DOMAIN_ID_MASK) << VTD_CONTEXT_DID_SHIFT,
	};

	for (uint32_t i = 0; i < VTD_TABLE_ENTRIES; i++)
		u->context[i] = e;
	flush_for_unit(u, u->context, VTD_PAGE_SIZE);
}

/* Every root entry (every bus) points at the one context table. */
static void fill_root(struct vtd_unit *u)
{
	for (uint32_t i = 0; i < VTD_TABLE_ENTRIES; i++)
		u->root[i] = (struct vtd_entry){
			.lo = ((uint64_t)(uintptr_t)u->context &
			       VTD_ENTRY_ADDR_MASK) | VTD_ENTRY_PRESENT,
		};
	flush_for_unit(u, u->root, VTD_PAGE_SIZE);
}

/* Make the unit see the tables as written: drain its write buffer where
 * it has one (CAP.RWBF), then invalidate the context cache and the IOTLB
 * globally. */
static bool invalidate_all(const struct vtd_unit *u)
{
	uint32_t iotlb = u->caps.iotlb_offset + VTD_IOTLB_REG_OFFSET;

	if (u->caps.rwbf && !global_command(u, VTD_GCMD_WBF, false))
		return false;
	wr64(u, VTD_CCMD_REG, VTD_CCMD_ICC | VTD_CCMD_CIRG_GLOBAL);
	if (!wait_clear64(u, VTD_CCMD_REG, VTD_CCMD_ICC))
		return false;
	wr64(u, iotlb, VTD_IOTLB_IVT | VTD_IOTLB_IIRG_GLOBAL | VTD_IOTLB_DR |
		       VTD_IOTLB_DW);
	return wait_clear64(u, iotlb, VTD_IOTLB_IVT);
}

/* Turn off the protected memory regions a firmware may have set for
 * pre-boot DMA protection: remapping now covers all of memory. */
static bool disable_pmr(const struct vtd_unit *u)
{
	if (!(u->cap & (VTD_CAP_PLMR | VTD_CAP_PHMR)) ||
	    !(rd32(u, VTD_PMEN_REG) & VTD_PMEN_EPM))
		return true;
	wr32(u, VTD_PMEN_REG, 0);
	for (uint32_t i = 0; i < WAIT_LOOPS; i++) {
		if (!(rd32(u, VTD_PMEN_REG) & VTD_PMEN_PRS))
			return true;
		cpu_relax();
	}
	return false;
}

/* Load the tables and enable translation (see vtd.h). */
bool vtd_enable(struct vtd_unit *u, struct vtd_entry *root,
		struct vtd_entry *context, uint64_t pml4, uint16_t did)
{
	u->root = root;
	u->context = context;
	fill_context(u, pml4, did);
	fill_root(u);
	wr32(u, VTD_FECTL_REG, VTD_FECTL_IM);
	wr64(u, VTD_RTADDR_REG, (uint64_t)(uintptr_t)root);
	if (!global_command(u, VTD_GCMD_SRTP, true) || !invalidate_all(u))
		return false;
	if (!(rd32(u, VTD_GSTS_REG) & VTD_GCMD_TE) &&
	    !global_command(u, VTD_GCMD_TE, true))
		return false;
	u->enabled = true;
	return disable_pmr(u);
}

/* Point every context entry at the map at pml4 and invalidate (see vtd.h). */
bool vtd_switch_map(struct vtd_unit *u, uint64_t pml4, uint16_t did)
{
	fill_context(u, pml4, did);
	return invalidate_all(u);
}

/* The two halves of fault recording register i. */
static void read_record(const struct vtd_unit *u, uint32_t i, uint64_t *lo,
			uint64_t *hi)
{
	uint32_t off = u->caps.fault_offset + i * VTD_FRCD_SIZE;

	*lo = rd64(u, off);
	*hi = rd64(u, off + 8);
}

/* Clear fault recording register i (F is write-1-to-clear; the upper
 * dword alone is written so the other fields stay as they are). */
static void clear_record(const struct vtd_unit *u, uint32_t i)
{
	uint32_t off = u->caps.fault_offset + i * VTD_FRCD_SIZE;

	wr32(u, off + 12, (uint32_t)(VTD_FRCD_F >> 32));
}

/* Take recorded faults (see vtd.h): the unit fills the records
 * round-robin and FSTS.FRI names the first pending one; stop at the first
 * empty record, after max, or after one lap. */
uint32_t vtd_take_faults(struct vtd_unit *u, struct vtd_fault *out,
			 uint32_t max, bool *overflow)
{
	uint32_t n = 0, fsts = rd32(u, VTD_FSTS_REG);
	uint32_t i = (fsts >> VTD_FSTS_FRI_SHIFT) & VTD_FSTS_FRI_MASK;

	*overflow = fsts & VTD_FSTS_PFO;
	if (*overflow)
		wr32(u, VTD_FSTS_REG, VTD_FSTS_PFO);
	if (!(fsts & VTD_FSTS_PPF))
		return 0;
	while (n < max && n < u->caps.fault_records) {
		uint64_t lo, hi;

		i %= u->caps.fault_records;
		read_record(u, i, &lo, &hi);
		if (!(hi & VTD_FRCD_F))
			break;
		out[n++] = vtd_fault_decode(lo, hi);
		clear_record(u, i++);
	}
	return n;
}
