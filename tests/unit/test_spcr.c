/*
 * drivers/spcr.c on recorded SPCR tables (tests/unit/spcr_samples.h) and
 * on broken copies of them.
 */
#include <string.h>
#include "arch/x86/acpi.h"
#include "drivers/spcr.h"
#include "tests/unit/spcr_samples.h"
#include "tests/unit/test.h"

/* The transcriptions above are whole: each table's checksum holds. */
TEST(spcr_recorded_checksums)
{
	CHECK_EQ(acpi_checksum(spcr_hyperv_gen2, sizeof(spcr_hyperv_gen2)), 0);
	CHECK_EQ(acpi_checksum(spcr_qemu_riscv_virt, sizeof(spcr_qemu_riscv_virt)), 0);
	CHECK_EQ(acpi_checksum(spcr_ampere_altra, sizeof(spcr_ampere_altra)), 0);
}

TEST(spcr_hyperv_com1)
{
	struct spcr_uart u;
	char err[SPCR_ERROR_MAX] = "";

	CHECK(spcr_parse(spcr_hyperv_gen2, sizeof(spcr_hyperv_gen2), &u, err,
			 sizeof(err)));
	CHECK_STR(err, "");
	CHECK_EQ(u.interface, SPCR_IF_16550);
	CHECK_EQ(u.regs.space, UART_SPACE_IO);
	CHECK_EQ(u.regs.base, 0x3f8);
	CHECK_EQ(u.regs.shift, 0);
	CHECK_EQ(u.baud, 115200);
	CHECK(!u.pci);
}

TEST(spcr_mmio32_16550)
{
	struct spcr_uart u;
	char err[SPCR_ERROR_MAX] = "";

	CHECK(spcr_parse(spcr_qemu_riscv_virt, sizeof(spcr_qemu_riscv_virt), &u,
			 err, sizeof(err)));
	CHECK_EQ(u.interface, SPCR_IF_16550_GAS);
	CHECK_EQ(u.regs.space, UART_SPACE_MMIO);
	CHECK_EQ(u.regs.base, 0x10000000);
	CHECK_EQ(u.regs.shift, 2);
	CHECK_EQ(u.regs.width, 4);
	CHECK_EQ(u.baud, 115200);
}

TEST(spcr_pl011_refused)
{
	struct spcr_uart u;
	char err[SPCR_ERROR_MAX] = "";

	CHECK(!spcr_parse(spcr_ampere_altra, sizeof(spcr_ampere_altra), &u, err,
			  sizeof(err)));
	CHECK(strstr(err, "interface type 0x3") != NULL);
}

/* A copy of the Hyper-V table with byte `at` set to v, checksum fixed. */
static void patched(uint8_t *t, size_t at, uint8_t v)
{
	memcpy(t, spcr_hyperv_gen2, sizeof(spcr_hyperv_gen2));
	t[at] = v;
	t[9] = 0;
	t[9] = (uint8_t)-acpi_checksum(t, sizeof(spcr_hyperv_gen2));
}

/* Broken tables: each refused with its reason. */
TEST(spcr_malformed)
{
	static const struct {
		size_t at;
		uint8_t v;
		const char *why;
	} cases[] = {
		{ 0, 'X', "not an SPCR" },
		{ 4, 81, "length field 81" },
		{ SPCR_INTERFACE_TYPE, 0x03, "interface type" },
		{ SPCR_BASE_ADDRESS + GAS_SPACE_ID, 2, "address space 2" },
		{ SPCR_BASE_ADDRESS + GAS_BIT_WIDTH, 16, "16-bit" },
		{ SPCR_BASE_ADDRESS + GAS_BIT_OFFSET, 1, "bit offset" },
		{ SPCR_BASE_ADDRESS + GAS_ADDRESS, 0, NULL },
		{ SPCR_BASE_ADDRESS + GAS_ADDRESS + 2, 0x01, "unusable" },
	};
	uint8_t t[80];
	struct spcr_uart u;
	char err[SPCR_ERROR_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		patched(t, cases[i].at, cases[i].v);
		err[0] = '\0';
		if (cases[i].why == NULL) {
			/* 0x3f8 -> 0x300: still a port UART */
			CHECK(spcr_parse(t, sizeof(t), &u, err, sizeof(err)));
			CHECK_EQ(u.regs.base, 0x300);
			continue;
		}
		if (spcr_parse(t, sizeof(t), &u, err, sizeof(err)) ||
		    !strstr(err, cases[i].why))
			test_fail(__FILE__, __LINE__, "case %zu accepted or '%s'",
				  i, err);
	}
	/* bad checksum, too short, address 0 */
	memcpy(t, spcr_hyperv_gen2, sizeof(t));
	t[9] ^= 1;
	CHECK(!spcr_parse(t, sizeof(t), &u, err, sizeof(err)));
	CHECK(strstr(err, "checksum") != NULL);
	CHECK(!spcr_parse(spcr_hyperv_gen2, 79, &u, err, sizeof(err)));
	patched(t, SPCR_BASE_ADDRESS + GAS_ADDRESS, 0);
	t[SPCR_BASE_ADDRESS + GAS_ADDRESS + 1] = 0;
	t[9] = 0;
	t[9] = (uint8_t)-acpi_checksum(t, sizeof(t));
	CHECK(!spcr_parse(t, sizeof(t), &u, err, sizeof(err)));
	CHECK(strstr(err, "address 0") != NULL);
}

/* A PCI function named in the table is reported (segment 0). */
TEST(spcr_pci_function)
{
	uint8_t t[80];
	struct spcr_uart u;
	char err[SPCR_ERROR_MAX];

	memcpy(t, spcr_hyperv_gen2, sizeof(t));
	t[SPCR_PCI_DEVICE_ID] = 0x02;
	t[SPCR_PCI_DEVICE_ID + 1] = 0x00;
	t[SPCR_PCI_VENDOR_ID] = 0x36;
	t[SPCR_PCI_VENDOR_ID + 1] = 0x1b;
	t[SPCR_PCI_BUS] = 0;
	t[SPCR_PCI_DEVICE] = 5;
	t[SPCR_PCI_FUNCTION] = 0;
	t[9] = 0;
	t[9] = (uint8_t)-acpi_checksum(t, sizeof(t));
	CHECK(spcr_parse(t, sizeof(t), &u, err, sizeof(err)));
	CHECK(u.pci);
	CHECK_EQ(u.pci_fn.dev, 5);
}
