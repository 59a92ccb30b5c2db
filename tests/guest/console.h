/*
 * COM1 output for the test guest.  Every line goes out as "[guest] ..." so
 * that it can be told apart from the hypervisor's "[hv] " lines on a shared
 * serial port.
 */
#ifndef GUEST_TESTS_CONSOLE_H
#define GUEST_TESTS_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define CONSOLE_PREFIX   "[guest] "
#define CONSOLE_LINE_MAX 256

/* 115200 8N1 on COM1. */
void console_init(void);

/* One line: prefix, the formatted text, CR LF. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A small vsnprintf: %s %c %d %i %u %x %p %%, the 'l'/'ll'/'z' length
 * modifiers, '0' padding and a field width.  Returns the length written
 * (always NUL-terminated, truncated to size - 1).
 */
int vformat(char *buf, size_t size, const char *fmt, va_list ap);
int format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
