/*
 * The monitor's loop (see hv/monitor/monitor.h): a prompt, a line editor
 * (printable characters echoed, backspace, Enter), the command table of
 * hv/monitor/commands.c, and the pause taken out of the guest's time.
 * The guest is paused because its vCPU stays in root mode here; the
 * other CPUs are parked (hv/ap_park.c), so there is nothing else to stop.
 */
#include <stdarg.h>

#include "arch/x86/cpu.h"
#include "drivers/console.h"
#include "drivers/serial.h"
#include "hv/monitor/commands.h"
#include "hv/monitor/escape.h"
#include "hv/monitor/monitor.h"
#include "hv/monitor/parse.h"
#include "hv/vcpu/timer.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/ctls_bits.h"
#include "lib/format.h"

#define MON_OUT_MAX     256
#define KEY_BACKSPACE   0x08
#define KEY_DELETE      0x7f
#define KEY_CR          '\r'
#define KEY_LF          '\n'
#define MON_PROMPT      "(hv) "

static uint8_t entered_key = ESCAPE_DEFAULT_KEY;

uint8_t mon_escape_key(void)
{
	return entered_key;
}

void mon_printf(const char *fmt, ...)
{
	char text[MON_OUT_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vformat(text, sizeof(text), fmt, ap);
	va_end(ap);
	console_write_sync(text, (size_t)n);
}

/* The next byte from the line, waiting for it (the guest is paused);
 * -1 when the UART is gone. */
static int mon_getc(void)
{
	int c;

	while ((c = serial_getc()) < 0) {
		if (!serial_present())
			return -1;
		cpu_relax();
	}
	return c;
}

/* What reading a line ended with. */
enum line_end { LINE_ENTER, LINE_ESCAPE, LINE_GONE };

/* Read one command line into buf (echoed, backspace edits); the escape
 * key pressed ESCAPE_PRESSES times in a row ends the monitor as well. */
static enum line_end mon_read_line(char *buf, size_t size, uint8_t key)
{
	size_t len = 0;
	uint32_t escapes = 0;

	for (;;) {
		int c = mon_getc();

		if (c < 0)
			return LINE_GONE;
		escapes = c == key ? escapes + 1 : 0;
		if (escapes == ESCAPE_PRESSES)
			return LINE_ESCAPE;
		if (c == KEY_CR || c == KEY_LF) {
			buf[len] = '\0';
			mon_printf("\n");
			return LINE_ENTER;
		}
		if ((c == KEY_BACKSPACE || c == KEY_DELETE) && len) {
			len--;
			mon_printf("\b \b");
		} else if (c >= ' ' && c < KEY_DELETE && len + 1 < size) {
			buf[len++] = (char)c;
			mon_printf("%c", c);
		}
	}
}

/* Run one command line; whether the guest goes on afterwards. */
static enum mon_result mon_execute(struct mon_ctx *ctx, char *line)
{
	struct mon_words w;
	char err[MON_ERROR_MAX];
	const struct mon_cmd *cmd;

	if (!mon_split(line, &w)) {
		mon_printf("error: too many words (at most %u)\n", MON_WORDS_MAX);
		return MON_STAY;
	}
	if (!w.count)
		return MON_STAY;
	cmd = mon_lookup(mon_commands, mon_command_count, &w, err, sizeof(err));
	if (!cmd) {
		mon_printf("error: %s\n", err);
		return MON_STAY;
	}
	return cmd->fn(ctx, &w);
}

/* Take the pause out of the guest's time: its TSC goes back by as much
 * as the pause took (TSC offsetting; without it the guest sees the jump). */
void monitor_hide_pause(struct vcpu *v, uint64_t paused_tsc)
{
	if (!(v->ctls.word[PROCBASED_CTLS] & PROCBASED_CTLS_USE_TSC_OFFSETTING))
		return;
	vcpu_set_tsc_offset(v, v->tsc_offset - paused_tsc);
}

void monitor_run(struct vcpu *v, uint8_t escape_key)
{
	struct mon_ctx ctx = { .v = v };
	char line[MON_LINE_MAX];
	uint64_t start = rdtsc();
	enum line_end end;

	entered_key = escape_key;
	mon_printf("[hv] monitor: guest paused at rip %#llx "
		   "(help: commands, c: continue)\n",
		   (unsigned long long)vmcs_readnat(VMCS_GUEST_RIP));
	for (;;) {
		mon_printf(MON_PROMPT);
		end = mon_read_line(line, sizeof(line), escape_key);
		if (end != LINE_ENTER)
			break;
		if (mon_execute(&ctx, line) == MON_CONTINUE)
			break;
	}
	if (end == LINE_ESCAPE)
		mon_printf("\n");
	mon_printf("[hv] monitor: guest resumed\n");
	monitor_hide_pause(v, rdtsc() - start);
}

void monitor_run_with_regs(struct vcpu *v)
{
	struct mon_ctx ctx = { .v = v };
	struct mon_words none = { 0, { NULL } };
	uint64_t start = rdtsc();

	(void)cmd_regs(&ctx, &none);
	monitor_hide_pause(v, rdtsc() - start);
	monitor_run(v, entered_key);
}
