/* drivers/dmar.c on DMAR tables of real machines (tests/unit/
 * dmar_samples.h) and on broken copies of them. */
#include <stdlib.h>

#include "arch/x86/acpi.h"
#include "drivers/dmar.h"
#include "tests/unit/dmar_samples.h"
#include "tests/unit/test.h"

static struct dmar_info info;
static char err[DMAR_ERROR_MAX];

/* Parse a copy of t (len bytes, plus room) after edit() changed it; the
 * length field and checksum are fixed up afterwards unless raw. */
static uint8_t work[1024];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Copy sample s into work. */
static uint32_t load(const uint8_t *s, uint32_t len)
{
	memcpy(work, s, len);
	return len;
}

/* Give work (len bytes) its length field and a right checksum. */
static void seal(uint32_t len)
{
	put32(work + 4, len);
	work[9] = 0;
	work[9] = (uint8_t)-acpi_checksum(work, len);
}

static bool parse(uint32_t len)
{
	return dmar_parse(work, len, &info, err, sizeof(err));
}

TEST(dmar_xps13_9310)
{
	CHECK(dmar_parse(dmar_xps13_9310, sizeof(dmar_xps13_9310), &info, err,
			 sizeof(err)));
	CHECK_STR(err, "");
	CHECK_EQ(info.host_address_width, 39);
	CHECK_EQ(info.flags, DMAR_FLAG_INTR_REMAP);
	CHECK_EQ(info.unit_count, 4);
	CHECK_EQ(info.units[0].base, 0xfed90000);
	CHECK_EQ(info.units[0].size, 4096);
	CHECK(!info.units[0].include_pci_all);
	CHECK_EQ(info.units[0].scopes.count, 1);
	const struct dmar_scope *gfx = &info.scopes[info.units[0].scopes.first];
	CHECK_EQ(gfx->type, DMAR_SCOPE_PCI_ENDPOINT);
	CHECK_EQ(gfx->start_bus, 0);
	CHECK_EQ(gfx->dev, 2);
	CHECK_EQ(gfx->fn, 0);
	CHECK_EQ(info.units[1].base, 0xfed84000);
	CHECK_EQ(info.scopes[info.units[1].scopes.first].type,
		 DMAR_SCOPE_PCI_BRIDGE);
	CHECK_EQ(info.units[2].base, 0xfed86000);
	CHECK_EQ(info.scopes[info.units[2].scopes.first].fn, 2);
	CHECK_EQ(info.units[3].base, 0xfed91000);
	CHECK(info.units[3].include_pci_all);
	CHECK_EQ(info.units[3].scopes.count, 2);
	CHECK_EQ(info.scopes[info.units[3].scopes.first].type, DMAR_SCOPE_IOAPIC);
	CHECK_EQ(info.scopes[info.units[3].scopes.first].enumeration_id, 2);
	CHECK_EQ(info.scopes[info.units[3].scopes.first + 1].type,
		 DMAR_SCOPE_HPET);
	CHECK_EQ(info.rmrr_count, 1);
	CHECK_EQ(info.rmrrs[0].base, 0x6c000000);
	CHECK_EQ(info.rmrrs[0].limit, 0x707fffff);
	CHECK_EQ(info.rmrrs[0].scopes.count, 1);
	CHECK_EQ(info.scopes[info.rmrrs[0].scopes.first].dev, 2);
	CHECK_EQ(info.scope_count, 6);
	CHECK_EQ(info.atsr_count + info.satc_count + info.dropped, 0);
}

TEST(dmar_precision_m6800)
{
	CHECK(dmar_parse(dmar_precision_m6800, sizeof(dmar_precision_m6800),
			 &info, err, sizeof(err)));
	CHECK_EQ(info.unit_count, 1);
	CHECK(info.units[0].include_pci_all);
	CHECK_EQ(info.units[0].base, 0xfed90000);
	CHECK_EQ(info.units[0].scopes.count, 2);
	CHECK_EQ(info.scopes[0].start_bus, 0xf0);
	CHECK_EQ(info.scopes[0].dev, 0x1f);
	CHECK_EQ(info.rmrr_count, 1);
	CHECK_EQ(info.rmrrs[0].base, 0xcaf19000);
	CHECK_EQ(info.rmrrs[0].limit, 0xcaf27fff);
	CHECK_EQ(info.rmrrs[0].scopes.count, 3);
	CHECK_EQ(info.scopes[info.rmrrs[0].scopes.first + 2].dev, 0x14);
}

