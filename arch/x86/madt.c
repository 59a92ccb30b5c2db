/*
 * MADT walk (see arch/x86/madt.h), reached through the one ACPI walk
 * (arch/x86/acpi.c).  Table layout: ACPI 6.x, "MADT" with its "Processor Local APIC", "Processor Local x2APIC" and
 * "Local APIC Address Override" structures.
 */
#include "arch/x86/acpi.h"
#include "arch/x86/madt.h"
#include "lib/format.h"
#include "lib/str.h"


#define SDT_LENGTH              4       /* u32, whole table */
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

/* The CPUs of the MADT the walk finds (see madt.h). */
bool madt_find_cpus(const struct acpi_source *src, struct madt_cpus *out,
		    char *err, size_t err_size)
{
	uint32_t len;

	*out = (struct madt_cpus){ 0 };
	err[0] = '\0';
	const uint8_t *madt = acpi_find_sdt(src, MADT_SIGNATURE, NULL, &len,
					    err, err_size);
	return madt && parse_madt(madt, out, err, err_size);
}
