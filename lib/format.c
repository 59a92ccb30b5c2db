/*
 * vformat: a freestanding vsnprintf (see lib/format.h for what it supports).
 *
 * Output goes through one `struct out` that counts every byte the full
 * result would have, but stores only what fits, so truncation and the
 * return value follow C99 vsnprintf exactly.  Pure: also built into the
 * host unit tests, which compare it against the C library.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/format.h"

#define FMT_LEFT    (1u << 0)   /* '-' */
#define FMT_ZERO    (1u << 1)   /* '0' */
#define FMT_SPACE   (1u << 2)   /* ' ' */
#define FMT_PLUS    (1u << 3)   /* '+' */
#define FMT_ALT     (1u << 4)   /* '#' */
#define FMT_UPPER   (1u << 5)   /* %X */
#define FMT_SIGNED  (1u << 6)   /* %d %i */

/* Octal of a 64-bit value is the longest: 22 digits. */
#define FMT_DIGITS_MAX 24

enum fmt_length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG,
		  LEN_SIZE, LEN_INTMAX, LEN_PTRDIFF };

struct out {
	char *buf;
	size_t size;
	size_t len;                 /* bytes the full output has so far */
};

struct spec {
	unsigned int flags;
	int width;                  /* 0: none */
	int precision;              /* -1: none */
	enum fmt_length length;
	char conv;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct out *o, char c, int count)
{
	for (int i = 0; i < count; i++)
		put(o, c);
}

static void put_str(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A decimal number at *p, saturating at a value no field could use. */
static int parse_int(const char **p)
{
	int v = 0;

	while (is_digit(**p)) {
		if (v < 100000000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

static const char *parse_flags(const char *p, struct spec *s)
{
	for (;; p++) {
		switch (*p) {
		case '-': s->flags |= FMT_LEFT; break;
		case '0': s->flags |= FMT_ZERO; break;
		case ' ': s->flags |= FMT_SPACE; break;
		case '+': s->flags |= FMT_PLUS; break;
		case '#': s->flags |= FMT_ALT; break;
		default: return p;
		}
	}
}

static const char *parse_length(const char *p, struct spec *s)
{
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			s->length = LEN_CHAR;
			return p + 2;
		}
		s->length = LEN_SHORT;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			s->length = LEN_LLONG;
			return p + 2;
		}
		s->length = LEN_LONG;
		return p + 1;
	case 'z': s->length = LEN_SIZE; return p + 1;
	case 'j': s->length = LEN_INTMAX; return p + 1;
	case 't': s->length = LEN_PTRDIFF; return p + 1;
	default: return p;
	}
}

/*
 * Parse one conversion specification after its '%'.  va_list is passed by
 * pointer so that '*' widths can be consumed (C11 7.16: a va_list passed by
 * value may not be used again by the caller).
 */
static const char *parse_spec(const char *p, struct spec *s, va_list *ap)
{
	*s = (struct spec){ .precision = -1 };
	p = parse_flags(p, s);
	if (*p == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->flags |= FMT_LEFT;
			s->width = s->width == INT32_MIN ? INT32_MAX : -s->width;
		}
		p++;
	} else {
		s->width = parse_int(&p);
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			s->precision = va_arg(*ap, int);
			if (s->precision < 0)
				s->precision = -1;
			p++;
		} else {
			s->precision = parse_int(&p);
		}
	}
	p = parse_length(p, s);
	s->conv = *p;
	return *p ? p + 1 : p;
}

static int64_t fetch_signed(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return va_arg(*ap, long);      /* signed size_t */
	case LEN_INTMAX: return va_arg(*ap, intmax_t);
	case LEN_PTRDIFF: return va_arg(*ap, long);   /* ptrdiff_t */
	default: return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_INTMAX: return va_arg(*ap, uintmax_t);
	case LEN_PTRDIFF: return va_arg(*ap, unsigned long);
	default: return va_arg(*ap, unsigned int);
	}
}

