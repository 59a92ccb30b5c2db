/*
 * The hypervisor's own ACPI tables for a guest (see guest/acpi/synth.h).
 * Pure.
 */
#include "guest/acpi/synth.h"
#include "lib/bits.h"
#include "lib/format.h"
#include "lib/str.h"

#define XSDT_ENTRIES_MAX        2           /* MADT, FADT */
#define SDT_REVISION_1          1
#define DSDT_REVISION_2         2           /* 64-bit AML integers */
#define OEM_ID                  "VTXMHV"
#define OEM_TABLE_ID            "MICROHV "
#define OEM_REVISION            1
#define CREATOR_ID              "VTXH"
#define CREATOR_REVISION        1

/* PM register widths (4.8.3): PM1 event 4 bytes (status + enable), PM1
 * control 2, PM timer 4 (24 bits used). */
#define PM1_EVT_LEN             4
#define PM1_CNT_LEN             2
#define PM_TMR_LEN              4
#define GAS_ACCESS_UNDEFINED    0           /* legacy reasons: any width */

/* AML (20.2): Name(\_S5_, Package(){typ_a, typ_b, 0, 0}) */
#define S5_PACKAGE_ELEMENTS     4
#define S5_AML_MAX              24

struct madt_io_apic {
	uint8_t type, length;
	uint8_t io_apic_id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_io_apic) == MADT_IO_APIC_LEN, "madt_io_apic");

struct madt_int_override {
	uint8_t type, length;
	uint8_t bus;
	uint8_t source;             /* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;             /* MPS INTI flags */
} __attribute__((packed));
_Static_assert(sizeof(struct madt_int_override) == MADT_INT_OVERRIDE_LEN,
	       "madt_int_override");

struct madt_local_apic_nmi {
	uint8_t type, length;
	uint8_t processor_uid;
	uint16_t flags;
	uint8_t lint;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_local_apic_nmi) == MADT_LOCAL_APIC_NMI_LEN,
	       "madt_local_apic_nmi");

/* The PC wiring every ISA-compatible chipset has: the 8254 timer (ISA
 * IRQ 0) on I/O APIC pin 2; the LINT1 pin of each local APIC is NMI. */
#define PC_TIMER_IRQ            0
#define PC_TIMER_GSI            2
#define PC_NMI_LINT             1
#define IO_APIC_GSI_BASE        0

/* v rounded up to a multiple of a, which must be a power of two. */
static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Set h's checksum so the h->length bytes of the table sum to 0; call it
 * last, once the table is complete. */
static void fix_checksum(struct acpi_sdt_header *h)
{
	h->checksum = 0;
	h->checksum = (uint8_t)-acpi_checksum(h, h->length);
}

/* The common header of a table at h, with this hypervisor's OEM and creator
 * IDs; the checksum is left to fix_checksum once the body is written. */
static void write_header(struct acpi_sdt_header *h, const char *sig,
			 uint32_t len, uint8_t revision)
{
	memcpy(h->signature, sig, ACPI_SIG_LEN);
	h->length = len;
	h->revision = revision;
	memcpy(h->oem_id, OEM_ID, sizeof(h->oem_id));
	memcpy(h->oem_table_id, OEM_TABLE_ID, sizeof(h->oem_table_id));
	h->oem_revision = OEM_REVISION;
	memcpy(&h->creator_id, CREATOR_ID, sizeof(h->creator_id));
	h->creator_revision = CREATOR_REVISION;
}

/* ---- MADT ------------------------------------------------------------------ */
/* The boot CPU's processor entry at at: a Local APIC entry when its ID fits
 * one (MADT_XAPIC_ID_MAX), else a Local x2APIC entry; processor UID 0.
 * Returns the entry's length. */
static uint32_t put_processor(const struct acpi_synth_platform *p, uint8_t *at)
{
	if (p->lapic_id <= MADT_XAPIC_ID_MAX) {
		struct madt_local_apic e = {
			.type = MADT_TYPE_LOCAL_APIC, .length = sizeof(e),
			.processor_uid = 0, .apic_id = (uint8_t)p->lapic_id,
			.flags = MADT_LAPIC_ENABLED,
		};
		memcpy(at, &e, sizeof(e));
		return sizeof(e);
	}
	struct madt_local_x2apic x = {
		.type = MADT_TYPE_LOCAL_X2APIC, .length = sizeof(x),
		.x2apic_id = p->lapic_id, .flags = MADT_LAPIC_ENABLED,
		.processor_uid = 0,
	};
	memcpy(at, &x, sizeof(x));
	return sizeof(x);
}

