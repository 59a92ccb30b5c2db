/*
 * The guest's ACPI root tables and its one-CPU MADT, and the power facts
 * of the FADT/DSDT (see guest/acpi/tables.h).  Pure.
 */
#include "guest/acpi/tables.h"
#include "lib/bits.h"
#include "lib/format.h"
#include "lib/str.h"

#define RSDP_SLOT           64          /* the RSDP's space at dest */
#define ROOT_TABLE_REVISION 1
#define AML_S5_NAME         "_S5_"

/* Set h's checksum so the h->length bytes of the table sum to 0; call it
 * once the table is complete and its length final. */
static void fix_checksum(struct acpi_sdt_header *h)
{
	h->checksum = 0;
	h->checksum = (uint8_t)-acpi_checksum(h, h->length);
}

/* v rounded up to a multiple of a, which must be a power of two. */
static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* ---- The MADT ---------------------------------------------------------------- */
/* Whether MADT entry e (its type and length bytes readable) is a Local APIC
 * or Local x2APIC entry long enough to hold an APIC ID. */
static bool is_processor(const uint8_t *e)
{
	return (e[0] == MADT_TYPE_LOCAL_APIC && e[1] >= MADT_LOCAL_APIC_LEN) ||
	       (e[0] == MADT_TYPE_LOCAL_X2APIC && e[1] >= MADT_LOCAL_X2APIC_LEN);
}

/* The APIC ID of a processor entry e (is_processor(e)): 8 bits in a Local
 * APIC entry, 32 in a Local x2APIC entry, read with memcpy as the MADT
 * gives it no alignment. */
static uint32_t processor_apic_id(const uint8_t *e)
{
	struct madt_local_x2apic x2;

	if (e[0] == MADT_TYPE_LOCAL_APIC)
		return ((const struct madt_local_apic *)e)->apic_id;
	memcpy(&x2, e, sizeof(x2));
	return x2.x2apic_id;
}

/* Copy the MADT dropping every processor entry but the first with
 * bsp_apic_id (see tables.h); other entries are kept as they are.  out
 * needs room for all len bytes.  res's counts are added to: the caller
 * zeroes them. */
uint32_t acpi_madt_one_cpu(const uint8_t *madt, uint32_t len,
			   uint32_t bsp_apic_id, uint8_t *out,
			   uint32_t out_size, struct acpi_guest_result *res,
			   char *err, size_t n)
{
	uint32_t off = sizeof(struct acpi_madt), used = off;
	bool kept = false;

	if (len < off || len > out_size || memcmp(madt, ACPI_SIG_MADT, ACPI_SIG_LEN)) {
		format(err, n, "the MADT is malformed (length %u)", len);
		return 0;
	}
	memcpy(out, madt, off);
	for (uint32_t elen; off < len; off += elen) {
		elen = len - off >= 2 ? madt[off + 1] : 0;
		if (elen < 2 || off + elen > len) {
			format(err, n, "MADT entry at offset %u has a bad length "
			       "(%u, table length %u)", off, elen, len);
			return 0;
		}
		if (is_processor(madt + off)) {
			res->cpus_total++;
			if (kept || processor_apic_id(madt + off) != bsp_apic_id) {
				res->cpus_removed++;
				continue;
			}
			kept = true;
		}
		memcpy(out + used, madt + off, elen);
		used += elen;
	}
	if (!kept) {
		format(err, n, "no processor entry in the MADT has the boot "
		       "CPU's APIC ID %u (%u processor entries)", bsp_apic_id,
		       res->cpus_total);
		return 0;
	}
	((struct acpi_sdt_header *)out)->length = used;
	fix_checksum((struct acpi_sdt_header *)out);
	return used;
}

/* ---- The guest's root tables --------------------------------------------------- */
struct layout {
	uint64_t xsdt, rsdt, madt, end;     /* offsets from dest */
};

/* Where each table goes at dest: the RSDP's slot, then XSDT, RSDT and MADT,
 * each 16-byte aligned; the root tables are sized for the firmware's entry
 * count and the MADT for the firmware's MADT, which the copy never exceeds. */
static struct layout plan(const struct acpi_root *rt, uint32_t madt_len)
{
	struct layout l;
	uint64_t hdr = sizeof(struct acpi_sdt_header);

	l.xsdt = RSDP_SLOT;
	l.rsdt = l.xsdt + align_up(hdr + (uint64_t)rt->entries * ACPI_XSDT_ENTRY_SIZE,
				   ACPI_TABLE_ALIGN);
	l.madt = l.rsdt + align_up(hdr + (uint64_t)rt->entries * ACPI_RSDT_ENTRY_SIZE,
				   ACPI_TABLE_ALIGN);
	l.end = l.madt + align_up(madt_len, ACPI_TABLE_ALIGN);
	return l;
}

