/*
 * The ACPI DMA Remapping Reporting table (Intel VT-d spec, chapter 8 "BIOS
 * Considerations": 8.1 "DMA Remapping Reporting Structure", 8.3 "DMA
 * Remapping Hardware Unit Definition Structure", 8.3.1 "Device Scope
 * Structure", 8.4 "Reserved Memory Region Reporting Structure", 8.5 "Root
 * Port ATS Capability Reporting Structure", 8.6 "Remapping Hardware Static
 * Affinity Structure", 8.8 "SoC Integrated Address Translation Cache
 * Reporting Structure").
 *
 * Pure and defensive: the table is a firmware input, so every length is
 * checked before it is used, register ranges may not overlap, RMRRs must
 * be page-granular, and a table that breaks a rule is refused whole with a
 * reason (the hypervisor then treats the machine as having no usable
 * VT-d).  Host unit tests feed it recorded tables of real machines; a
 * libFuzzer target (tests/fuzz/fuzz_dmar.c) feeds it everything else.
 */
#ifndef DRIVERS_DMAR_H
#define DRIVERS_DMAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DMAR_SIGNATURE          "DMAR"
#define DMAR_HEADER_SIZE        48      /* SDT header + width, flags, 10 reserved */
#define DMAR_HOST_ADDRESS_WIDTH 36      /* u8: the width minus one */
#define DMAR_FLAGS              37      /* u8 */
#define DMAR_FLAG_INTR_REMAP    (1u << 0)
#define DMAR_FLAG_X2APIC_OPT_OUT (1u << 1)
#define DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN (1u << 2)

/* Remapping structure types (8.2 "Remapping Structure Types"). */
#define DMAR_TYPE_DRHD          0
#define DMAR_TYPE_RMRR          1
#define DMAR_TYPE_ATSR          2
#define DMAR_TYPE_RHSA          3
#define DMAR_TYPE_ANDD          4
#define DMAR_TYPE_SATC          5

/* Device scope entry types (8.3.1). */
#define DMAR_SCOPE_PCI_ENDPOINT 1
#define DMAR_SCOPE_PCI_BRIDGE   2       /* the bridge and everything below */
#define DMAR_SCOPE_IOAPIC       3
#define DMAR_SCOPE_HPET         4
#define DMAR_SCOPE_ACPI_DEVICE  5

#define DMAR_UNITS_MAX          16
#define DMAR_RMRRS_MAX          16
#define DMAR_SCOPES_MAX         96      /* over all structures */
#define DMAR_ERROR_MAX          112

/* One device scope entry: the hierarchy path starts at start_bus; dev and
 * fn are its first hop (the device itself when path_len is 1). */
struct dmar_scope {
	uint8_t type;               /* DMAR_SCOPE_* */
	uint8_t enumeration_id;     /* IOAPIC/HPET/ACPI device number */
	uint8_t start_bus;
	uint8_t path_len;           /* (device, function) pairs */
	uint8_t dev, fn;
};

/* A run of scopes[] belonging to one structure. */
struct dmar_scope_run {
	uint16_t first, count;      /* count may include dropped entries */
};

/* A DMA remapping hardware unit (DRHD). */
struct dmar_unit {
	uint16_t segment;
	bool include_pci_all;       /* every device of the segment not listed
	                               under another unit */
	uint64_t base;              /* register set, page-aligned */
	uint64_t size;              /* bytes: 2^N pages, N from the Size field */
	struct dmar_scope_run scopes;
};

/* A reserved memory region (RMRR): [base, limit] that the devices in its
 * scope may use for DMA at any time (firmware-owned buffers of USB and
 * graphics controllers). */
struct dmar_rmrr {
	uint16_t segment;
	uint64_t base;              /* page-aligned */
	uint64_t limit;             /* inclusive, limit + 1 page-aligned */
	struct dmar_scope_run scopes;
};

struct dmar_info {
	uint8_t host_address_width; /* bits of DMA address (field + 1) */
	uint8_t flags;              /* DMAR_FLAG_* */
	uint32_t unit_count;
	struct dmar_unit units[DMAR_UNITS_MAX];
	uint32_t rmrr_count;
	struct dmar_rmrr rmrrs[DMAR_RMRRS_MAX];
	uint32_t atsr_count, satc_count, rhsa_count, andd_count;
	uint32_t unknown_count;     /* structures of types this code skips */
	uint32_t scope_count;
	struct dmar_scope scopes[DMAR_SCOPES_MAX];
	uint32_t dropped;           /* units, RMRRs or scopes beyond the arrays */
	uint32_t units_dropped;     /* of those, units (then not all usable) */
};

/*
 * Parse the DMAR table of len bytes at t into out.  False, with the reason
 * in err, when the signature, length or checksum is wrong, a structure or
 * device scope has a bad length, a unit's register set is misaligned or
 * overlaps another's, a segment has two INCLUDE_PCI_ALL units, or an RMRR
 * is empty or not page-granular.  Structures of unknown type are counted
 * and skipped.  Reads exactly [t, t + len).
 */
bool dmar_parse(const uint8_t *t, uint32_t len, struct dmar_info *out,
		char *err, size_t err_size);

/* The name of a device scope type, for the log ("endpoint", "bridge", ...). */
const char *dmar_scope_type_name(uint8_t type);

#endif
