/*
 * The monitor's commands (see docs/console.md).  Each prints to the line
 * through mon_printf and answers a bad argument with a one-line error.
 * Guest memory is read only through mm/guest_copy.h; ranges that overlap
 * the hypervisor's own memory are refused before that.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "drivers/console.h"
#include "drivers/reset.h"
#include "drivers/stop.h"
#include "hv/exit/handlers.h"
#include "hv/exit/hypercall.h"
#include "hv/exit/stats.h"
#include "hv/monitor/commands.h"
#include "hv/monitor/monitor.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/guest_seg.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/vmxon.h"
#include "lib/log.h"
#include "lib/format.h"
#include "lib/str.h"
#include "mm/ept.h"
#include "mm/guest_copy.h"
#include "mm/guest_mem.h"

#define XP_PER_LINE       16u
#define DMESG_MAX         8192u
#define MS_PER_SECOND     1000u
#define ULL(x)            ((unsigned long long)(x))
#define ARRAY_SIZE(a)     (sizeof(a) / sizeof((a)[0]))

static enum mon_result cmd_help(struct mon_ctx *ctx, const struct mon_words *w);

/* c: let the guest go on. */
static enum mon_result cmd_continue(struct mon_ctx *ctx, const struct mon_words *w)
{
	(void)ctx;
	(void)w;
	return MON_CONTINUE;
}

/* The hypervisor-owned physical ranges. */
static size_t hv_ranges(struct ept_hole out[HV_OWNED_MAX])
{
	return guest_mem_hv_ranges(out, HV_OWNED_MAX);
}

/* info: what runs and how. */
static enum mon_result cmd_info(struct mon_ctx *ctx, const struct mon_words *w)
{
	const struct vmx_controls *c = &ctx->v->ctls;
	struct ept_hole r[HV_OWNED_MAX];
	size_t n = hv_ranges(r);

	(void)w;
	mon_printf("VTxMicroHV, hypercall ABI %#x, vcpu%u\n", HV_ABI_VERSION,
		   ctx->v->id);
	mon_printf("VMX controls: pin %#x proc %#x proc2 %#x exit %#x entry %#x\n",
		   c->word[0], c->word[1], c->word[2], c->word[3], c->word[4]);
	mon_printf("EPT %s, VPID %s, unrestricted guest %s, preemption timer %s, "
		   "TPR shadow %s, APICv %s\n", c->ept ? "on" : "off",
		   c->vpid ? "on" : "off", c->unrestricted_guest ? "on" : "off",
		   c->preemption_timer ? "on" : "off", c->tpr_shadow ? "on" : "off",
		   c->apicv ? "on" : "off");
	for (size_t i = 0; i < n; i++)
		mon_printf("hypervisor memory %#llx-%#llx\n",
			   (unsigned long long)r[i].base,
			   (unsigned long long)r[i].end - 1);
	return MON_STAY;
}

static const char *const seg_names[GUEST_SEGS] = {
	"es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr",
};

/* The segment registers, one line each. */
static void print_segments(void)
{
	for (int s = 0; s < GUEST_SEGS; s++) {
		struct guest_seg_state g = vmcs_read_guest_seg((enum guest_seg)s);

		mon_printf("%-4s sel 0x%04x base 0x%016llx limit 0x%08x ar 0x%04x\n",
			   seg_names[s], g.sel, (unsigned long long)g.base,
			   g.limit, g.ar);
	}
}

/* regs: the guest's registers and state. */
enum mon_result cmd_regs(struct mon_ctx *ctx, const struct mon_words *w)
{
	const struct guest_regs *r = &ctx->v->regs;

