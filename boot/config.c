/*
 * The hypervisor's command line (boot/config.h).  Pure: runs before the UART
 * is up, so problems are kept in cfg->error (the first one) and reported
 * by the caller once the log works; a bad value keeps the default.
 */
#include "boot/config.h"
#include "drivers/serial.h"
#include "drivers/uart16550.h"
#include "drivers/uart_regs.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/str.h"

#define CONFIG_VALUE_MAX  64
#define UART_PORT_SPAN    8u          /* a 16550 decodes 8 ports */
#define IO_PORT_MAX       0xffffu

struct hv_config hv_config;

static const char *const debug_fault_names[] = {
	[DEBUG_FAULT_UD] = "ud",
	[DEBUG_FAULT_PF] = "pf",
	[DEBUG_FAULT_GP] = "gp",
	[DEBUG_FAULT_DE] = "de",
	[DEBUG_FAULT_PANIC] = "panic",
	[DEBUG_FAULT_MC] = "mc",
};

/* The values used for every option the command line does not set: the
 * UART serial=auto finds (COM1 when it answers) at 115200 baud, log level info, guest module "guest". */
static void config_defaults(struct hv_config *cfg)
{
	*cfg = (struct hv_config){
		.serial_enabled = true,
		.console_fb = true,
		.serial_port = SERIAL_COM1_PORT,
		.serial_baud = SERIAL_DEFAULT_BAUD,
		.log_level = LOG_INFO,
	};
	str_copy(cfg->guest, "guest", sizeof(cfg->guest));
}

/* Record a parse problem in cfg->error, printf-style.  Only the first one is
 * kept: the log is not up yet, and later errors are usually consequences of
 * the first. */
static void __attribute__((format(printf, 2, 3)))
config_error(struct hv_config *cfg, const char *fmt, ...)
{
	va_list ap;

	if (cfg->error[0])
		return;                 /* keep the first problem */
	va_start(ap, fmt);
	vformat(cfg->error, sizeof(cfg->error), fmt, ap);
	va_end(ap);
}

/*
 * The value of `key=value` into buf.  False when the key is absent, or
 * (with an error recorded) present without a usable value.
 */
static bool config_value(const char *cmdline, const char *key, char *buf,
			 size_t size, struct hv_config *cfg)
{
	if (!cmdline_has(cmdline, key))
		return false;
	if (cmdline_get(cmdline, key, buf, size) && buf[0])
		return true;
	config_error(cfg, "%s= needs a value shorter than %zu characters",
		     key, size);
	return false;
}

/* A baud rate the divisor latch can produce exactly. */
static bool baud_valid(uint64_t baud)
{
	return baud > 0 && baud <= UART_BASE_BAUD && UART_BASE_BAUD % baud == 0;
}

/* The legacy PC serial ports, COM1 to COM4. */
static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

/* Cut *s at the next comma: returns the part after it, NULL when none. */
static char *cut_comma(char *s)
{
	while (*s && *s != ',')
		s++;
	if (!*s)
		return NULL;
	*s = '\0';
	return s + 1;
}

/* One hexadecimal number of up to `max` value ending at `end` (a ':' or
 * '.' or '\0'); advances *s past it and its delimiter. */
static bool parse_hex_field(char **s, char end, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;
	size_t n = 0;

	for (; **s && **s != end; (*s)++, n++) {
		char c = **s;
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return false;
		v = v * 16 + d;
		if (v > max)
			return false;
	}
	if (n == 0 || **s != end)
		return false;
	if (end)
		(*s)++;
	*out = v;
	return true;
}

/* "BB:DD.F" in hexadecimal, as lspci prints it. */
static bool parse_bdf(char *s, struct pci_bdf *f)
{
	uint32_t bus, dev, fn;

	if (!parse_hex_field(&s, ':', PCI_BUS_MASK, &bus) ||
	    !parse_hex_field(&s, '.', PCI_DEVICE_MASK, &dev) ||
	    !parse_hex_field(&s, '\0', PCI_FUNCTION_MASK, &fn))
		return false;
	*f = (struct pci_bdf){ (uint8_t)bus, (uint8_t)dev, (uint8_t)fn };
	return true;
}

