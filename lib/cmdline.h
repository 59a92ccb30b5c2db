/*
 * Command-line parsing: words separated by blanks, each either `key` or
 * `key=value`.  Pure functions over a NUL-terminated string.
 */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the word `key` or `key=...` appears. */
bool cmdline_has(const char *cmdline, const char *key);

/*
 * Copy the value of the last `key=value` into out (NUL-terminated, at most
 * out_size - 1 bytes).  False when absent or when the value did not fit.
 */
bool cmdline_get(const char *cmdline, const char *key, char *out,
		 size_t out_size);

/* Parse a number: decimal, or hexadecimal with 0x.  False on junk/overflow. */
bool parse_u64(const char *s, uint64_t *out);

#endif
