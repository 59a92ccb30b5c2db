/*
 * Fuzz madt_find_cpus (arch/x86/madt.c) and the ACPI walk under it
 * (arch/x86/acpi.c): RSDP -> RSDT/XSDT -> MADT, the walk that decides
 * which CPUs the hypervisor starts and parks.  The input
 * is physical memory (tests/fuzz/phys.h); the RSDP's revision byte picks
 * the XSDT or the RSDT.
 */
#include "arch/x86/acpi.h"
#include "arch/x86/madt.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/phys.h"


static struct phys phys;

static const void *map(uint64_t pa, uint64_t len, void *ctx)
{
	return phys_map(ctx, pa, len);
}

static void check_accepted(const struct madt_cpus *cpus, const char *err)
{
	FUZZ_CHECK(err[0] == '\0', "success with error '%s'", err);
	FUZZ_CHECK(cpus->count <= MADT_CPUS_MAX, "count %u", cpus->count);
	FUZZ_CHECK(!cpus->dropped || cpus->count == MADT_CPUS_MAX,
		   "CPUs dropped with room left");
	for (uint32_t i = 0; i < cpus->count; i++)
		for (uint32_t j = 0; j < i; j++)
			FUZZ_CHECK(cpus->apic_id[i] != cpus->apic_id[j],
				   "APIC ID %u listed twice", cpus->apic_id[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_source src = { phys.rsdp, map, &phys };
	struct madt_cpus cpus;
	char err[MADT_ERROR_MAX];

	phys_init(&phys, data, size);
	memset(err, 'x', sizeof(err));
	if (madt_find_cpus(&src, &cpus, err, sizeof(err)))
		check_accepted(&cpus, err);
	else
		FUZZ_CHECK(err[0] && fuzz_has_nul(err, sizeof(err)),
			   "refusal without a reason");
	return 0;
}
