/*
 * One VT-d DMA-remapping hardware unit (Intel VT-d spec, chapter 10
 * "Translation Hardware Register Programming Interface", 3.4 "Root-Table
 * and Context-Table" for legacy mode, 7 "Translation Faults").
 *
 * Legacy mode only: a root table (one entry per bus) pointing at one
 * context table (one entry per device/function) whose every entry names
 * the same second-level table and domain.  Every requester on every bus
 * therefore translates through one identity map (mm/dma_map.h), built
 * without the hypervisor's ranges.  Scalable mode is not used even where
 * the unit offers it.
 *
 * The register helpers are MMIO on the unit's page (identity-mapped);
 * the capability decoding is pure, for host unit tests.
 */
#ifndef DRIVERS_VTD_H
#define DRIVERS_VTD_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets (10.4 "Register Descriptions"). */
#define VTD_VER_REG             0x00    /* u32 */
#define VTD_CAP_REG             0x08    /* u64 */
#define VTD_ECAP_REG            0x10    /* u64 */
#define VTD_GCMD_REG            0x18    /* u32 */
#define VTD_GSTS_REG            0x1c    /* u32 */
#define VTD_RTADDR_REG          0x20    /* u64 */
#define VTD_CCMD_REG            0x28    /* u64 */
#define VTD_FSTS_REG            0x34    /* u32 */
#define VTD_FECTL_REG           0x38    /* u32 */
#define VTD_PMEN_REG            0x64    /* u32 */
#define VTD_IOTLB_REG_OFFSET    8       /* from the IOTLB register set (ECAP.IRO) */

/* Capability register fields. */
#define VTD_CAP_RWBF            (1ull << 4)     /* flush the write buffer */
#define VTD_CAP_PLMR            (1ull << 5)     /* protected low memory region */
#define VTD_CAP_PHMR            (1ull << 6)     /* protected high memory region */
#define VTD_CAP_CM              (1ull << 7)     /* caching mode */
#define VTD_CAP_SAGAW_SHIFT     8
#define VTD_CAP_SAGAW_MASK      0x1full
#define VTD_SAGAW_39_3LEVEL     (1u << 1)
#define VTD_SAGAW_48_4LEVEL     (1u << 2)
#define VTD_CAP_MGAW_SHIFT      16
#define VTD_CAP_MGAW_MASK       0x3full         /* width minus one */
#define VTD_CAP_FRO_SHIFT       24
#define VTD_CAP_FRO_MASK        0x3ffull        /* in 16-byte units */
#define VTD_CAP_SLLPS_2M        (1ull << 34)
#define VTD_CAP_SLLPS_1G        (1ull << 35)
#define VTD_CAP_NFR_SHIFT       40
#define VTD_CAP_NFR_MASK        0xffull         /* records minus one */

/* Extended capability register fields. */
#define VTD_ECAP_C              (1ull << 0)     /* page walks snoop caches */
#define VTD_ECAP_IRO_SHIFT      8
#define VTD_ECAP_IRO_MASK       0x3ffull        /* in 16-byte units */
#define VTD_ECAP_SMTS           (1ull << 43)    /* scalable mode */

/* Global command and status bits (10.4.4, 10.4.5). */
#define VTD_GCMD_TE             (1u << 31)      /* translation enable */
#define VTD_GCMD_SRTP           (1u << 30)      /* set root table pointer */
#define VTD_GCMD_WBF            (1u << 27)      /* write buffer flush */
/* Status bits that are not persistent enables: a command re-written from
 * GSTS must leave them clear (10.4.4's programming note). */
#define VTD_GSTS_ONE_SHOT_MASK  0x96ffffffu

/* Context command register (10.4.7): global invalidation. */
#define VTD_CCMD_ICC            (1ull << 63)
#define VTD_CCMD_CIRG_GLOBAL    (1ull << 61)
/* IOTLB invalidate register (10.4.8.1): global, drain reads and writes. */
#define VTD_IOTLB_IVT           (1ull << 63)
#define VTD_IOTLB_IIRG_GLOBAL   (1ull << 60)
#define VTD_IOTLB_DR            (1ull << 49)
#define VTD_IOTLB_DW            (1ull << 48)

/* Fault status and event control (10.4.9, 10.4.10). */
#define VTD_FSTS_PFO            (1u << 0)       /* primary fault overflow */
#define VTD_FSTS_PPF            (1u << 1)       /* primary pending fault */
#define VTD_FSTS_FRI_SHIFT      8               /* first pending record */
#define VTD_FSTS_FRI_MASK       0xffu
#define VTD_FECTL_IM            (1u << 31)      /* interrupt mask */
/* Protected memory enable (10.4.16). */
#define VTD_PMEN_EPM            (1u << 31)
#define VTD_PMEN_PRS            (1u << 0)

