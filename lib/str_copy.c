/*
 * str_copy: bounded string copy.  In its own file because it is pure and
 * also linked into the host unit tests (where the C library provides the
 * standard routines of lib/str.c).
 */
#include "lib/str.h"

size_t str_copy(char *dst, const char *src, size_t size)
{
	size_t n = 0;

	if (size == 0)
		return 0;
	while (n + 1 < size && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
	return n;
}
