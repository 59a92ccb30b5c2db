/*
 * Hypercalls: the VMCALL ABI of hv/exit/hypercall.h.  RAX is the call number,
 * RBX, RCX, RDX, RSI the arguments, RAX the result (negative: -HC_ERR_*).
 * Only the guest kernel may call (CPL 0); from user mode VMCALL is #UD, as
 * on a CPU without a hypervisor.
 *
 * Guest buffers are reached only through mm/guest_copy.h: a buffer must be
 * usable RAM of the guest's memory map (never MMIO, a hole, firmware or
 * hypervisor memory), else the call returns -HC_ERR_FAULT.  Outside 64-bit
 * mode the call number, the arguments and the result are 32 bits wide (the
 * upper halves of the registers are ignored and the result zero-extended),
 * as KVM does.
 */
#include "arch/x86/cpu.h"
#include "hv/exit/handlers.h"
#include "hv/exit/stats.h"
#include "hv/exit/hypercall.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "lib/bits.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/guest_copy.h"
#include "mm/guest_mem.h"

#define CONSOLE_WRITE_MAX     4096
#define CONSOLE_LINE_MAX      160       /* one "[hv] guest: " line */
#define CONSOLE_COPY_CHUNK    256       /* bytes copied from the guest at a time */

/* c itself when it is printable ASCII, else '.', so a guest cannot send
 * control sequences to the hypervisor's console. */
static char printable(char c)
{
	return ascii_printable((unsigned char)c) ? c : '.';
}

/* A guest console line being assembled: "[hv] guest: <text>", one log line
 * per guest line (or per CONSOLE_LINE_MAX bytes); control characters show
 * as '.'. */
struct console_line {
	char text[CONSOLE_LINE_MAX + 1];
	uint32_t len;
};

/* Log the line assembled so far (an empty one only for a newline) and
 * start a new one. */
static void console_flush(struct console_line *l, bool newline)
{
	l->text[l->len] = '\0';
	if (l->len || newline)
		log_info("guest: %s", l->text);
	l->len = 0;
}

/* Add one guest byte: a newline ends the line, CR is dropped, a full line
 * is logged as it is. */
static void console_put(struct console_line *l, char c)
{
	if (c == '\n') {
		console_flush(l, true);
		return;
	}
	if (c != '\r')
		l->text[l->len++] = printable(c);
	if (l->len == CONSOLE_LINE_MAX)
		console_flush(l, false);
}

/* Log len bytes at gpa, copied out of the guest a chunk at a time. */
static int64_t hc_console_write(uint64_t gpa, uint64_t len)
{
	struct console_line line = { .len = 0 };
	char chunk[CONSOLE_COPY_CHUNK];

	if (len > CONSOLE_WRITE_MAX)
		return -HC_ERR_INVALID;
	if (len == 0)
		return 0;
	if (!guest_range_ok(gpa, len))
		return -HC_ERR_FAULT;
	for (uint64_t done = 0; done < len; done += CONSOLE_COPY_CHUNK) {
		size_t n = len - done < CONSOLE_COPY_CHUNK ? len - done : CONSOLE_COPY_CHUNK;

		if (!copy_from_guest(chunk, gpa + done, n))
			return -HC_ERR_FAULT;
		for (size_t i = 0; i < n; i++)
			console_put(&line, chunk[i]);
	}
	if (line.len)
		console_flush(&line, false);
	return (int64_t)len;
}

/* The statistics table into the guest's buffer (NUL-terminated when it
 * fits), and into the log. */
static int64_t hc_get_exit_stats(struct vcpu *v, uint64_t gpa, uint64_t size)
{
	static char text[EXIT_STATS_TEXT_MAX];
	size_t len;

	if (size == 0)
		return -HC_ERR_INVALID;
	if (!guest_range_ok(gpa, size))
		return -HC_ERR_FAULT;
	len = exit_stats_format(&v->stats, text, sizeof(text));
	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	if (len > size)
		len = size;
	/* text[len] is the NUL when it fits: copy it along. */
	text[len] = '\0';
	if (!copy_to_guest(gpa, text, len < size ? len + 1 : len))
		return -HC_ERR_FAULT;
	exit_stats_log(&v->stats);
	return (int64_t)len;
}