/* A fault recording register (10.4.14): 128 bits, read as two u64. */
#define VTD_FRCD_SIZE           16
#define VTD_FRCD_FI_MASK        0xfffffffffffff000ull   /* low: page */
#define VTD_FRCD_SID_MASK       0xffffull               /* high 15:0 */
#define VTD_FRCD_FR_SHIFT       32                      /* high 39:32 */
#define VTD_FRCD_FR_MASK        0xffull
#define VTD_FRCD_T              (1ull << 62)    /* 1: read, 0: write */
#define VTD_FRCD_F              (1ull << 63)    /* valid; write 1 clears */

/* Root and context entries (9.1, 9.3): 128 bits each, 256 per table. */
#define VTD_TABLE_ENTRIES       256
#define VTD_ENTRY_PRESENT       (1ull << 0)
#define VTD_ENTRY_ADDR_MASK     0xfffffffffffff000ull
#define VTD_CONTEXT_AW_3LEVEL   1ull    /* high bits 2:0: 39-bit, 3 levels */
#define VTD_CONTEXT_AW_4LEVEL   2ull    /* 48-bit, 4 levels */
#define VTD_CONTEXT_DID_SHIFT   8       /* high bits 23:8: domain id */

struct vtd_entry {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_entry) == 16, "vtd_entry");

/* What the capability registers say, decoded. */
struct vtd_caps {
	uint8_t sagaw;              /* VTD_SAGAW_* bits */
	uint8_t mgaw;               /* maximum guest address width, bits */
	bool pages_2m, pages_1g;    /* second-level super-pages */
	bool coherent;              /* ECAP.C: no clflush needed */
	bool rwbf;                  /* write buffer flush required */
	bool caching_mode;
	bool scalable;              /* offered; not used */
	uint32_t fault_offset;      /* fault recording registers, bytes */
	uint32_t fault_records;
	uint32_t iotlb_offset;      /* IOTLB register set, bytes */
};

/* Decode CAP and ECAP (pure). */
void vtd_caps_decode(uint64_t cap, uint64_t ecap, struct vtd_caps *out);

/* Second-level walk depth for a map of [0, limit): 4 when the unit does
 * 48-bit 4-level walks, else 3 when it does 39-bit 3-level ones and limit
 * fits in 512 GiB; 0 when neither works (pure). */
int vtd_levels(const struct vtd_caps *c, uint64_t limit);

/* One recorded fault (7.2.1 "Primary Fault Logging"). */
struct vtd_fault {
	uint16_t source_id;         /* bus << 8 | device << 3 | function */
	uint8_t reason;             /* fault reason, appendix A */
	bool read;                  /* else a write */
	uint64_t address;           /* the faulting page */
};

/* Decode a fault recording register's two halves (pure). */
struct vtd_fault vtd_fault_decode(uint64_t lo, uint64_t hi);

/* A fault reason's short description (appendix A). */
const char *vtd_fault_reason_name(uint8_t reason);

/* A unit as the driver keeps it. */
struct vtd_unit {
	uint64_t base;              /* register set (identity-mapped MMIO) */
	uint32_t version;
	uint64_t cap, ecap;
	struct vtd_caps caps;
	int levels;                 /* second-level walk depth in use */
	bool firmware_te;           /* translation was on when probed */
	bool firmware_pmr;          /* protected memory regions were on */
	struct vtd_entry *root;     /* root table (a page) */
	struct vtd_entry *context;  /* the one context table (a page) */
	bool enabled;
};

/* Read VER, CAP and ECAP of the unit at base into u; false when nothing
 * sensible answers there (all ones). */
bool vtd_probe(struct vtd_unit *u, uint64_t base);

/* Point u at the identity map whose 4-level root is pml4 (the 3-level
 * root is its first entry's table): fill the root table and context table
 * (zeroed pages root and context) with domain did, flush them if the unit
 * does not snoop, load the root table, invalidate the context cache and
 * IOTLB globally, mask fault interrupts, enable translation and turn off
 * the protected memory regions.  u->levels must be set (vtd_levels).
 * False when the unit does not answer a command in time. */
bool vtd_enable(struct vtd_unit *u, struct vtd_entry *root,
		struct vtd_entry *context, uint64_t pml4, uint16_t did);

/* Switch an enabled unit to the map at pml4: rewrite the context entries,
 * flush, invalidate the context cache and IOTLB.  False on a timeout. */
bool vtd_switch_map(struct vtd_unit *u, uint64_t pml4, uint16_t did);

/* Take at most max recorded faults from u into out (each cleared on the
 * unit) and clear an overflow, reported in *overflow.  Bounded work:
 * reads at most max records.  Returns how many were taken. */
uint32_t vtd_take_faults(struct vtd_unit *u, struct vtd_fault *out,
			 uint32_t max, bool *overflow);

#endif
