/*
 * Polled 16550 on COM1 and a minimal formatter.  Self-contained on purpose:
 * the test guest shares no code with the hypervisor image.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/io.h"
#include "tests/guest/console.h"
#include "tests/guest/layout.h"

void console_init(void)
{
	outb(COM1_BASE + UART_IER, 0);
	outb(COM1_BASE + UART_LCR, UART_LCR_DLAB);
	outb(COM1_BASE + UART_DLL, UART_DIVISOR_115200);
	outb(COM1_BASE + UART_DLM, 0);
	outb(COM1_BASE + UART_LCR, UART_LCR_8N1);
	outb(COM1_BASE + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(COM1_BASE + UART_MCR, UART_MCR_DTR_RTS_OUT2);
}

static void console_putc(char c)
{
	for (uint32_t spin = 0; spin < UART_TX_SPIN_LIMIT; spin++)
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_THRE)
			break;
	outb(COM1_BASE + UART_THR, (uint8_t)c);
}

static void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void say(const char *fmt, ...)
{
	char line[CONSOLE_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_puts(CONSOLE_PREFIX);
	console_puts(line);
	console_puts("\r\n");
}

/* ---- formatter ---------------------------------------------------------- */

struct out {
	char *buf;
	size_t size, len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_number(struct out *o, uint64_t v, unsigned int base,
		       bool negative, unsigned int width, char pad)
{
	char digits[24];
	unsigned int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		digits[n++] = '-';
	for (unsigned int i = n; i < width; i++)
		out_char(o, pad);
	while (n)
		out_char(o, digits[--n]);
}

/* Fetch the next integer argument of the size the modifiers named. */
static uint64_t next_arg(va_list *ap, int longs, bool is_signed)
{
	if (longs > 0)
		return is_signed ? (uint64_t)va_arg(*ap, long) : va_arg(*ap, unsigned long);
	return is_signed ? (uint64_t)(int64_t)va_arg(*ap, int) : va_arg(*ap, unsigned int);
}

static void out_integer(struct out *o, char conv, va_list *ap, int longs,
			unsigned int width, char pad)
{
	if (conv == 'd' || conv == 'i') {
		int64_t v = (int64_t)next_arg(ap, longs, true);
		out_number(o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
	} else {
		out_number(o, next_arg(ap, longs, false), conv == 'u' ? 10 : 16,
			   false, width, pad);
	}
}

int vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		char pad = ' ';
		unsigned int width = 0;
		int longs = 0;
		if (*++fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			longs++, fmt++;
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(args, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				out_char(&o, *s);
			break;
		}
		case 'c':
			out_char(&o, (char)va_arg(args, int));
			break;
		case 'p':
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, (uint64_t)va_arg(args, void *), 16, false, 0, ' ');
			break;
		case 'd': case 'i': case 'u': case 'x':
			out_integer(&o, *fmt, &args, longs, width, pad);
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_char(&o, *fmt);
			break;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
