/*
 * Parsing a multiboot (v1) OS image: where its bytes go and where it
 * starts.  Pure (guest/multiboot/image.c): reads only the image bytes it is
 * given, so host unit tests feed it synthetic images.
 */
#ifndef GUEST_MB1_IMAGE_H
#define GUEST_MB1_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB1_SEGMENTS_MAX 16

enum mb1_format {
	MB1_FORMAT_AOUT_KLUDGE = 1,  /* header flag 16: the header's addresses */
	MB1_FORMAT_ELF32,            /* PT_LOAD program headers, by p_paddr */
	MB1_FORMAT_ELF64,
};

/* Copy file bytes [file_offset, file_offset + file_size) to dest and zero
 * the rest of [dest, dest + mem_size). */
struct mb1_segment {
	uint64_t dest;               /* physical load address */
	uint64_t file_offset;
	uint64_t file_size;
	uint64_t mem_size;           /* >= file_size */
};

struct mb1_image {
	uint32_t format;             /* enum mb1_format */
	uint32_t header_offset;      /* of the multiboot header in the file */
	uint32_t header_flags;
	uint64_t entry;              /* physical */
	uint32_t segment_count;      /* >= 1, no two overlap, all below 4 GiB */
	struct mb1_segment segments[MB1_SEGMENTS_MAX];
};

/*
 * Parse the `size`-byte image at `image`.  On success fills `out`; the
 * entry lies in the file-backed part of a segment.  On failure writes a
 * precise reason into err (one sentence, no prefix) and returns false.
 */
bool mb1_image_parse(const void *image, uint64_t size, struct mb1_image *out,
		     char *err, size_t err_size);

/* "a.out kludge", "ELF32", "ELF64"; never NULL. */
const char *mb1_format_name(uint32_t format);

#endif
