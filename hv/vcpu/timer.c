/*
 * The preemption-timer deadlines (see hv/vcpu/timer.h).  The timer counts
 * at the TSC rate divided by 2^IA32_VMX_MISC[4:0]; the value is loaded at
 * every VM entry (the "save VMX-preemption timer value" exit control is
 * not used), so a deadline is rewritten before each entry.
 */
#include "arch/x86/cpu.h"
#include "hv/vcpu/timer.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/vmxon.h"

#define TIMER_COUNT_MAX 0xffffffffull
#define NO_DEADLINE     0

void vcpu_timer_at(struct vcpu *v, uint64_t tsc)
{
	if (v->timer_deadline == NO_DEADLINE || tsc < v->timer_deadline)
		v->timer_deadline = tsc ? tsc : 1;
}

/* v->ctls.word[PROCBASED_CTLS] is the VMCS field (only set_windows() and
 * the initial control words write it): one VMREAD less. */
uint64_t vcpu_tsc_offset(const struct vcpu *v)
{
	if (!(v->ctls.word[PROCBASED_CTLS] & PROCBASED_CTLS_USE_TSC_OFFSETTING))
		return 0;
	return vmcs_read64(VMCS_TSC_OFFSET);
}

/* The timer count that expires at deadline, from now. */
static uint32_t timer_count(uint64_t deadline, uint64_t now, uint8_t rate)
{
	if (deadline == NO_DEADLINE)
		return (uint32_t)TIMER_COUNT_MAX;
	if (deadline <= now)
		return 0;
	uint64_t count = (deadline - now) >> rate;

	return count > TIMER_COUNT_MAX ? (uint32_t)TIMER_COUNT_MAX : (uint32_t)count;
}

void vcpu_timer_program(struct vcpu *v)
{
	if (!v->ctls.preemption_timer)
		return;
	vmcs_write32(VMCS_PREEMPTION_TIMER_VALUE,
		     timer_count(v->timer_deadline, rdtsc(),
				 vmx_caps_get()->preemption_timer_rate));
	v->timer_deadline = NO_DEADLINE;
}
