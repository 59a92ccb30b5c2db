/*
 * Fuzz spcr_parse (drivers/spcr.c): the ACPI SPCR table, which decides
 * where serial=auto writes the log.  The input is the table itself.  Its
 * length field and checksum are set right before parsing unless the
 * revision byte has bit 7 set (then the header checks are fuzzed too), so
 * the fuzzer's mutations reach the fields.
 */
#include "arch/x86/acpi.h"
#include "drivers/spcr.h"
#include "tests/fuzz/fuzz.h"

#define REVISION        8
#define CHECKSUM        9
#define RAW_INPUT       0x80u

/* What an accepted table promises: a register block that fits its space. */
static void check_uart(const struct spcr_uart *u)
{
	const struct uart_regs *r = &u->regs;

	FUZZ_CHECK(r->base != 0, "UART at address 0");
	FUZZ_CHECK(r->shift <= UART_REG_SHIFT_MAX, "shift %u", r->shift);
	FUZZ_CHECK(r->width == 1 || r->width == 4, "width %u", r->width);
	if (r->space == UART_SPACE_IO)
		FUZZ_CHECK(r->base + uart_regs_span(r) <= 0x10000 && r->shift == 0,
			   "I/O UART at %#llx", (unsigned long long)r->base);
	else
		FUZZ_CHECK(r->space == UART_SPACE_MMIO &&
			   r->base + uart_regs_span(r) > r->base, "MMIO UART wraps");
	FUZZ_CHECK(u->baud == 0 || 115200 % u->baud == 0, "baud %u", u->baud);
	FUZZ_CHECK(!u->pci || (u->pci_fn.dev < 32 && u->pci_fn.fn < 8),
		   "PCI function out of range");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spcr_uart u;
	char err[SPCR_ERROR_MAX];
	uint8_t *t = fuzz_dup(data, size);
	uint32_t len = (uint32_t)size;

	if (size >= SPCR_MIN_SIZE && !(t[REVISION] & RAW_INPUT)) {
		memcpy(t + 4, &len, sizeof(len));
		t[CHECKSUM] = 0;
		t[CHECKSUM] = (uint8_t)-acpi_checksum(t, size);
	}
	memset(err, 'x', sizeof(err));
	if (spcr_parse(t, len, &u, err, sizeof(err))) {
		FUZZ_CHECK(err[0] == '\0', "success with error '%s'", err);
		check_uart(&u);
	} else {
		FUZZ_CHECK(err[0] && fuzz_has_nul(err, sizeof(err)),
			   "refusal without a reason");
	}
	free(t);
	return 0;
}
