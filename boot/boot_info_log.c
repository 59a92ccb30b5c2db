/*
 * boot_info_log: a readable dump of what the loader handed over, so a boot
 * transcript alone shows which machine and which map the run used.
 */
#include "arch/x86/acpi.h"
#include "boot/boot_info.h"
#include "lib/bits.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/str.h"

#define KIB_SHIFT 10
#define MEM_TOTALS_LINE_MAX 160

#define ULL(x) ((unsigned long long)(x))

/* Sizes in MiB when at least one MiB, else KiB, else bytes. */
static void size_text(uint64_t bytes, char *out, size_t size)
{
	if (bytes >= (1ull << MIB_SHIFT))
		format(out, size, "%llu MiB", ULL(bytes >> MIB_SHIFT));
	else if (bytes >= (1ull << KIB_SHIFT))
		format(out, size, "%llu KiB", ULL(bytes >> KIB_SHIFT));
	else
		format(out, size, "%llu bytes", ULL(bytes));
}

/* One line with the number of ranges and the total of each type present:
 * "mem: 6 range(s): usable 255 MiB, reserved 356 KiB" (every byte of the
 * log costs the boot its time on the UART, so the totals share a line). */
static void log_totals(uint32_t ranges, const uint64_t total[MEM_TYPE_COUNT])
{
	char line[MEM_TOTALS_LINE_MAX], size[32];
	size_t n = 0;

	line[0] = '\0';
	for (uint32_t t = 1; t < MEM_TYPE_COUNT && n < sizeof(line); t++) {
		if (!total[t])
			continue;
		size_text(total[t], size, sizeof(size));
		n += format(line + n, sizeof(line) - n, "%s%s %s",
			    n ? ", " : "", mem_type_name(t), size);
	}
	log_info("mem: %u range(s): %s", ranges, line);
}

/* The memory map: the totals at info level, one line a range at debug
 * level (loglevel=debug). */
static void log_mmap(const struct boot_info *bi)
{
	uint64_t total[MEM_TYPE_COUNT] = { 0 };
	char size[32];

	for (uint32_t i = 0; i < bi->mmap.count; i++) {
		const struct mem_range *r = &bi->mmap.ranges[i];

		size_text(r->length, size, sizeof(size));
		log_debug("mem: 0x%016llx-0x%016llx %s (%s)", ULL(r->base),
			 ULL(r->base + r->length - 1),
			 mem_type_name(r->type), size);
		if (r->type < MEM_TYPE_COUNT)
			total[r->type] += r->length;
	}
	log_totals(bi->mmap.count, total);
}

static void log_modules(const struct boot_info *bi)
{
	log_info("modules: %u", bi->module_count);
	for (uint32_t i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		log_info("module %u: '%s' at 0x%llx, %llu bytes, cmdline '%s'",
			 i, m->name, ULL(m->base), ULL(m->size), m->cmdline);
	}
}

/* The OEM ID from the RSDP copy, non-printable bytes shown as '?'. */
static void log_rsdp(const struct boot_info *bi)
{
	char oem[ACPI_RSDP_OEMID_LEN + 1];

	if (!bi->has_rsdp) {
		log_info("ACPI: RSDP %s", bi->rsdp ? "address only (no copy)"
						   : "not provided");
		if (bi->rsdp)
			log_info("ACPI: RSDP at 0x%llx", ULL(bi->rsdp));
		return;
	}
	for (int i = 0; i < ACPI_RSDP_OEMID_LEN; i++) {
		uint8_t c = bi->rsdp_data[ACPI_RSDP_OEMID_OFFSET + i];

		oem[i] = ascii_printable(c) ? (char)c : '?';
	}
	oem[ACPI_RSDP_OEMID_LEN] = '\0';
	log_info("ACPI: RSDP at 0x%llx, revision %u, OEM '%s'", ULL(bi->rsdp),
		 bi->rsdp_revision, oem);
}

static void log_framebuffer(const struct boot_info *bi)
{
	const struct boot_framebuffer *fb = &bi->fb;

	if (!bi->has_framebuffer) {
		log_debug("framebuffer: none");
		return;
	}
	log_debug("framebuffer: 0x%llx %ux%u, %u bpp, pitch %u, type %u",
		 ULL(fb->addr), fb->width, fb->height, fb->bpp, fb->pitch,
		 fb->type);
}

/* Where the image came from (boot/image_move.h): moved out of the guest's
 * way, or left where the loader put it. */
static void log_image_move(const struct boot_info *bi)
{
	if (bi->image_load_base != bi->image_base)
		log_info("boot: image moved from 0x%llx, where the loader put "
			 "it (now free RAM)", ULL(bi->image_load_base));
	else
		log_warn("boot: image left where the loader put it (no free "
			 "block below 4 GiB for it and its pool, or it cannot "
			 "be relocated): the guest's memory has a hole there");
}

void boot_info_log(const struct boot_info *bi)
{
	log_info("boot: firmware %s, path %s", boot_firmware_name(bi->firmware),
		 boot_path_name(bi->path));
	log_info("boot: loader '%s'", bi->loader[0] ? bi->loader : "unknown");
	log_info("boot: cmdline '%s'", bi->cmdline);
	log_info("boot: image 0x%llx-0x%llx (%llu KiB)", ULL(bi->image_base),
		 ULL(bi->image_base + bi->image_size - (bi->image_size ? 1 : 0)),
		 ULL(bi->image_size >> KIB_SHIFT));
	log_image_move(bi);
	if (bi->efi_system_table)
		log_info("boot: EFI system table at 0x%llx",
			 ULL(bi->efi_system_table));
	log_mmap(bi);
	log_modules(bi);
	log_rsdp(bi);
	log_framebuffer(bi);
}
