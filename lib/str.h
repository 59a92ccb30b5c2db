/*
 * The few string and memory routines the freestanding hypervisor needs.
 * Standard names and prototypes, so that the code GCC emits for struct
 * copies links, and host unit tests can use the C library's definitions.
 */
#ifndef LIB_STR_H
#define LIB_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * Copy at most size-1 bytes of src into dst and always NUL-terminate (when
 * size > 0).  Returns the number of bytes copied, excluding the NUL.
 */
size_t str_copy(char *dst, const char *src, size_t size);

/*
 * Append s at the end of the NUL-terminated dst (size bytes), truncating
 * silently; dst stays NUL-terminated.
 */
void str_append(char *dst, const char *s, size_t size);

/* Append item to the comma-separated list held in dst ("EPT, VPID"), for
 * messages that name everything missing at once. */
void str_list_add(char *dst, const char *item, size_t size);

/* Printable ASCII: space (0x20) to tilde (0x7e). */
#define ASCII_PRINTABLE_FIRST 0x20
#define ASCII_PRINTABLE_LAST  0x7e

/* True when the character code c (a byte, a UCS-2 unit) is printable
 * ASCII, for text that comes from firmware or a guest and goes to the
 * console. */
static inline bool ascii_printable(uint32_t c)
{
	return c >= ASCII_PRINTABLE_FIRST && c <= ASCII_PRINTABLE_LAST;
}

#endif