/* The firmware MADT: its address, its length and its root-table index. */
static const uint8_t *find_madt(const struct acpi_source *src,
				const struct acpi_root *rt, int32_t *index,
				uint32_t *len, char *err, size_t n)
{
	const uint8_t *madt;

	*index = acpi_root_find(src, rt, ACPI_SIG_MADT);
	if (*index < 0) {
		format(err, n, "the firmware has no MADT (\"APIC\" table): "
		       "cannot limit the guest to one CPU");
		return NULL;
	}
	madt = acpi_sdt_map(src, acpi_root_entry(rt, (uint32_t)*index),
			    ACPI_SIG_MADT, len, err, n);
	return madt;
}

/* Bytes acpi_guest_build will need (see tables.h): the end of the plan, an
 * upper bound since the one-CPU MADT is no longer than the firmware's.  Opens
 * and reads the firmware tables exactly as acpi_guest_build does. */
uint64_t acpi_guest_size(const struct acpi_source *src, char *err, size_t n)
{
	struct acpi_root rt;
	int32_t index;
	uint32_t madt_len;

	if (!acpi_root_open(src, &rt, err, n) ||
	    !find_madt(src, &rt, &index, &madt_len, err, n))
		return 0;
	return plan(&rt, madt_len).end;
}

/* Whether root entry pa names a table the guest must not see: the DMAR
 * (the IOMMU is the hypervisor's; the guest sees a machine without one). */
static bool hidden_table(const struct acpi_source *src, uint64_t pa)
{
	const struct acpi_sdt_header *h = src->map(pa, sizeof(*h), src->ctx);

	return h && !memcmp(h->signature, ACPI_SIG_DMAR, ACPI_SIG_LEN);
}

/* A root table (XSDT or RSDT) at dest with the firmware's entries, the
 * MADT replaced by the copy and hidden tables left out.  False when an
 * RSDT entry would not fit. */
static bool write_root(const struct acpi_source *src, const struct acpi_root *rt,
		       const char *sig, uint32_t esize, int32_t madt_index,
		       uint64_t madt_gpa, uint8_t *dest)
{
	struct acpi_sdt_header *h = (struct acpi_sdt_header *)dest;
	uint8_t *p = dest + sizeof(*h);
	uint32_t n = 0;

	memcpy(h, rt->table, sizeof(*h));
	memcpy(h->signature, sig, ACPI_SIG_LEN);
	h->revision = ROOT_TABLE_REVISION;
	for (uint32_t i = 0; i < rt->entries; i++) {
		uint64_t pa = (int32_t)i == madt_index ? madt_gpa : acpi_root_entry(rt, i);

		if ((int32_t)i != madt_index && hidden_table(src, pa))
			continue;
		if (esize == ACPI_RSDT_ENTRY_SIZE && pa >= SIZE_4G)
			return false;
		memcpy(p + (size_t)n++ * esize, &pa, esize);
	}
	h->length = (uint32_t)(sizeof(*h) + (uint64_t)n * esize);
	fix_checksum(h);
	return true;
}

/* A new RSDP at dest pointing at the guest's XSDT and RSDT, with the
 * firmware's OEM ID and revision: an ACPI 1.0 firmware RSDP gets a 1.0 one
 * (RSDT only).  rsdt_gpa 0 when there is no RSDT. */
static void write_rsdp(const struct acpi_rsdp *fw, uint64_t xsdt_gpa,
		       uint64_t rsdt_gpa, uint8_t *dest)
{
	struct acpi_rsdp *r = (struct acpi_rsdp *)dest;
	bool v2 = fw->revision >= ACPI_RSDP_REVISION_2;

	memset(r, 0, sizeof(*r));
	memcpy(r->signature, ACPI_RSDP_SIGNATURE, sizeof(r->signature));
	memcpy(r->oem_id, fw->oem_id, sizeof(r->oem_id));
	r->revision = v2 ? fw->revision : 0;
	r->rsdt_address = (uint32_t)rsdt_gpa;
	r->checksum = (uint8_t)-acpi_checksum(r, ACPI_RSDP_V1_SIZE);
	if (!v2)
		return;
	r->length = ACPI_RSDP_V2_SIZE;
	r->xsdt_address = xsdt_gpa;
	r->extended_checksum = (uint8_t)-acpi_checksum(r, ACPI_RSDP_V2_SIZE);
}

/* Write the guest's tables at dest (see tables.h): the one-CPU MADT, XSDT
 * and RSDT with it in place of the firmware's MADT, then the RSDP.  When a
 * firmware table lies above 4 GiB the RSDT cannot list it; the RSDP then
 * points only at the XSDT. */
