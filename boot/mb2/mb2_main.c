/*
 * mb2_main: the multiboot2 path's C entry.  entry.S has switched to long
 * mode with the first 4 GiB identity-mapped and the boot stack in .bss.
 * Checks GRUB's hand-over, turns it into the one static boot_info, finds
 * the firmware's own RSDP (GRUB only passes a copy) and enters the core,
 * which first moves the image out of the guest's way (boot/image_move.h).
 */
#include "boot/mb2/multiboot2.h"

#include "arch/x86/acpi.h"
#include "arch/x86/cpu.h"
#include "boot/boot_info.h"
#include "boot/image_move.h"
#include "drivers/serial.h"
#include "drivers/stop.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/str.h"

/* Only the boot page tables' identity map can be read before the core
 * builds its own. */
#define BOOT_IDENTITY_LIMIT  0x100000000ull

/* ACPI ("Root System Description Pointer"): where BIOS firmware keeps it. */
#define RSDP_SCAN_ALIGN      16
#define BDA_EBDA_SEGMENT     0x40e   /* BIOS data area: EBDA segment, u16 */
#define EBDA_SCAN_SIZE       1024
#define BIOS_ROM_SCAN_START  0xe0000
#define BIOS_ROM_SCAN_END    0x100000

#define MB2_ERROR_MAX        200

/* The image's extent, from linker/hv-mb2.ld. */
extern char __image_start[] __attribute__((visibility("hidden")));
extern char __image_end[] __attribute__((visibility("hidden")));

/* Lives in .bss: it outlasts GRUB's memory, which the core reuses. */
static struct boot_info static_bi;

/*
 * A physical address as a pointer (identity map).  The empty asm hides the
 * constant from the compiler, which would otherwise warn about reading
 * low fixed addresses such as the BIOS data area.
 */
static const uint8_t *phys_ptr(uint64_t addr)
{
	__asm__("" : "+r"(addr));
	return (const uint8_t *)(uintptr_t)addr;
}

/* A valid RSDP at addr, and the same one GRUB copied when it gave one. */
static bool rsdp_at(uint64_t addr, const struct boot_info *bi)
{
	const uint8_t *r = phys_ptr(addr);

	if (addr + ACPI_RSDP_V2_SIZE > BOOT_IDENTITY_LIMIT ||
	    memcmp(r, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN) ||
	    acpi_checksum(r, ACPI_RSDP_V1_SIZE))
		return false;
	if (r[ACPI_RSDP_REVISION_OFFSET] >= ACPI_RSDP_REVISION_2 &&
	    acpi_checksum(r, ACPI_RSDP_V2_SIZE))
		return false;
	return !bi->has_rsdp || !memcmp(r, bi->rsdp_data, ACPI_RSDP_V1_SIZE);
}

static uint64_t scan_rsdp(uint64_t start, uint64_t end,
			  const struct boot_info *bi)
{
	for (uint64_t a = start; a + ACPI_RSDP_V1_SIZE <= end;
	     a += RSDP_SCAN_ALIGN)
		if (rsdp_at(a, bi))
			return a;
	return 0;
}

/* BIOS: the first KiB of the EBDA, then the BIOS ROM area (ACPI spec,
 * "Finding the RSDP on IA-PC Systems"). */
static uint64_t find_rsdp_bios(const struct boot_info *bi)
{
	uint16_t seg;
	uint64_t ebda, found = 0;

	memcpy(&seg, phys_ptr(BDA_EBDA_SEGMENT), sizeof(seg));
	ebda = (uint64_t)seg << REAL_MODE_SEG_SHIFT;
	if (ebda)
		found = scan_rsdp(ebda, ebda + EBDA_SCAN_SIZE, bi);
	if (!found)
		found = scan_rsdp(BIOS_ROM_SCAN_START, BIOS_ROM_SCAN_END, bi);
	return found;
}

