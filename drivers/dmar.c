/*
 * DMAR table parser (see drivers/dmar.h).  Structure layouts: VT-d spec
 * 8.3 (DRHD: type, length, flags, size, segment, register base, scopes at
 * 16), 8.4 (RMRR: type, length, reserved, segment, base, limit, scopes at
 * 24), 8.5 and 8.8 (ATSR and SATC: type, length, flags, reserved,
 * segment, scopes at 8), 8.3.1 (device scope: type, length, reserved,
 * enumeration ID, start bus, then (device, function) pairs).
 */
#include "arch/x86/acpi.h"
#include "drivers/dmar.h"
#include "lib/format.h"
#include "lib/str.h"

#define SDT_LENGTH              4
#define STRUCT_HEADER_SIZE      4       /* u16 type, u16 length */
#define DMAR_PAGE_SIZE          4096ull

#define DRHD_FLAGS              4
#define DRHD_FLAG_INCLUDE_PCI_ALL (1u << 0)
#define DRHD_SIZE               5       /* bits 3:0: register set 2^N pages */
#define DRHD_SIZE_MASK          0xfu
#define DRHD_SEGMENT            6
#define DRHD_BASE               8
#define DRHD_SCOPES             16

#define RMRR_SEGMENT            6
#define RMRR_BASE               8
#define RMRR_LIMIT              16
#define RMRR_SCOPES             24

#define ATSR_SCOPES             8       /* ATSR and SATC share the layout */
#define RHSA_SIZE               20

#define SCOPE_TYPE              0
#define SCOPE_LENGTH            1
#define SCOPE_ENUMERATION_ID    4
#define SCOPE_START_BUS         5
#define SCOPE_PATH              6
#define SCOPE_PATH_ENTRY        2       /* device, function */
#define SCOPE_MIN               (SCOPE_PATH + SCOPE_PATH_ENTRY)

/* Little-endian fields at p (ACPI tables give them no alignment). */
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* See get16. */
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* See get16. */
static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Parsing state: the table, the result and where the reason goes. */
struct parse {
	struct dmar_info *out;
	char *err;
	size_t err_size;
};

/* Record the scopes of the structure s (len bytes) from offset off into a
 * run of out->scopes; false, with the reason, on a bad entry length. */
static bool parse_scopes(struct parse *p, const uint8_t *s, uint32_t off,
			 uint32_t len, struct dmar_scope_run *run)
{
	struct dmar_info *out = p->out;

	run->first = (uint16_t)out->scope_count;
	run->count = 0;
	while (off < len) {
		uint32_t elen = len - off >= 2 ? s[off + SCOPE_LENGTH] : 0;

		if (elen < SCOPE_MIN || elen > len - off ||
		    (elen - SCOPE_PATH) % SCOPE_PATH_ENTRY) {
			format(p->err, p->err_size, "device scope at structure "
			       "offset %u has bad length %u", off, elen);
			return false;
		}
		run->count++;
		if (out->scope_count < DMAR_SCOPES_MAX)
			out->scopes[out->scope_count++] = (struct dmar_scope){
				.type = s[off + SCOPE_TYPE],
				.enumeration_id = s[off + SCOPE_ENUMERATION_ID],
				.start_bus = s[off + SCOPE_START_BUS],
				.path_len = (uint8_t)((elen - SCOPE_PATH) /
						      SCOPE_PATH_ENTRY),
				.dev = s[off + SCOPE_PATH],
				.fn = s[off + SCOPE_PATH + 1],
			};
		else
			out->dropped++;
		off += elen;
	}
	return true;
}

/* Whether [a, a + as) and [b, b + bs) share a byte (sizes non-zero, no
 * wrap: the caller checked). */
static bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

/* Check a new unit u against those already listed: register sets apart,
 * one INCLUDE_PCI_ALL unit per segment. */
static bool unit_fits(struct parse *p, const struct dmar_unit *u)
{
	for (uint32_t i = 0; i < p->out->unit_count; i++) {
		const struct dmar_unit *o = &p->out->units[i];

		if (ranges_overlap(u->base, u->size, o->base, o->size)) {
			format(p->err, p->err_size, "DRHD registers at %#llx "
			       "overlap those at %#llx",
			       (unsigned long long)u->base,
			       (unsigned long long)o->base);
			return false;
		}
		if (u->include_pci_all && o->include_pci_all &&
		    u->segment == o->segment) {
			format(p->err, p->err_size, "two INCLUDE_PCI_ALL units "
			       "in segment %u", u->segment);
			return false;
		}
	}
	return true;
}

/* A DRHD structure s of len bytes. */
static bool parse_drhd(struct parse *p, const uint8_t *s, uint32_t len)
{
	struct dmar_unit u = { 0 };

	if (len >= DRHD_SCOPES)
		u = (struct dmar_unit){
			.segment = get16(s + DRHD_SEGMENT),
			.include_pci_all = s[DRHD_FLAGS] &
					   DRHD_FLAG_INCLUDE_PCI_ALL,
			.base = get64(s + DRHD_BASE),
			.size = DMAR_PAGE_SIZE << (s[DRHD_SIZE] & DRHD_SIZE_MASK),
		};
	if (len < DRHD_SCOPES || !u.base || u.base % DMAR_PAGE_SIZE ||
	    u.base + u.size < u.base) {
		format(p->err, p->err_size, "DRHD with length %u, register "
		       "base %#llx", len, (unsigned long long)u.base);
		return false;
	}
	if (!parse_scopes(p, s, DRHD_SCOPES, len, &u.scopes) ||
	    !unit_fits(p, &u))
		return false;
	if (p->out->unit_count == DMAR_UNITS_MAX) {
		p->out->dropped++;
		p->out->units_dropped++;
		return true;
	}
	p->out->units[p->out->unit_count++] = u;
	return true;
}

