/*
 * efi_main: the GNU-EFI application's entry (hv.efi).  While boot services
 * are up it gathers everything into one struct boot_info: the image's own
 * extent, hv.cfg, the modules it names, the RSDP and the framebuffer; then
 * it leaves boot services and enters the core on the hypervisor's stack,
 * after moving the image out of the guest's way (boot/image_move.h).
 *
 * Debian's crt0-efi-x86_64.o relocates the image and then calls efi_main
 * with the System V convention: efi_main is deliberately not EFIAPI.
 */
#include "boot/efi/efi_boot.h"

#include "boot/config.h"
#include "boot/efi_load_options.h"
#include "boot/image_move.h"
#include "drivers/stop.h"
#include "lib/log.h"
#include "lib/str.h"

/* hv.efi is linked at 0 (linker/hv-efi.ld); GNU-EFI's crt0 relocated it
 * to where the firmware loaded it. */
#define HV_EFI_LINK_BASE 0

EFI_HANDLE efi_image_handle;
EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;

/* In the image, not in firmware memory: the core reserves the image. */
static struct boot_info efi_bi;
static struct efi_config efi_cfg;
static struct hv_config early_cfg;

/*
 * The log before hv_main: ConOut, plus the UART and test-exit as the
 * command line asks (the core parses it again for itself).
 */
static void early_console(const char *cmdline)
{
	config_parse(cmdline, &early_cfg);
	log_set_level(early_cfg.log_level);
	hv_stop_set_test_exit(early_cfg.test_exit);
	if (early_cfg.serial_enabled)
		efi_log_serial(early_cfg.serial_port, early_cfg.serial_baud);
}

static void record_image(EFI_LOADED_IMAGE *image, struct boot_info *bi)
{
	bi->image_base = (uint64_t)(uintptr_t)image->ImageBase;
	bi->image_size = image->ImageSize;
	log_info("efi: hv.efi at %#llx, %llu bytes",
		 (unsigned long long)bi->image_base,
		 (unsigned long long)bi->image_size);
}

/*
 * hv.cfg and the modules.  A malformed hv.cfg still sets up the console
 * from the lines before the bad one, so that test-exit applies.
 */
static void load_config_and_modules(EFI_LOADED_IMAGE *image,
				    struct boot_info *bi)
{
	struct efi_volume vol;

	if (!efi_volume_open(image, &vol))
		hv_stop(false, "cannot read hv.efi's volume");
	if (!efi_read_config(&vol, &efi_cfg)) {
		early_console(efi_cfg.cmdline);
		log_error("efi: %s", efi_cfg.error);
		hv_stop(false, "bad hv.cfg");
	}
	str_copy(bi->cmdline, efi_cfg.cmdline, sizeof(bi->cmdline));
	early_console(bi->cmdline);
	if (!efi_load_modules(&vol, &efi_cfg, bi))
		hv_stop(false, "a module named in hv.cfg could not be loaded");
	vol.root->Close(vol.root);
}

/*
 * hv.efi's load options (a boot entry's optional data, or what follows the
 * program's name in the UEFI shell) go to the end of the Linux kernel's
 * command line (boot/efi_load_options.h).  Anything but printable ASCII,
 * or a line too long, stops with the reason: booting with a command line
 * other than the one the user wrote would be worse.
 */
static void apply_load_options(EFI_LOADED_IMAGE *image, struct boot_info *bi)
{
	static char words[BOOT_CMDLINE_MAX];
	char err[EFI_LOAD_OPTIONS_ERROR_MAX];
	enum efi_load_options_kind kind;

	kind = efi_load_options_to_ascii(image->LoadOptions,
					 image->LoadOptionsSize, words,
					 sizeof(words), err, sizeof(err));
	if (kind == EFI_LOAD_OPTIONS_FW_TAG)
		log_info("efi: load options: the boot manager's own tag, "
			 "no command line");
	if (kind == EFI_LOAD_OPTIONS_BAD) {
		log_error("efi: %s", err);
		hv_stop(false, "bad UEFI load options");
	}
	if (kind != EFI_LOAD_OPTIONS_TEXT)
		return;
	if (!efi_load_options_apply(bi, words, err, sizeof(err))) {
		log_error("efi: %s ('%s')", err, words);
		hv_stop(false, "bad UEFI load options");
	}
	log_info("efi: load options '%s' appended to the '%s' command line",
		 words, EFI_LOAD_OPTIONS_ROLE);
}

static void gather_firmware_info(struct boot_info *bi)
{
	efi_describe_loader(bi);
	bi->efi_system_table = (uint64_t)(uintptr_t)efi_st;
	log_info("efi: firmware %s", bi->loader);
	efi_find_rsdp(bi);
	efi_find_framebuffer(bi);
}

EFI_STATUS efi_main(EFI_HANDLE image_handle, EFI_SYSTEM_TABLE *systab)
{
	struct boot_info *bi = &efi_bi;
	EFI_LOADED_IMAGE *image;

	efi_image_handle = image_handle;
	efi_st = systab;
	efi_bs = systab->BootServices;
	efi_log_start();
	/* The boot manager arms a 5-minute watchdog; loading large modules
	 * in an emulator may take longer. */
	efi_bs->SetWatchdogTimer(0, 0, 0, NULL);

	boot_info_init(bi, BOOT_FW_UEFI, BOOT_PATH_UEFI);
	image = efi_loaded_image();
	if (!image)
		hv_stop(false, "no LoadedImage protocol");
	record_image(image, bi);
	load_config_and_modules(image, bi);
	apply_load_options(image, bi);
	gather_firmware_info(bi);

	if (!efi_exit_boot_services(bi))
		hv_stop(false, "could not leave UEFI boot services");
	/* hv_main sets up its own console from the command line; no sink
	 * may point into the image the move leaves behind. */
	efi_log_stop();
	boot_enter_core(bi, HV_EFI_LINK_BASE);
}
