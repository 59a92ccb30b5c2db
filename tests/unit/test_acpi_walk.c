/* arch/x86/acpi.c: the one walk RSDP -> XSDT/RSDT -> table that the MADT,
 * SPCR, DMAR, MCFG and FADT readers share, in a fake physical address
 * space: which root table it takes, and what it refuses. */
#include "arch/x86/acpi.h"
#include "tests/unit/test.h"

#define WALK_MEM_SIZE 0x4000
#define PA_RSDT       0x1000
#define PA_XSDT       0x1800
#define PA_SPCR       0x2000
#define PA_DMAR       0x2800
#define SPCR_LEN      80

static uint8_t wmem[WALK_MEM_SIZE];
static uint8_t rsdp[ACPI_RSDP_V2_SIZE];

static const void *walk_map(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	if (pa == 0 || pa > WALK_MEM_SIZE || len > WALK_MEM_SIZE - pa)
		return NULL;
	return wmem + pa;
}

/* A table at pa with sig and len, its checksum right. */
static void table(uint64_t pa, const char *sig, uint32_t len)
{
	struct acpi_sdt_header *h = (struct acpi_sdt_header *)(wmem + pa);

	memcpy(h->signature, sig, ACPI_SIG_LEN);
	h->length = len;
	h->checksum = 0;
	h->checksum = (uint8_t)-acpi_checksum(h, len);
}

/* The RSDP with revision rev, its ACPI 1.0 checksum right. */
static void seal_rsdp(uint8_t rev)
{
	struct acpi_rsdp *r = (struct acpi_rsdp *)rsdp;

	r->revision = rev;
	r->checksum = 0;
	r->checksum = (uint8_t)-acpi_checksum(r, ACPI_RSDP_V1_SIZE);
}

/* RSDT -> SPCR only; XSDT -> SPCR and DMAR; the RSDP names both. */
static void build(uint8_t rev)
{
	struct acpi_rsdp *r = (struct acpi_rsdp *)rsdp;
	uint32_t rsdt_entry = PA_SPCR;
	uint64_t xsdt_entries[2] = { PA_SPCR, PA_DMAR };

	memset(wmem, 0, sizeof(wmem));
	memset(rsdp, 0, sizeof(rsdp));
	table(PA_SPCR, "SPCR", SPCR_LEN);
	table(PA_DMAR, "DMAR", ACPI_SDT_HEADER_SIZE);
	memcpy(wmem + PA_RSDT + ACPI_SDT_HEADER_SIZE, &rsdt_entry, 4);
	table(PA_RSDT, "RSDT", ACPI_SDT_HEADER_SIZE + 4);
	memcpy(wmem + PA_XSDT + ACPI_SDT_HEADER_SIZE, xsdt_entries, 16);
	table(PA_XSDT, "XSDT", ACPI_SDT_HEADER_SIZE + 16);
	memcpy(r->signature, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN);
	r->rsdt_address = PA_RSDT;
	r->xsdt_address = PA_XSDT;
	seal_rsdp(rev);
}

static const uint8_t *find(const char *sig, uint64_t *pa, uint32_t *len,
			   char *err, size_t n)
{
	struct acpi_source src = { rsdp, walk_map, NULL };

	return acpi_find_sdt(&src, sig, pa, len, err, n);
}

/* Revision 2 with an XSDT: the XSDT is walked (it lists the DMAR); an
 * ACPI 1.0 RSDP, or one without an XSDT address, leads to the RSDT. */
