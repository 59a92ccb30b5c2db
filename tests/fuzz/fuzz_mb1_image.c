/*
 * Fuzz mb1_image_parse (guest/multiboot/image.c): a multiboot (v1) guest
 * kernel, a.out kludge or ELF32/ELF64.  The input is the image file.
 */
#include "guest/multiboot/image.h"
#include "guest/multiboot/multiboot.h"
#include "tests/fuzz/fuzz.h"

static void check_segment(const struct mb1_image *img, uint32_t i,
			  uint64_t size)
{
	const struct mb1_segment *s = &img->segments[i];

	FUZZ_CHECK(s->file_offset <= size &&
		   s->file_size <= size - s->file_offset,
		   "segment %u file bytes [%#llx, +%#llx) outside the %llu-byte "
		   "file", i, (unsigned long long)s->file_offset,
		   (unsigned long long)s->file_size, (unsigned long long)size);
	FUZZ_CHECK(s->file_size <= s->mem_size, "segment %u filesz > memsz", i);
	FUZZ_CHECK(s->dest <= MB1_ADDRESS_LIMIT &&
		   s->mem_size <= MB1_ADDRESS_LIMIT - s->dest,
		   "segment %u [%#llx, +%#llx) not below 4 GiB", i,
		   (unsigned long long)s->dest, (unsigned long long)s->mem_size);
	for (uint32_t j = 0; j < i; j++) {
		const struct mb1_segment *o = &img->segments[j];

		FUZZ_CHECK(s->dest >= o->dest + o->mem_size ||
			   o->dest >= s->dest + s->mem_size,
			   "segments %u and %u overlap", j, i);
	}
}

static bool entry_in_file_part(const struct mb1_image *img)
{
	for (uint32_t i = 0; i < img->segment_count; i++) {
		const struct mb1_segment *s = &img->segments[i];

		if (img->entry >= s->dest && img->entry - s->dest < s->file_size)
			return true;
	}
	return false;
}

static void check_accepted(const struct mb1_image *img, const uint8_t *file,
			   uint64_t size)
{
	uint32_t h = img->header_offset;

	FUZZ_CHECK(img->format >= MB1_FORMAT_AOUT_KLUDGE &&
		   img->format <= MB1_FORMAT_ELF64, "format %u", img->format);
	FUZZ_CHECK(h % MB1_HEADER_ALIGN == 0 &&
		   h + MB1_HEADER_MAGIC_SIZE <= size &&
		   h + MB1_HEADER_MAGIC_SIZE <= MB1_HEADER_SEARCH_LIMIT,
		   "header offset %#x", h);
	FUZZ_CHECK(!memcmp(file + h + 4, &img->header_flags, 4),
		   "header flags not the file's");
	FUZZ_CHECK(img->segment_count >= 1 &&
		   img->segment_count <= MB1_SEGMENTS_MAX,
		   "segment_count %u", img->segment_count);
	for (uint32_t i = 0; i < img->segment_count; i++)
		check_segment(img, i, size);
	FUZZ_CHECK(entry_in_file_part(img), "entry %#llx outside the loaded "
		   "file bytes", (unsigned long long)img->entry);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb1_image img;
	char err[160];

	memset(err, 'x', sizeof(err));
	if (mb1_image_parse(data, size, &img, err, sizeof(err)))
		check_accepted(&img, data, size);
	else
		FUZZ_CHECK(fuzz_has_nul(err, sizeof(err)) && err[0],
			   "refusal without a reason");
	return 0;
}
