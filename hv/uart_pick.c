/*
 * Picking the hypervisor's UART (hv/uart_pick.h).
 */
#include "arch/x86/acpi.h"
#include "drivers/pci.h"
#include "drivers/pci_uart.h"
#include "drivers/serial.h"
#include "drivers/spcr.h"
#include "hv/uart_pick.h"
#include "lib/format.h"

/* Before paging_init only the boot path's identity map is there: the
 * multiboot2 entry's covers the first 4 GiB (UEFI's all of memory).  ACPI
 * tables and MMIO UARTs above are not read this early. */
#define EARLY_MAP_LIMIT (1ull << 32)

#define REASON_MAX 96

static uint32_t picked_baud;            /* the rate the UART was set to */
static bool picked_pci;                 /* the UART is a PCI function: */
static struct pci_bdf picked_fn;        /* this one */

/* An ACPI table below EARLY_MAP_LIMIT, identity-mapped. */
static const void *early_map(uint64_t phys, uint64_t len, void *ctx)
{
	(void)ctx;
	if (phys == 0 || phys + len < phys || phys + len > EARLY_MAP_LIMIT)
		return NULL;
	return (const void *)(uintptr_t)phys;
}

/* Registers the early identity map reaches (ports always do). */
static bool early_reachable(const struct uart_regs *r)
{
	return r->space == UART_SPACE_IO ||
	       r->base + uart_regs_span(r) <= EARLY_MAP_LIMIT;
}

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
	describe(&u.regs, at, sizeof(at));
	if (!early_reachable(&u.regs)) {
		format(why, size, "%s: PCI %02x:%02x.%x at %s is above 4 GiB",
		       reason, u.fn.bus, u.fn.dev, u.fn.fn, at);
		return false;
	}
	pci_uart_enable(&u);
	format(why, size, "PCI %02x:%02x.%x BAR%u at %s (%s)%s", u.fn.bus,
	       u.fn.dev, u.fn.fn, u.bar, at, reason,
	       serial_init(&u.regs, cfg->serial_baud) ? "" : ": does not answer");
	picked_baud = cfg->serial_baud;
	picked_pci = serial_present();
	picked_fn = u.fn;
	return serial_present();
}

/* The UART the ACPI SPCR table names, into *out; false with the reason in
 * note when there is no table or it names no usable 16550. */
static bool spcr_uart(const struct boot_info *bi, struct spcr_uart *out,
		      char *note, size_t size)
{
	struct acpi_source src = { bi->rsdp_data, early_map, NULL };
	char err[SPCR_ERROR_MAX];
	const uint8_t *t;
	uint32_t len;

	if (!bi->has_rsdp) {
		format(note, size, "no ACPI RSDP");
		return false;
	}
	t = acpi_find_sdt(&src, SPCR_SIGNATURE, NULL, &len, err, sizeof(err));
	if (!t || !spcr_parse(t, len, out, err, sizeof(err))) {
		format(note, size, "%s", err);
		return false;
	}
	if (!early_reachable(&out->regs)) {
		format(note, size, "SPCR UART at %#llx is above 4 GiB",
		       (unsigned long long)out->regs.base);
		return false;
	}
	return true;
}

/* A UART at fixed registers; initialised. */
static bool pick_fixed(const struct uart_regs *r, uint32_t baud, char *why,
		       size_t size, const char *reason)
{
	char at[48];
	bool ok = serial_init(r, baud);

	picked_baud = baud;
	describe(r, at, sizeof(at));
	format(why, size, "%s (%s)%s", at, reason, ok ? "" : ": does not answer");
	return ok;
}

/* serial=auto: the SPCR table's UART, else COM1, else the first PCI one;
 * why says which and, when SPCR was passed over, why. */
static bool pick_auto(const struct hv_config *cfg, const struct boot_info *bi,
		      char *why, size_t size)
{
	struct uart_regs com1 = uart_regs_io(SERIAL_COM1_PORT);
	char note[REASON_MAX], reason[REASON_MAX * 2];
	struct spcr_uart s;

	if (spcr_uart(bi, &s, note, sizeof(note))) {
		uint32_t baud = s.baud ? s.baud : cfg->serial_baud;

		if (pick_fixed(&s.regs, baud, why, size,
			       "serial=auto: the ACPI SPCR table's console")) {
			picked_pci = s.pci;
			picked_fn = s.pci_fn;
			return true;
		}
		format(note, sizeof(note), "the SPCR table's UART does not answer");
	}
	format(reason, sizeof(reason), "serial=auto: SPCR: %s; COM1 answers", note);
	if (pick_fixed(&com1, cfg->serial_baud, why, size, reason))
		return true;
	format(reason, sizeof(reason), "serial=auto: SPCR: %s; no COM1; "
	       "first PCI 16550", note);
	return pick_pci(cfg, why, size, reason);
}

bool uart_pick(const struct hv_config *cfg, const struct boot_info *bi,
	       char *why, size_t size)
{
	struct uart_regs r = uart_regs_io(cfg->serial_port);

	switch (cfg->serial_kind) {
	case SERIAL_IO:
		return pick_fixed(&r, cfg->serial_baud, why, size, "serial=");
	case SERIAL_MMIO:
		r = (struct uart_regs){ .space = UART_SPACE_MMIO,
			.base = cfg->serial_mmio, .shift = cfg->serial_shift,
			.width = cfg->serial_shift == UART_REG_SHIFT_MAX ? 4 : 1 };
		if (!early_reachable(&r)) {
			format(why, size, "serial=mmio: %#llx is above 4 GiB, "
			       "not mapped this early",
			       (unsigned long long)r.base);
			return false;
		}
		return pick_fixed(&r, cfg->serial_baud, why, size, "serial=mmio");
	case SERIAL_PCI:
		return pick_pci(cfg, why, size, "serial=pci");
	default:
		return pick_auto(cfg, bi, why, size);
	}
}

uint16_t uart_pick_guest_port(void)
{
	const struct uart_regs *r = serial_regs();

	if (serial_present() && r->space == UART_SPACE_IO)
		return (uint16_t)r->base;
	return SERIAL_COM1_PORT;
}

bool uart_pick_pci_fn(struct pci_bdf *out)
{
	*out = picked_fn;
	return picked_pci && serial_present();
}

uint32_t uart_pick_baud(void)
{
	return picked_baud ? picked_baud : SERIAL_DEFAULT_BAUD;
}
