/*
 * Fuzz the command-line readers: cmdline_has, cmdline_get and parse_u64
 * (lib/cmdline.c) and config_parse (boot/config.c), which take the
 * hypervisor's command line from GRUB or hv.cfg.  The input is the command
 * line (cut at its first NUL).
 */
#include <errno.h>

#include "boot/config.h"
#include "drivers/uart16550.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"

#define CMDLINE_MAX  (2 * BOOT_CMDLINE_MAX)

static const char *const keys[] = {
	"serial", "loglevel", "guest", "debug-fault", "on-triple-fault",
	"test-exit", "smp", "on-guest-reset", "a",
};

/* A value is a word's tail: no blanks, shorter than the buffer. */
static void check_get(const char *cmdline, const char *key, size_t out_size)
{
	char *out = malloc(out_size ? out_size : 1);

	if (cmdline_get(cmdline, key, out, out_size)) {
		FUZZ_CHECK(out_size && memchr(out, '\0', out_size),
			   "value of %s not terminated in %zu bytes", key,
			   out_size);
		FUZZ_CHECK(!strpbrk(out, " \t\r\n"), "value '%s' of %s holds "
			   "a blank", out, key);
		FUZZ_CHECK(cmdline_has(cmdline, key), "%s has a value but is "
			   "not there", key);
		FUZZ_CHECK(strstr(cmdline, out), "value '%s' not in the line",
			   out);
	}
	free(out);
}

/* parse_u64 agrees with strtoull on what it accepts. */
static void check_number(const char *word)
{
	bool hex = word[0] == '0' && (word[1] == 'x' || word[1] == 'X');
	unsigned long long want;
	uint64_t v;
	char *end;

	if (!parse_u64(word, &v))
		return;
	errno = 0;
	want = strtoull(word, &end, hex ? 16 : 10);
	FUZZ_CHECK(!errno && !*end && want == v, "parse_u64('%s') = %llu",
		   word, (unsigned long long)v);
}

static void check_words(char *cmdline)
{
	char *copy = strdup(cmdline), *save, *w;

	for (w = strtok_r(copy, " \t\r\n=,", &save); w;
	     w = strtok_r(NULL, " \t\r\n=,", &save))
		check_number(w);
	free(copy);
}

static void check_config(const char *cmdline)
{
	struct hv_config cfg;

	config_parse(cmdline, &cfg);
	FUZZ_CHECK(cfg.serial_port >= 1 && cfg.serial_port <= 0xfff8,
		   "serial port %#x", cfg.serial_port);
	FUZZ_CHECK(cfg.serial_baud && UART_BASE_BAUD % cfg.serial_baud == 0,
		   "baud %u", cfg.serial_baud);
	FUZZ_CHECK(cfg.log_level >= LOG_DEBUG && cfg.log_level <= LOG_ERROR,
		   "log level %d", cfg.log_level);
	FUZZ_CHECK(cfg.guest[0] && fuzz_has_nul(cfg.guest, sizeof(cfg.guest)),
		   "guest role");
	FUZZ_CHECK(cfg.debug_fault <= DEBUG_FAULT_PANIC, "debug_fault %u",
		   cfg.debug_fault);
	FUZZ_CHECK(fuzz_has_nul(cfg.error, sizeof(cfg.error)),
		   "error not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	char *cmdline = fuzz_take_string(&in, CMDLINE_MAX);

	check_config(cmdline);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		check_get(cmdline, keys[i], 0);
		check_get(cmdline, keys[i], 1);
		check_get(cmdline, keys[i], 8);
		check_get(cmdline, keys[i], 64);
	}
	check_words(cmdline);
	free(cmdline);
	return 0;
}