	(void)w;
	mon_printf("rax 0x%016llx rbx 0x%016llx rcx 0x%016llx rdx 0x%016llx\n",
		   ULL(r->rax), ULL(r->rbx), ULL(r->rcx), ULL(r->rdx));
	mon_printf("rsi 0x%016llx rdi 0x%016llx rbp 0x%016llx rsp 0x%016llx\n",
		   ULL(r->rsi), ULL(r->rdi), ULL(r->rbp), ULL(vmcs_readnat(VMCS_GUEST_RSP)));
	mon_printf("r8  0x%016llx r9  0x%016llx r10 0x%016llx r11 0x%016llx\n",
		   ULL(r->r8), ULL(r->r9), ULL(r->r10), ULL(r->r11));
	mon_printf("r12 0x%016llx r13 0x%016llx r14 0x%016llx r15 0x%016llx\n",
		   ULL(r->r12), ULL(r->r13), ULL(r->r14), ULL(r->r15));
	mon_printf("rip 0x%016llx rflags %#llx\n", ULL(vmcs_readnat(VMCS_GUEST_RIP)),
		   ULL(vmcs_readnat(VMCS_GUEST_RFLAGS)));
	mon_printf("cr0 %#llx cr2 %#llx cr3 %#llx cr4 %#llx cr8 %#x efer %#llx\n",
		   ULL(guest_cr0_view()), ULL(r->cr2),
		   ULL(vmcs_readnat(VMCS_GUEST_CR3)), ULL(guest_cr4_view()),
		   inject_get_tpr(ctx->v), ULL(vmcs_read64(VMCS_GUEST_IA32_EFER)));
	print_segments();
	mon_printf("gdtr %#llx/%#x idtr %#llx/%#x\n",
		   ULL(vmcs_readnat(VMCS_GUEST_GDTR_BASE)),
		   vmcs_read32(VMCS_GUEST_GDTR_LIMIT),
		   ULL(vmcs_readnat(VMCS_GUEST_IDTR_BASE)),
		   vmcs_read32(VMCS_GUEST_IDTR_LIMIT));
	mon_printf("activity %u interruptibility 0x%x\n",
		   vmcs_read32(VMCS_GUEST_ACTIVITY_STATE),
		   vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE));
	return MON_STAY;
}

/* vmcs [FIELD]: the dump (through the log), or one field by its SDM name. */
static enum mon_result cmd_vmcs(struct mon_ctx *ctx, const struct mon_words *w)
{
	uint32_t field;
	uint64_t value;

	(void)ctx;
	if (w->count == 1) {
		vmcs_dump();
		console_flush();
		return MON_STAY;
	}
	if (!vmcs_field_by_name(w->word[1], &field)) {
		mon_printf("error: no VMCS field '%.40s' (names as in the dump)\n",
			   w->word[1]);
		return MON_STAY;
	}
	if (vmread_raw(field, &value) != VMX_SUCCEED)
		mon_printf("%s: not on this CPU\n", w->word[1]);
	else
		mon_printf("%s = %#llx\n", w->word[1], (unsigned long long)value);
	return MON_STAY;
}

/* The counts at the last stats, and the guest's TSC then. */
static struct {
	uint64_t count[EXIT_REASON_SLOTS];
	uint64_t guest_tsc;
} stats_last;

/* The guest's TSC now: the real one plus the TSC offset (the monitor's
 * pauses taken out), when offsetting is on. */
static uint64_t guest_tsc_now(void)
{
	uint64_t tsc = rdtsc();

	if (vmcs_read32(VMCS_PROCBASED_CTLS) & PROCBASED_CTLS_USE_TSC_OFFSETTING)
		tsc += vmcs_read64(VMCS_TSC_OFFSET);
	return tsc;
}

/* Exits per second of guest time since the last stats (or the start),
 * per reason that had any; then remember the counts. */
static void print_rates(const struct exit_stats *st)
{
	uint64_t now = guest_tsc_now(), hz = tsc_hz();
	uint64_t ticks = now - stats_last.guest_tsc;

	mon_printf("  rates over the last %llu ms of guest time:\n",
		   ULL(ticks / (hz / MS_PER_SECOND ? hz / MS_PER_SECOND : 1)));
	for (uint32_t r = 0; r < EXIT_REASON_SLOTS; r++) {
		uint64_t n = st->count[r] - stats_last.count[r];

		if (st->count[r] < stats_last.count[r])
			n = st->count[r];       /* reset meanwhile */
		if (n && ticks)
			mon_printf("  %-36s %10llu/s\n", exit_reason_name(r),
				   ULL(n * hz / ticks));
		stats_last.count[r] = st->count[r];
	}
	stats_last.guest_tsc = now;
}

/* stats [reset]: the exit table, or start counting afresh. */
static enum mon_result cmd_stats(struct mon_ctx *ctx, const struct mon_words *w)
{
	static char text[EXIT_STATS_TEXT_MAX];
	size_t len;

	if (w->count == 2) {
		if (strcmp(w->word[1], "reset") != 0) {
			mon_printf("error: usage: stats [reset]\n");
			return MON_STAY;
		}
		memset(&ctx->v->stats, 0, sizeof(ctx->v->stats));
		mon_printf("exit statistics reset\n");
		return MON_STAY;
	}
	len = exit_stats_format(&ctx->v->stats, text, sizeof(text));
	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	console_write_sync(text, len);
	print_rates(&ctx->v->stats);
	return MON_STAY;
}

/* Whether [gpa, gpa + len) touches the hypervisor's own memory. */
bool mon_hits_hv_memory(uint64_t gpa, uint64_t len)
{
	struct ept_hole r[HV_OWNED_MAX];
	size_t n = hv_ranges(r);

	for (size_t i = 0; i < n; i++)
		if (gpa < r[i].end && r[i].base < gpa + len)
			return true;
	return false;
}

