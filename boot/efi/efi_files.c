/*
 * Files on the volume hv.efi came from: its directory, hv.cfg, and the
 * modules hv.cfg names.
 */
#include <stddef.h>

#include "boot/efi/efi_boot.h"

#include "lib/format.h"
#include "lib/log.h"
#include "lib/str.h"

/* Modules go below 4 GiB, where GRUB puts them on the multiboot2 path, so
 * the core sees the same picture whichever way it was booted. */
#define MODULE_MAX_ADDRESS 0xffffffffull

/* EFI_FILE_INFO ends in the file's name: room for the longest FAT name
 * (255 characters and a NUL). */
#define FILE_NAME_MAX   256
#define FILE_INFO_BYTES (offsetof(EFI_FILE_INFO, FileName) + \
			 FILE_NAME_MAX * sizeof(CHAR16))

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID simple_fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;

EFI_LOADED_IMAGE *efi_loaded_image(void)
{
	EFI_LOADED_IMAGE *image = NULL;
	EFI_STATUS s;

	s = efi_bs->HandleProtocol(efi_image_handle, &loaded_image_guid,
				   (void **)&image);
	if (EFI_ERROR(s)) {
		log_error("efi: no LoadedImage protocol on our handle (%s)",
			  efi_status_str(s));
		return NULL;
	}
	return image;
}

/* Append one file-path node's name to path (ASCII, '\' separated). */
static void append_file_node(const FILEPATH_DEVICE_PATH *node, char *path,
			     size_t size)
{
	size_t len = strlen(path);
	char name[EFI_CONFIG_PATH_MAX];

	efi_char16_to_ascii(node->PathName, name, sizeof(name));
	if (len > 0 && path[len - 1] != '\\' && name[0] != '\\' && len + 1 < size)
		path[len++] = '\\';
	str_copy(path + len, name, size - len);
}

/* "\EFI\BOOT\BOOTX64.EFI" from the image's device path: the file-path
 * nodes, in order.  Empty when the image did not come from a file. */
static void image_file_path(const EFI_DEVICE_PATH *dp, char *path, size_t size)
{
	path[0] = '\0';
	for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
		if ((size_t)DevicePathNodeLength(dp) < sizeof(EFI_DEVICE_PATH))
			break;          /* malformed: stop rather than loop */
		if (DevicePathType(dp) == MEDIA_DEVICE_PATH &&
		    DevicePathSubType(dp) == MEDIA_FILEPATH_DP)
			append_file_node((const FILEPATH_DEVICE_PATH *)dp, path,
					 size);
	}
}