/* An RMRR structure s of len bytes. */
static bool parse_rmrr(struct parse *p, const uint8_t *s, uint32_t len)
{
	struct dmar_rmrr r = { 0 };

	if (len >= RMRR_SCOPES) {
		r.segment = get16(s + RMRR_SEGMENT);
		r.base = get64(s + RMRR_BASE);
		r.limit = get64(s + RMRR_LIMIT);
	}
	if (len < RMRR_SCOPES || r.limit < r.base || r.base % DMAR_PAGE_SIZE ||
	    (r.limit + 1) % DMAR_PAGE_SIZE) {
		format(p->err, p->err_size, "RMRR with length %u, range "
		       "%#llx-%#llx", len, (unsigned long long)r.base,
		       (unsigned long long)r.limit);
		return false;
	}
	if (!parse_scopes(p, s, RMRR_SCOPES, len, &r.scopes))
		return false;
	if (p->out->rmrr_count == DMAR_RMRRS_MAX) {
		p->out->dropped++;
		return true;
	}
	p->out->rmrrs[p->out->rmrr_count++] = r;
	return true;
}

/* An ATSR or SATC structure s of len bytes: counted, its scopes checked
 * (ATS and device TLBs stay off: nothing here enables them). */
static bool parse_ats(struct parse *p, const uint8_t *s, uint32_t len,
		      uint32_t *count)
{
	struct dmar_scope_run run;

	if (len < ATSR_SCOPES) {
		format(p->err, p->err_size, "ATSR/SATC with length %u", len);
		return false;
	}
	(*count)++;
	return parse_scopes(p, s, ATSR_SCOPES, len, &run);
}

/* One remapping structure s of type type and len bytes (len >= 4 and
 * inside the table: the caller checked). */
static bool parse_struct(struct parse *p, const uint8_t *s, uint16_t type,
			 uint32_t len)
{
	switch (type) {
	case DMAR_TYPE_DRHD:
		return parse_drhd(p, s, len);
	case DMAR_TYPE_RMRR:
		return parse_rmrr(p, s, len);
	case DMAR_TYPE_ATSR:
		return parse_ats(p, s, len, &p->out->atsr_count);
	case DMAR_TYPE_SATC:
		return parse_ats(p, s, len, &p->out->satc_count);
	case DMAR_TYPE_RHSA:
		if (len < RHSA_SIZE) {
			format(p->err, p->err_size, "RHSA with length %u", len);
			return false;
		}
		p->out->rhsa_count++;
		return true;
	case DMAR_TYPE_ANDD:
		p->out->andd_count++;
		return true;
	default:
		p->out->unknown_count++;
		return true;
	}
}

/* The table's header: signature, length matching len, checksum. */
static bool check_header(struct parse *p, const uint8_t *t, uint32_t len)
{
	if (len < DMAR_HEADER_SIZE || memcmp(t, DMAR_SIGNATURE, 4)) {
		format(p->err, p->err_size, "not a DMAR table (%u bytes)", len);
		return false;
	}
	if (get32(t + SDT_LENGTH) != len) {
		format(p->err, p->err_size, "DMAR length field %u, table %u "
		       "bytes", get32(t + SDT_LENGTH), len);
		return false;
	}
	if (acpi_checksum(t, len)) {
		format(p->err, p->err_size, "DMAR checksum is wrong");
		return false;
	}
	return true;
}

/* Parse the DMAR table of len bytes at t (see dmar.h). */
bool dmar_parse(const uint8_t *t, uint32_t len, struct dmar_info *out,
		char *err, size_t err_size)
{
	struct parse p = { out, err, err_size };

	*out = (struct dmar_info){ 0 };
	err[0] = '\0';
	if (!check_header(&p, t, len))
		return false;
	out->host_address_width = (uint8_t)(t[DMAR_HOST_ADDRESS_WIDTH] + 1);
	out->flags = t[DMAR_FLAGS];
	for (uint32_t off = DMAR_HEADER_SIZE; off < len;) {
		uint32_t slen = len - off >= STRUCT_HEADER_SIZE ?
				get16(t + off + 2) : 0;

		if (slen < STRUCT_HEADER_SIZE || slen > len - off) {
			format(err, err_size, "structure at offset %u has bad "
			       "length %u", off, slen);
			return false;
		}
		if (!parse_struct(&p, t + off, get16(t + off), slen))
			return false;
		off += slen;
	}
	return true;
}

/* A device scope type's name for the log. */
const char *dmar_scope_type_name(uint8_t type)
{
	switch (type) {
	case DMAR_SCOPE_PCI_ENDPOINT:
		return "endpoint";
	case DMAR_SCOPE_PCI_BRIDGE:
		return "bridge";
	case DMAR_SCOPE_IOAPIC:
		return "IOAPIC";
	case DMAR_SCOPE_HPET:
		return "HPET";
	case DMAR_SCOPE_ACPI_DEVICE:
		return "ACPI device";
	default:
		return "unknown";
	}
}