bool acpi_guest_build(const struct acpi_source *src, uint32_t bsp_apic_id,
		      uint64_t dest_gpa, void *dest, size_t dest_size,
		      struct acpi_guest_result *res, char *err, size_t n)
{
	const struct acpi_rsdp *fw = (const struct acpi_rsdp *)src->rsdp;
	uint8_t *d = dest;
	const uint8_t *madt;
	struct acpi_root rt;
	struct layout l;
	int32_t index;
	uint32_t madt_len;
	uint64_t rsdt_gpa;

	memset(res, 0, sizeof(*res));
	if (!acpi_root_open(src, &rt, err, n) ||
	    !(madt = find_madt(src, &rt, &index, &madt_len, err, n)))
		return false;
	l = plan(&rt, madt_len);
	if (l.end > dest_size || dest_gpa + l.end > SIZE_4G) {
		format(err, n, "no room for the guest's ACPI tables (%llu bytes "
		       "at %#llx)", (unsigned long long)l.end,
		       (unsigned long long)dest_gpa);
		return false;
	}
	memset(d, 0, l.end);
	if (!acpi_madt_one_cpu(madt, madt_len, bsp_apic_id, d + l.madt,
			       (uint32_t)(l.end - l.madt), res, err, n))
		return false;
	write_root(src, &rt, ACPI_SIG_XSDT, ACPI_XSDT_ENTRY_SIZE, index,
		   dest_gpa + l.madt, d + l.xsdt);
	rsdt_gpa = write_root(src, &rt, ACPI_SIG_RSDT, ACPI_RSDT_ENTRY_SIZE, index,
			      dest_gpa + l.madt, d + l.rsdt) ? dest_gpa + l.rsdt : 0;
	write_rsdp(fw, dest_gpa + l.xsdt, rsdt_gpa, d);
	res->rsdp = dest_gpa;
	res->size = l.end;
	return true;
}

/* ---- Power facts ------------------------------------------------------------- */
/* The 32-bit field at offset off of table t, unaligned; the caller has
 * checked that its bytes lie in the table. */
static uint32_t rd32(const uint8_t *t, uint32_t off)
{
	uint32_t v;

	memcpy(&v, t + off, sizeof(v));
	return v;
}

/* The 64-bit field at offset off of table t, unaligned; the caller has
 * checked that its bytes lie in the table. */
static uint64_t rd64(const uint8_t *t, uint32_t off)
{
	uint64_t v;

	memcpy(&v, t + off, sizeof(v));
	return v;
}

/* An I/O port from a Generic Address Structure, 0 when it is not one. */
static uint16_t gas_io_port(const uint8_t *fadt, uint32_t len, uint32_t off)
{
	if (len < off + ACPI_GAS_SIZE || fadt[off] != ACPI_GAS_SYSTEM_IO)
		return 0;
	return (uint16_t)rd64(fadt, off + ACPI_GAS_ADDRESS);
}

/* The 64-bit X_ block when present, else the ACPI 1.0 field. */
static uint16_t pm1_port(const uint8_t *fadt, uint32_t len, uint32_t x_off,
			 uint32_t off)
{
	uint16_t port = gas_io_port(fadt, len, x_off);

	return port ? port : (uint16_t)rd32(fadt, off);
}

/* The DSDT's physical address from a FADT of len bytes: X_DSDT when the
 * FADT is long enough to have it and it is set (it takes precedence), else
 * the 32-bit DSDT field. */
static uint64_t dsdt_address(const uint8_t *fadt, uint32_t len)
{
	uint64_t x = len >= FADT_X_DSDT + 8 ? rd64(fadt, FADT_X_DSDT) : 0;

	return x ? x : rd32(fadt, FADT_DSDT);
}

/* The reset register in whichever address space the FADT puts it (I/O,
 * PCI configuration or memory); a zero address means there is none. */
static void take_reset_reg(const uint8_t *fadt, uint32_t len,
			   struct acpi_power *out)
{
	uint8_t space;

	if (len <= FADT_RESET_VALUE ||
	    !(rd32(fadt, FADT_FLAGS) & FADT_FLAG_RESET_REG_SUP))
		return;
	space = fadt[FADT_RESET_REG];
	if (space != ACPI_GAS_SYSTEM_IO && space != ACPI_GAS_PCI_CONFIG &&
	    space != ACPI_GAS_SYSTEM_MEMORY)
		return;
	out->reset_space = space;
	out->reset_address = rd64(fadt, FADT_RESET_REG + ACPI_GAS_ADDRESS);
	out->reset_port = gas_io_port(fadt, len, FADT_RESET_REG);
	out->reset_value = fadt[FADT_RESET_VALUE];
	/* An I/O address must be a port (16 bits). */
	out->has_reset_reg = out->reset_address != 0 &&
			     (space != ACPI_GAS_SYSTEM_IO ||
			      out->reset_address == out->reset_port);
}