/* Print len bytes at address addr, XP_PER_LINE a line. */
void mon_hex_dump(uint64_t addr, const uint8_t *p, uint32_t len)
{
	char line[XP_PER_LINE * 3 + 1];

	for (uint32_t i = 0; i < len; i += XP_PER_LINE) {
		size_t n = 0;

		for (uint32_t k = i; k < len && k < i + XP_PER_LINE; k++)
			n += (size_t)format(line + n, sizeof(line) - n, " %02x", p[k]);
		line[n] = '\0';
		mon_printf("0x%016llx:%s\n", (unsigned long long)(addr + i), line);
	}
}

/* xp GPA [N]: N bytes (default 64, at most 512) of guest-physical memory. */
static enum mon_result cmd_xp(struct mon_ctx *ctx, const struct mon_words *w)
{
	static uint8_t buf[XP_MAX_BYTES];
	char err[MON_ERROR_MAX];
	uint64_t gpa, len = XP_DEFAULT_BYTES;

	(void)ctx;
	if (!mon_number(w, 1, &gpa, err, sizeof(err)) ||
	    (w->count > 2 && !mon_number(w, 2, &len, err, sizeof(err)))) {
		mon_printf("error: %s\n", err);
		return MON_STAY;
	}
	if (len == 0 || len > XP_MAX_BYTES || gpa + len < gpa) {
		mon_printf("error: N must be 1-%u\n", XP_MAX_BYTES);
		return MON_STAY;
	}
	if (mon_hits_hv_memory(gpa, len)) {
		mon_printf("error: %#llx-%#llx is hypervisor memory: refused\n",
			   (unsigned long long)gpa, (unsigned long long)(gpa + len - 1));
		return MON_STAY;
	}
	if (!copy_from_guest(buf, gpa, (size_t)len)) {
		mon_printf("error: %#llx-%#llx is not guest RAM\n",
			   (unsigned long long)gpa, (unsigned long long)(gpa + len - 1));
		return MON_STAY;
	}
	mon_hex_dump(gpa, buf, (uint32_t)len);
	return MON_STAY;
}

static const char *const ept_level_names[EPT_LEVELS] = {
	"PML4E", "PDPTE", "PDE", "PTE",
};
static const char *const ept_type_names[] = {
	"UC", "WC", "2?", "3?", "WT", "WP", "WB", "7?",
};

