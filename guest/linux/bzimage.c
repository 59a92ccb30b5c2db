/*
 * bzImage parsing: is this a kernel the 32-bit boot protocol can start, and
 * where are its parts (Linux boot.rst, "THE REAL-MODE KERNEL HEADER",
 * "LOADING THE REST OF THE KERNEL").  Pure: reads only the file bytes.
 */
#include "guest/linux/linux.h"
#include "lib/format.h"
#include "lib/str.h"

#define HEADER_MAGIC_OFFSET   0x202
#define SETUP_HEADER_END      (BZ_SETUP_HEADER_OFFSET + sizeof(struct setup_header))
/* Before 2.10 there is no init_size: assume room for in-place
 * decompression, four times the compressed part, at most 4 GiB - 1. */
#define INIT_SIZE_GUESS_FACTOR 4
#define INIT_SIZE_GUESS_MAX   (UINT32_MAX / INIT_SIZE_GUESS_FACTOR)

/* Report a fixed message into err and return false. */
#define fail(err, n, what) format_error(err, n, "%s", what)

/* The little-endian 32-bit value at p, which need not be aligned. */
static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The setup header as the file has it; fields past its end read as 0
 * (older protocols have a shorter header). */
static uint32_t copy_header(const uint8_t *file, uint64_t size,
			    struct setup_header *h)
{
	uint64_t end = BZ_HEADER_END_BASE + file[BZ_JUMP_LENGTH_OFFSET];

	if (end > SETUP_HEADER_END)
		end = SETUP_HEADER_END;
	if (end > size)
		end = size;
	memset(h, 0, sizeof(*h));
	memcpy(h, file + BZ_SETUP_HEADER_OFFSET, end - BZ_SETUP_HEADER_OFFSET);
	return (uint32_t)end;
}

/* Whether the file is a bzImage this loader can boot: "HdrS", the
 * boot-sector flag, protocol 2.06 or later, loaded high.  False with err
 * naming what is wrong. */
static bool check_signatures(const uint8_t *file, uint64_t size,
			     const struct setup_header *h, char *err, size_t n)
{
	if (size < HEADER_MAGIC_OFFSET + sizeof(uint32_t) ||
	    le32_at(file + HEADER_MAGIC_OFFSET) != BZ_HEADER_MAGIC) {
		if (size < SETUP_HEADER_END)
			format(err, n, "not a bzImage (no HdrS signature; the "
			       "file is only %llu bytes)", (unsigned long long)size);
		else
			format(err, n, "not a bzImage (no HdrS signature)");
		return false;
	}
	if (h->boot_flag != BZ_BOOT_FLAG) {
		format(err, n, "not a bzImage (boot sector flag 0x%04x, want "
		       "0x%04x)", h->boot_flag, BZ_BOOT_FLAG);
		return false;
	}
	if (h->version < BZ_PROTOCOL_MIN) {
		format(err, n, "boot protocol %u.%02u is too old (need 2.06 or "
		       "later)", h->version >> 8, h->version & 0xff);
		return false;
	}
	if (!(h->loadflags & BZ_LOADED_HIGH))
		return fail(err, n, "a zImage (loaded low) is not supported: "
			    "need a bzImage (LOADED_HIGH)");
	return true;
}

/* Setup code and protected-mode kernel: both must be inside the file.
 * syssize counts 16-byte paragraphs, rounded up: the last one may be
 * partial (Debian's memtest86+ 6.10 ends 8 bytes into its last paragraph,
 * and GRUB, which loads the file's length, boots it). */
static bool check_sizes(uint64_t size, const struct setup_header *h,
			struct bzimage *bz, char *err, size_t n)
{
	uint32_t sects = h->setup_sects ? h->setup_sects : BZ_SETUP_SECTS_DEFAULT;
	uint64_t pm_declared = (uint64_t)h->syssize * BZ_SYSSIZE_UNIT;
	uint64_t pm_min = pm_declared - (BZ_SYSSIZE_UNIT - 1);

	bz->setup_size = (sects + 1) * BZ_SECTOR_SIZE;
	if (bz->setup_size >= size) {
		format(err, n, "truncated: %u setup sectors need %u bytes, the "
		       "file has %llu", sects, bz->setup_size + 1,
		       (unsigned long long)size);
		return false;
	}
	if (!pm_declared)
		return fail(err, n, "corrupt header: syssize is 0 (no "
			    "protected-mode kernel)");
	if (bz->setup_size + pm_min > size) {
		format(err, n, "truncated: the header says %llu bytes (setup "
		       "%u + syssize %u x 16), the file has %llu",
		       (unsigned long long)(bz->setup_size + pm_declared),
		       bz->setup_size, h->syssize, (unsigned long long)size);
		return false;
	}
	bz->pm_offset = bz->setup_size;
	bz->pm_size = size - bz->setup_size;
	return true;
}

