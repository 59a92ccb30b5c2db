/* Helpers shared by the fuzz targets (see tests/fuzz/fuzz.h). */
#include <stdarg.h>

#include "tests/fuzz/fuzz.h"

void fuzz_broken(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz promise broken: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

uint64_t fuzz_take(struct fuzz_in *in, size_t bytes)
{
	uint64_t v = 0;

	for (size_t i = 0; i < bytes && i < sizeof(v); i++) {
		if (!in->left)
			break;
		v |= (uint64_t)*in->p++ << (8 * i);
		in->left--;
	}
	return v;
}

char *fuzz_take_string(struct fuzz_in *in, size_t max)
{
	size_t n = in->left < max ? in->left : max;
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, in->p, n);
	s[n] = '\0';
	in->p += n;
	in->left -= n;
	return s;
}

uint8_t *fuzz_dup(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		abort();
	memcpy(copy, data, size);
	return copy;
}

bool fuzz_has_nul(const char *s, size_t n)
{
	return memchr(s, '\0', n) != NULL;
}

void fuzz_check_normalized_mmap(const struct boot_info *bi)
{
	FUZZ_CHECK(bi->mmap.count <= MEMMAP_MAX, "mmap_count %u",
		   bi->mmap.count);
	for (uint32_t i = 0; i < bi->mmap.count; i++) {
		const struct mem_range *r = &bi->mmap.ranges[i], *prev = r - 1;

		FUZZ_CHECK(r->length && r->base + r->length > r->base,
			   "range %u [%#llx, +%#llx) empty or wrapping", i,
			   (unsigned long long)r->base,
			   (unsigned long long)r->length);
		FUZZ_CHECK(r->type > 0 && r->type < MEM_TYPE_COUNT,
			   "range %u has type %u", i, r->type);
		if (!i)
			continue;
		FUZZ_CHECK(prev->base + prev->length <= r->base,
			   "ranges %u and %u overlap or are unsorted", i - 1, i);
		FUZZ_CHECK(prev->base + prev->length < r->base ||
			   prev->type != r->type,
			   "ranges %u and %u touch with one type", i - 1, i);
	}
}

void fuzz_check_modules(const struct boot_info *bi)
{
	FUZZ_CHECK(bi->module_count <= BOOT_MODULES_MAX, "module_count %u",
		   bi->module_count);
	for (uint32_t i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		FUZZ_CHECK(fuzz_has_nul(m->name, sizeof(m->name)) &&
			   fuzz_has_nul(m->cmdline, sizeof(m->cmdline)),
			   "module %u strings not terminated", i);
		FUZZ_CHECK(!strpbrk(m->name, " \t\r\n"),
			   "module %u name '%s' holds a blank", i, m->name);
		FUZZ_CHECK(m->base + m->size >= m->base,
			   "module %u wraps", i);
	}
}
