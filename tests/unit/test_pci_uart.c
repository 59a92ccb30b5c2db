/* drivers/pci_uart.c: 16550 discovery on a fake configuration space. */
#include "drivers/pci_uart.h"
#include "tests/unit/test.h"

#define FAKE_FNS 8
#define FAKE_DWORDS 16

struct fake_fn {
	struct pci_bdf at;
	uint32_t cfg[FAKE_DWORDS];
};

struct fake_space {
	struct fake_fn fn[FAKE_FNS];
	uint32_t count;
	uint32_t reads;
};

/* All ones for a function that is not there, as mechanism #1 reads. */
static uint32_t fake_read(void *ctx, struct pci_bdf f, uint8_t reg)
{
	struct fake_space *s = ctx;

	s->reads++;
	for (uint32_t i = 0; i < s->count; i++) {
		struct pci_bdf a = s->fn[i].at;

		if (a.bus == f.bus && a.dev == f.dev && a.fn == f.fn)
			return reg / 4 < FAKE_DWORDS ? s->fn[i].cfg[reg / 4] : 0;
	}
	return 0xffffffffu;
}

/* Add a function: ids, class dword, header-type dword, BAR0, BAR1. */
static struct fake_fn *fake_add(struct fake_space *s, uint8_t bus, uint8_t dev,
				uint8_t fn, uint32_t ids, uint32_t class_rev,
				uint32_t hdr, uint32_t bar0, uint32_t bar1)
{
	struct fake_fn *f = &s->fn[s->count++];

	*f = (struct fake_fn){ .at = { bus, dev, fn } };
	f->cfg[0] = ids;
	f->cfg[2] = class_rev;
	f->cfg[3] = hdr;
	f->cfg[4] = bar0;
	f->cfg[5] = bar1;
	return f;
}

#define HOST_BRIDGE_CLASS  0x06000000u
#define ISA_BRIDGE_CLASS   0x06010000u
#define UART_16550_CLASS   0x07000201u   /* prog-if 02h, revision 1 */
#define UART_8250_CLASS    0x07000001u   /* prog-if 00h: no FIFO */
#define HDR_MULTI          0x00800000u
#define HDR_BRIDGE         0x00010000u

/* QEMU's pci-serial (1b36:0002, class 070002, BAR0 I/O of 8 ports) behind
 * i440FX's host bridge and PIIX3, as SeaBIOS assigns it. */
TEST(pci_uart_qemu_pci_serial)
{
	static struct fake_space s;
	struct pci_uart u;

	s.count = 0;
	fake_add(&s, 0, 0, 0, 0x12378086, HOST_BRIDGE_CLASS, 0, 0, 0);
	fake_add(&s, 0, 1, 0, 0x70008086, ISA_BRIDGE_CLASS, HDR_MULTI, 0, 0);
	fake_add(&s, 0, 3, 0, 0x00021b36, UART_16550_CLASS, 0, 0xc001, 0);
	CHECK(pci_uart_find(fake_read, &s, &u));
	CHECK_EQ(u.fn.bus, 0);
	CHECK_EQ(u.fn.dev, 3);
	CHECK_EQ(u.fn.fn, 0);
	CHECK_EQ(u.bar, 0);
	CHECK_EQ(u.regs.space, UART_SPACE_IO);
	CHECK_EQ(u.regs.base, 0xc000);
	CHECK_EQ(u.regs.shift, 0);
	CHECK_EQ(u.command_enable, PCI_COMMAND_IO);
}

/* A function behind a multi-function device 0 (an Intel ME's serial-over-
 * LAN at 00:16.3: I/O BAR0, memory BAR1) is found; one behind a device
 * whose function 0 is single-function is not looked for. */
