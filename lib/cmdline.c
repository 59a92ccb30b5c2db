/*
 * Command-line words: `key` or `key=value`, separated by blanks.  Pure
 * (host unit tests).  No quoting: values cannot contain blanks.
 */
#include "lib/cmdline.h"
#include "lib/str.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The next word at or after *p: its start, length in *len; NULL at end. */
static const char *next_word(const char **p, size_t *len)
{
	const char *s = *p;

	while (is_blank(*s))
		s++;
	if (!*s)
		return NULL;
	const char *e = s;

	while (*e && !is_blank(*e))
		e++;
	*len = (size_t)(e - s);
	*p = e;
	return s;
}

/* The length of key when `word` is `key` or `key=...`, else 0. */
static bool word_is_key(const char *word, size_t len, const char *key)
{
	size_t klen = strlen(key);

	return klen > 0 && len >= klen && strncmp(word, key, klen) == 0 &&
	       (len == klen || word[klen] == '=');
}

bool cmdline_has(const char *cmdline, const char *key)
{
	const char *word;
	size_t len;

	if (!cmdline)
		return false;
	while ((word = next_word(&cmdline, &len))) {
		if (word_is_key(word, len, key))
			return true;
	}
	return false;
}

bool cmdline_get(const char *cmdline, const char *key, char *out,
		 size_t out_size)
{
	const char *word, *value = NULL;
	size_t len, value_len = 0, klen = strlen(key);

	if (!cmdline)
		return false;
	while ((word = next_word(&cmdline, &len))) {
		if (word_is_key(word, len, key) && len > klen) {
			value = word + klen + 1;
			value_len = len - klen - 1;
		}
	}
	if (!value || out_size == 0 || value_len >= out_size)
		return false;
	memcpy(out, value, value_len);
	out[value_len] = '\0';
	return true;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool parse_u64(const char *s, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if (!s)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		int d = digit_value(*s);

		if (d < 0 || (unsigned int)d >= base)
			return false;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return true;
}
