/*
 * The monitor's step [N]: single steps with the trap flag.  The guest's
 * RFLAGS.TF is set and #DB intercepted (exception bitmap bit 1); the #DB
 * with DR6.BS after the instruction comes back here (handle_exception_nmi
 * asks monitor_step_trap first), which prints the RIP and the bytes there,
 * puts the guest's own TF and the exception bitmap back, and steps again or
 * returns to the monitor.  Not the monitor trap flag: Bochs 2.7 never
 * delivers its exits (the MMIO write watch found that), and the trap flag
 * works on every VMX CPU.  What the guest could see: an interrupt or
 * exception delivered during a step pushes RFLAGS with TF set (its handler
 * runs without TF, the IRET brings it back), and PUSHF pushes it; a step
 * from the HLT state waits for the guest to wake up.
 */
#include "arch/x86/cpu.h"
#include "hv/monitor/commands.h"
#include "hv/monitor/monitor.h"
#include "hv/monitor/step.h"
#include "hv/vcpu/guest_linear.h"
#include "hv/vcpu/inject.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/ctls_bits.h"
#include "lib/bits.h"

#define STEP_MAX          1000u
#define STEP_SHOW_BYTES   8u
#define DB_QUAL_BS        BIT_ULL(14)   /* single step (exit qualification of #DB) */
#define PENDING_DBG_BS    BIT_ULL(14)   /* pending debug exceptions: BS */
#define ULL(x)            ((unsigned long long)(x))

static struct {
	uint32_t left;          /* steps still to take */
	bool active;
	bool guest_tf;          /* the guest's own RFLAGS.TF */
	bool db_intercepted;    /* #DB was in the exception bitmap before */
	uint8_t escape_key;
} step;

/* Set TF and intercept #DB for one instruction.  With STI or MOV-SS
 * blocking, or in the HLT state, the VM-entry checks want BS pending too
 * (SDM Vol. 3, "Checks on Guest Non-Register State"). */
static void step_arm(void)
{
	uint64_t rflags = vmcs_readnat(VMCS_GUEST_RFLAGS);
	uint32_t bitmap = vmcs_read32(VMCS_EXCEPTION_BITMAP);
	uint32_t intr = vmcs_read32(VMCS_GUEST_INTERRUPTIBILITY_STATE);

	step.guest_tf = (rflags & RFLAGS_TF) != 0;
	step.db_intercepted = (bitmap & BIT(EXC_DB)) != 0;
	vmcs_writenat(VMCS_GUEST_RFLAGS, rflags | RFLAGS_TF);
	vmcs_write32(VMCS_EXCEPTION_BITMAP, bitmap | BIT(EXC_DB));
	if ((intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) ||
	    vmcs_read32(VMCS_GUEST_ACTIVITY_STATE) == GUEST_ACTIVITY_HLT)
		vmcs_writenat(VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS,
			      vmcs_readnat(VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS) |
			      PENDING_DBG_BS);
}

/* The guest's TF and the exception bitmap as they were. */
static void step_disarm(void)
{
	uint64_t rflags = vmcs_readnat(VMCS_GUEST_RFLAGS) & ~RFLAGS_TF;

	vmcs_writenat(VMCS_GUEST_RFLAGS, rflags | (step.guest_tf ? RFLAGS_TF : 0));
	if (!step.db_intercepted)
		vmcs_write32(VMCS_EXCEPTION_BITMAP,
			     vmcs_read32(VMCS_EXCEPTION_BITMAP) & ~BIT(EXC_DB));
}

/* "step: rip R: bytes" for where the guest stands now. */
static void step_show(struct vcpu *v)
{
	uint64_t rip = vmcs_readnat(VMCS_GUEST_RIP);
	uint64_t linear = vmcs_readnat(VMCS_GUEST_CS_BASE) + rip;
	uint8_t bytes[STEP_SHOW_BYTES];
	struct gla_fault fault;

	if (guest_linear_read(v, linear, bytes, sizeof(bytes), GLA_FETCH,
			      guest_linear_cpl_flags(v), &fault) != GLA_OK) {
		mon_printf("step: rip 0x%llx: (bytes not readable)\n", ULL(rip));
		return;
	}
	mon_printf("step: rip 0x%llx:", ULL(rip));
	for (uint32_t i = 0; i < sizeof(bytes); i++)
		mon_printf(" %02x", bytes[i]);
	mon_printf("\n");
}

enum mon_result cmd_step(struct mon_ctx *ctx, const struct mon_words *w)
{
	char err[MON_ERROR_MAX];
	uint64_t n = 1;

	(void)ctx;
	if (w->count > 1 && !mon_number(w, 1, &n, err, sizeof(err))) {
		mon_printf("error: %s\n", err);
		return MON_STAY;
	}
	if (n == 0 || n > STEP_MAX) {
		mon_printf("error: N must be 1-%u\n", STEP_MAX);
		return MON_STAY;
	}
	step.left = (uint32_t)n;
	step.active = true;
	step.escape_key = mon_escape_key();
	step_arm();
	return MON_CONTINUE;
}

bool monitor_step_trap(struct vcpu *v, uint64_t qualification)
{
	if (!step.active || !(qualification & DB_QUAL_BS))
		return false;
	uint64_t start = rdtsc();

	step_disarm();
	step_show(v);
	monitor_hide_pause(v, rdtsc() - start);
	if (--step.left) {
		step_arm();
		return true;
	}
	step.active = false;
	monitor_run(v, step.escape_key);
	return true;
}
