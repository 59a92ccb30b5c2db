/*
 * The SPCR table (drivers/spcr.h).  Pure.
 */
#include "arch/x86/acpi.h"
#include "drivers/spcr.h"
#include "lib/format.h"
#include "lib/str.h"

#define SDT_LENGTH        4
#define PCI_ID_NONE       0xffffu
#define GAS_WIDTH_8       8
#define GAS_WIDTH_32      32
#define IO_PORT_TOP       0xffffu

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Signature, length field matching len, checksum. */
static bool check_header(const uint8_t *t, uint32_t len, char *err,
			 size_t size)
{
	if (len < SPCR_MIN_SIZE || memcmp(t, SPCR_SIGNATURE, 4)) {
		format(err, size, "not an SPCR table (%u bytes)", len);
		return false;
	}
	if (get32(t + SDT_LENGTH) != len) {
		format(err, size, "SPCR length field %u, table %u bytes",
		       get32(t + SDT_LENGTH), len);
		return false;
	}
	if (acpi_checksum(t, len)) {
		format(err, size, "SPCR checksum is wrong");
		return false;
	}
	return true;
}

/* The baud rate an encoding names; 0 for "as is" and the unknown ones. */
static uint32_t baud_of(uint8_t code)
{
	switch (code) {
	case SPCR_BAUD_9600: return 9600;
	case SPCR_BAUD_19200: return 19200;
	case SPCR_BAUD_57600: return 57600;
	case SPCR_BAUD_115200: return 115200;
	default: return 0;
	}
}

/* The register block from the Generic Address Structure at g. */
static bool decode_gas(const uint8_t *g, struct uart_regs *r, char *err,
		       size_t size)
{
	uint64_t addr = get64(g + GAS_ADDRESS);
	uint8_t width = g[GAS_BIT_WIDTH];

	if (addr == 0) {
		format(err, size, "SPCR names no UART (address 0)");
		return false;
	}
	if (g[GAS_BIT_OFFSET] != 0) {
		format(err, size, "SPCR register bit offset %u", g[GAS_BIT_OFFSET]);
		return false;
	}
	if (g[GAS_SPACE_ID] == GAS_SPACE_IO) {
		if (width != GAS_WIDTH_8 || addr > IO_PORT_TOP - (UART_REG_SPAN - 1)) {
			format(err, size, "SPCR I/O UART at %#llx, %u-bit: "
			       "unusable", (unsigned long long)addr, width);
			return false;
		}
		*r = uart_regs_io((uint16_t)addr);
		return true;
	}
	if (g[GAS_SPACE_ID] != GAS_SPACE_MEMORY ||
	    (width != GAS_WIDTH_8 && width != GAS_WIDTH_32)) {
		format(err, size, "SPCR UART in address space %u, %u-bit: "
		       "not supported", g[GAS_SPACE_ID], width);
		return false;
	}
	*r = (struct uart_regs){ .space = UART_SPACE_MMIO, .base = addr,
				 .shift = width == GAS_WIDTH_32 ? 2 : 0,
				 .width = width / 8u };
	if (addr + uart_regs_span(r) < addr) {
		format(err, size, "SPCR UART at %#llx wraps",
		       (unsigned long long)addr);
		return false;
	}
	return true;
}

bool spcr_parse(const uint8_t *t, uint32_t len, struct spcr_uart *out,
		char *err, size_t err_size)
{
	uint8_t type;

	if (err_size)
		err[0] = '\0';
	if (!check_header(t, len, err, err_size))
		return false;
	type = t[SPCR_INTERFACE_TYPE];
	if (type != SPCR_IF_16550 && type != SPCR_IF_16450 &&
	    type != SPCR_IF_16550_GAS) {
		format(err, err_size, "SPCR interface type %#x is not a 16550",
		       type);
		return false;
	}
	*out = (struct spcr_uart){ .interface = type,
				   .baud = baud_of(t[SPCR_BAUD_RATE]) };
	if (!decode_gas(t + SPCR_BASE_ADDRESS, &out->regs, err, err_size))
		return false;
	if (get16(t + SPCR_PCI_DEVICE_ID) != PCI_ID_NONE &&
	    get16(t + SPCR_PCI_VENDOR_ID) != PCI_ID_NONE &&
	    get16(t + SPCR_PCI_VENDOR_ID) != 0 && t[SPCR_PCI_SEGMENT] == 0 &&
	    t[SPCR_PCI_DEVICE] < PCI_DEVICES && t[SPCR_PCI_FUNCTION] < PCI_FUNCTIONS) {
		out->pci = true;
		out->pci_fn = (struct pci_bdf){ t[SPCR_PCI_BUS], t[SPCR_PCI_DEVICE],
						t[SPCR_PCI_FUNCTION] };
	}
	return true;
}