/* An I/O port a 16550 can start at (its 8 ports inside the space). */
static bool parse_uart_port(const char *s, uint16_t *port)
{
	uint64_t v;

	if (!parse_u64(s, &v) || v == 0 || v > IO_PORT_MAX - (UART_PORT_SPAN - 1))
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "mmio:ADDR[,STRIDE]": the rest (the baud rate) is returned in *rest. */
static bool parse_serial_mmio(char *addr, char **rest, struct hv_config *cfg)
{
	uint64_t base, stride = 1;
	char *more = cut_comma(addr);
	int shift;

	if (!parse_u64(addr, &base) || base == 0)
		return false;
	if (more) {
		*rest = cut_comma(more);
		if (!parse_u64(more, &stride))
			return false;
	}
	shift = uart_stride_shift(stride);
	if (shift < 0 || base + ((uint64_t)UART_REG_SPAN << shift) < base)
		return false;
	cfg->serial_mmio = base;
	cfg->serial_shift = (uint32_t)shift;
	return true;
}

/* WHERE without its baud rate (see boot/config.h); false when malformed.
 * *rest is set to what follows (the baud rate), NULL when nothing does. */
static bool parse_serial_where(char *value, char **rest, struct hv_config *cfg)
{
	*rest = NULL;
	if (strncmp(value, "mmio:", 5) == 0) {
		cfg->serial_kind = SERIAL_MMIO;
		return parse_serial_mmio(value + 5, rest, cfg);
	}
	*rest = cut_comma(value);
	if (strcmp(value, "auto") == 0) {
		cfg->serial_kind = SERIAL_AUTO;
		return true;
	}
	if (strncmp(value, "com", 3) == 0 && value[3] >= '1' && value[3] <= '4' &&
	    !value[4]) {
		cfg->serial_kind = SERIAL_IO;
		cfg->serial_port = com_ports[value[3] - '1'];
		return true;
	}
	if (strcmp(value, "pci") == 0) {
		cfg->serial_kind = SERIAL_PCI;
		cfg->serial_pci_any = true;
		return true;
	}
	if (strncmp(value, "pci:", 4) == 0) {
		cfg->serial_kind = SERIAL_PCI;
		cfg->serial_pci_any = false;
		return parse_bdf(value + 4, &cfg->serial_pci);
	}
	cfg->serial_kind = SERIAL_IO;
	return parse_uart_port(strncmp(value, "io:", 3) == 0 ? value + 3 : value,
			       &cfg->serial_port);
}

/* "WHERE" or "WHERE,BAUD" (boot/config.h); the value is split in place.
 * A bad value keeps every serial default. */
static void parse_serial(char *value, struct hv_config *cfg)
{
	struct hv_config old = *cfg;
	uint64_t baud = cfg->serial_baud;
	char *rest;

	if (strcmp(value, "off") == 0 || strcmp(value, "none") == 0) {
		cfg->serial_enabled = false;
		return;
	}
	if (!parse_serial_where(value, &rest, cfg)) {
		*cfg = old;
		config_error(cfg, "serial=%s: use auto, com1-com4, io:PORT (0x1 "
			     "to 0xfff8), mmio:ADDR[,STRIDE 1|2|4], pci, "
			     "pci:BB:DD.F or none (e.g. serial=0x3f8,115200)",
			     value);
		return;
	}
	if (rest && (!parse_u64(rest, &baud) || !baud_valid(baud))) {
		*cfg = old;
		config_error(cfg, "serial=%s,%s: the baud rate must divide "
			     "115200 (e.g. 115200, 57600, 9600)", value, rest);
		return;
	}
	cfg->serial_baud = (uint32_t)baud;
}

/* The next comma-separated word of *list into word (cut to size);
 * advances *list past it and its comma.  False at the end. */
static bool next_word(const char **list, char *word, size_t size)
{
	size_t n = 0;

	if (!**list)
		return false;
	for (; **list && **list != ','; (*list)++)
		if (n + 1 < size)
			word[n++] = **list;
	word[n] = '\0';
	if (**list)
		(*list)++;
	return true;
}

/* console=fb,serial (any of the two, in any order): where the log goes.
 * Each word not named turns that output off; nothing is changed when a
 * word is unknown. */
static void parse_console(const char *value, struct hv_config *cfg)
{
	char word[CONFIG_VALUE_MAX];
	bool fb = false, serial = false;
	const char *list = value;

	while (next_word(&list, word, sizeof(word))) {
		if (strcmp(word, "fb") == 0) {
			fb = true;
		} else if (strcmp(word, "serial") == 0) {
			serial = true;
		} else {
			config_error(cfg, "console=%s: unknown output '%s' "
				     "(use fb, serial or both: console=fb,serial)",
				     value, word);
			return;
		}
	}
	cfg->console_fb = fb;
	cfg->serial_enabled = cfg->serial_enabled && serial;
}

/* loglevel=NAME: one of the names lib/log.c knows; anything else keeps the
 * default. */
static void parse_loglevel(const char *value, struct hv_config *cfg)
{
	int level = log_level_from_name(value);

	if (level < 0) {
		config_error(cfg, "loglevel=%s: unknown level (use debug, "
			     "info, warn or error)", value);
		return;
	}
	cfg->log_level = level;
}

/* guest=NAME: the module role to run.  Naming it makes the module mandatory
 * (hv_main stops when it is missing). */
static void parse_guest(const char *value, struct hv_config *cfg)
{
	str_copy(cfg->guest, value, sizeof(cfg->guest));
	cfg->guest_required = true;
}

/* debug-fault=KIND: look KIND up in debug_fault_names; an unknown kind keeps
 * DEBUG_FAULT_NONE. */
static void parse_debug_fault(const char *value, struct hv_config *cfg)
{
	for (uint32_t i = 0; i < sizeof(debug_fault_names) /
				 sizeof(debug_fault_names[0]); i++) {
		if (debug_fault_names[i] && strcmp(value, debug_fault_names[i]) == 0) {
			cfg->debug_fault = i;
			return;
		}
	}
	config_error(cfg, "debug-fault=%s: unknown fault (use ud, pf, gp, de, mc or panic)",
		     value);
}

/* on-triple-fault=stop|reset: whether a guest triple fault resets the
 * machine instead of stopping with a report. */
static void parse_triple_fault(const char *value, struct hv_config *cfg)
{
	if (strcmp(value, "stop") == 0 || strcmp(value, "reset") == 0)
		cfg->triple_fault_reset = strcmp(value, "reset") == 0;
	else
		config_error(cfg, "on-triple-fault=%s: use stop or reset", value);
}

/* lapic=software|auto: the virtual LAPIC's back end (auto: APICv when the
 * CPU has it). */
static void parse_lapic(const char *value, struct hv_config *cfg)
{
	if (strcmp(value, "software") == 0 || strcmp(value, "auto") == 0)
		cfg->lapic_software = strcmp(value, "software") == 0;
	else
		config_error(cfg, "lapic=%s: use software or auto", value);
}

/* iommu=required|auto|off: the DMA-protection policy. */
static void parse_iommu(const char *value, struct hv_config *cfg)
{
	if (strcmp(value, "auto") == 0)
		cfg->iommu = IOMMU_AUTO;
	else if (strcmp(value, "required") == 0)
		cfg->iommu = IOMMU_REQUIRED;
	else if (strcmp(value, "off") == 0)
		cfg->iommu = IOMMU_OFF;
	else
		config_error(cfg, "iommu=%s: use required, auto or off", value);
}

/* on-halt-disabled=wait|stop: whether a HLT with interrupts disabled stops
 * the guest instead of waiting. */
static void parse_halt_disabled(const char *value, struct hv_config *cfg)
{
	if (strcmp(value, "wait") == 0 || strcmp(value, "stop") == 0)
		cfg->halt_disabled_stop = strcmp(value, "stop") == 0;
	else
		config_error(cfg, "on-halt-disabled=%s: use wait or stop", value);
}

/* Parse the hypervisor's options from cmdline into cfg, starting from the
 * defaults.  Pure and callable before the UART is up: problems land in
 * cfg->error.  Words this does not know are left for their own parsers. */
void config_parse(const char *cmdline, struct hv_config *cfg)
{
	char value[CONFIG_VALUE_MAX];

	config_defaults(cfg);
	if (config_value(cmdline, "serial", value, sizeof(value), cfg))
		parse_serial(value, cfg);
	if (config_value(cmdline, "console", value, sizeof(value), cfg))
		parse_console(value, cfg);
	if (config_value(cmdline, "loglevel", value, sizeof(value), cfg))
		parse_loglevel(value, cfg);
	if (config_value(cmdline, "guest", value, BOOT_MODNAME_MAX, cfg))
		parse_guest(value, cfg);
	if (config_value(cmdline, "debug-fault", value, sizeof(value), cfg))
		parse_debug_fault(value, cfg);
	if (config_value(cmdline, "on-triple-fault", value, sizeof(value), cfg))
		parse_triple_fault(value, cfg);
	if (config_value(cmdline, "lapic", value, sizeof(value), cfg))
		parse_lapic(value, cfg);
	if (config_value(cmdline, "iommu", value, sizeof(value), cfg))
		parse_iommu(value, cfg);
	if (config_value(cmdline, "on-halt-disabled", value, sizeof(value), cfg))
		parse_halt_disabled(value, cfg);
	cfg->test_exit = cmdline_has(cmdline, "test-exit");
	cfg->debug_iommu_dma = cmdline_has(cmdline, "debug-iommu-dma");
	cfg->debug_bad_guest_state = cmdline_has(cmdline, "debug-bad-guest-state");
}