/* An Interrupt Source Override entry at at, routing ISA IRQ irq to gsi
 * with the MPS INTI flags; returns the entry's length. */
static uint32_t put_override(uint8_t irq, uint32_t gsi, uint16_t flags,
			     uint8_t *at)
{
	struct madt_int_override e = {
		.type = MADT_TYPE_INT_OVERRIDE, .length = sizeof(e),
		.bus = MADT_ISA_BUS, .source = irq, .gsi = gsi, .flags = flags,
	};

	memcpy(at, &e, sizeof(e));
	return sizeof(e);
}

/* The I/O APIC and the overrides that only mean something with it. */
static uint32_t put_io_apic(const struct acpi_synth_platform *p, uint8_t *at)
{
	struct madt_io_apic e = {
		.type = MADT_TYPE_IO_APIC, .length = sizeof(e),
		.io_apic_id = p->ioapic_id, .address = p->ioapic_address,
		.gsi_base = IO_APIC_GSI_BASE,
	};
	uint32_t used = sizeof(e);

	memcpy(at, &e, sizeof(e));
	used += put_override(PC_TIMER_IRQ, PC_TIMER_GSI, MPS_INTI_CONFORMS,
			     at + used);
	if (p->has_pm)
		used += put_override((uint8_t)p->sci_irq, p->sci_irq,
				     MPS_INTI_ACTIVE_HIGH | MPS_INTI_LEVEL,
				     at + used);
	return used;
}

/* A Local APIC NMI entry at at: LINT1 of every processor is NMI, as on
 * every PC; returns the entry's length. */
static uint32_t put_lint_nmi(uint8_t *at)
{
	struct madt_local_apic_nmi e = {
		.type = MADT_TYPE_LOCAL_APIC_NMI, .length = sizeof(e),
		.processor_uid = MADT_ALL_PROCESSORS, .flags = MPS_INTI_CONFORMS,
		.lint = PC_NMI_LINT,
	};

	memcpy(at, &e, sizeof(e));
	return sizeof(e);
}

/* The MADT at at (zeroed): the boot CPU, the I/O APIC and its overrides
 * when there is one, the LINT1 NMI; PCAT_COMPAT as a PC also has its 8259
 * pair.  Returns the table's length. */
static uint32_t write_madt(const struct acpi_synth_platform *p, uint8_t *at)
{
	struct acpi_madt *m = (struct acpi_madt *)at;
	uint32_t len = sizeof(*m);

	m->local_apic_address = p->lapic_address;
	m->flags = MADT_FLAG_PCAT_COMPAT;
	len += put_processor(p, at + len);
	if (p->has_ioapic)
		len += put_io_apic(p, at + len);
	len += put_lint_nmi(at + len);
	write_header(&m->header, ACPI_SIG_MADT, len, SDT_REVISION_1);
	fix_checksum(&m->header);
	return len;
}

/* ---- FADT, FACS, DSDT ----------------------------------------------------------- */
/* A Generic Address Structure for len bytes of I/O ports at port, the
 * access size left undefined as for the legacy blocks. */
static struct acpi_gas io_gas(uint16_t port, uint8_t len)
{
	return (struct acpi_gas){
		.space_id = ACPI_GAS_SYSTEM_IO, .bit_width = len * BITS_PER_BYTE,
		.bit_offset = 0, .access_size = GAS_ACCESS_UNDEFINED,
		.address = port,
	};
}

/* The PM blocks, in the ACPI 1.0 fields and the same in the X_ fields
 * (an OS warns when the two disagree).  No GPE block: a chipset's GPE
 * registers differ (Bochs implements none of PIIX4's), and an OS does
 * without one. */
static void fadt_pm_blocks(const struct acpi_synth_platform *p,
			   struct acpi_fadt *f)
{
	f->pm1a_evt_blk = p->pm1a_evt;
	f->pm1a_cnt_blk = p->pm1a_cnt;
	f->pm_tmr_blk = p->pm_tmr;
	f->pm1_evt_len = PM1_EVT_LEN;
	f->pm1_cnt_len = PM1_CNT_LEN;
	f->pm_tmr_len = PM_TMR_LEN;
	f->x_pm1a_evt_blk = io_gas(p->pm1a_evt, PM1_EVT_LEN);
	f->x_pm1a_cnt_blk = io_gas(p->pm1a_cnt, PM1_CNT_LEN);
	f->x_pm_tmr_blk = io_gas(p->pm_tmr, PM_TMR_LEN);
}