/* Power facts from the firmware FADT (see tables.h): the PM1 control ports
 * and width, the reset register and \_S5's sleep types from the DSDT.  A
 * FADT too short to reach PM1_CNT_LEN counts as unreadable.  Why a table
 * is unusable is dropped (why is scratch): the caller logs one line. */
bool acpi_power_info(const struct acpi_source *src, struct acpi_power *out,
		     char *err, size_t n)
{
	const uint8_t *fadt, *dsdt;
	uint32_t len, dsdt_len;
	char why[ACPI_ERROR_MAX];

	memset(out, 0, sizeof(*out));
	fadt = acpi_find_sdt(src, ACPI_SIG_FADT, NULL, &len, why, sizeof(why));
	if (!fadt || len <= FADT_PM1_CNT_LEN) {
		format(err, n, "no readable FADT");
		return false;
	}
	out->pm1a_cnt = pm1_port(fadt, len, FADT_X_PM1A_CNT_BLK, FADT_PM1A_CNT_BLK);
	out->pm1b_cnt = pm1_port(fadt, len, FADT_X_PM1B_CNT_BLK, FADT_PM1B_CNT_BLK);
	out->pm1_cnt_len = fadt[FADT_PM1_CNT_LEN];
	take_reset_reg(fadt, len, out);
	dsdt = acpi_sdt_map(src, dsdt_address(fadt, len), ACPI_SIG_DSDT,
			    &dsdt_len, why, sizeof(why));
	if (dsdt)
		out->has_s5 = acpi_aml_find_s5(dsdt, dsdt_len, &out->s5_slp_typ_a,
					       &out->s5_slp_typ_b);
	return true;
}

/* ---- \_S5 in AML ------------------------------------------------------------- */

/* One integer package element; returns its size in bytes, 0 if not one. */
static uint32_t aml_small_int(const uint8_t *p, uint32_t left, uint8_t *v)
{
	if (!left)
		return 0;
	switch (p[0]) {
	case AML_ZERO_OP:
	case AML_ONE_OP:
		*v = p[0];
		return 1;
	case AML_ONES_OP:
		*v = 0xff;
		return 1;
	case AML_BYTE_PREFIX:
		return left >= 2 ? (*v = p[1], 2) : 0;
	case AML_WORD_PREFIX:
		return left >= 3 ? (*v = p[1], 3) : 0;
	case AML_DWORD_PREFIX:
		return left >= 5 ? (*v = p[1], 5) : 0;
	default:
		return 0;
	}
}

/* Whether the name at aml[i] follows a NameOp, directly or with a root
 * prefix ('\'), so that a reference to _S5_ is not taken for its
 * definition. */
static bool is_name_op_before(const uint8_t *aml, uint32_t i)
{
	if (i >= 1 && aml[i - 1] == AML_NAME_OP)
		return true;
	return i >= 2 && aml[i - 1] == AML_ROOT_CHAR && aml[i - 2] == AML_NAME_OP;
}

/* Package(){a, b, ...} at p: PackageOp PkgLength NumElements elements. */
static bool aml_s5_package(const uint8_t *p, uint32_t left, uint8_t *a,
			   uint8_t *b)
{
	uint32_t off, used;

	if (left < 3 || p[0] != AML_PACKAGE_OP)
		return false;
	off = 2 + (p[1] >> AML_PKGLEN_BYTES_SHIFT);     /* op + PkgLength */
	if (off + 1 >= left || p[off] < 2)              /* NumElements */
		return false;
	off++;
	used = aml_small_int(p + off, left - off, a);
	if (!used)
		return false;
	off += used;
	return aml_small_int(p + off, left - off, b) != 0;
}

/* Find Name(_S5_, Package(){a, b, ...}) in the AML after the table header
 * (see tables.h) and put the low bytes of a and b in typ_a and typ_b.  A
 * byte scan, not an AML parser: it finds _S5_ inside any Scope, and takes
 * the first definition whose package parses. */
bool acpi_aml_find_s5(const uint8_t *aml, uint32_t len, uint8_t *typ_a,
		      uint8_t *typ_b)
{
	const uint32_t name_len = ACPI_SIG_LEN;

	for (uint32_t i = sizeof(struct acpi_sdt_header); i + name_len < len; i++) {
		if (memcmp(aml + i, AML_S5_NAME, name_len) ||
		    !is_name_op_before(aml, i))
			continue;
		if (aml_s5_package(aml + i + name_len, len - i - name_len,
				   typ_a, typ_b))
			return true;
	}
	return false;
}
