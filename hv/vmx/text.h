/*
 * Building short comma-separated lists ("EPT, unrestricted guest") into a
 * caller's fixed buffer, for the capability and control checks' messages.
 * Header-only so that the pure files using it stay self-contained in host
 * unit tests.
 */
#ifndef HV_VMX_TEXT_H
#define HV_VMX_TEXT_H

#include <stddef.h>

/* Append s at the end of the NUL-terminated buf (size bytes), truncating
 * silently; buf stays NUL-terminated. */
static inline void vmx_text_append(char *buf, size_t size, const char *s)
{
	size_t len = 0;

	if (size == 0)
		return;
	while (len < size - 1 && buf[len])
		len++;
	while (len < size - 1 && *s)
		buf[len++] = *s++;
	buf[len] = '\0';
}

/* Append item to a comma-separated list held in buf. */
static inline void vmx_text_list_add(char *buf, size_t size, const char *item)
{
	if (size && buf[0])
		vmx_text_append(buf, size, ", ");
	vmx_text_append(buf, size, item);
}

#endif
