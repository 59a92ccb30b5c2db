/*
 * Picking the hypervisor's UART (hv/uart_pick.h).
 */
#include "drivers/pci.h"
#include "drivers/pci_uart.h"
#include "drivers/serial.h"
#include "hv/uart_pick.h"
#include "lib/format.h"

/* Configuration space through mechanism #1 (before the guest runs). */
static uint32_t hw_pci_read(void *ctx, struct pci_bdf f, uint8_t reg)
{
	(void)ctx;
	return pci_read32(f, reg);
}

/* Turn on decoding of the BAR the UART is at, if firmware left it off. */
static void pci_uart_enable(const struct pci_uart *u)
{
	uint32_t cmd = pci_read32(u->fn, PCI_COMMAND);

	if (!(cmd & u->command_enable))
		pci_write32(u->fn, PCI_COMMAND, cmd | u->command_enable);
}

/* A one-line description of where regs are, into buf. */
static void describe(const struct uart_regs *r, char *buf, size_t size)
{
	if (r->space == UART_SPACE_IO)
		format(buf, size, "I/O port 0x%llx", (unsigned long long)r->base);
	else
		format(buf, size, "MMIO 0x%llx, stride %u",
		       (unsigned long long)r->base, 1u << r->shift);
}

/* The PCI UART at cfg's function, or the first one; initialised. */
static bool pick_pci(const struct hv_config *cfg, char *why, size_t size,
		     const char *reason)
{
	struct pci_uart u;
	char at[48];
	bool found = cfg->serial_pci_any || cfg->serial_kind == SERIAL_AUTO ?
		     pci_uart_find(hw_pci_read, NULL, &u) :
		     pci_uart_probe(hw_pci_read, NULL, cfg->serial_pci, &u);

	if (!found) {
		format(why, size, "%s: no 16550-compatible PCI function "
		       "(class 07h/00h/02h) with an assigned BAR", reason);
		return false;
	}
	pci_uart_enable(&u);
	describe(&u.regs, at, sizeof(at));
	format(why, size, "PCI %02x:%02x.%x BAR%u at %s (%s)%s", u.fn.bus,
	       u.fn.dev, u.fn.fn, u.bar, at, reason,
	       serial_init(&u.regs, cfg->serial_baud) ? "" : ": does not answer");
	return serial_present();
}

/* A UART at fixed registers; initialised. */
static bool pick_fixed(const struct uart_regs *r, uint32_t baud, char *why,
		       size_t size, const char *reason)
{
	char at[48];
	bool ok = serial_init(r, baud);

	describe(r, at, sizeof(at));
	format(why, size, "%s (%s)%s", at, reason, ok ? "" : ": does not answer");
	return ok;
}

bool uart_pick(const struct hv_config *cfg, char *why, size_t size)
{
	struct uart_regs r = uart_regs_io(cfg->serial_port);

	switch (cfg->serial_kind) {
	case SERIAL_IO:
		return pick_fixed(&r, cfg->serial_baud, why, size, "serial=");
	case SERIAL_MMIO:
		r = (struct uart_regs){ .space = UART_SPACE_MMIO,
			.base = cfg->serial_mmio, .shift = cfg->serial_shift,
			.width = cfg->serial_shift == UART_REG_SHIFT_MAX ? 4 : 1 };
		return pick_fixed(&r, cfg->serial_baud, why, size, "serial=mmio");
	case SERIAL_PCI:
		return pick_pci(cfg, why, size, "serial=pci");
	default:
		break;
	}
	if (pick_fixed(&r, cfg->serial_baud, why, size,
		       "serial=auto: COM1 answers"))
		return true;
	return pick_pci(cfg, why, size,
			"serial=auto: no COM1, first PCI 16550");
}

uint16_t uart_pick_guest_port(void)
{
	const struct uart_regs *r = serial_regs();

	if (serial_present() && r->space == UART_SPACE_IO)
		return (uint16_t)r->base;
	return SERIAL_COM1_PORT;
}
