/*
 * Fuzz the ACPI table readers of guest/acpi/tables.c (over the walk of
 * arch/x86/acpi.c): the guest's one-CPU
 * tables (acpi_guest_size, acpi_guest_build, acpi_madt_one_cpu), the power
 * facts (acpi_power_info) and the \_S5 search in AML.  The input is
 * physical memory (tests/fuzz/phys.h); its last byte is the boot CPU's
 * APIC ID.
 */
#include "guest/acpi/tables.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/phys.h"

#define DEST_GPA 0x80000ull

static struct phys phys;

static const void *map(uint64_t pa, uint64_t len, void *ctx)
{
	return phys_map(ctx, pa, len);
}

/* A table the guest will read: inside dest, its checksum right. */
static const struct acpi_sdt_header *guest_table(const uint8_t *dest,
						 uint64_t size, uint64_t gpa,
						 const char *sig)
{
	const struct acpi_sdt_header *h;

	FUZZ_CHECK(gpa >= DEST_GPA && gpa - DEST_GPA + sizeof(*h) <= size,
		   "%s at %#llx outside the tables", sig,
		   (unsigned long long)gpa);
	h = (const void *)(dest + (gpa - DEST_GPA));
	FUZZ_CHECK(!memcmp(h->signature, sig, ACPI_SIG_LEN), "%s signature",
		   sig);
	FUZZ_CHECK(gpa - DEST_GPA + h->length <= size, "%s length %u", sig,
		   h->length);
	FUZZ_CHECK(acpi_checksum(h, h->length) == 0, "%s checksum", sig);
	return h;
}

/* The new MADT lists exactly one processor: the boot CPU. */
static void check_one_cpu(const uint8_t *madt, uint32_t len, uint32_t bsp,
			  const struct acpi_guest_result *res)
{
	uint32_t cpus = 0;

	for (uint32_t off = sizeof(struct acpi_madt); off < len; off += madt[off + 1]) {
		FUZZ_CHECK(len - off >= 2 && madt[off + 1] >= 2 &&
			   madt[off + 1] <= len - off, "entry at %u", off);
		if (madt[off] == MADT_TYPE_LOCAL_APIC &&
		    madt[off + 1] >= MADT_LOCAL_APIC_LEN) {
			FUZZ_CHECK(madt[off + 3] == bsp, "other CPU kept");
			cpus++;
		} else if (madt[off] == MADT_TYPE_LOCAL_X2APIC &&
			   madt[off + 1] >= MADT_LOCAL_X2APIC_LEN) {
			uint32_t id;

			memcpy(&id, madt + off + 4, sizeof(id));
			FUZZ_CHECK(id == bsp, "other CPU kept");
			cpus++;
		}
	}
	FUZZ_CHECK(cpus == 1 && res->cpus_removed + 1 == res->cpus_total,
		   "%u CPUs kept, %u of %u removed", cpus, res->cpus_removed,
		   res->cpus_total);
}

/* Slot of the firmware's MADT in the guest's root table, found
 * independently of tables.c: the first firmware entry whose table is
 * readable and says "APIC", less the DMAR entries before it (the guest's
 * root tables leave those out). */
static uint32_t firmware_madt_index(bool *xsdt)
{
	const struct acpi_rsdp *r = (const void *)phys.rsdp;
	const struct acpi_sdt_header *root;
	uint32_t esize;

	*xsdt = r->revision >= ACPI_RSDP_REVISION_2 && r->xsdt_address;
	esize = *xsdt ? 8 : 4;
	root = phys_map(&phys, *xsdt ? r->xsdt_address : r->rsdt_address,
			sizeof(*root));
	FUZZ_CHECK(root, "tables built without a readable root table");
	for (uint32_t i = 0, hidden = 0;
	     (i + 1) * esize <= root->length - sizeof(*root); i++) {
		const struct acpi_sdt_header *h;
		uint64_t pa = 0;

		memcpy(&pa, (const uint8_t *)(root + 1) + i * esize, esize);
		h = phys_map(&phys, pa, sizeof(*h));
		if (h && !memcmp(h->signature, ACPI_SIG_MADT, ACPI_SIG_LEN))
			return i - hidden;
		if (h && !memcmp(h->signature, ACPI_SIG_DMAR, ACPI_SIG_LEN))
			hidden++;
	}
	fuzz_broken(__FILE__, __LINE__, "tables built without a firmware MADT");
}

/* The guest root table's entry in the firmware MADT's slot. */
static uint64_t madt_copy_gpa(const struct acpi_sdt_header *root, bool xsdt)
{
	bool fw_xsdt;
	uint32_t i = firmware_madt_index(&fw_xsdt), esize = xsdt ? 8 : 4;
	uint64_t pa = 0;

	(void)fw_xsdt;
	FUZZ_CHECK(sizeof(*root) + (uint64_t)(i + 1) * esize <= root->length,
		   "guest root table lacks entry %u", i);
	memcpy(&pa, (const uint8_t *)(root + 1) + i * esize, esize);
	return pa;
}