/* The hypervisor-owned ranges, so a test guest can check that its memory
 * map leaves them out and that touching them is refused. */
static int64_t hc_get_hv_ranges(uint64_t gpa, uint64_t size)
{
	struct ept_hole holes[HV_OWNED_MAX];
	struct hc_range out[HV_OWNED_MAX];
	size_t n = guest_mem_hv_ranges(holes, HV_OWNED_MAX);
	uint64_t need = n * sizeof(struct hc_range);

	if (size < need)
		return -HC_ERR_INVALID;
	for (size_t i = 0; i < n; i++)
		out[i] = (struct hc_range){ holes[i].base, holes[i].end };
	if (!copy_to_guest(gpa, out, need))
		return -HC_ERR_FAULT;
	return (int64_t)n;
}

/* The newest whole lines of the log ring that fit into size bytes (at
 * most the ring's size), oldest first, no NUL. */
static int64_t hc_dmesg(uint64_t gpa, uint64_t size)
{
	static char text[LOG_RING_SIZE];
	size_t len;

	if (size == 0)
		return -HC_ERR_INVALID;
	if (!guest_range_ok(gpa, size))
		return -HC_ERR_FAULT;
	len = log_read_tail(text, size < sizeof(text) ? size : sizeof(text));
	if (!copy_to_guest(gpa, text, len))
		return -HC_ERR_FAULT;
	return (int64_t)len;
}

/* The call as the guest made it: number and arguments, cut to 32 bits
 * outside 64-bit mode. */
struct hypercall {
	uint64_t nr, arg[4];
	bool wide;
};

/* Read the call from the guest registers; outside 64-bit mode only the
 * low 32 bits count. */
static struct hypercall hypercall_read(const struct guest_regs *r)
{
	struct hypercall c = { r->rax, { r->rbx, r->rcx, r->rdx, r->rsi },
			       guest_in_64bit_mode() };

	if (!c.wide) {
		c.nr = LOW32(c.nr);
		for (int i = 0; i < 4; i++)
			c.arg[i] = LOW32(c.arg[i]);
	}
	return c;
}

/* Run call c; its result for RAX (before any narrowing). */
static int64_t hypercall_do(struct vcpu *v, const struct hypercall *c)
{
	switch (c->nr) {
	case HC_GET_VERSION:
		return HV_ABI_VERSION;
	case HC_CONSOLE_WRITE:
		return hc_console_write(c->arg[0], c->arg[1]);
	case HC_GET_EXIT_STATS:
		return hc_get_exit_stats(v, c->arg[0], c->arg[1]);
	case HC_GET_HV_RANGES:
		return hc_get_hv_ranges(c->arg[0], c->arg[1]);
	case HC_DMESG:
		return hc_dmesg(c->arg[0], c->arg[1]);
	default:
		return -HC_ERR_UNKNOWN;
	}
}

/* VMCALL exit: run the hypercall RAX names with its arguments in RBX and
 * RCX, result in RAX (32 bits wide outside 64-bit mode); an unknown number
 * returns -HC_ERR_UNKNOWN.  From CPL > 0 VMCALL is #UD, as on bare metal.
 * HC_TEST_EXIT stops the guest with the verdict RBX gives (0 is success). */
enum exit_action handle_vmcall(struct vcpu *v, const struct vmexit *e)
{
	struct guest_regs *r = &v->regs;
	struct hypercall c;
	uint64_t result;

	if (guest_cpl() != 0)
		return inject_ud(v, e);
	c = hypercall_read(r);
	if (c.nr == HC_TEST_EXIT) {
		bool ok = c.arg[0] == 0;

		vcpu_stop(v, ok, ok ? "guest reported success (HC_TEST_EXIT)"
				    : "guest reported failure (HC_TEST_EXIT)");
		return EXIT_STOP_GUEST;
	}
	result = (uint64_t)hypercall_do(v, &c);
	r->rax = c.wide ? result : LOW32(result);
	return EXIT_SKIP_INSTRUCTION;
}