/* Whether v is a power of two (0 is not). */
static bool is_power_of_two(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Placement fields; protocols before 2.10 have no pref_address/init_size:
 * assume the traditional 1 MiB and room for in-place decompression. */
static bool take_placement(const struct setup_header *h, struct bzimage *bz,
			   char *err, size_t n)
{
	bz->relocatable = h->relocatable_kernel != 0;
	bz->kernel_alignment = h->kernel_alignment;
	if (bz->relocatable && !is_power_of_two(bz->kernel_alignment)) {
		format(err, n, "corrupt header: kernel_alignment 0x%x is not a "
		       "power of two", bz->kernel_alignment);
		return false;
	}
	bz->code32_start = h->code32_start ? h->code32_start
					   : BZ_CODE32_START_DEFAULT;
	if (h->version >= BZ_PROTOCOL_2_10) {
		bz->pref_address = h->pref_address;
		bz->init_size = h->init_size;
	}
	if (!bz->pref_address)
		bz->pref_address = bz->code32_start;
	if (!bz->init_size)
		bz->init_size = bz->pm_size > INIT_SIZE_GUESS_MAX ? UINT32_MAX :
				(uint32_t)(bz->pm_size * INIT_SIZE_GUESS_FACTOR);
	return true;
}

/* From pref_address the kernel reaches at most kernel_alignment - 1 bytes
 * of realignment plus init_size or the protected-mode part, whichever is
 * larger (bzimage_footprint).  A header whose reach passes 2^64 is corrupt:
 * every sum the loader makes from it would wrap. */
static bool check_reach(const struct bzimage *bz, char *err, size_t n)
{
	uint64_t slack = bz->relocatable ? bz->kernel_alignment - 1 : 0;
	uint64_t size = bz->init_size > bz->pm_size ? bz->init_size : bz->pm_size;
	uint64_t room = UINT64_MAX - bz->pref_address;

	if (slack <= room && size <= room - slack)
		return true;
	format(err, n, "corrupt header: pref_address %#llx with %#llx bytes "
	       "(init_size or the file) wraps past 2^64",
	       (unsigned long long)bz->pref_address, (unsigned long long)size);
	return false;
}

/* Parse and check the bzImage of size bytes at file into out: where the
 * protected-mode kernel is in the file, the protocol's placement limits and
 * flags.  Pure: only reads file.  False with err saying what is wrong in the
 * user's words. */
bool bzimage_parse(const void *file, uint64_t size, struct bzimage *out,
		   char *err, size_t err_size)
{
	const uint8_t *f = file;
	struct setup_header h;

	memset(out, 0, sizeof(*out));
	if (size <= BZ_JUMP_LENGTH_OFFSET) {
		format(err, err_size, "not a bzImage (no HdrS signature; the "
		       "file is only %llu bytes)", (unsigned long long)size);
		return false;
	}
	out->header_end = copy_header(f, size, &h);
	if (!check_signatures(f, size, &h, err, err_size) ||
	    !check_sizes(size, &h, out, err, err_size) ||
	    !take_placement(&h, out, err, err_size) ||
	    !check_reach(out, err, err_size))
		return false;
	out->version = h.version;
	out->loadflags = h.loadflags;
	out->initrd_addr_max = h.initrd_addr_max ? h.initrd_addr_max
						 : BZ_INITRD_ADDR_MAX_OLD;
	out->cmdline_size = h.cmdline_size;
	out->xloadflags = h.version >= BZ_PROTOCOL_2_12 ? h.xloadflags : 0;
	return true;
}

/* The bytes of guest memory the kernel uses from load_addr, until its
 * decompressor is done: the image itself, or init_size from where it will
 * run (aligned up when relocatable, pref_address when not), whichever ends
 * later. */
uint64_t bzimage_footprint(const struct bzimage *bz, uint64_t load_addr)
{
	uint64_t runtime = load_addr, end;

	if (bz->relocatable) {
		uint64_t a = bz->kernel_alignment;

		runtime = (load_addr + a - 1) & ~(a - 1);
	} else if (bz->pref_address > load_addr) {
		runtime = bz->pref_address;
	}
	end = runtime + bz->init_size;
	if (end < load_addr + bz->pm_size)
		end = load_addr + bz->pm_size;
	return end - load_addr;
}
