/*
 * The hypervisor's own ACPI tables (guest/acpi/synth.c), read back with the
 * same walk the hypervisor uses on firmware tables (arch/x86/acpi.c).
 */
#include "guest/acpi/synth.h"
#include "test.h"

#define DEST_GPA  0x7f00000ull

static uint8_t dest[2 * ACPI_SYNTH_SIZE_MAX];

static const void *dest_map(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	if (pa < DEST_GPA || pa + len > DEST_GPA + sizeof(dest))
		return NULL;
	return dest + (pa - DEST_GPA);
}

/* Bochs i440fx/PIIX4 under OVMF: PMBA 0xb000, two CPUs (I/O APIC ID 2). */
static struct acpi_synth_platform bochs_platform(void)
{
	return (struct acpi_synth_platform){
		.lapic_id = 0, .lapic_address = 0xfee00000,
		.has_ioapic = true, .ioapic_id = 2, .ioapic_address = 0xfec00000,
		.has_pm = true, .pm1a_evt = 0xb000, .pm1a_cnt = 0xb004,
		.pm_tmr = 0xb008, .sci_irq = 9, .s5_slp_typ = 0, .century = 0x32,
	};
}

static bool build(const struct acpi_synth_platform *p,
		  struct acpi_synth_result *res)
{
	char err[160] = "";

	memset(dest, 0xa5, sizeof(dest));
	return acpi_synth_build(p, DEST_GPA, dest, sizeof(dest), res, err,
				sizeof(err));
}

static const uint8_t *table(const char *sig, uint32_t *len)
{
	struct acpi_source src = { dest, dest_map, NULL };
	char err[ACPI_ERROR_MAX];

	return acpi_find_sdt(&src, sig, NULL, len, err, sizeof(err));
}

/* The first MADT entry of `type` (NULL when none); *count how many. */
static const uint8_t *madt_entry(const uint8_t *m, uint32_t len, uint8_t type,
				 uint32_t *count)
{
	const uint8_t *first = NULL;

	*count = 0;
	for (uint32_t off = sizeof(struct acpi_madt); off + 2 <= len; off += m[off + 1]) {
		if (m[off + 1] < 2)
			return NULL;
		if (m[off] != type)
			continue;
		if (!first)
			first = m + off;
		(*count)++;
	}
	return first;
}

TEST(acpi_synth_root_tables_check)
{
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	const struct acpi_rsdp *r = (const struct acpi_rsdp *)dest;
	const uint8_t *xsdt;
	uint32_t len;

	CHECK(build(&p, &res));
	CHECK_EQ(res.rsdp, DEST_GPA);
	CHECK(res.has_fadt);
	CHECK(res.size > 0 && res.size <= ACPI_SYNTH_SIZE_MAX);
	CHECK(!memcmp(r->signature, "RSD PTR ", 8));
	CHECK_EQ(r->revision, 2);
	CHECK_EQ(r->length, 36);
	CHECK_EQ(acpi_checksum(r, 20), 0);
	CHECK_EQ(acpi_checksum(r, 36), 0);
	xsdt = dest_map(r->xsdt_address, 36, NULL);
	CHECK(xsdt && !memcmp(xsdt, "XSDT", 4));
	len = ((const struct acpi_sdt_header *)xsdt)->length;
	CHECK_EQ(len, 36 + 2 * 8);                      /* MADT, FADT */
	CHECK_EQ(acpi_checksum(xsdt, len), 0);
	CHECK((r->xsdt_address & 15) == 0);
}

