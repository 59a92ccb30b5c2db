/*
 * What the firmware tells about the machine: the ACPI RSDP (from the UEFI
 * configuration table), the GOP framebuffer, and the firmware's name.
 */
#include "arch/x86/acpi.h"
#include "boot/efi/efi_boot.h"

#include "lib/format.h"
#include "lib/log.h"
#include "lib/str.h"

/* ACPI spec, "Root System Description Pointer (RSDP) Structure". */
_Static_assert(sizeof(((struct boot_info *)0)->rsdp_data) == ACPI_RSDP_V2_SIZE,
	       "boot_info.rsdp_data holds an XSDP");

/* EFI_TABLE_HEADER.Revision: major in the upper 16 bits, minor below
 * (2.70 for UEFI 2.7). */
#define EFI_REVISION_MAJOR(r) ((r) >> 16)
#define EFI_REVISION_MINOR(r) ((r) & 0xffffu)

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;
static EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;

/* Size of a valid RSDP at p (20 or 36 bytes), 0 when it is not one. */
static size_t rsdp_valid_size(const uint8_t *p)
{
	if (memcmp(p, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN) != 0 ||
	    acpi_checksum(p, ACPI_RSDP_V1_SIZE) != 0)
		return 0;
	if (p[ACPI_RSDP_REVISION_OFFSET] < ACPI_RSDP_REVISION_2)
		return ACPI_RSDP_V1_SIZE;
	return acpi_checksum(p, ACPI_RSDP_V2_SIZE) == 0 ? ACPI_RSDP_V2_SIZE : 0;
}

static const void *config_table(EFI_GUID *guid)
{
	for (UINTN i = 0; i < efi_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &efi_st->ConfigurationTable[i];

		if (memcmp(&t->VendorGuid, guid, sizeof(*guid)) == 0)
			return t->VendorTable;
	}
	return NULL;
}

/* Take the RSDP at p if it is valid. */
static bool use_rsdp(const uint8_t *p, struct boot_info *bi)
{
	size_t size = p ? rsdp_valid_size(p) : 0;

	if (size == 0)
		return false;
	bi->rsdp = (uint64_t)(uintptr_t)p;
	bi->rsdp_revision = p[ACPI_RSDP_REVISION_OFFSET];
	memcpy(bi->rsdp_data, p, size);
	bi->has_rsdp = true;
	log_info("efi: ACPI RSDP at %#llx, revision %u",
		 (unsigned long long)bi->rsdp, bi->rsdp_revision);
	return true;
}

void efi_find_rsdp(struct boot_info *bi)
{
	const uint8_t *v2 = config_table(&acpi20_guid);
	const uint8_t *v1 = config_table(&acpi10_guid);

	if (v2 && use_rsdp(v2, bi))
		return;
	if (v2)
		log_warn("efi: ACPI 2.0 table entry is not a valid RSDP");
	if (v1 && use_rsdp(v1, bi))
		return;
	if (v1)
		log_warn("efi: ACPI 1.0 table entry is not a valid RSDP");
	if (!v1 && !v2)
		log_warn("efi: the firmware publishes no ACPI tables");
}

/* Position and width of the set bits of a channel mask.  (A loop, not
 * __builtin_popcount: without POPCNT that is a libgcc call.) */
static void mask_to_field(uint32_t mask, uint8_t *pos, uint8_t *size)
{
	*pos = mask ? (uint8_t)__builtin_ctz(mask) : 0;
	*size = 0;
	for (; mask; mask &= mask - 1)
		(*size)++;
}

static bool gop_pixel_layout(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info,
			     struct boot_framebuffer *fb)
{
	/* 8-bit channels in a 32-bit pixel, byte 0 first. */
	static const EFI_PIXEL_BITMASK rgbx = { 0xff, 0xff00, 0xff0000, 0 };
	static const EFI_PIXEL_BITMASK bgrx = { 0xff0000, 0xff00, 0xff, 0 };
	const EFI_PIXEL_BITMASK *m;

	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor: m = &rgbx; break;
	case PixelBlueGreenRedReserved8BitPerColor: m = &bgrx; break;
	case PixelBitMask: m = &info->PixelInformation; break;
	default: return false;          /* Blt only: no linear framebuffer */
	}
	mask_to_field(m->RedMask, &fb->red_pos, &fb->red_size);
	mask_to_field(m->GreenMask, &fb->green_pos, &fb->green_size);
	mask_to_field(m->BlueMask, &fb->blue_pos, &fb->blue_size);
	fb->bpp = 32;
	return true;
}

void efi_find_framebuffer(struct boot_info *bi)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	struct boot_framebuffer *fb = &bi->fb;
	EFI_STATUS s;

	s = efi_bs->LocateProtocol(&gop_guid, NULL, (void **)&gop);
	if (EFI_ERROR(s) || !gop || !gop->Mode || !gop->Mode->Info) {
		log_info("efi: no graphics output");
		return;
	}
	if (!gop_pixel_layout(gop->Mode->Info, fb)) {
		log_info("efi: graphics output has no linear framebuffer");
		return;
	}
	fb->addr = gop->Mode->FrameBufferBase;
	fb->width = gop->Mode->Info->HorizontalResolution;
	fb->height = gop->Mode->Info->VerticalResolution;
	fb->pitch = gop->Mode->Info->PixelsPerScanLine * (fb->bpp / 8);
	fb->type = BOOT_FB_RGB;
	bi->has_framebuffer = true;
	log_info("efi: framebuffer %ux%u at %#llx, pitch %u", fb->width,
		 fb->height, (unsigned long long)fb->addr, fb->pitch);
}

void efi_describe_loader(struct boot_info *bi)
{
	char vendor[BOOT_LOADER_MAX];

	efi_char16_to_ascii(efi_st->FirmwareVendor, vendor, sizeof(vendor));
	format(bi->loader, sizeof(bi->loader), "UEFI: %s %#x (UEFI %u.%u)",
	       vendor, efi_st->FirmwareRevision,
	       EFI_REVISION_MAJOR(efi_st->Hdr.Revision),
	       EFI_REVISION_MINOR(efi_st->Hdr.Revision));
}