/* Cut the file name off a path: "\EFI\BOOT\BOOTX64.EFI" -> "\EFI\BOOT". */
static void strip_file_name(char *path)
{
	char *last = NULL;

	for (char *p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			last = p;
	if (last)
		*last = '\0';
	else
		path[0] = '\0';
}

bool efi_volume_open(EFI_LOADED_IMAGE *image, struct efi_volume *vol)
{
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs = NULL;
	EFI_STATUS s;

	s = efi_bs->HandleProtocol(image->DeviceHandle, &simple_fs_guid,
				   (void **)&fs);
	if (EFI_ERROR(s)) {
		log_error("efi: the device hv.efi was loaded from has no file "
			  "system (%s)", efi_status_str(s));
		return false;
	}
	s = fs->OpenVolume(fs, &vol->root);
	if (EFI_ERROR(s)) {
		log_error("efi: cannot open hv.efi's volume (%s)",
			  efi_status_str(s));
		return false;
	}
	image_file_path(image->FilePath, vol->dir, sizeof(vol->dir));
	log_info("efi: loaded from '%s'", vol->dir[0] ? vol->dir : "?");
	strip_file_name(vol->dir);
	return true;
}

static EFI_STATUS open_file(struct efi_volume *vol, const char *path,
			    EFI_FILE_HANDLE *file)
{
	CHAR16 wide[EFI_CONFIG_PATH_MAX];
	size_t i;

	for (i = 0; path[i] && i + 1 < EFI_CONFIG_PATH_MAX; i++)
		wide[i] = (CHAR16)(unsigned char)path[i];
	wide[i] = 0;
	return vol->root->Open(vol->root, file, wide, EFI_FILE_MODE_READ, 0);
}

static EFI_STATUS file_size(EFI_FILE_HANDLE file, uint64_t *size)
{
	union {
		EFI_FILE_INFO info;
		uint8_t bytes[FILE_INFO_BYTES];
	} buf;
	UINTN len = sizeof(buf);
	EFI_STATUS s;

	s = file->GetInfo(file, &file_info_guid, &len, &buf);
	if (EFI_ERROR(s))
		return s;
	if (buf.info.Attribute & EFI_FILE_DIRECTORY)
		return EFI_ACCESS_DENIED;
	*size = buf.info.FileSize;
	return EFI_SUCCESS;
}

/* Read exactly `size` bytes from the start of `file` into dst. */
static EFI_STATUS read_all(EFI_FILE_HANDLE file, void *dst, uint64_t size)
{
	uint8_t *p = dst;

	while (size > 0) {
		UINTN chunk = size;
		EFI_STATUS s = file->Read(file, &chunk, p);

		if (EFI_ERROR(s))
			return s;
		if (chunk == 0)
			return EFI_END_OF_FILE;   /* file shrank under us */
		p += chunk;
		size -= chunk;
	}
	return EFI_SUCCESS;
}

/* Report a problem in cfg->error, for efi_main to log once the serial
 * console is up. */
#define config_error(cfg, ...) \
	format_error((cfg)->error, sizeof((cfg)->error), __VA_ARGS__)

static bool parse_config_file(EFI_FILE_HANDLE file, const char *path,
			      struct efi_config *cfg)
{
	char where[EFI_CONFIG_ERROR_MAX];
	uint64_t size = 0;
	char *text = NULL;
	EFI_STATUS s;
	bool ok;

	s = file_size(file, &size);
	if (!EFI_ERROR(s) && size > EFI_CONFIG_FILE_MAX)
		return config_error(cfg, "%s is %llu bytes, more than the %u "
				    "allowed", path, (unsigned long long)size,
				    EFI_CONFIG_FILE_MAX);
	if (!EFI_ERROR(s))
		s = efi_bs->AllocatePool(EfiLoaderData, size + 1, (void **)&text);
	if (!EFI_ERROR(s))
		s = read_all(file, text, size);
	if (EFI_ERROR(s)) {
		if (text)
			efi_bs->FreePool(text);
		return config_error(cfg, "cannot read %s (%s)", path,
				    efi_status_str(s));
	}
	ok = efi_config_parse(text, size, cfg);
	efi_bs->FreePool(text);
	if (!ok) {
		str_copy(where, cfg->error, sizeof(where));
		config_error(cfg, "%s %s", path, where);
	}
	return ok;
}

bool efi_read_config(struct efi_volume *vol, struct efi_config *cfg)
{
	char path[EFI_CONFIG_PATH_MAX];
	EFI_FILE_HANDLE file;
	EFI_STATUS s;
	bool ok;

	efi_config_init(cfg);
	if (!efi_config_resolve_path(vol->dir, EFI_CONFIG_FILE_NAME, path,
				     sizeof(path)))
		return config_error(cfg, "path of %s too long",
				    EFI_CONFIG_FILE_NAME);
	s = open_file(vol, path, &file);
	if (s == EFI_NOT_FOUND) {
		log_info("efi: no %s: empty command line, no modules", path);
		return true;
	}
	if (EFI_ERROR(s))
		return config_error(cfg, "cannot open %s (%s)", path,
				    efi_status_str(s));
	ok = parse_config_file(file, path, cfg);
	file->Close(file);
	if (ok)
		log_info("efi: %s: %u module(s), command line '%s'", path,
			 cfg->module_count, cfg->cmdline);
	return ok;
}

/* Pages below MODULE_MAX_ADDRESS for `size` bytes, page aligned. */
static EFI_STATUS alloc_module_pages(uint64_t size, EFI_PHYSICAL_ADDRESS *addr)
{
	UINTN pages = (size + EFI_PAGE_BYTES - 1) / EFI_PAGE_BYTES;

	*addr = MODULE_MAX_ADDRESS;
	return efi_bs->AllocatePages(AllocateMaxAddress, EfiLoaderData, pages,
				     addr);
}

static bool load_module(struct efi_volume *vol, const char *path,
			const char *cmdline, struct boot_info *bi)
{
	EFI_PHYSICAL_ADDRESS addr = 0;
	EFI_FILE_HANDLE file;
	uint64_t size = 0;
	EFI_STATUS s;

	s = open_file(vol, path, &file);
	if (s == EFI_NOT_FOUND) {
		log_error("efi: module %s named in hv.cfg: no such file", path);
		return false;
	}
	if (EFI_ERROR(s)) {
		log_error("efi: module %s: cannot open (%s)", path,
			  efi_status_str(s));
		return false;
	}
	s = file_size(file, &size);
	if (!EFI_ERROR(s) && size == 0) {
		log_error("efi: module %s is empty", path);
		file->Close(file);
		return false;
	}
	if (!EFI_ERROR(s))
		s = alloc_module_pages(size, &addr);
	if (!EFI_ERROR(s))
		s = read_all(file, (void *)(uintptr_t)addr, size);
	file->Close(file);
	if (EFI_ERROR(s)) {
		log_error("efi: module %s: cannot load %llu bytes (%s)", path,
			  (unsigned long long)size, efi_status_str(s));
		return false;
	}
	log_info("efi: module %s: %llu bytes at %#llx, '%s'", path,
		 (unsigned long long)size, (unsigned long long)addr, cmdline);
	if (!boot_info_add_module(bi, addr, size, cmdline)) {
		log_error("efi: module %s: boot_info refused it", path);
		return false;
	}
	return true;
}

bool efi_load_modules(struct efi_volume *vol, const struct efi_config *cfg,
		      struct boot_info *bi)
{
	char path[EFI_CONFIG_PATH_MAX];

	for (uint32_t i = 0; i < cfg->module_count; i++) {
		const struct efi_config_module *m = &cfg->modules[i];

		if (!efi_config_resolve_path(vol->dir, m->path, path,
					     sizeof(path))) {
			log_error("efi: module path '%s' too long", m->path);
			return false;
		}
		if (!load_module(vol, path, m->cmdline, bi))
			return false;
	}
	return true;
}