/* EPT tables live in identity-mapped hypervisor memory. */
static void *ept_table_identity(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/* One EPT entry: its value, permissions and, for a leaf, the type. */
static void print_ept_entry(int level, uint64_t e, bool leaf)
{
	mon_printf("%-5s 0x%016llx %c%c%c", ept_level_names[level], ULL(e),
		   e & EPT_READ ? 'r' : '-', e & EPT_WRITE ? 'w' : '-',
		   e & EPT_EXECUTE ? 'x' : '-');
	if (leaf)
		mon_printf(" type %s%s",
			   ept_type_names[(e & EPT_MEMTYPE_MASK) >> EPT_MEMTYPE_SHIFT],
			   e & EPT_IGNORE_PAT ? " ignore-PAT" : "");
	mon_printf("\n");
}

/* ept GPA: the walk of the guest's EPT for GPA, each level's entry and
 * where it lands. */
static enum mon_result cmd_ept(struct mon_ctx *ctx, const struct mon_words *w)
{
	char err[MON_ERROR_MAX];
	struct ept_walk walk;
	uint64_t gpa;

	if (!mon_number(w, 1, &gpa, err, sizeof(err))) {
		mon_printf("error: %s\n", err);
		return MON_STAY;
	}
	ept_walk(ctx->v->eptp & EPT_ADDR_MASK, gpa, ept_table_identity, &walk);
	for (int i = 0; i < walk.levels; i++)
		print_ept_entry(i, walk.entry[i],
				walk.mapped && i == walk.levels - 1);
	if (walk.mapped)
		mon_printf("GPA 0x%llx -> HPA 0x%llx (%llu KiB page)\n", ULL(gpa),
			   ULL(walk.hpa), ULL(walk.page_size / 1024));
	else
		mon_printf("GPA 0x%llx: not mapped\n", ULL(gpa));
	return MON_STAY;
}

/* trace REASON on|off: log every exit of the basic reason REASON (its
 * number, as in stats). */
static enum mon_result cmd_trace(struct mon_ctx *ctx, const struct mon_words *w)
{
	char err[MON_ERROR_MAX];
	uint64_t reason;
	bool on = strcmp(w->word[2], "on") == 0;

	(void)ctx;
	if (!mon_number(w, 1, &reason, err, sizeof(err))) {
		mon_printf("error: %s\n", err);
		return MON_STAY;
	}
	if (!on && strcmp(w->word[2], "off") != 0) {
		mon_printf("error: usage: trace REASON on|off\n");
		return MON_STAY;
	}
	if (reason > UINT32_MAX || !exit_trace_set((uint32_t)reason, on)) {
		mon_printf("error: no exit reason %llu\n", ULL(reason));
		return MON_STAY;
	}
	mon_printf("trace %s (%llu) %s\n", exit_reason_name((uint32_t)reason),
		   ULL(reason), on ? "on" : "off");
	return MON_STAY;
}

/* dmesg: the newest lines of the hypervisor's log ring. */
static enum mon_result cmd_dmesg(struct mon_ctx *ctx, const struct mon_words *w)
{
	static char text[DMESG_MAX];
	size_t len = log_read_tail(text, sizeof(text));

	(void)ctx;
	(void)w;
	console_write_sync(text, len);
	return MON_STAY;
}

/* log LEVEL: the log's level from now on. */
static enum mon_result cmd_log(struct mon_ctx *ctx, const struct mon_words *w)
{
	int level = log_level_from_name(w->word[1]);

	(void)ctx;
	if (level < 0) {
		mon_printf("error: level must be debug, info, warn or error\n");
		return MON_STAY;
	}
	log_set_level((enum log_level)level);
	mon_printf("log level %s\n", w->word[1]);
	return MON_STAY;
}

/* reset: reset the machine (VMX off first: INIT is blocked in root mode). */
static enum mon_result cmd_reset(struct mon_ctx *ctx, const struct mon_words *w)
{
	(void)ctx;
	(void)w;
	mon_printf("resetting the machine\n");
	vmx_disable();
	machine_reset();
	hv_stop(false, "monitor: reset failed");
}

/* poweroff: stop the guest and the hypervisor. */
static enum mon_result cmd_poweroff(struct mon_ctx *ctx, const struct mon_words *w)
{
	(void)w;
	vcpu_stop(ctx->v, true, "powered off from the monitor");
	return MON_CONTINUE;
}

const struct mon_cmd mon_commands[] = {
	{ "help", "", "list the commands", 0, 0, cmd_help },
	{ "c", "", "continue the guest", 0, 0, cmd_continue },
	{ "info", "", "version, VMX controls, hypervisor memory", 0, 0, cmd_info },
	{ "regs", "", "the guest's registers, segments, activity state", 0, 0, cmd_regs },
	{ "vmcs", "[FIELD]", "the VMCS dump, or one field by name (GUEST_RIP)", 0, 1, cmd_vmcs },
	{ "stats", "[reset]", "exit counts, root-mode time, rates since the last stats; or reset", 0, 1, cmd_stats },
	{ "xp", "GPA [N]", "hex dump of N (64) bytes of guest-physical memory", 1, 2, cmd_xp },
	{ "ept", "GPA", "the EPT walk for GPA: entries, permissions, type, page", 1, 1, cmd_ept },
	{ "lapic", "", "the virtual LAPIC: registers, ISR/IRR/TMR, LVTs, timer", 0, 0, cmd_lapic },
	{ "gva", "GVA", "the guest's page walk for GVA (its CR3): entries, GPA", 1, 1, cmd_gva },
	{ "xv", "GVA [N]", "hex dump of N (64) bytes at guest-virtual GVA", 1, 2, cmd_xv },
	{ "step", "[N]", "run N (1) instructions, printing each RIP and its bytes", 0, 1, cmd_step },
	{ "break", "GVA|clear", "stop when the guest executes GVA (one-shot, DR0)", 1, 1, cmd_break },
	{ "trace", "REASON on|off", "log every exit of that reason (number, as in stats)", 2, 2, cmd_trace },
	{ "dmesg", "", "the newest lines of the hypervisor's log", 0, 0, cmd_dmesg },
	{ "log", "LEVEL", "log level: debug, info, warn, error", 1, 1, cmd_log },
	{ "reset", "", "reset the machine", 0, 0, cmd_reset },
	{ "poweroff", "", "stop the guest and the hypervisor", 0, 0, cmd_poweroff },
};
const size_t mon_command_count = ARRAY_SIZE(mon_commands);

/* help: one line per command. */
static enum mon_result cmd_help(struct mon_ctx *ctx, const struct mon_words *w)
{
	(void)ctx;
	(void)w;
	for (size_t i = 0; i < mon_command_count; i++) {
		char usage[32];

		format(usage, sizeof(usage), "%s %s", mon_commands[i].name,
		       mon_commands[i].args);
		mon_printf("  %-16s %s\n", usage, mon_commands[i].help);
	}
	return MON_STAY;
}
