/*
 * str_copy, str_append, str_list_add: bounded string building.  In its own file because it is pure and
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

void str_append(char *dst, const char *s, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return;
	while (len < size - 1 && dst[len])
		len++;
	while (len < size - 1 && *s)
		dst[len++] = *s++;
	dst[len] = '\0';
}

void str_list_add(char *dst, const char *item, size_t size)
{
	if (size && dst[0])
		str_append(dst, ", ", size);
	str_append(dst, item, size);
}
