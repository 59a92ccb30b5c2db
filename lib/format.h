/*
 * A freestanding vsnprintf.  Supports %d %i %u %x %X %o %c %s %p %%, flags
 * '-' '0' ' ' '+' '#', field width and precision (also '*'), and the length
 * modifiers hh h l ll z j t.  No floating point.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Like vsnprintf: writes at most size bytes including the terminating NUL
 * and returns the length the full output would have had.
 */
int vformat(char *buf, size_t size, const char *fmt, va_list ap);
int format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The one error reporter of the parsers and loaders: format the message
 * into err (size bytes; nothing is written when size is 0) and return
 * false, so a check reads `return format_error(err, size, "...", ...);`.
 */
bool format_error(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