TEST(acpi_synth_madt_one_cpu_ioapic_overrides)
{
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	const struct acpi_madt *m;
	const uint8_t *e;
	uint32_t len, count;
	uint16_t flags;
	uint32_t gsi, addr;

	p.lapic_id = 3;
	CHECK(build(&p, &res));
	m = (const struct acpi_madt *)table("APIC", &len);
	CHECK(m != NULL);
	CHECK_EQ(acpi_checksum(m, len), 0);
	CHECK_EQ(m->local_apic_address, 0xfee00000);
	CHECK_EQ(m->flags, MADT_FLAG_PCAT_COMPAT);
	e = madt_entry((const uint8_t *)m, len, MADT_TYPE_LOCAL_APIC, &count);
	CHECK(e && count == 1);
	CHECK_EQ(e[3], 3);                              /* APIC ID */
	CHECK_EQ(e[4] & MADT_LAPIC_ENABLED, MADT_LAPIC_ENABLED);
	e = madt_entry((const uint8_t *)m, len, MADT_TYPE_IO_APIC, &count);
	CHECK(e && count == 1);
	memcpy(&addr, e + 4, 4);
	memcpy(&gsi, e + 8, 4);
	CHECK_EQ(e[2], 2);
	CHECK_EQ(addr, 0xfec00000);
	CHECK_EQ(gsi, 0);
	e = madt_entry((const uint8_t *)m, len, MADT_TYPE_INT_OVERRIDE, &count);
	CHECK(e && count == 2);
	memcpy(&gsi, e + 4, 4);
	memcpy(&flags, e + 8, 2);
	CHECK_EQ(e[2], 0);                              /* ISA */
	CHECK_EQ(e[3], 0);                              /* IRQ0 -> GSI 2 */
	CHECK_EQ(gsi, 2);
	CHECK_EQ(flags, 0);
	e += MADT_INT_OVERRIDE_LEN;                     /* the SCI */
	memcpy(&gsi, e + 4, 4);
	memcpy(&flags, e + 8, 2);
	CHECK_EQ(e[3], 9);
	CHECK_EQ(gsi, 9);
	CHECK_EQ(flags, 0xd);                           /* level, active high */
	e = madt_entry((const uint8_t *)m, len, MADT_TYPE_LOCAL_APIC_NMI, &count);
	CHECK(e && count == 1);
	CHECK_EQ(e[2], 0xff);
	CHECK_EQ(e[5], 1);                              /* LINT1 */
}

TEST(acpi_synth_madt_passes_the_one_cpu_filter)
{
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	struct acpi_guest_result gres = { 0 };
	static uint8_t out[ACPI_SYNTH_SIZE_MAX];
	const uint8_t *m;
	uint32_t len;
	char err[160] = "";

	CHECK(build(&p, &res));
	m = table("APIC", &len);
	CHECK(m != NULL);
	CHECK_EQ(acpi_madt_one_cpu(m, len, 0, out, sizeof(out), &gres, err,
				   sizeof(err)), len);
	CHECK_EQ(gres.cpus_total, 1);
	CHECK_EQ(gres.cpus_removed, 0);
}

TEST(acpi_synth_large_apic_id_is_x2apic)
{
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	struct madt_local_x2apic x2;
	const uint8_t *m, *e;
	uint32_t len, count;

	p.lapic_id = 300;
	CHECK(build(&p, &res));
	m = table("APIC", &len);
	CHECK(m != NULL);
	CHECK_EQ(acpi_checksum(m, len), 0);
	CHECK(madt_entry(m, len, MADT_TYPE_LOCAL_APIC, &count) == NULL);
	e = madt_entry(m, len, MADT_TYPE_LOCAL_X2APIC, &count);
	CHECK(e && count == 1);
	memcpy(&x2, e, sizeof(x2));
	CHECK_EQ(x2.length, 16);
	CHECK_EQ(x2.x2apic_id, 300);
	CHECK_EQ(x2.flags, MADT_LAPIC_ENABLED);
}

TEST(acpi_synth_fadt_power_facts)
{
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	struct acpi_source src = { dest, dest_map, NULL };
	struct acpi_power pw;
	const struct acpi_fadt *f;
	const struct acpi_facs *facs;
	const uint8_t *dsdt;
	uint32_t len;
	char err[160] = "";

	CHECK(build(&p, &res));
	f = (const struct acpi_fadt *)table("FACP", &len);
	CHECK(f != NULL);
	CHECK_EQ(len, 244);
	CHECK_EQ(f->header.revision, 3);
	CHECK_EQ(acpi_checksum(f, len), 0);
	CHECK_EQ(f->sci_int, 9);
	CHECK_EQ(f->smi_cmd, 0);
	CHECK_EQ(f->pm1a_evt_blk, 0xb000);
	CHECK_EQ(f->pm1_evt_len, 4);
	CHECK_EQ(f->pm_tmr_blk, 0xb008);
	CHECK_EQ(f->pm_tmr_len, 4);
	CHECK_EQ(f->x_pm_tmr_blk.space_id, ACPI_GAS_SYSTEM_IO);
	CHECK_EQ(f->x_pm_tmr_blk.bit_width, 32);
	CHECK_EQ(f->x_pm_tmr_blk.address, 0xb008);
	CHECK_EQ(f->x_pm1a_evt_blk.bit_width, 32);
	CHECK_EQ(f->x_pm1a_cnt_blk.bit_width, 16);
	CHECK_EQ(f->gpe0_blk, 0);
	CHECK_EQ(f->x_dsdt, f->dsdt);
	CHECK_EQ(f->x_firmware_ctrl, 0);                /* FIRMWARE_CTRL is set */
	CHECK_EQ(f->iapc_boot_arch, FADT_BOOT_LEGACY_DEVICES | FADT_BOOT_8042);
	/* FACS: 64 bytes, 64-byte aligned, no checksum. */
	CHECK_EQ(f->firmware_ctrl % ACPI_FACS_ALIGN, 0);
	facs = dest_map(f->firmware_ctrl, ACPI_FACS_SIZE, NULL);
	CHECK(facs && !memcmp(facs->signature, "FACS", 4));
	CHECK_EQ(facs->length, 64);
	dsdt = dest_map(f->dsdt, 36, NULL);
	CHECK(dsdt && !memcmp(dsdt, "DSDT", 4));
	CHECK_EQ(acpi_checksum(dsdt, ((const struct acpi_sdt_header *)dsdt)->length), 0);
	/* What hv/view/power.c reads, through the same parser. */
	CHECK(acpi_power_info(&src, &pw, err, sizeof(err)));
	CHECK_EQ(pw.pm1a_cnt, 0xb004);
	CHECK_EQ(pw.pm1b_cnt, 0);
	CHECK_EQ(pw.pm1_cnt_len, 2);
	CHECK(pw.has_s5);
	CHECK_EQ(pw.s5_slp_typ_a, 0);
	CHECK_EQ(pw.s5_slp_typ_b, 0);
	CHECK(!pw.has_reset_reg);
}