TEST(dmar_asrock_x99_atsr_rhsa)
{
	CHECK(dmar_parse(dmar_asrock_x99, sizeof(dmar_asrock_x99), &info, err,
			 sizeof(err)));
	CHECK_EQ(info.host_address_width, 46);
	CHECK_EQ(info.unit_count, 2);
	CHECK_EQ(info.units[0].base, 0xfbffd000);
	CHECK_EQ(info.units[1].base, 0xfbffc000);
	CHECK(info.units[1].include_pci_all);
	CHECK_EQ(info.units[1].scopes.count, 3);
	CHECK_EQ(info.atsr_count, 1);
	CHECK_EQ(info.rhsa_count, 1);
	CHECK_EQ(info.rmrr_count, 0);
	CHECK_EQ(info.scope_count, 6);  /* ATSR scopes checked, not kept per unit */
}

TEST(dmar_header_checks)
{
	uint32_t len = load(dmar_xps13_9310, sizeof(dmar_xps13_9310));

	CHECK(!parse(len - 1));                         /* truncated */
	CHECK(strstr(err, "length field") != NULL);
	CHECK(!parse(40));                              /* shorter than a header */
	work[9] ^= 1;                                   /* checksum */
	CHECK(!parse(len));
	CHECK_STR(err, "DMAR checksum is wrong");
	load(dmar_xps13_9310, len);
	memcpy(work, "APIC", 4);
	CHECK(!parse(len));
	CHECK(strstr(err, "not a DMAR") != NULL);
}

TEST(dmar_truncated_structures)
{
	/* Cut the table inside every structure: each cut is refused, never
	 * read past. */
	for (uint32_t cut = 49; cut < sizeof(dmar_xps13_9310); cut++) {
		uint8_t *copy = malloc(cut);

		memcpy(work, dmar_xps13_9310, cut);
		seal(cut);
		memcpy(copy, work, cut);
		bool ok = dmar_parse(copy, cut, &info, err, sizeof(err));
		free(copy);
		/* Structure boundaries: 0x48, 0x60, 0x78, 0x98 */
		CHECK(ok == (cut == 0x48 || cut == 0x60 || cut == 0x78 ||
			     cut == 0x98));
	}
}

TEST(dmar_bad_lengths)
{
	uint32_t len = load(dmar_xps13_9310, sizeof(dmar_xps13_9310));

	put16(work + 0x32, 0);                          /* zero-length DRHD */
	seal(len);
	CHECK(!parse(len));
	CHECK(strstr(err, "bad length 0") != NULL);
	load(dmar_xps13_9310, len);
	put16(work + 0x32, 0x400);                      /* beyond the table */
	seal(len);
	CHECK(!parse(len));
	load(dmar_xps13_9310, len);
	work[0x41] = 7;                                 /* odd device scope */
	seal(len);
	CHECK(!parse(len));
	CHECK(strstr(err, "device scope") != NULL);
	load(dmar_xps13_9310, len);
	work[0x41] = 6;                                 /* scope without a path */
	seal(len);
	CHECK(!parse(len));
	load(dmar_xps13_9310, len);
	work[0x41] = 0x10;                              /* scope past its DRHD */
	seal(len);
	CHECK(!parse(len));
	load(dmar_xps13_9310, len);
	put16(work + 0x9a, 0x10);                       /* RMRR shorter than its fields */
	seal(len);
	CHECK(!parse(len));
}

/* A structure whose length field is shorter than its own fixed fields, at
 * the very end of the table (found by tests/fuzz/fuzz_dmar.c: the DRHD's
 * register base was read before its length was checked). */
