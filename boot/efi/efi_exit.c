/*
 * Leaving boot services.  ExitBootServices wants the key of the current
 * memory map, and any allocation (even one the firmware makes behind our
 * back, e.g. for a timer event) changes the key: so the map buffer is
 * allocated first, with slack, and the final GetMemoryMap is followed by
 * ExitBootServices with nothing in between that could allocate - not even
 * console output, hence the ConOut sink goes first.  After a failed
 * ExitBootServices only GetMemoryMap may be called again (UEFI spec,
 * EFI_BOOT_SERVICES.ExitBootServices()), which the retry loop does.
 */
#include "arch/x86/cpu.h"
#include "boot/efi/efi_boot.h"
#include "boot/efi_memmap.h"

#include "lib/log.h"

/* Room for descriptors the allocation of the buffer itself, and whatever
 * firmware does between the calls, may add. */
#define MMAP_SLACK_DESCRIPTORS 32
#define EXIT_ATTEMPTS          4

struct efi_mmap {
	void *buf;
	UINTN capacity;
	UINTN size;
	UINTN key;
	UINTN desc_size;
	UINT32 desc_version;
};

static bool mmap_alloc(struct efi_mmap *m)
{
	EFI_STATUS s;

	m->size = 0;
	s = efi_bs->GetMemoryMap(&m->size, NULL, &m->key, &m->desc_size,
				 &m->desc_version);
	if (s != EFI_BUFFER_TOO_SMALL || m->desc_size == 0) {
		log_error("efi: GetMemoryMap gave no map size (%s)",
			  efi_status_str(s));
		return false;
	}
	m->capacity = m->size + MMAP_SLACK_DESCRIPTORS * m->desc_size;
	s = efi_bs->AllocatePool(EfiLoaderData, m->capacity, &m->buf);
	if (EFI_ERROR(s)) {
		log_error("efi: no memory for the memory map (%s)",
			  efi_status_str(s));
		return false;
	}
	return true;
}

/* Fetch the map and exit with its key at once: nothing in between. */
static EFI_STATUS mmap_fetch_and_exit(struct efi_mmap *m)
{
	EFI_STATUS s;

	m->size = m->capacity;
	s = efi_bs->GetMemoryMap(&m->size, m->buf, &m->key, &m->desc_size,
				 &m->desc_version);
	if (EFI_ERROR(s))
		return s;
	return efi_bs->ExitBootServices(efi_image_handle, m->key);
}

/* No logging in here: the UART may not be set up yet, and ConOut is
 * gone.  *status is the last failure. */
static bool leave_boot_services(struct efi_mmap *m, EFI_STATUS *status)
{
	for (int attempt = 1; attempt <= EXIT_ATTEMPTS; attempt++) {
		*status = mmap_fetch_and_exit(m);
		if (!EFI_ERROR(*status)) {
			/* The firmware's IDT and timer handlers live in
			 * boot-services memory the core will reuse. */
			irq_disable();
			return true;
		}
		if (*status == EFI_BUFFER_TOO_SMALL)
			break;          /* allocating more is no longer allowed */
	}
	return false;
}

bool efi_exit_boot_services(struct boot_info *bi)
{
	struct efi_mmap m;
	EFI_STATUS status;
	bool left;

	if (!mmap_alloc(&m))
		return false;
	log_info("efi: leaving boot services");
	efi_log_leave_firmware();
	left = leave_boot_services(&m, &status);
	efi_log_firmware_gone(left);
	if (!left) {
		log_error("efi: ExitBootServices failed after %d attempt(s) "
			  "(%s)", EXIT_ATTEMPTS, efi_status_str(status));
		return false;
	}
	if (!efi_memmap_to_boot_info(m.buf, m.size, m.desc_size, bi)) {
		log_error("efi: memory map unusable (%llu bytes, descriptor "
			  "size %llu, %u ranges so far)",
			  (unsigned long long)m.size,
			  (unsigned long long)m.desc_size, bi->mmap.count);
		return false;
	}
	log_info("efi: boot services left; memory map: %llu descriptors -> "
		 "%u ranges", (unsigned long long)(m.size / m.desc_size),
		 bi->mmap.count);
	return true;
}
