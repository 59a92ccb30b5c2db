/*
 * The ACPI root pointer's layout, the table header and checksum (ACPI
 * 6.x, 5.2.5.3 "Root System Description Pointer (RSDP) Structure", 5.2.6
 * "System Description Table Header", 5.2.7 "RSDT", 5.2.8 "XSDT"), and the
 * one walk from the RSDP through the XSDT or RSDT to a table
 * (arch/x86/acpi.c), for every layer that finds, checks, walks or builds
 * ACPI tables: the MADT walk, the SPCR and DMAR readers, both boot paths
 * and the guest's tables.
 */
#ifndef ARCH_X86_ACPI_H
#define ARCH_X86_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_RSDP_SIGNATURE        "RSD PTR "
#define ACPI_RSDP_SIGNATURE_LEN    8
#define ACPI_RSDP_OEMID_OFFSET     9
#define ACPI_RSDP_OEMID_LEN        6
#define ACPI_RSDP_REVISION_OFFSET  15
#define ACPI_RSDP_RSDT_ADDRESS     16   /* u32 */
#define ACPI_RSDP_XSDT_ADDRESS     24   /* u64, revision >= 2 */
#define ACPI_RSDP_V1_SIZE          20   /* ACPI 1.0: checksum covers this */
#define ACPI_RSDP_V2_SIZE          36   /* ACPI 2.0+ XSDP: extended checksum */
#define ACPI_RSDP_REVISION_2       2    /* first revision with an XSDT */

#define ACPI_SIG_XSDT              "XSDT"
#define ACPI_SIG_RSDT              "RSDT"
#define ACPI_SIG_LEN               4
#define ACPI_SDT_HEADER_SIZE       36
#define ACPI_XSDT_ENTRY_SIZE       8    /* 64-bit physical addresses */
#define ACPI_RSDT_ENTRY_SIZE       4    /* 32-bit */
#define ACPI_TABLE_LEN_MAX         (16u << 20)  /* larger: a corrupt length */
#define ACPI_ERROR_MAX             96   /* room for any reason the walk gives */

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;           /* first 20 bytes sum to 0 */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;            /* revision 2+ */
	uint64_t xsdt_address;
	uint8_t extended_checksum;  /* whole structure sums to 0 */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == ACPI_RSDP_V2_SIZE, "acpi_rsdp");

struct acpi_sdt_header {
	char signature[4];
	uint32_t length;            /* whole table, header included */
	uint8_t revision;
	uint8_t checksum;           /* whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt_header) == ACPI_SDT_HEADER_SIZE,
	       "acpi_sdt_header");

/* Byte sum of len bytes at data: 0 for a table whose checksum is right. */
static inline uint8_t acpi_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum;
}

/* Physical memory as the tables are read: a pointer to [pa, pa + len) or
 * NULL when that is not readable.  The hypervisor's is acpi_map_identity;
 * host tests and fuzz targets pass a fake address space in ctx. */
typedef const void *(*acpi_map_fn)(uint64_t pa, uint64_t len, void *ctx);

struct acpi_source {
	const uint8_t *rsdp;        /* a copy of the firmware's RSDP (36 bytes
	                               readable; 20 used for revision 0) */
	acpi_map_fn map;
	void *ctx;
};

/* The firmware's root table, opened by acpi_root_open(). */
struct acpi_root {
	const uint8_t *table;       /* mapped whole (the map's pointer) */
	uint32_t len;
	bool xsdt;                  /* 64-bit entries */
	uint32_t entries;
};

/* The hypervisor's map: it runs identity-mapped, so a physical address is
 * a pointer; NULL for address 0 or a range that wraps.  ctx unused. */
const void *acpi_map_identity(uint64_t pa, uint64_t len, void *ctx);

/*
 * The table at pa, mapped whole after its header is checked: signature
 * sig (any when NULL), a length from the header size to
 * ACPI_TABLE_LEN_MAX, a checksum that sums to 0.  Its length in *len;
 * NULL, with the reason in err, when any is wrong.
 */
const uint8_t *acpi_sdt_map(const struct acpi_source *src, uint64_t pa,
			    const char *sig, uint32_t *len, char *err, size_t n);

/*
 * Open the root table src's RSDP leads to: the RSDP's signature and ACPI
 * 1.0 checksum checked, then the XSDT when the revision is 2 or later and
 * it has an XSDT address (an OS must prefer it), else the RSDT, checked by
 * acpi_sdt_map.  False with the reason in err.
 */
bool acpi_root_open(const struct acpi_source *src, struct acpi_root *rt,
		    char *err, size_t n);

/* The physical address in entry i (< rt->entries) of the root table. */
uint64_t acpi_root_entry(const struct acpi_root *rt, uint32_t i);

/* Index of the first root entry whose table has the 4-character signature
 * sig (only its header read); -1 when none. */
int32_t acpi_root_find(const struct acpi_source *src,
		       const struct acpi_root *rt, const char *sig);

/*
 * The walk every reader uses: from the RSDP through the root table to the
 * first table with signature sig, checked by acpi_sdt_map.  The mapped
 * table, its address in *pa (when pa is not NULL) and length in *len; NULL
 * with the reason in err ("no DMAR table in the RSDT", ...).
 */
const uint8_t *acpi_find_sdt(const struct acpi_source *src, const char *sig,
			     uint64_t *pa, uint32_t *len, char *err, size_t n);

#endif
