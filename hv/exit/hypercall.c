/*
 * Hypercalls: the VMCALL ABI of hv/exit/hypercall.h.  RAX is the call number,
 * RBX, RCX, RDX, RSI the arguments, RAX the result (negative: -HC_ERR_*).
 * Only the guest kernel may call (CPL 0); from user mode VMCALL is #UD, as
 * on a CPU without a hypervisor.
 *
 * Guest-physical buffers are reached through the host's identity map
 * (EPT is an identity map too), and only when guest_mem_accessible() says
 * the range is the guest's: never the hypervisor's own memory, never
 * beyond the mapped limit.
 */
#include "arch/x86/cpu.h"
#include "hv/exit/handlers.h"
#include "hv/exit/stats.h"
#include "hv/exit/hypercall.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/guest_mem.h"

#define CONSOLE_WRITE_MAX     4096
#define CONSOLE_LINE_MAX      160       /* one "[hv] guest: " line */
#define STATS_TEXT_MAX        4096
#define ASCII_PRINTABLE_FIRST ' '
#define ASCII_PRINTABLE_LAST  '~'

/* c itself when it is printable ASCII, else '.', so a guest cannot send
 * control sequences to the hypervisor's console. */
static char printable(char c)
{
	return (c >= ASCII_PRINTABLE_FIRST && c <= ASCII_PRINTABLE_LAST) ? c : '.';
}

/* "[hv] guest: <text>", one log line per guest line (or per
 * CONSOLE_LINE_MAX bytes); control characters show as '.'. */
static void console_log(const char *text, uint64_t len)
{
	char line[CONSOLE_LINE_MAX + 1];
	uint32_t n = 0;

	for (uint64_t i = 0; i < len; i++) {
		bool newline = text[i] == '\n';
		if (!newline && text[i] != '\r')
			line[n++] = printable(text[i]);
		if (newline || n == CONSOLE_LINE_MAX || i + 1 == len) {
			line[n] = '\0';
			if (n || newline)
				log_info("guest: %s", line);
			n = 0;
		}
	}
}

/* HC_CONSOLE_WRITE: log len bytes of guest memory at gpa as guest lines.
 * Returns len, -HC_ERR_INVALID above CONSOLE_WRITE_MAX, or -HC_ERR_FAULT
 * when the range is not the guest's. */
static int64_t hc_console_write(uint64_t gpa, uint64_t len)
{
	if (len > CONSOLE_WRITE_MAX)
		return -HC_ERR_INVALID;
	if (len == 0)
		return 0;
	if (!guest_mem_accessible(gpa, len))
		return -HC_ERR_FAULT;
	console_log((const char *)(uintptr_t)gpa, len);
	return (int64_t)len;
}

/* The statistics table into the guest's buffer (NUL-terminated when it
 * fits), and into the log. */
static int64_t hc_get_exit_stats(struct vcpu *v, uint64_t gpa, uint64_t size)
{
	static char text[STATS_TEXT_MAX];
	size_t len;

	if (size == 0)
		return -HC_ERR_INVALID;
	if (!guest_mem_accessible(gpa, size))
		return -HC_ERR_FAULT;
	len = exit_stats_format(&v->stats, text, sizeof(text));
	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	if (len > size)
		len = size;
	memcpy((void *)(uintptr_t)gpa, text, len);
	if (len < size)
		((char *)(uintptr_t)gpa)[len] = '\0';
	exit_stats_log(&v->stats);
	return (int64_t)len;
}

/* The hypervisor-owned ranges, so a test guest can check that its memory
 * map leaves them out and that touching them is refused. */
static int64_t hc_get_hv_ranges(uint64_t gpa, uint64_t size)
{
	struct ept_hole holes[HV_OWNED_MAX];
	size_t n = guest_mem_hv_ranges(holes, HV_OWNED_MAX);
	uint64_t need = n * sizeof(struct hc_range);

	if (size < need)
		return -HC_ERR_INVALID;
	if (!guest_mem_accessible(gpa, need))
		return -HC_ERR_FAULT;
	struct hc_range *out = (struct hc_range *)(uintptr_t)gpa;
	for (size_t i = 0; i < n; i++)
		out[i] = (struct hc_range){ holes[i].base, holes[i].end };
	return (int64_t)n;
}

/* VMCALL exit: run the hypercall RAX names with its arguments in RBX and
 * RCX, result in RAX; an unknown number returns -HC_ERR_UNKNOWN.  From CPL >
 * 0 VMCALL is #UD, as on bare metal.  HC_TEST_EXIT stops the guest with the
 * verdict RBX gives (0 is success). */
enum exit_action handle_vmcall(struct vcpu *v, const struct vmexit *e)
{
	struct guest_regs *r = &v->regs;

	if (guest_cpl() != 0)
		return inject_ud(v, e);
	switch (r->rax) {
	case HC_GET_VERSION:
		r->rax = HV_ABI_VERSION;
		break;
	case HC_CONSOLE_WRITE:
		r->rax = (uint64_t)hc_console_write(r->rbx, r->rcx);
		break;
	case HC_GET_EXIT_STATS:
		r->rax = (uint64_t)hc_get_exit_stats(v, r->rbx, r->rcx);
		break;
	case HC_GET_HV_RANGES:
		r->rax = (uint64_t)hc_get_hv_ranges(r->rbx, r->rcx);
		break;
	case HC_TEST_EXIT:
		vcpu_stop(v, r->rbx == 0, r->rbx == 0 ? "guest reported success (HC_TEST_EXIT)"
						       : "guest reported failure (HC_TEST_EXIT)");
		return EXIT_STOP_GUEST;
	default:
		r->rax = (uint64_t)-HC_ERR_UNKNOWN;
		break;
	}
	return EXIT_SKIP_INSTRUCTION;
}
