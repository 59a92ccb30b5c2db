/*
 * Memory and string routines for the freestanding core.  GCC emits calls to
 * memset/memcpy/memmove/memcmp for struct copies and large initialisers, so
 * these must exist and must not themselves be compiled into such calls:
 * the copy/fill loops are single string instructions for that reason.
 */
#include "lib/str.h"

/* rep stosb: RDI = dst, RCX = count, AL = byte; clobbers RDI, RCX. */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(n)
			 : "a"(c)
			 : "memory");
	return dst;
}

/* rep movsb: RDI = dst, RSI = src, RCX = count; clobbers all three. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n)
			 :
			 : "memory");
	return dst;
}

/*
 * Overlapping copy: forwards when dst is below src, otherwise backwards
 * with the direction flag set (std ... cld), starting at the last byte.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	if (n == 0 || dst == src)
		return dst;
	if ((const char *)dst < (const char *)src)
		return memcpy(dst, src, n);

	char *d = (char *)dst + n - 1;
	const char *s = (const char *)src + n - 1;

	__asm__ volatile("std; rep movsb; cld"
			 : "+D"(d), "+S"(s), "+c"(n)
			 :
			 : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a, *pb = b;

	for (size_t i = 0; i < n; i++) {
		if (pa[i] != pb[i])
			return pa[i] < pb[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ca = (unsigned char)a[i];
		unsigned char cb = (unsigned char)b[i];

		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca == '\0')
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}