/* No entry of the guest's root table leads to a DMAR table. */
static void check_no_dmar(const struct acpi_sdt_header *root, bool xsdt)
{
	uint32_t esize = xsdt ? 8 : 4;

	for (uint32_t i = 0; (i + 1) * esize <= root->length - sizeof(*root); i++) {
		const struct acpi_sdt_header *h;
		uint64_t pa = 0;

		memcpy(&pa, (const uint8_t *)(root + 1) + i * esize, esize);
		h = phys_map(&phys, pa, sizeof(*h));
		FUZZ_CHECK(!h || memcmp(h->signature, ACPI_SIG_DMAR, ACPI_SIG_LEN),
			   "guest root entry %u is the DMAR", i);
	}
}

static void check_built(const uint8_t *dest, uint64_t size, uint32_t bsp,
			const struct acpi_guest_result *res)
{
	const struct acpi_rsdp *r = (const void *)dest;
	bool v2 = r->revision >= ACPI_RSDP_REVISION_2;
	const struct acpi_sdt_header *root, *madt;

	FUZZ_CHECK(res->rsdp == DEST_GPA && res->size <= size, "result");
	FUZZ_CHECK(acpi_checksum(r, ACPI_RSDP_V1_SIZE) == 0 &&
		   (!v2 || acpi_checksum(r, ACPI_RSDP_V2_SIZE) == 0),
		   "RSDP checksum");
	root = guest_table(dest, size, v2 ? r->xsdt_address : r->rsdt_address,
			   v2 ? ACPI_SIG_XSDT : ACPI_SIG_RSDT);
	if (v2 && r->rsdt_address)
		guest_table(dest, size, r->rsdt_address, ACPI_SIG_RSDT);
	check_no_dmar(root, v2);
	madt = guest_table(dest, size, madt_copy_gpa(root, v2),
			   ACPI_SIG_MADT);
	check_one_cpu((const uint8_t *)madt, madt->length, bsp, res);
}

static void fuzz_guest_tables(const struct acpi_source *src, uint32_t bsp)
{
	struct acpi_guest_result res;
	uint64_t size;
	uint64_t madt_pa;
	uint32_t madt_len;
	uint8_t *dest;
	char err[160];

	size = acpi_guest_size(src, err, sizeof(err));
	if (!size)
		return;
	FUZZ_CHECK(size < (64u << 20), "guest tables of %llu bytes",
		   (unsigned long long)size);
	dest = malloc(size);
	if (acpi_guest_build(src, bsp, DEST_GPA, dest, size, &res, err,
			     sizeof(err))) {
		check_built(dest, size, bsp, &res);
		FUZZ_CHECK(acpi_find_sdt(src, ACPI_SIG_MADT, &madt_pa,
					 &madt_len, err, sizeof(err)),
			   "MADT not found again: %s", err);
	}
	free(dest);
}

/* The firmware MADT's entries alone, into a buffer of exactly its size. */
static void fuzz_madt_one_cpu(const uint8_t *data, size_t size, uint32_t bsp)
{
	struct acpi_guest_result res = { 0 };
	uint8_t *out;
	uint32_t len;
	char err[160];

	if (size < sizeof(struct acpi_madt) || size > UINT32_MAX)
		return;
	out = malloc(size);
	len = acpi_madt_one_cpu(data, (uint32_t)size, bsp, out, (uint32_t)size,
				&res, err, sizeof(err));
	if (len) {
		FUZZ_CHECK(len <= size && acpi_checksum(out, len) == 0,
			   "MADT copy of %u bytes", len);
		check_one_cpu(out, len, bsp, &res);
	}
	free(out);
}

static void fuzz_power(const struct acpi_source *src, const uint8_t *data,
		       size_t size)
{
	struct acpi_power pw;
	uint8_t a, b;
	char err[160];

	if (acpi_power_info(src, &pw, err, sizeof(err))) {
		FUZZ_CHECK(!pw.has_reset_reg || pw.reset_address,
			   "reset register at address 0");
		FUZZ_CHECK(!pw.has_reset_reg ||
			   pw.reset_space != ACPI_GAS_SYSTEM_IO ||
			   (pw.reset_port && pw.reset_port == pw.reset_address),
			   "I/O reset register without its port");
	}
	if (size <= UINT32_MAX)
		acpi_aml_find_s5(data, (uint32_t)size, &a, &b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_source src = { phys.rsdp, map, &phys };
	uint32_t bsp = size ? data[size - 1] : 0;

	phys_init(&phys, data, size);
	fuzz_guest_tables(&src, bsp);
	fuzz_madt_one_cpu(data, size, bsp);
	fuzz_power(&src, data, size);
	return 0;
}