/* SMI_CMD 0 says the platform is in ACPI mode already, with no SMM
 * handshake to switch it (5.2.9); the caller makes that true (SCI_EN). */
static void write_fadt(const struct acpi_synth_platform *p, uint64_t facs,
		       uint64_t dsdt, uint8_t *at)
{
	struct acpi_fadt *f = (struct acpi_fadt *)at;

	/* X_FIRMWARE_CTRL stays 0: it must be when FIRMWARE_CTRL is set
	 * (an OS would install the FACS twice). */
	f->firmware_ctrl = (uint32_t)facs;
	f->dsdt = (uint32_t)dsdt;
	f->x_dsdt = dsdt;
	f->sci_int = p->sci_irq;
	f->smi_cmd = 0;
	fadt_pm_blocks(p, f);
	f->p_lvl2_lat = FADT_C2_UNSUPPORTED_LAT;
	f->p_lvl3_lat = FADT_C3_UNSUPPORTED_LAT;
	f->century = p->century;
	f->iapc_boot_arch = FADT_BOOT_LEGACY_DEVICES | FADT_BOOT_8042;
	f->flags = FADT_FLAG_WBINVD | FADT_FLAG_PROC_C1 | FADT_FLAG_PWR_BUTTON |
		   FADT_FLAG_SLP_BUTTON;
	write_header(&f->header, ACPI_SIG_FADT, sizeof(*f), ACPI_FADT_REVISION_3);
	fix_checksum(&f->header);
}

/* The FACS the FADT points to, at at (zeroed; 64-byte aligned as the spec
 * requires when dest is): signature, length and version only, so no waking
 * vector and no global lock. */
static void write_facs(uint8_t *at)
{
	struct acpi_facs *f = (struct acpi_facs *)at;

	memcpy(f->signature, ACPI_SIG_FACS, sizeof(f->signature));
	f->length = sizeof(*f);
	f->version = ACPI_FACS_VERSION_1;
}

/* One AML integer: Zero for 0, else a BytePrefix constant. */
static uint32_t aml_byte(uint8_t v, uint8_t *at)
{
	if (!v) {
		at[0] = AML_ZERO_OP;
		return 1;
	}
	at[0] = AML_BYTE_PREFIX;
	at[1] = v;
	return 2;
}

/* Name(\_S5_, Package(){typ, typ, 0, 0}): PM1a and PM1b get the same
 * type; the last two are reserved. */
static uint32_t aml_s5(uint8_t typ, uint8_t *at)
{
	uint8_t pkg[S5_AML_MAX];
	uint32_t n = 0, len = 0;

	pkg[n++] = S5_PACKAGE_ELEMENTS;
	n += aml_byte(typ, pkg + n);
	n += aml_byte(typ, pkg + n);
	n += aml_byte(0, pkg + n);
	n += aml_byte(0, pkg + n);
	at[len++] = AML_NAME_OP;
	at[len++] = AML_ROOT_CHAR;
	memcpy(at + len, "_S5_", ACPI_SIG_LEN);
	len += ACPI_SIG_LEN;
	at[len++] = AML_PACKAGE_OP;
	at[len++] = (uint8_t)(n + 1);   /* one-byte PkgLength counts itself */
	memcpy(at + len, pkg, n);
	return len + n;
}

/* The DSDT at at (zeroed): no devices, only the \_S5 object an OS reads to
 * power off.  Returns the table's length. */
static uint32_t write_dsdt(const struct acpi_synth_platform *p, uint8_t *at)
{
	struct acpi_sdt_header *h = (struct acpi_sdt_header *)at;
	uint32_t len = sizeof(*h) + aml_s5(p->s5_slp_typ, at + sizeof(*h));

	write_header(h, ACPI_SIG_DSDT, len, DSDT_REVISION_2);
	fix_checksum(h);
	return len;
}

/* ---- Root ------------------------------------------------------------------ */
/* The XSDT at at listing the count (at most XSDT_ENTRIES_MAX) table
 * addresses in entries. */