/* UEFI specification, "EFI System Table": just the fields read here. */
#define EFI_SYSTEM_TABLE_SIGNATURE      0x5453595320494249ull  /* "IBI SYST" */
#define EFI_ST_NUMBER_OF_TABLE_ENTRIES  104
#define EFI_ST_CONFIGURATION_TABLE      112
#define EFI_ST_SIZE                     120
#define EFI_CONFIG_TABLE_MAX            1024   /* sanity bound */

struct efi_guid {
	uint32_t data1;
	uint16_t data2, data3;
	uint8_t data4[8];
};

struct efi_config_table {
	struct efi_guid vendor_guid;
	uint64_t vendor_table;
};
_Static_assert(sizeof(struct efi_config_table) == 24,
	       "EFI_CONFIGURATION_TABLE");

static const struct efi_guid acpi_20_table_guid = {
	0x8868e871, 0xe4f1, 0x11d3,
	{ 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 } };
static const struct efi_guid acpi_10_table_guid = {
	0xeb9d2d30, 0x2d88, 0x11d3,
	{ 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } };

static uint64_t read_u64(uint64_t addr)
{
	uint64_t v;

	memcpy(&v, phys_ptr(addr), sizeof(v));
	return v;
}

/* The configuration table entry for `guid` holding a valid RSDP, or 0. */
static uint64_t efi_config_rsdp(uint64_t table, uint64_t count,
				const struct efi_guid *guid,
				const struct boot_info *bi)
{
	for (uint64_t i = 0; i < count; i++) {
		struct efi_config_table e;

		memcpy(&e, phys_ptr(table + i * sizeof(e)), sizeof(e));
		if (!memcmp(&e.vendor_guid, guid, sizeof(*guid)) &&
		    rsdp_at(e.vendor_table, bi))
			return e.vendor_table;
	}
	return 0;
}

/* UEFI: the system table's configuration table, ACPI 2.0 entry first. */
static uint64_t find_rsdp_efi(const struct boot_info *bi)
{
	uint64_t st = bi->efi_system_table, table, count, found;

	if (!st || st + EFI_ST_SIZE > BOOT_IDENTITY_LIMIT ||
	    read_u64(st) != EFI_SYSTEM_TABLE_SIGNATURE)
		return 0;
	count = read_u64(st + EFI_ST_NUMBER_OF_TABLE_ENTRIES);
	table = read_u64(st + EFI_ST_CONFIGURATION_TABLE);
	if (count > EFI_CONFIG_TABLE_MAX ||
	    table + count * sizeof(struct efi_config_table) > BOOT_IDENTITY_LIMIT)
		return 0;
	found = efi_config_rsdp(table, count, &acpi_20_table_guid, bi);
	return found ? found : efi_config_rsdp(table, count,
					       &acpi_10_table_guid, bi);
}

/* The log is not up yet: bring up COM1 just to say what is wrong. */
static __attribute__((noreturn)) void boot_fail(const char *why)
{
	if (serial_init(SERIAL_COM1_PORT, SERIAL_DEFAULT_BAUD))
		log_add_sink(serial_write);
	log_error("boot: malformed multiboot2 information: %s", why);
	hv_stop(false, "malformed boot information");
}

void mb2_main(uint32_t magic, uint64_t info)
{
	char why[MB2_ERROR_MAX];
	struct boot_info *bi = &static_bi;

	if (magic != MB2_BOOTLOADER_MAGIC) {
		format(why, sizeof(why), "EAX held %#x at entry, not the "
		       "multiboot2 magic %#x", magic, MB2_BOOTLOADER_MAGIC);
		boot_fail(why);
	}
	if (!multiboot2_parse(phys_ptr(info), info, (uintptr_t)__image_start,
			      (uintptr_t)__image_end, bi, why, sizeof(why)))
		boot_fail(why);
	bi->rsdp = bi->firmware == BOOT_FW_UEFI ? find_rsdp_efi(bi)
						: find_rsdp_bios(bi);
	/* GRUB's information is all in bi now: the move may overwrite it.
	 * GRUB put each segment at its link address, so where the image
	 * runs is where it was linked. */
	boot_enter_core(bi, (uintptr_t)__image_start);
}
