/*
 * ecam-hidden (see tests/guest/ecam_probe.h).  The accesses are the plain
 * MOV forms Linux's ECAM accessors use (pci_mmcfg_read/write: movb, movw,
 * movl), which the hypervisor's MMIO decoder accepts.
 */
#include "tests/guest/console.h"
#include "tests/guest/ecam_probe.h"
#include "tests/guest/guest.h"

#define ECAM_PAGE_SIZE          4096
#define CFG_VENDOR_ID           0x00    /* u16 */
#define CFG_DEVICE_ID           0x02    /* u16 */
#define CFG_COMMAND             0x04    /* u16 */
#define CFG_HEADER_TYPE         0x0e    /* u8 */
#define CFG_BAR0                0x10    /* u32 */
#define STAND_IN_VENDOR         0x1b36u /* QEMU's pci-serial: 1b36:0002 */
#define STAND_IN_DEVICE         0x0002u
#define STAND_IN_COMMAND        0x0001u /* I/O space decoding on */
#define STAND_IN_BAR0           0xc001u /* an I/O BAR at 0xc000 */
#define BAR_SIZING              0xffffffffu
#define NO_DEVICE_16            0xffffu
#define NO_DEVICE_8             0xffu
#define NO_DEVICE_32            0xffffffffu

/* In .data, not .bss: the entry code clears .bss with REP STOSB, which the
 * hypervisor's decoder refuses (it would stop the guest, as it should). */
uint8_t ecam_stand_in[ECAM_PAGE_SIZE]
	__attribute__((aligned(ECAM_PAGE_SIZE), section(".data.ecam_stand_in"))) = {
	[CFG_VENDOR_ID] = STAND_IN_VENDOR & 0xff, STAND_IN_VENDOR >> 8,
	[CFG_DEVICE_ID] = STAND_IN_DEVICE & 0xff, STAND_IN_DEVICE >> 8,
	[CFG_COMMAND] = STAND_IN_COMMAND,
	[CFG_BAR0] = STAND_IN_BAR0 & 0xff, STAND_IN_BAR0 >> 8,
};

struct ecam_seen {
	uint32_t ids;           /* dword at 0: vendor and device */
	uint16_t vendor;        /* word at 0 */
	uint8_t header_type;
	uint16_t command;       /* after the stores */
	uint32_t bar0;          /* after the sizing store */
	uint16_t vendor_after;
};

/* What a driver's probe does: read the IDs, disable decoding, size BAR0. */
static void probe(struct ecam_seen *s)
{
	volatile uint8_t *cfg = ecam_stand_in;

	s->ids = *(volatile uint32_t *)(cfg + CFG_VENDOR_ID);
	s->vendor = *(volatile uint16_t *)(cfg + CFG_VENDOR_ID);
	s->header_type = cfg[CFG_HEADER_TYPE];
	*(volatile uint16_t *)(cfg + CFG_COMMAND) = 0;
	*(volatile uint32_t *)(cfg + CFG_BAR0) = BAR_SIZING;
	s->command = *(volatile uint16_t *)(cfg + CFG_COMMAND);
	s->bar0 = *(volatile uint32_t *)(cfg + CFG_BAR0);
	s->vendor_after = *(volatile uint16_t *)(cfg + CFG_VENDOR_ID);
}

/* Under the hypervisor: no device, before and after the stores. */
static bool hidden(const struct ecam_seen *s)
{
	return s->ids == NO_DEVICE_32 && s->vendor == NO_DEVICE_16 &&
	       s->header_type == NO_DEVICE_8 && s->command == NO_DEVICE_16 &&
	       s->bar0 == NO_DEVICE_32 && s->vendor_after == NO_DEVICE_16;
}

/* Bare: the stand-in is RAM, read as written, the stores land. */
static bool plain(const struct ecam_seen *s)
{
	return s->ids == (STAND_IN_DEVICE << 16 | STAND_IN_VENDOR) &&
	       s->vendor == STAND_IN_VENDOR && s->header_type == 0 &&
	       s->command == 0 && s->bar0 == BAR_SIZING &&
	       s->vendor_after == STAND_IN_VENDOR;
}

void ecam_probe(void)
{
	struct ecam_seen s;
	bool ok;

	probe(&s);
	say("ecam-hidden: ids %08x, vendor %04x, header type %02x; after the "
	    "stores command %04x, BAR0 %08x, vendor %04x", s.ids, s.vendor,
	    s.header_type, s.command, s.bar0, s.vendor_after);
	ok = guest_env.under_hv ? hidden(&s) : plain(&s);
	say("ecam-hidden: %s: %s", ok ? "PASS" : "FAIL", guest_env.under_hv ?
	    "under the hypervisor every load reads all ones (no device)" :
	    "bare, the stand-in reads as the device and the stores land");
	guest_exit(ok);
}