TEST(acpi_synth_dsdt_s5_exact_aml)
{
	static const uint8_t want[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12,
					0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	struct acpi_source src = { dest, dest_map, NULL };
	struct acpi_power pw;
	const struct acpi_fadt *f;
	const uint8_t *dsdt;
	uint32_t len;
	char err[160] = "";

	CHECK(build(&p, &res));
	f = (const struct acpi_fadt *)table("FACP", &len);
	CHECK(f != NULL);
	dsdt = dest_map(f->dsdt, 36 + sizeof(want), NULL);
	CHECK(dsdt != NULL);
	CHECK_EQ(((const struct acpi_sdt_header *)dsdt)->length, 36 + sizeof(want));
	CHECK_EQ(((const struct acpi_sdt_header *)dsdt)->revision, 2);
	CHECK(!memcmp(dsdt + 36, want, sizeof(want)));
	/* A non-zero type is a BytePrefix constant. */
	p.s5_slp_typ = 5;
	CHECK(build(&p, &res));
	CHECK(acpi_power_info(&src, &pw, err, sizeof(err)));
	CHECK(pw.has_s5);
	CHECK_EQ(pw.s5_slp_typ_a, 5);
	CHECK_EQ(pw.s5_slp_typ_b, 5);
}

TEST(acpi_synth_without_pm_has_no_fadt)
{
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	struct acpi_source src = { dest, dest_map, NULL };
	struct acpi_power pw;
	const uint8_t *m;
	uint32_t len, count;
	char err[160] = "";

	p.has_pm = false;
	CHECK(build(&p, &res));
	CHECK(!res.has_fadt);
	CHECK(table("FACP", &len) == NULL);
	CHECK(!acpi_power_info(&src, &pw, err, sizeof(err)));
	m = table("APIC", &len);
	CHECK(m != NULL);
	CHECK(madt_entry(m, len, MADT_TYPE_INT_OVERRIDE, &count) != NULL);
	CHECK_EQ(count, 1);                             /* IRQ0 only, no SCI */
	m = dest_map(((const struct acpi_rsdp *)dest)->xsdt_address, 36, NULL);
	CHECK(m != NULL);
	CHECK_EQ(((const struct acpi_sdt_header *)m)->length, 36 + 8);
	CHECK_EQ(acpi_checksum(m, 36 + 8), 0);
}

TEST(acpi_synth_without_ioapic)
{
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	const uint8_t *m;
	uint32_t len, count;

	p.has_ioapic = false;
	CHECK(build(&p, &res));
	m = table("APIC", &len);
	CHECK(m != NULL);
	CHECK_EQ(acpi_checksum(m, len), 0);
	CHECK(madt_entry(m, len, MADT_TYPE_IO_APIC, &count) == NULL);
	CHECK(madt_entry(m, len, MADT_TYPE_INT_OVERRIDE, &count) == NULL);
	CHECK(madt_entry(m, len, MADT_TYPE_LOCAL_APIC, &count) != NULL);
}

TEST(acpi_synth_refuses_small_or_high_memory)
{
	struct acpi_synth_platform p = bochs_platform();
	struct acpi_synth_result res;
	char err[160] = "";

	CHECK(!acpi_synth_build(&p, DEST_GPA, dest, ACPI_SYNTH_SIZE_MAX - 1,
				&res, err, sizeof(err)));
	CHECK(strstr(err, "no room") != NULL);
	CHECK(!acpi_synth_build(&p, 0xffffff00ull, dest, sizeof(dest), &res,
				err, sizeof(err)));
}
