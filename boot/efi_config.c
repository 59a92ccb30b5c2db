/*
 * hv.cfg parser (format in efi_config.h).
 */
#include "boot/efi_config.h"

#include "lib/format.h"
#include "lib/str.h"

#define KEYWORD_CMDLINE "cmdline"
#define KEYWORD_MODULE  "module"
#define COMMENT_CHAR    '#'
#define SEPARATOR       '\\'

/* One line of the file, without its end-of-line characters. */
struct cfg_line {
	const char *p;
	const char *end;
	uint32_t number;
};

/* A CR inside a line is a blank too, as boot_info_add_module() and
 * lib/cmdline.c read the words later: the module's role must be the same
 * word for both. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_separator(char c)
{
	return c == '\\' || c == '/';
}

static void skip_blanks(struct cfg_line *l)
{
	while (l->p < l->end && is_blank(*l->p))
		l->p++;
}

/* Next word of the line: start in *word, length returned (0 at the end). */
static size_t next_word(struct cfg_line *l, const char **word)
{
	skip_blanks(l);
	*word = l->p;
	while (l->p < l->end && !is_blank(*l->p))
		l->p++;
	return (size_t)(l->p - *word);
}

static bool word_is(const char *word, size_t len, const char *keyword)
{
	return strlen(keyword) == len && memcmp(word, keyword, len) == 0;
}

/* Copy len bytes and a NUL into out; false when they do not fit. */
static bool copy_text(char *out, size_t out_size, const char *text, size_t len)
{
	if (len >= out_size)
		return false;
	memcpy(out, text, len);
	out[len] = '\0';
	return true;
}

/* The rest of the line after blanks, trailing blanks removed. */
static size_t rest_of_line(struct cfg_line *l, const char **rest)
{
	const char *end = l->end;

	skip_blanks(l);
	while (end > l->p && is_blank(end[-1]))
		end--;
	*rest = l->p;
	return (size_t)(end - l->p);
}

__attribute__((format(printf, 3, 4)))
static bool cfg_error(struct efi_config *cfg, const struct cfg_line *l,
		      const char *fmt, ...)
{
	char what[EFI_CONFIG_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vformat(what, sizeof(what), fmt, ap);
	va_end(ap);
	format(cfg->error, sizeof(cfg->error), "line %u: %s", l->number, what);
	return false;
}

static bool parse_cmdline(struct cfg_line *l, struct efi_config *cfg)
{
	const char *rest;
	size_t len = rest_of_line(l, &rest);

	if (cfg->has_cmdline)
		return cfg_error(cfg, l, "'cmdline' given twice");
	if (!copy_text(cfg->cmdline, sizeof(cfg->cmdline), rest, len))
		return cfg_error(cfg, l, "command line longer than %u bytes",
				 BOOT_CMDLINE_MAX - 1);
	cfg->has_cmdline = true;
	return true;
}

static bool parse_module(struct cfg_line *l, struct efi_config *cfg)
{
	struct efi_config_module *m;
	const char *path, *role, *rest;
	size_t path_len, role_len, rest_len;

	if (cfg->module_count == EFI_CONFIG_MODULES_MAX)
		return cfg_error(cfg, l, "too many modules (at most %u)",
				 EFI_CONFIG_MODULES_MAX);
	m = &cfg->modules[cfg->module_count];
	path_len = next_word(l, &path);
	if (path_len == 0)
		return cfg_error(cfg, l, "'module' needs a path and a role");
	if (!copy_text(m->path, sizeof(m->path), path, path_len))
		return cfg_error(cfg, l, "module path longer than %u bytes",
				 EFI_CONFIG_PATH_MAX - 1);
	rest_len = rest_of_line(l, &rest);
	role_len = next_word(l, &role);
	if (role_len == 0)
		return cfg_error(cfg, l, "module '%s' has no role", m->path);
	if (role_len >= BOOT_MODNAME_MAX)
		return cfg_error(cfg, l, "module role longer than %u bytes",
				 BOOT_MODNAME_MAX - 1);
	if (!copy_text(m->cmdline, sizeof(m->cmdline), rest, rest_len))
		return cfg_error(cfg, l, "module command line longer than %u "
				 "bytes", BOOT_CMDLINE_MAX - 1);
	cfg->module_count++;
	return true;
}

static bool parse_line(struct cfg_line *l, struct efi_config *cfg)
{
	const char *word;
	size_t len;

	for (const char *c = l->p; c < l->end; c++)
		if (*c == '\0')
			return cfg_error(cfg, l, "NUL byte in the text");
	skip_blanks(l);
	if (l->p == l->end || *l->p == COMMENT_CHAR)
		return true;
	len = next_word(l, &word);
	if (word_is(word, len, KEYWORD_CMDLINE))
		return parse_cmdline(l, cfg);
	if (word_is(word, len, KEYWORD_MODULE))
		return parse_module(l, cfg);
	return cfg_error(cfg, l, "unknown keyword '%.*s' (expected '"
			 KEYWORD_CMDLINE "' or '" KEYWORD_MODULE "')",
			 (int)len, word);
}

void efi_config_init(struct efi_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

bool efi_config_parse(const char *text, size_t len, struct efi_config *cfg)
{
	const char *end = text + len;
	struct cfg_line l = { .p = text, .number = 0 };

	efi_config_init(cfg);
	while (l.p < end) {
		const char *eol = l.p;

		while (eol < end && *eol != '\n')
			eol++;
		l.end = eol;
		if (l.end > l.p && l.end[-1] == '\r')
			l.end--;
		l.number++;
		if (!parse_line(&l, cfg))
			return false;
		l.p = eol < end ? eol + 1 : end;
	}
	return true;
}

/* Append `path` to out (holding `len` bytes), separators made '\' and runs
 * of them folded into one. */
static bool append_path(char *out, size_t out_size, size_t *len,
			const char *path)
{
	for (; *path; path++) {
		char c = is_separator(*path) ? SEPARATOR : *path;

		if (c == SEPARATOR && *len > 0 && out[*len - 1] == SEPARATOR)
			continue;
		if (*len + 1 >= out_size)
			return false;
		out[(*len)++] = c;
	}
	out[*len] = '\0';
	return true;
}

bool efi_config_resolve_path(const char *dir, const char *path, char *out,
			     size_t out_size)
{
	size_t len = 0;

	if (out_size == 0)
		return false;
	out[0] = '\0';
	if (!is_separator(path[0])) {
		if (!append_path(out, out_size, &len, dir) ||
		    !append_path(out, out_size, &len, "\\"))
			return false;
	}
	return append_path(out, out_size, &len, path);
}
