/*
 * The walk from the RSDP through the XSDT or RSDT to a table (see
 * arch/x86/acpi.h).  Pure: memory is read through the caller's map, every
 * length is checked against what was mapped before it is used, and tables
 * are read with memcpy (the root tables' entries are not aligned).
 */
#include "arch/x86/acpi.h"
#include "lib/format.h"
#include "lib/str.h"

/* The identity map (see acpi.h). */
const void *acpi_map_identity(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	if (pa == 0 || pa + len < pa)
		return NULL;
	return (const void *)(uintptr_t)pa;
}

/* The u32 at p, unaligned. */
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Map the table at pa whole after checking its header (see acpi.h). */
const uint8_t *acpi_sdt_map(const struct acpi_source *src, uint64_t pa,
			    const char *sig, uint32_t *len, char *err, size_t n)
{
	const char *name = sig ? sig : "table";
	const struct acpi_sdt_header *h =
		pa ? src->map(pa, sizeof(*h), src->ctx) : NULL;
	const uint8_t *t;
	uint32_t l;

	if (!h) {
		format(err, n, "%s at %#llx is not mapped", name,
		       (unsigned long long)pa);
		return NULL;
	}
	if (sig && memcmp(h->signature, sig, ACPI_SIG_LEN)) {
		format(err, n, "no %s signature at %#llx", sig,
		       (unsigned long long)pa);
		return NULL;
	}
	l = get32((const uint8_t *)h + offsetof(struct acpi_sdt_header, length));
	t = l >= sizeof(*h) && l <= ACPI_TABLE_LEN_MAX ?
		src->map(pa, l, src->ctx) : NULL;
	if (!t) {
		format(err, n, "%s at %#llx: bad length %u", name,
		       (unsigned long long)pa, l);
		return NULL;
	}
	if (acpi_checksum(t, l)) {
		format(err, n, "%s at %#llx: bad checksum", name,
		       (unsigned long long)pa);
		return NULL;
	}
	*len = l;
	return t;
}

/* Whether the RSDP copy r has its signature and a right ACPI 1.0 checksum
 * (the first 20 bytes); false with the reason in err.  The boot paths
 * checked both before they copied it: this keeps the walk safe on its own
 * (host tests, fuzzing).  The 2.0 extended checksum is not checked. */
static bool rsdp_check(const struct acpi_rsdp *r, char *err, size_t n)
{
	if (memcmp(r->signature, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN)) {
		format(err, n, "the RSDP has no \"RSD PTR \" signature");
		return false;
	}
	if (acpi_checksum(r, ACPI_RSDP_V1_SIZE)) {
		format(err, n, "the RSDP checksum is wrong");
		return false;
	}
	return true;
}

/* Open the root table (see acpi.h). */
bool acpi_root_open(const struct acpi_source *src, struct acpi_root *rt,
		    char *err, size_t n)
{
	struct acpi_rsdp r;
	uint64_t pa;

	memcpy(&r, src->rsdp, sizeof(r));
	if (!rsdp_check(&r, err, n))
		return false;
	rt->xsdt = r.revision >= ACPI_RSDP_REVISION_2 && r.xsdt_address;
	pa = rt->xsdt ? r.xsdt_address : r.rsdt_address;
	rt->table = acpi_sdt_map(src, pa, rt->xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT,
				 &rt->len, err, n);
	if (!rt->table)
		return false;
	rt->entries = (rt->len - ACPI_SDT_HEADER_SIZE) /
		      (rt->xsdt ? ACPI_XSDT_ENTRY_SIZE : ACPI_RSDT_ENTRY_SIZE);
	return true;
}

/* Entry i of the root table: 8 bytes in an XSDT, 4 in an RSDT. */
uint64_t acpi_root_entry(const struct acpi_root *rt, uint32_t i)
{
	const uint8_t *p = rt->table + ACPI_SDT_HEADER_SIZE;
	uint32_t size = rt->xsdt ? ACPI_XSDT_ENTRY_SIZE : ACPI_RSDT_ENTRY_SIZE;
	uint64_t v = 0;

	memcpy(&v, p + (size_t)i * size, size);
	return v;
}

/* The first root entry whose header says sig (see acpi.h). */
int32_t acpi_root_find(const struct acpi_source *src,
		       const struct acpi_root *rt, const char *sig)
{
	for (uint32_t i = 0; i < rt->entries; i++) {
		uint64_t pa = acpi_root_entry(rt, i);
		const struct acpi_sdt_header *h =
			pa ? src->map(pa, sizeof(*h), src->ctx) : NULL;

		if (h && !memcmp(h->signature, sig, ACPI_SIG_LEN))
			return (int32_t)i;
	}
	return -1;
}

/* RSDP -> XSDT/RSDT -> the first table with sig, checked (see acpi.h). */
const uint8_t *acpi_find_sdt(const struct acpi_source *src, const char *sig,
			     uint64_t *pa, uint32_t *len, char *err, size_t n)
{
	struct acpi_root rt;
	int32_t i;
	uint64_t at;

	if (!acpi_root_open(src, &rt, err, n))
		return NULL;
	i = acpi_root_find(src, &rt, sig);
	if (i < 0) {
		format(err, n, "no %s table in the %s", sig,
		       rt.xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT);
		return NULL;
	}
	at = acpi_root_entry(&rt, (uint32_t)i);
	if (pa)
		*pa = at;
	return acpi_sdt_map(src, at, sig, len, err, n);
}
