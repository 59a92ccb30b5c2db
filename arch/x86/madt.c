/*
 * MADT walk (see arch/x86/madt.h).  Table layouts: ACPI 6.x, "Root System
 * Description Pointer", "System Description Table Header", "RSDT", "XSDT",
 * "MADT" with its "Processor Local APIC", "Processor Local x2APIC" and
 * "Local APIC Address Override" structures.
 */
#include "arch/x86/acpi.h"
#include "arch/x86/madt.h"
#include "lib/format.h"
#include "lib/str.h"


#define SDT_HEADER_SIZE         36
#define SDT_LENGTH              4       /* u32, whole table */
#define SDT_SIGNATURE_LEN       4

#define MADT_LAPIC_ADDRESS      36      /* u32 */
#define MADT_ENTRIES            44      /* after the u32 flags */

#define MADT_TYPE_LAPIC         0
#define MADT_TYPE_LAPIC_OVERRIDE 5
#define MADT_TYPE_X2APIC        9

#define LAPIC_ENTRY_SIZE        8       /* type, len, uid, apic id, u32 flags */
#define LAPIC_ENTRY_APIC_ID     3
#define LAPIC_ENTRY_FLAGS       4
#define X2APIC_ENTRY_SIZE       16      /* type, len, u16, u32 id, u32 flags, u32 uid */
#define X2APIC_ENTRY_ID         4
#define X2APIC_ENTRY_FLAGS      8
#define OVERRIDE_ENTRY_SIZE     12      /* type, len, u16, u64 address */
#define OVERRIDE_ENTRY_ADDRESS  4

#define MADT_FLAG_ENABLED       (1u << 0)
#define MADT_FLAG_ONLINE_CAPABLE (1u << 1)

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Map a whole table after checking its header: signature, length and
 * checksum.  NULL, with err set, when any is wrong. */
static const uint8_t *map_table(madt_map_fn map, uint64_t phys,
				const char *sig, char *err, size_t err_size)
{
	const uint8_t *hdr = map(phys, SDT_HEADER_SIZE);

	if (!hdr) {
		format(err, err_size, "%s at %#llx is not mapped", sig,
		       (unsigned long long)phys);
		return NULL;
	}
	if (memcmp(hdr, sig, SDT_SIGNATURE_LEN) != 0) {
		format(err, err_size, "no %s signature at %#llx", sig,
		       (unsigned long long)phys);
		return NULL;
	}
	uint32_t len = get32(hdr + SDT_LENGTH);
	const uint8_t *t = len >= SDT_HEADER_SIZE ? map(phys, len) : NULL;
	if (!t) {
		format(err, err_size, "%s at %#llx: bad length %u", sig,
		       (unsigned long long)phys, len);
		return NULL;
	}
	if (acpi_checksum(t, len) != 0) {
		format(err, err_size, "%s at %#llx: bad checksum", sig,
		       (unsigned long long)phys);
		return NULL;
	}
	return t;
}

/* The address of the first table with signature sig from the XSDT (8-byte
 * entries) or RSDT (4-byte); 0 when none. */
static uint64_t find_sig(madt_map_fn map, const uint8_t *root, bool xsdt,
			 const char *sig)
{
	uint32_t len = get32(root + SDT_LENGTH);
	uint32_t step = xsdt ? 8 : 4;

	for (uint32_t off = SDT_HEADER_SIZE; off + step <= len; off += step) {
		uint64_t phys = xsdt ? get64(root + off) : get32(root + off);
		const uint8_t *hdr = map(phys, SDT_HEADER_SIZE);
		if (hdr && memcmp(hdr, sig, SDT_SIGNATURE_LEN) == 0)
			return phys;
	}
	return 0;
}

/* List a CPU unless it is neither enabled nor online capable (absent). */
static void add_cpu(struct madt_cpus *out, uint32_t apic_id, uint32_t flags)
{
	if (!(flags & (MADT_FLAG_ENABLED | MADT_FLAG_ONLINE_CAPABLE))) {
		out->disabled++;
		return;
	}
	for (uint32_t i = 0; i < out->count; i++)
		if (out->apic_id[i] == apic_id)
			return;
	if (out->count == MADT_CPUS_MAX) {
		out->dropped++;
		return;
	}
	out->apic_id[out->count++] = apic_id;
	if (!(flags & MADT_FLAG_ENABLED))
		out->online_capable++;
}

static void parse_entry(struct madt_cpus *out, const uint8_t *e, uint8_t len)
{
	switch (e[0]) {
	case MADT_TYPE_LAPIC:
		if (len >= LAPIC_ENTRY_SIZE)
			add_cpu(out, e[LAPIC_ENTRY_APIC_ID],
				get32(e + LAPIC_ENTRY_FLAGS));
		break;
	case MADT_TYPE_X2APIC:
		if (len >= X2APIC_ENTRY_SIZE)
			add_cpu(out, get32(e + X2APIC_ENTRY_ID),
				get32(e + X2APIC_ENTRY_FLAGS));
		break;
	case MADT_TYPE_LAPIC_OVERRIDE:
		if (len >= OVERRIDE_ENTRY_SIZE)
			out->lapic_address = get64(e + OVERRIDE_ENTRY_ADDRESS);
		break;
	default:
		break;
	}
}

static bool parse_madt(const uint8_t *madt, struct madt_cpus *out, char *err,
		       size_t err_size)
{
	uint32_t len = get32(madt + SDT_LENGTH);

	if (len < MADT_ENTRIES) {
		format(err, err_size, "MADT too short (%u bytes)", len);
		return false;
	}
	out->lapic_address = get32(madt + MADT_LAPIC_ADDRESS);
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len;) {
		uint8_t elen = madt[off + 1];
		if (elen < 2 || off + elen > len) {
			format(err, err_size, "MADT entry at offset %u has bad "
			       "length %u", off, elen);
			return false;
		}
		parse_entry(out, madt + off, elen);
		off += elen;
	}
	return true;
}

/* Find, check and map the table with signature sig (see madt.h). */
const uint8_t *acpi_find_sdt(const uint8_t *rsdp, uint32_t revision,
			     madt_map_fn map, const char *sig, uint32_t *len,
			     char *err, size_t err_size)
{
	uint64_t xsdt = revision >= ACPI_RSDP_REVISION_2 ?
				get64(rsdp + ACPI_RSDP_XSDT_ADDRESS) : 0;
	uint64_t root_phys = xsdt ? xsdt : get32(rsdp + ACPI_RSDP_RSDT_ADDRESS);
	const uint8_t *root = map_table(map, root_phys, xsdt ? "XSDT" : "RSDT",
					err, err_size);
	if (!root)
		return NULL;
	uint64_t phys = find_sig(map, root, xsdt != 0, sig);
	if (!phys) {
		format(err, err_size, "no %s table in the %s", sig,
		       xsdt ? "XSDT" : "RSDT");
		return NULL;
	}
	const uint8_t *t = map_table(map, phys, sig, err, err_size);
	if (t)
		*len = get32(t + SDT_LENGTH);
	return t;
}

bool madt_find_cpus(const uint8_t *rsdp, uint32_t revision, madt_map_fn map,
		    struct madt_cpus *out, char *err, size_t err_size)
{
	uint32_t len;

	*out = (struct madt_cpus){ 0 };
	err[0] = '\0';
	const uint8_t *madt = acpi_find_sdt(rsdp, revision, map, "APIC", &len,
					    err, err_size);
	return madt && parse_madt(madt, out, err, err_size);
}