TEST(dmar_short_structure_at_the_end)
{
	static const uint8_t types[] = { DMAR_TYPE_DRHD, DMAR_TYPE_RMRR,
					 DMAR_TYPE_ATSR, DMAR_TYPE_SATC,
					 DMAR_TYPE_RHSA };

	for (uint32_t i = 0; i < sizeof(types); i++)
		for (uint32_t slen = 4; slen < 24; slen += 4) {
			uint32_t len = 48 + slen;
			uint8_t *t = malloc(len);

			memset(work, 0, sizeof(work));
			memcpy(work, "DMAR", 4);
			put16(work + 48, types[i]);
			put16(work + 50, (uint16_t)slen);
			seal(len);
			memcpy(t, work, len);
			bool ok = dmar_parse(t, len, &info, err, sizeof(err));
			free(t);
			/* Accepted: ATSR and SATC of 8 bytes (no scopes; more
			 * zero bytes are a scope of bad length), RHSA of 20; a
			 * DRHD of 16 has register base 0: refused. */
			bool long_enough =
				((types[i] == DMAR_TYPE_ATSR ||
				  types[i] == DMAR_TYPE_SATC) && slen == 8) ||
				(types[i] == DMAR_TYPE_RHSA && slen >= 20);
			CHECK_EQ(ok, long_enough);
		}
}

TEST(dmar_overlapping_and_bad_units)
{
	uint32_t len = load(dmar_xps13_9310, sizeof(dmar_xps13_9310));

	put64(work + 0x50, 0xfed90000);                 /* same registers twice */
	seal(len);
	CHECK(!parse(len));
	CHECK(strstr(err, "overlap") != NULL);
	load(dmar_xps13_9310, len);
	work[0x35] = 4;                                 /* 16 pages: reaches 0xfed91000 */
	seal(len);
	CHECK(!parse(len));
	CHECK(strstr(err, "overlap") != NULL);
	load(dmar_xps13_9310, len);
	put64(work + 0x50, 0xfed84800);                 /* misaligned */
	seal(len);
	CHECK(!parse(len));
	load(dmar_xps13_9310, len);
	put64(work + 0x50, 0);                          /* no registers */
	seal(len);
	CHECK(!parse(len));
	load(dmar_xps13_9310, len);
	work[0x34] = 1;                                 /* second INCLUDE_PCI_ALL */
	seal(len);
	CHECK(!parse(len));
	CHECK(strstr(err, "INCLUDE_PCI_ALL") != NULL);
	load(dmar_xps13_9310, len);
	put64(work + 0x50, 0xfffffffffffff000ull);      /* wraps */
	work[0x4d] = 1;
	seal(len);
	CHECK(!parse(len));
}

TEST(dmar_bad_rmrr)
{
	uint32_t len = load(dmar_xps13_9310, sizeof(dmar_xps13_9310));

	put64(work + 0xa8, 0x6bffffff);                 /* limit below base */
	seal(len);
	CHECK(!parse(len));
	CHECK(strstr(err, "RMRR") != NULL);
	load(dmar_xps13_9310, len);
	put64(work + 0xa8, 0x707ffffe);                 /* not page-granular */
	seal(len);
	CHECK(!parse(len));
	load(dmar_xps13_9310, len);
	put64(work + 0xa0, 0x6c000800);
	seal(len);
	CHECK(!parse(len));
}

TEST(dmar_unknown_type_skipped)
{
	uint32_t len = load(dmar_precision_m6800, sizeof(dmar_precision_m6800));

	put16(work + 0x50, 0x77);                       /* the RMRR, renamed */
	seal(len);
	CHECK(parse(len));
	CHECK_EQ(info.unknown_count, 1);
	CHECK_EQ(info.rmrr_count, 0);
	CHECK_EQ(info.unit_count, 1);
}

TEST(dmar_too_many_units_dropped)
{
	/* A header and DMAR_UNITS_MAX + 2 DRHDs without scopes. */
	uint32_t n = DMAR_UNITS_MAX + 2, len = 48 + n * 16;

	memset(work, 0, sizeof(work));
	memcpy(work, "DMAR", 4);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *s = work + 48 + i * 16;

		put16(s + 2, 16);
		put64(s + 8, 0xfed00000ull + i * 0x1000);
	}
	seal(len);
	CHECK(parse(len));
	CHECK_EQ(info.unit_count, DMAR_UNITS_MAX);
	CHECK_EQ(info.dropped, 2);
	CHECK_EQ(info.units_dropped, 2);
	CHECK_STR(dmar_scope_type_name(DMAR_SCOPE_HPET), "HPET");
	CHECK_STR(dmar_scope_type_name(9), "unknown");
}
