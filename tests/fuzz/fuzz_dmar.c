/*
 * Fuzz dmar_parse (drivers/dmar.c): the ACPI DMAR table, whose units and
 * RMRRs decide what the IOMMU protects.  The input is the table itself.
 * Its length field and checksum are set right before parsing unless the
 * revision byte has bit 7 set (then the header checks are fuzzed too), so
 * the fuzzer's mutations reach the structures.
 */
#include "arch/x86/acpi.h"
#include "drivers/dmar.h"
#include "tests/fuzz/fuzz.h"

#define REVISION        8
#define CHECKSUM        9
#define RAW_INPUT       0x80u
#define PAGE            4096ull

/* A scope run lies inside the recorded scopes (or counts dropped ones). */
static void check_run(const struct dmar_info *d, struct dmar_scope_run r)
{
	FUZZ_CHECK(r.first <= d->scope_count, "scope run starts at %u of %u",
		   r.first, d->scope_count);
	FUZZ_CHECK(r.first + r.count <= d->scope_count || d->dropped,
		   "scope run past the recorded scopes");
}

/* What an accepted table promises about its units. */
static void check_units(const struct dmar_info *d)
{
	FUZZ_CHECK(d->unit_count <= DMAR_UNITS_MAX, "%u units", d->unit_count);
	for (uint32_t i = 0; i < d->unit_count; i++) {
		const struct dmar_unit *u = &d->units[i];

		FUZZ_CHECK(u->base && u->base % PAGE == 0 && u->size >= PAGE &&
			   u->base + u->size > u->base, "unit %u range", i);
		check_run(d, u->scopes);
		for (uint32_t k = 0; k < i; k++)
			FUZZ_CHECK(u->base + u->size <= d->units[k].base ||
				   d->units[k].base + d->units[k].size <= u->base,
				   "units %u and %u overlap", k, i);
	}
}

/* What an accepted table promises about RMRRs and scopes. */
static void check_rmrrs(const struct dmar_info *d)
{
	FUZZ_CHECK(d->rmrr_count <= DMAR_RMRRS_MAX, "%u RMRRs", d->rmrr_count);
	for (uint32_t i = 0; i < d->rmrr_count; i++) {
		const struct dmar_rmrr *r = &d->rmrrs[i];

		FUZZ_CHECK(r->base <= r->limit && r->base % PAGE == 0 &&
			   (r->limit + 1) % PAGE == 0, "RMRR %u range", i);
		check_run(d, r->scopes);
	}
	FUZZ_CHECK(d->scope_count <= DMAR_SCOPES_MAX, "%u scopes",
		   d->scope_count);
	for (uint32_t i = 0; i < d->scope_count; i++)
		FUZZ_CHECK(d->scopes[i].path_len >= 1, "scope %u has no path", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dmar_info info;
	char err[DMAR_ERROR_MAX];
	uint8_t *t = fuzz_dup(data, size);
	uint32_t len = (uint32_t)size;

	if (size >= 48 && !(t[REVISION] & RAW_INPUT)) {
		memcpy(t + 4, &len, sizeof(len));
		t[CHECKSUM] = 0;
		t[CHECKSUM] = (uint8_t)-acpi_checksum(t, size);
	}
	memset(err, 'x', sizeof(err));
	if (dmar_parse(t, len, &info, err, sizeof(err))) {
		FUZZ_CHECK(err[0] == '\0', "success with error '%s'", err);
		check_units(&info);
		check_rmrrs(&info);
	} else {
		FUZZ_CHECK(err[0] && fuzz_has_nul(err, sizeof(err)),
			   "refusal without a reason");
	}
	free(t);
	return 0;
}
