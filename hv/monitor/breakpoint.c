/*
 * The monitor's break GVA|clear: one execute breakpoint in debug register
 * DR0 (SDM Vol. 3, "Debug Registers"), one-shot.  The guest owns DR0-DR3
 * (MOV-DR does not exit) and its DR7 lives in the VMCS, so the breakpoint
 * takes DR0 and DR7's slot 0 from the guest while it is set: both are put
 * back when it hits or is cleared.  #DB is intercepted meanwhile; the
 * #DB with B0 set is the hit (handle_exception_nmi asks
 * monitor_break_trap), which reports it and the registers in the monitor.
 * An instruction breakpoint is a fault: RIP is the instruction, which has
 * not run, and it runs when the guest goes on (the breakpoint is gone).
 * What the guest could notice meanwhile: DR0 and DR7 read back as ours.
 */
#include "arch/x86/cpu.h"
#include "hv/monitor/breakpoint.h"
#include "hv/monitor/commands.h"
#include "hv/monitor/monitor.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/vmcs.h"
#include "lib/bits.h"
#include "lib/str.h"

#define DR7_SLOT0_MASK   (BIT_ULL(0) | BIT_ULL(1) | (0xfull << 16)) /* L0, G0, RW0, LEN0 */
#define DR7_L0           BIT_ULL(0)     /* RW0 = LEN0 = 0: instruction fetch */
#define DB_QUAL_B0       BIT_ULL(0)
#define ULL(x)           ((unsigned long long)(x))

static struct {
	bool set;
	uint64_t gva;
	uint64_t guest_dr0;
	uint64_t guest_dr7_slot0;
	bool db_intercepted;
} brk;

static uint64_t dr0_read(void)
{
	uint64_t v;

	__asm__ volatile("mov %%dr0, %0" : "=r"(v));
	return v;
}

static void dr0_write(uint64_t v)
{
	__asm__ volatile("mov %0, %%dr0" : : "r"(v));
}

/* Take DR0 and DR7's slot 0 for the breakpoint, intercept #DB. */
static void break_arm(uint64_t gva)
{
	uint64_t dr7 = vmcs_readnat(VMCS_GUEST_DR7);
	uint32_t bitmap = vmcs_read32(VMCS_EXCEPTION_BITMAP);

	brk.guest_dr0 = dr0_read();
	brk.guest_dr7_slot0 = dr7 & DR7_SLOT0_MASK;
	brk.db_intercepted = (bitmap & BIT(EXC_DB)) != 0;
	brk.gva = gva;
	brk.set = true;
	dr0_write(gva);
	vmcs_writenat(VMCS_GUEST_DR7, (dr7 & ~DR7_SLOT0_MASK) | DR7_L0);
	vmcs_write32(VMCS_EXCEPTION_BITMAP, bitmap | BIT(EXC_DB));
}

/* Give the guest its DR0, DR7 slot 0 and exception bitmap back. */
static void break_disarm(void)
{
	uint64_t dr7 = vmcs_readnat(VMCS_GUEST_DR7) & ~DR7_SLOT0_MASK;

	dr0_write(brk.guest_dr0);
	vmcs_writenat(VMCS_GUEST_DR7, dr7 | brk.guest_dr7_slot0);
	if (!brk.db_intercepted)
		vmcs_write32(VMCS_EXCEPTION_BITMAP,
			     vmcs_read32(VMCS_EXCEPTION_BITMAP) & ~BIT(EXC_DB));
	brk.set = false;
}

enum mon_result cmd_break(struct mon_ctx *ctx, const struct mon_words *w)
{
	char err[MON_ERROR_MAX];
	uint64_t gva;

	(void)ctx;
	if (strcmp(w->word[1], "clear") == 0) {
		if (brk.set)
			break_disarm();
		mon_printf("breakpoint cleared\n");
		return MON_STAY;
	}
	if (!mon_number(w, 1, &gva, err, sizeof(err))) {
		mon_printf("error: %s\n", err);
		return MON_STAY;
	}
	if (brk.set)
		break_disarm();
	break_arm(gva);
	mon_printf("breakpoint at 0x%llx (one-shot, DR0)\n", ULL(gva));
	return MON_STAY;
}

bool monitor_break_trap(struct vcpu *v, uint64_t qualification)
{
	if (!brk.set || !(qualification & DB_QUAL_B0))
		return false;
	uint64_t start = rdtsc();

	break_disarm();
	mon_printf("[hv] monitor: breakpoint 0x%llx hit\n", ULL(brk.gva));
	monitor_hide_pause(v, rdtsc() - start);
	monitor_run_with_regs(v);
	return true;
}