static void write_xsdt(const uint64_t *entries, uint32_t count, uint8_t *at)
{
	struct acpi_sdt_header *h = (struct acpi_sdt_header *)at;
	uint32_t len = sizeof(*h) + count * ACPI_XSDT_ENTRY_SIZE;

	memcpy(at + sizeof(*h), entries, (size_t)count * ACPI_XSDT_ENTRY_SIZE);
	write_header(h, ACPI_SIG_XSDT, len, SDT_REVISION_1);
	fix_checksum(h);
}

/* Revision 2 with only the XSDT (RsdtAddress 0): every OS this serves
 * reads the XSDT of a revision-2 RSDP. */
static void write_rsdp(uint64_t xsdt, uint8_t *at)
{
	struct acpi_rsdp *r = (struct acpi_rsdp *)at;

	memcpy(r->signature, ACPI_RSDP_SIGNATURE, sizeof(r->signature));
	memcpy(r->oem_id, OEM_ID, sizeof(r->oem_id));
	r->revision = ACPI_RSDP_REVISION_2;
	r->length = ACPI_RSDP_V2_SIZE;
	r->xsdt_address = xsdt;
	r->checksum = (uint8_t)-acpi_checksum(r, ACPI_RSDP_V1_SIZE);
	r->extended_checksum = (uint8_t)-acpi_checksum(r, ACPI_RSDP_V2_SIZE);
}

/* Offsets from dest: RSDP, FACS (64-byte aligned), XSDT, MADT, FADT, DSDT. */
struct synth_layout {
	uint64_t facs, xsdt, madt, fadt, dsdt;
};

/* The fixed part of the layout: the RSDP at 0, the FACS on the next 64-byte
 * boundary, the XSDT with room for XSDT_ENTRIES_MAX, then the MADT; the
 * FADT and DSDT follow once the MADT's length is known. */
static struct synth_layout plan(void)
{
	struct synth_layout l;

	l.facs = align_up(sizeof(struct acpi_rsdp), ACPI_FACS_ALIGN);
	l.xsdt = l.facs + ACPI_FACS_SIZE;
	l.madt = l.xsdt + align_up(sizeof(struct acpi_sdt_header) +
				   XSDT_ENTRIES_MAX * ACPI_XSDT_ENTRY_SIZE,
				   ACPI_TABLE_ALIGN);
	return l;
}

/* Write the tables at dest (see synth.h), refusing before any write when
 * dest is too small or reaches above 4 GiB.  The area is zeroed first, so
 * every table leaves the fields it does not set 0.  FACS, FADT and DSDT
 * only when p has a PM block. */
bool acpi_synth_build(const struct acpi_synth_platform *p, uint64_t dest_gpa,
		      void *dest, size_t dest_size,
		      struct acpi_synth_result *res, char *err, size_t n)
{
	uint8_t *d = dest;
	struct synth_layout l = plan();
	uint64_t xsdt_entries[XSDT_ENTRIES_MAX];
	uint32_t count = 0;

	memset(res, 0, sizeof(*res));
	if (dest_size < ACPI_SYNTH_SIZE_MAX ||
	    dest_gpa + ACPI_SYNTH_SIZE_MAX > SIZE_4G) {
		format(err, n, "no room for the guest's ACPI tables (%zu bytes "
		       "at %#llx, want %u below 4 GiB)", dest_size,
		       (unsigned long long)dest_gpa, ACPI_SYNTH_SIZE_MAX);
		return false;
	}
	memset(d, 0, ACPI_SYNTH_SIZE_MAX);
	l.fadt = l.madt + align_up(write_madt(p, d + l.madt), ACPI_TABLE_ALIGN);
	xsdt_entries[count++] = dest_gpa + l.madt;
	l.dsdt = l.fadt;
	if (p->has_pm) {
		l.dsdt = l.fadt + align_up(sizeof(struct acpi_fadt), ACPI_TABLE_ALIGN);
		write_facs(d + l.facs);
		write_fadt(p, dest_gpa + l.facs, dest_gpa + l.dsdt, d + l.fadt);
		xsdt_entries[count++] = dest_gpa + l.fadt;
		res->size = l.dsdt + write_dsdt(p, d + l.dsdt);
		res->has_fadt = true;
	} else {
		res->size = l.fadt;
	}
	write_xsdt(xsdt_entries, count, d + l.xsdt);
	write_rsdp(dest_gpa + l.xsdt, d);
	res->rsdp = dest_gpa;
	return true;
}