/* Digits of v in base, most significant first; returns their count. */
static int to_digits(uint64_t v, unsigned int base, bool upper,
		     char out[FMT_DIGITS_MAX])
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[FMT_DIGITS_MAX];
	int n = 0;

	do {
		tmp[n++] = set[v % base];
		v /= base;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* The sign or radix prefix of an integer conversion ("-", "+", "0x", ...). */
static int int_prefix(const struct spec *s, bool negative, uint64_t v,
		      unsigned int base, char prefix[3])
{
	int n = 0;

	if (s->flags & FMT_SIGNED) {
		if (negative)
			prefix[n++] = '-';
		else if (s->flags & FMT_PLUS)
			prefix[n++] = '+';
		else if (s->flags & FMT_SPACE)
			prefix[n++] = ' ';
	} else if (base == 16 && (s->flags & FMT_ALT) && v != 0) {
		prefix[n++] = '0';
		prefix[n++] = (s->flags & FMT_UPPER) ? 'X' : 'x';
	}
	return n;
}

/*
 * One integer: [spaces][prefix][zeros][digits][spaces].  A precision
 * gives the minimum digit count (and disables the '0' flag); precision 0
 * with value 0 prints no digits, except "0" for %#o.
 */
static void emit_int(struct out *o, const struct spec *s, uint64_t v,
		     bool negative, unsigned int base)
{
	char digits[FMT_DIGITS_MAX], prefix[3];
	int ndigits = 0;

	if (!(v == 0 && s->precision == 0))
		ndigits = to_digits(v, base, s->flags & FMT_UPPER, digits);
	int nprefix = int_prefix(s, negative, v, base, prefix);
	int zeros = s->precision > ndigits ? s->precision - ndigits : 0;

	if (base == 8 && (s->flags & FMT_ALT) && zeros == 0 &&
	    (ndigits == 0 || digits[0] != '0'))
		zeros = 1;
	int body = nprefix + zeros + ndigits;
	int pad = s->width > body ? s->width - body : 0;

	if ((s->flags & FMT_ZERO) && !(s->flags & FMT_LEFT) &&
	    s->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(s->flags & FMT_LEFT))
		put_repeat(o, ' ', pad);
	put_str(o, prefix, (size_t)nprefix);
	put_repeat(o, '0', zeros);
	put_str(o, digits, (size_t)ndigits);
	if (s->flags & FMT_LEFT)
		put_repeat(o, ' ', pad);
}

/* Text padded to the field width (used by %s, %c and "(nil)"). */
static void emit_text(struct out *o, const struct spec *s, const char *text,
		      size_t n)
{
	int pad = s->width > (int)n ? s->width - (int)n : 0;

	if (!(s->flags & FMT_LEFT))
		put_repeat(o, ' ', pad);
	put_str(o, text, n);
	if (s->flags & FMT_LEFT)
		put_repeat(o, ' ', pad);
}

/* strnlen: never reads past a precision-limited, unterminated array. */
static size_t bounded_len(const char *s, int precision)
{
	size_t n = 0;

	while ((precision < 0 || n < (size_t)precision) && s[n])
		n++;
	return n;
}

static void emit_string(struct out *o, const struct spec *s, const char *str)
{
	if (!str)
		str = "(null)";
	emit_text(o, s, str, bounded_len(str, s->precision));
}

/* %p as the C library prints it: "(nil)" or %#lx. */
static void emit_pointer(struct out *o, struct spec *s, const void *p)
{
	if (!p) {
		emit_text(o, s, "(nil)", 5);
		return;
	}
	s->flags |= FMT_ALT;
	emit_int(o, s, (uint64_t)(uintptr_t)p, false, 16);
}

static void emit_signed(struct out *o, struct spec *s, va_list *ap)
{
	int64_t v = fetch_signed(s, ap);
	/* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

	s->flags |= FMT_SIGNED;
	emit_int(o, s, mag, v < 0, 10);
}

/* Unknown conversions are copied through unchanged, '%' included. */
static void emit_unknown(struct out *o, const char *start, const char *end)
{
	put(o, '%');
	put_str(o, start, (size_t)(end - start));
}

static void emit_conversion(struct out *o, struct spec *s, va_list *ap,
			    const char *start, const char *end)
{
	switch (s->conv) {
	case 'd':
	case 'i':
		emit_signed(o, s, ap);
		break;
	case 'u': emit_int(o, s, fetch_unsigned(s, ap), false, 10); break;
	case 'o': emit_int(o, s, fetch_unsigned(s, ap), false, 8); break;
	case 'X':
		s->flags |= FMT_UPPER;
		/* fall through */
	case 'x':
		emit_int(o, s, fetch_unsigned(s, ap), false, 16);
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);

		emit_text(o, s, &c, 1);
		break;
	}
	case 's': emit_string(o, s, va_arg(*ap, const char *)); break;
	case 'p': emit_pointer(o, s, va_arg(*ap, const void *)); break;
	case '%': put(o, '%'); break;
	default: emit_unknown(o, start, end); break;
	}
}

int vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	va_list args;
	struct spec s;

	va_copy(args, ap);
	for (const char *p = fmt; *p;) {
		if (*p != '%') {
			put(&o, *p++);
			continue;
		}
		const char *start = p + 1;

		p = parse_spec(start, &s, &args);
		emit_conversion(&o, &s, &args, start, p);
	}
	va_end(args);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

int format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

bool format_error(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (size) {
		va_start(ap, fmt);
		vformat(err, size, fmt, ap);
		va_end(ap);
	}
	return false;
}