TEST(pci_uart_multi_function)
{
	static struct fake_space s;
	struct pci_uart u;

	s.count = 0;
	fake_add(&s, 0, 0x16, 0, 0x1e3a8086, 0x07800000u, HDR_MULTI, 0, 0);
	fake_add(&s, 0, 0x16, 3, 0x1e3d8086, UART_16550_CLASS, 0, 0xf0e1, 0xf7d3a000);
	CHECK(pci_uart_find(fake_read, &s, &u));
	CHECK_EQ(u.fn.dev, 0x16);
	CHECK_EQ(u.fn.fn, 3);
	CHECK_EQ(u.regs.base, 0xf0e0);

	s.fn[0].cfg[3] = 0;             /* function 0 single-function now */
	CHECK(!pci_uart_find(fake_read, &s, &u));
	/* ...but naming it (serial=pci:00:16.3) still probes it. */
	CHECK(pci_uart_probe(fake_read, &s, (struct pci_bdf){ 0, 0x16, 3 }, &u));
}

/* A PCIe card with its UART at a 64-bit memory BAR, on bus 2. */
TEST(pci_uart_memory_bar_64)
{
	static struct fake_space s;
	struct pci_uart u;

	s.count = 0;
	fake_add(&s, 0, 0, 0, 0x0c008086, HOST_BRIDGE_CLASS, 0, 0, 0);
	fake_add(&s, 2, 0, 0, 0xc1581415, UART_16550_CLASS, 0, 0x80000004u, 0x1);
	CHECK(pci_uart_find(fake_read, &s, &u));
	CHECK_EQ(u.fn.bus, 2);
	CHECK_EQ(u.regs.space, UART_SPACE_MMIO);
	CHECK_EQ(u.regs.base, 0x180000000ull);
	CHECK_EQ(u.regs.width, 1);
	CHECK_EQ(u.command_enable, PCI_COMMAND_MEMORY);
	/* a 32-bit memory BAR */
	s.fn[1].cfg[4] = 0xfebd1000u;
	CHECK(pci_uart_find(fake_read, &s, &u));
	CHECK_EQ(u.regs.base, 0xfebd1000u);
}

/* An unassigned BAR0 is skipped for the next assigned one. */
TEST(pci_uart_first_assigned_bar)
{
	static struct fake_space s;
	struct pci_uart u;

	s.count = 0;
	fake_add(&s, 0, 4, 0, 0x95011415, UART_16550_CLASS, 0, 0, 0xd001);
	CHECK(pci_uart_find(fake_read, &s, &u));
	CHECK_EQ(u.bar, 1);
	CHECK_EQ(u.regs.base, 0xd000);
}

/* What is not a usable 16550: another programming interface, a bridge
 * header, no assigned BAR, an I/O BAR whose 8 ports leave the port space,
 * a 64-bit BAR in the last slot, an empty bus. */
TEST(pci_uart_rejects)
{
	static struct fake_space s;
	struct pci_uart u;
	struct pci_bdf f = { 0, 5, 0 };
	struct fake_fn *fn;

	s.count = 0;
	CHECK(!pci_uart_find(fake_read, &s, &u));
	fn = fake_add(&s, 0, 5, 0, 0x00021b36, UART_8250_CLASS, 0, 0xc001, 0);
	CHECK(!pci_uart_probe(fake_read, &s, f, &u));
	fn->cfg[2] = UART_16550_CLASS;
	CHECK(pci_uart_probe(fake_read, &s, f, &u));
	fn->cfg[3] = HDR_BRIDGE;
	CHECK(!pci_uart_probe(fake_read, &s, f, &u));
	fn->cfg[3] = 0;
	fn->cfg[4] = 0;
	CHECK(!pci_uart_probe(fake_read, &s, f, &u));
	fn->cfg[4] = 0xfffdu;           /* ports 0xfffc-0x10003 */
	CHECK(!pci_uart_probe(fake_read, &s, f, &u));
	fn->cfg[4] = 0;
	fn->cfg[9] = 0xfe000004u;       /* BAR5, 64-bit: no slot for the top */
	CHECK(!pci_uart_probe(fake_read, &s, f, &u));
	fn->cfg[0] = 0xffffffffu;       /* nothing there */
	fn->cfg[4] = 0xc001;
	CHECK(!pci_uart_probe(fake_read, &s, f, &u));
	CHECK(!pci_uart_find(fake_read, &s, &u));
}
