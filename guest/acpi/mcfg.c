/*
 * The MCFG table (see mcfg.h).  Entries are read with memcpy: the table
 * gives them no alignment.
 */
#include "guest/acpi/mcfg.h"

#include "lib/str.h"

/* Little-endian fields of an MCFG entry. */
static uint64_t entry_u64(const uint8_t *e, uint32_t off)
{
	uint64_t v;

	memcpy(&v, e + off, sizeof(v));
	return v;
}

static uint16_t entry_u16(const uint8_t *e, uint32_t off)
{
	uint16_t v;

	memcpy(&v, e + off, sizeof(v));
	return v;
}

/* Walk the entries for segment 0's range that starts at bus 0 (the base of
 * an entry is that of its start bus, so bus 0 needs start bus 0). */
bool acpi_mcfg_bus0_base(const uint8_t *mcfg, uint32_t len, uint64_t *base)
{
	for (uint32_t at = MCFG_ENTRIES_OFFSET; len >= MCFG_ENTRY_LEN &&
	     at <= len - MCFG_ENTRY_LEN; at += MCFG_ENTRY_LEN) {
		const uint8_t *e = mcfg + at;

		if (entry_u16(e, MCFG_ENTRY_SEGMENT) == 0 &&
		    e[MCFG_ENTRY_START_BUS] == 0 && entry_u64(e, MCFG_ENTRY_BASE)) {
			*base = entry_u64(e, MCFG_ENTRY_BASE);
			return true;
		}
	}
	return false;
}

/* The ECAM page of f from the entry covering its bus (see mcfg.h). */
bool acpi_mcfg_function_page(const uint8_t *mcfg, uint32_t len,
			     struct pci_bdf f, uint64_t *page)
{
	uint64_t off = (uint64_t)f.bus << ECAM_BUS_SHIFT |
		       (uint64_t)f.dev << ECAM_DEVICE_SHIFT |
		       (uint64_t)f.fn << ECAM_FUNCTION_SHIFT;

	for (uint32_t at = MCFG_ENTRIES_OFFSET; len >= MCFG_ENTRY_LEN &&
	     at <= len - MCFG_ENTRY_LEN; at += MCFG_ENTRY_LEN) {
		const uint8_t *e = mcfg + at;
		uint64_t base = entry_u64(e, MCFG_ENTRY_BASE);

		if (entry_u16(e, MCFG_ENTRY_SEGMENT) != 0 || !base ||
		    f.bus < e[MCFG_ENTRY_START_BUS] || f.bus > e[MCFG_ENTRY_END_BUS])
			continue;
		if (base + off < base)
			return false;
		*page = base + off;
		return true;
	}
	return false;
}

/* Find the MCFG through src and the page of f in it. */
bool acpi_ecam_function_page(const struct acpi_source *src, struct pci_bdf f,
			     uint64_t *page)
{
	char err[ACPI_ERROR_MAX];
	uint32_t len;
	const uint8_t *mcfg = acpi_find_sdt(src, ACPI_SIG_MCFG, NULL, &len, err,
					    sizeof(err));

	return mcfg && acpi_mcfg_function_page(mcfg, len, f, page);
}

/* Find the MCFG through src and read bus 0's ECAM base from it; why it
 * is not there is dropped (err is scratch): the caller asks only whether. */
bool acpi_ecam_bus0(const struct acpi_source *src, uint64_t *base)
{
	char err[ACPI_ERROR_MAX];
	uint32_t len;
	const uint8_t *mcfg = acpi_find_sdt(src, ACPI_SIG_MCFG, NULL, &len, err,
					    sizeof(err));

	return mcfg && acpi_mcfg_bus0_base(mcfg, len, base);
}
