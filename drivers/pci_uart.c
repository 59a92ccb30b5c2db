/*
 * PCI 16550 discovery (drivers/pci_uart.h).  Pure.
 */
#include "drivers/pci_uart.h"

/* The address of BAR `i`'s registers (and whether it is I/O) from its
 * value(s); false when unassigned (zero) or not usable.  A 64-bit memory
 * BAR takes two slots: *slots says how many. */
static bool bar_decode(pci_read32_fn rd, void *ctx, struct pci_bdf f,
		       uint32_t i, struct uart_regs *r, uint32_t *slots)
{
	uint32_t lo = rd(ctx, f, (uint8_t)(PCI_BAR0 + 4 * i));
	uint64_t base;

	*slots = 1;
	if (lo & PCI_BAR_IO) {
		base = lo & PCI_BAR_IO_MASK;
		if (base == 0 || base > 0xffffu - (UART_REG_SPAN - 1))
			return false;
		*r = uart_regs_io((uint16_t)base);
		return true;
	}
	base = lo & PCI_BAR_MEM_MASK;
	if ((lo & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64) {
		if (i + 1 >= PCI_BAR_COUNT)
			return false;
		*slots = 2;
		base |= (uint64_t)rd(ctx, f, (uint8_t)(PCI_BAR0 + 4 * (i + 1))) << 32;
	}
	if (base == 0)
		return false;
	*r = (struct uart_regs){ .space = UART_SPACE_MMIO, .base = base,
				 .width = 1 };
	return true;
}

bool pci_uart_probe(pci_read32_fn rd, void *ctx, struct pci_bdf f,
		    struct pci_uart *out)
{
	uint32_t id = rd(ctx, f, PCI_VENDOR_ID);
	uint32_t hdr, slots;

	if ((id & 0xffffu) == PCI_VENDOR_NONE || (id & 0xffffu) == 0)
		return false;
	if (rd(ctx, f, PCI_CLASS_REVISION) >> PCI_CLASS_SHIFT != PCI_CLASS_UART_16550)
		return false;
	hdr = rd(ctx, f, PCI_HEADER_TYPE_DWORD) >> PCI_HEADER_TYPE_SHIFT;
	if ((hdr & PCI_HEADER_LAYOUT_MASK) != PCI_HEADER_NORMAL)
		return false;
	/* The UART is at the first assigned BAR (PCI serial cards with more
	 * ports have one more BAR per port; the first is the first port). */
	for (uint32_t i = 0; i < PCI_BAR_COUNT; i += slots) {
		struct uart_regs r;

		if (!bar_decode(rd, ctx, f, i, &r, &slots))
			continue;
		*out = (struct pci_uart){
			.fn = f, .bar = (uint8_t)i, .regs = r,
			.command_enable = r.space == UART_SPACE_IO ?
					  PCI_COMMAND_IO : PCI_COMMAND_MEMORY,
		};
		return true;
	}
	return false;
}

/* Whether function 0 of a device says it has functions 1-7. */
static bool multi_function(pci_read32_fn rd, void *ctx, struct pci_bdf f0)
{
	uint32_t hdr = rd(ctx, f0, PCI_HEADER_TYPE_DWORD) >> PCI_HEADER_TYPE_SHIFT;

	return hdr & PCI_HEADER_MULTI_FN;
}

bool pci_uart_find(pci_read32_fn rd, void *ctx, struct pci_uart *out)
{
	for (uint32_t bus = 0; bus < PCI_BUSES; bus++) {
		for (uint32_t dev = 0; dev < PCI_DEVICES; dev++) {
			struct pci_bdf f = { (uint8_t)bus, (uint8_t)dev, 0 };
			uint32_t fns;

			if ((rd(ctx, f, PCI_VENDOR_ID) & 0xffffu) == PCI_VENDOR_NONE)
				continue;
			fns = multi_function(rd, ctx, f) ? PCI_FUNCTIONS : 1;
			for (uint32_t fn = 0; fn < fns; fn++) {
				f.fn = (uint8_t)fn;
				if (pci_uart_probe(rd, ctx, f, out))
					return true;
			}
		}
	}
	return false;
}