TEST(acpi_walk_prefers_the_xsdt)
{
	char err[ACPI_ERROR_MAX] = "";
	uint64_t pa = 0;
	uint32_t len = 0;

	build(ACPI_RSDP_REVISION_2);
	CHECK(find("DMAR", &pa, &len, err, sizeof(err)) == wmem + PA_DMAR);
	CHECK_EQ(pa, PA_DMAR);
	CHECK_EQ(len, ACPI_SDT_HEADER_SIZE);
	build(0);
	CHECK(!find("DMAR", &pa, &len, err, sizeof(err)));
	CHECK_STR(err, "no DMAR table in the RSDT");
	CHECK(find("SPCR", NULL, &len, err, sizeof(err)) == wmem + PA_SPCR);
	CHECK_EQ(len, SPCR_LEN);
	build(ACPI_RSDP_REVISION_2);
	((struct acpi_rsdp *)rsdp)->xsdt_address = 0;
	CHECK(!find("DMAR", &pa, &len, err, sizeof(err)));
	CHECK_STR(err, "no DMAR table in the RSDT");
}

/* The RSDP copy must say "RSD PTR " and sum to 0 over its first 20 bytes. */
TEST(acpi_walk_refuses_a_bad_rsdp)
{
	char err[ACPI_ERROR_MAX] = "";
	uint32_t len;

	build(0);
	rsdp[0] = 'X';
	seal_rsdp(0);
	CHECK(!find("SPCR", NULL, &len, err, sizeof(err)));
	CHECK_STR(err, "the RSDP has no \"RSD PTR \" signature");
	build(0);
	rsdp[ACPI_RSDP_OEMID_OFFSET]++;
	CHECK(!find("SPCR", NULL, &len, err, sizeof(err)));
	CHECK_STR(err, "the RSDP checksum is wrong");
}

/* A root table or a table with a wrong checksum, signature or length is
 * refused with its address. */
TEST(acpi_walk_checks_every_table)
{
	char err[ACPI_ERROR_MAX] = "";
	uint32_t len;

	build(0);
	wmem[PA_RSDT + ACPI_SDT_HEADER_SIZE - 1]++;
	CHECK(!find("SPCR", NULL, &len, err, sizeof(err)));
	CHECK_STR(err, "RSDT at 0x1000: bad checksum");
	build(0);
	wmem[PA_SPCR + SPCR_LEN - 1]++;
	CHECK(!find("SPCR", NULL, &len, err, sizeof(err)));
	CHECK_STR(err, "SPCR at 0x2000: bad checksum");
	build(0);
	memcpy(wmem + PA_RSDT, "XSDT", ACPI_SIG_LEN);
	CHECK(!find("SPCR", NULL, &len, err, sizeof(err)));
	CHECK_STR(err, "no RSDT signature at 0x1000");
	build(0);
	table(PA_SPCR, "SPCR", ACPI_SDT_HEADER_SIZE - 1);
	CHECK(!find("SPCR", NULL, &len, err, sizeof(err)));
	CHECK_STR(err, "SPCR at 0x2000: bad length 35");
	build(0);
	((struct acpi_rsdp *)rsdp)->rsdt_address = 0x7fff0000;
	seal_rsdp(0);
	CHECK(!find("SPCR", NULL, &len, err, sizeof(err)));
	CHECK_STR(err, "RSDT at 0x7fff0000 is not mapped");
}

/* A length above ACPI_TABLE_LEN_MAX is refused before it is mapped (a
 * map that reaches that far must not be asked: the hypervisor's identity
 * map would hand out the pointer and the checksum would read it all). */
TEST(acpi_walk_refuses_a_huge_length)
{
	struct acpi_source src = { rsdp, acpi_map_identity, NULL };
	uint8_t t[ACPI_SDT_HEADER_SIZE];
	char err[ACPI_ERROR_MAX] = "";
	uint32_t len;

	memset(t, 0, sizeof(t));
	memcpy(t, "SPCR", ACPI_SIG_LEN);
	((struct acpi_sdt_header *)t)->length = ACPI_TABLE_LEN_MAX + 1;
	CHECK(!acpi_sdt_map(&src, (uint64_t)(uintptr_t)t, "SPCR", &len, err,
			    sizeof(err)));
	CHECK(strstr(err, ": bad length 16777217") != NULL);
}
