/*
 * The GNU-EFI application's pieces (boot/efi/ only, built with GNU-EFI's
 * headers).  efi_main (efi_main.c) runs them in order while boot services
 * are up, fills one struct boot_info, leaves boot services (efi_exit.c) and
 * enters the core on the hypervisor's own stack (boot/image_move.h).
 *
 * Firmware calls go straight through the protocol function pointers: the
 * build defines GNU_EFI_USE_MS_ABI, so GNU-EFI declares them ms_abi and
 * GCC emits the right calling convention.  libefi's helpers (InitializeLib,
 * Print, ...) are not used: libefi's init.o also defines memset/memcpy,
 * which clash with lib/str.c at link time.
 */
#ifndef BOOT_EFI_EFI_BOOT_H
#define BOOT_EFI_EFI_BOOT_H

#include <efi.h>

#include "boot/boot_info.h"
#include "boot/efi_config.h"

/* The entry crt0 calls (System V convention, see efi_main.c). */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* The firmware's handles, set first thing in efi_main. */
extern EFI_HANDLE efi_image_handle;
extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;

#define EFI_PAGE_BYTES 4096u

/*
 * The log before the core (efi_console.c): ConOut while boot services are
 * up, the UART as hv.cfg asks - each line once on the UART even when the
 * firmware mirrors ConOut there.
 */
void efi_log_start(void);                   /* ConOut sink */
void efi_log_serial(uint16_t port, uint32_t baud);   /* UART wanted */
void efi_log_leave_firmware(void);   /* before the final GetMemoryMap */
void efi_log_firmware_gone(bool left);   /* after ExitBootServices;
                                            false: it failed */
void efi_log_stop(void);             /* before hv_main: it sets its own */
/* ASCII copy of a firmware CHAR16 string ('?' for anything else). */
void efi_char16_to_ascii(const CHAR16 *in, char *out, size_t out_size);
/* "not found", "out of resources", ... for log messages. */
const char *efi_status_str(EFI_STATUS status);

/* Files (efi_files.c) on the volume hv.efi was loaded from. */
EFI_LOADED_IMAGE *efi_loaded_image(void);
struct efi_volume {
	EFI_FILE_HANDLE root;
	char dir[EFI_CONFIG_PATH_MAX];      /* hv.efi's directory, "\EFI\BOOT" */
};
bool efi_volume_open(EFI_LOADED_IMAGE *image, struct efi_volume *vol);
/* Read hv.cfg from vol->dir into cfg; a missing file gives the defaults.
 * False when the file is unreadable or malformed: cfg->error says why
 * (not logged yet), and cfg holds what the lines before the bad one set. */
bool efi_read_config(struct efi_volume *vol, struct efi_config *cfg);
/* Load every module cfg names into pages below 4 GiB and add them to bi.
 * False (after logging which file and why) on the first failure. */
bool efi_load_modules(struct efi_volume *vol, const struct efi_config *cfg,
		      struct boot_info *bi);

/* Firmware tables (efi_tables.c). */
void efi_find_rsdp(struct boot_info *bi);
void efi_find_framebuffer(struct boot_info *bi);
void efi_describe_loader(struct boot_info *bi);

/*
 * Leave boot services (efi_exit.c): fetch the memory map, call
 * ExitBootServices with its key (retrying with a fresh map when the map
 * changed), then convert the map into bi.  On success boot services are
 * gone and interrupts are off; on failure (logged) they are still up.
 */
bool efi_exit_boot_services(struct boot_info *bi);

#endif
