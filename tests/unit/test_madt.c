/* arch/x86/madt.c: finding CPUs through RSDP -> RSDT/XSDT -> MADT (the
 * walk of arch/x86/acpi.c), in a fake physical address space. */
#include "arch/x86/madt.h"
#include "tests/unit/test.h"

#define FAKE_SIZE   0x8000
#define PA_RSDT     0x1000
#define PA_FACP     0x1800
#define PA_MADT     0x2000
#define PA_XSDT     0x3000
#define PA_BIG_MADT 0x4000        /* room for 300 x2APIC entries */

static uint8_t mem[FAKE_SIZE];

static const void *fake_map(uint64_t phys, uint64_t len, void *ctx)
{
	(void)ctx;
	if (phys == 0 || phys + len > FAKE_SIZE)
		return NULL;
	return mem + phys;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* A header with signature and length; the checksum fixed by seal(). */
static void header(uint64_t pa, const char *sig, uint32_t len)
{
	memcpy(mem + pa, sig, 4);
	put32(mem + pa + 4, len);
}

/* The RSDP's ACPI 1.0 checksum over its first 20 bytes. */
static void seal_rsdp(uint8_t *rsdp)
{
	rsdp[8] = 0;
	rsdp[8] = (uint8_t)-acpi_checksum(rsdp, ACPI_RSDP_V1_SIZE);
}

static void seal(uint64_t pa)
{
	uint32_t len;
	uint8_t sum = 0;

	memcpy(&len, mem + pa + 4, 4);
	mem[pa + 9] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += mem[pa + i];
	mem[pa + 9] = (uint8_t)-sum;
}

static uint32_t lapic(uint8_t *e, uint8_t id, uint32_t flags)
{
	e[0] = 0;
	e[1] = 8;
	e[2] = id;
	e[3] = id;
	put32(e + 4, flags);
	return 8;
}

static uint32_t x2apic(uint8_t *e, uint32_t id, uint32_t flags)
{
	memset(e, 0, 16);
	e[0] = 9;
	e[1] = 16;
	put32(e + 4, id);
	put32(e + 8, flags);
	return 16;
}

/* MADT: APIC IDs 0, 1 enabled; 2 disabled; 3 online-capable only; x2APIC
 * 1 again (duplicate) and 300; an I/O APIC entry to skip. */
static void build_tables(uint8_t *rsdp)
{
	memset(mem, 0, sizeof(mem));
	uint32_t off = 44;
	uint8_t *m = mem + PA_MADT;
	off += lapic(m + off, 0, 1);
	off += lapic(m + off, 1, 1);
	off += lapic(m + off, 2, 0);
	off += lapic(m + off, 3, 2);
	m[off] = 1;                         /* I/O APIC, 12 bytes */
	m[off + 1] = 12;
	off += 12;
	off += x2apic(m + off, 1, 1);
	off += x2apic(m + off, 300, 1);
	header(PA_MADT, "APIC", off);
	put32(m + 36, 0xfee00000);
	seal(PA_MADT);

	header(PA_FACP, "FACP", 36);
	seal(PA_FACP);
	header(PA_RSDT, "RSDT", 44);
	put32(mem + PA_RSDT + 36, PA_FACP);
	put32(mem + PA_RSDT + 40, PA_MADT);
	seal(PA_RSDT);
	header(PA_XSDT, "XSDT", 52);
	put64(mem + PA_XSDT + 36, PA_FACP);
	put64(mem + PA_XSDT + 44, PA_MADT);
	seal(PA_XSDT);

	memset(rsdp, 0, 36);
	memcpy(rsdp, "RSD PTR ", 8);
	put32(rsdp + 16, PA_RSDT);
	put64(rsdp + 24, PA_XSDT);
	seal_rsdp(rsdp);
}

/* The RSDP's revision (2: the XSDT is used) and its ACPI 1.0 checksum. */
static void rsdp_revision(uint8_t *rsdp, uint8_t revision)
{
	rsdp[ACPI_RSDP_REVISION_OFFSET] = revision;
	seal_rsdp(rsdp);
}

/* madt_find_cpus over the fake memory from rsdp. */
static bool find_cpus(const uint8_t *rsdp, struct madt_cpus *c, char *err,
		      size_t n)
{
	struct acpi_source src = { rsdp, fake_map, NULL };

	return madt_find_cpus(&src, c, err, n);
}

/* The online-capable CPU 3 is listed too: a guest could start it. */
static void check_cpus(const struct madt_cpus *c)
{
	CHECK_EQ(c->count, 4);
	CHECK_EQ(c->apic_id[0], 0);
	CHECK_EQ(c->apic_id[1], 1);
	CHECK_EQ(c->apic_id[2], 3);
	CHECK_EQ(c->apic_id[3], 300);
	CHECK_EQ(c->online_capable, 1);
	CHECK_EQ(c->disabled, 1);
	CHECK_EQ(c->dropped, 0);
	CHECK_EQ(c->lapic_address, 0xfee00000);
}

TEST(madt_rsdt)
{
	uint8_t rsdp[36];
	struct madt_cpus c;
	char err[MADT_ERROR_MAX];

	build_tables(rsdp);
	CHECK(find_cpus(rsdp, &c, err, sizeof(err)));
	check_cpus(&c);
}

TEST(madt_xsdt)
{
	uint8_t rsdp[36];
	struct madt_cpus c;
	char err[MADT_ERROR_MAX];

	build_tables(rsdp);
	put32(rsdp + 16, 0);                /* only the XSDT can be right */
	rsdp_revision(rsdp, 2);
	CHECK(find_cpus(rsdp, &c, err, sizeof(err)));
	check_cpus(&c);
}

TEST(madt_bad_checksum)
{
	uint8_t rsdp[36];
	struct madt_cpus c;
	char err[MADT_ERROR_MAX];

	build_tables(rsdp);
	mem[PA_MADT + 50]++;
	CHECK(!find_cpus(rsdp, &c, err, sizeof(err)));
	CHECK_STR(err, "APIC at 0x2000: bad checksum");
}

TEST(madt_bad_entry_length)
{
	uint8_t rsdp[36];
	struct madt_cpus c;
	char err[MADT_ERROR_MAX];

	build_tables(rsdp);
	mem[PA_MADT + 44 + 1] = 0;          /* first entry: length 0 */
	seal(PA_MADT);
	CHECK(!find_cpus(rsdp, &c, err, sizeof(err)));
	CHECK_STR(err, "MADT entry at offset 44 has bad length 0");
}

TEST(madt_missing)
{
	uint8_t rsdp[36];
	struct madt_cpus c;
	char err[MADT_ERROR_MAX];

	build_tables(rsdp);
	put32(mem + PA_RSDT + 40, PA_FACP);
	seal(PA_RSDT);
	CHECK(!find_cpus(rsdp, &c, err, sizeof(err)));
	CHECK_STR(err, "no APIC table in the RSDT");
	put32(rsdp + 16, 0x7fff0000);       /* unmapped */
	seal_rsdp(rsdp);
	CHECK(!find_cpus(rsdp, &c, err, sizeof(err)));
	CHECK_STR(err, "RSDT at 0x7fff0000 is not mapped");
}

/* More CPUs than the list holds: the rest are counted as dropped, so the
 * hypervisor can refuse to run a guest that could start them. */
TEST(madt_more_cpus_than_listed)
{
	uint8_t rsdp[36];
	struct madt_cpus c;
	char err[MADT_ERROR_MAX];
	uint8_t *m = mem + PA_BIG_MADT;
	uint32_t off = 44;

	build_tables(rsdp);
	for (uint32_t id = 0; id < MADT_CPUS_MAX + 44; id++)
		off += x2apic(m + off, id, 1);
	header(PA_BIG_MADT, "APIC", off);
	put32(m + 36, 0xfee00000);
	seal(PA_BIG_MADT);
	put32(mem + PA_RSDT + 40, PA_BIG_MADT);
	seal(PA_RSDT);
	CHECK(find_cpus(rsdp, &c, err, sizeof(err)));
	CHECK_EQ(c.count, MADT_CPUS_MAX);
	CHECK_EQ(c.dropped, 44);
	CHECK_EQ(c.apic_id[MADT_CPUS_MAX - 1], MADT_CPUS_MAX - 1);
}
