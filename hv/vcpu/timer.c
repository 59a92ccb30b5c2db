/*
 * The preemption-timer deadline (see hv/vcpu/timer.h).  The timer counts
 * at the TSC rate divided by 2^IA32_VMX_MISC[4:0] (v->timer_rate); the
 * value is loaded at every VM entry, so it is written before each entry
 * from the deadline and the TSC the run loop read for its statistics.
 */
#include "hv/vcpu/timer.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmcs/vmcs.h"
#include "hv/vmx/ctls_bits.h"

#define TIMER_COUNT_MAX 0xffffffffull

/* v->ctls.word[PROCBASED_CTLS] is the VMCS field (only the writers in
 * hv/vcpu/inject.c and the initial control words write it) and
 * v->tsc_offset the TSC offset (only vcpu_set_tsc_offset() writes it
 * after the set-up's 0): no VMREAD on the path before every entry. */
uint64_t vcpu_tsc_offset(const struct vcpu *v)
{
	if (!(v->ctls.word[PROCBASED_CTLS] & PROCBASED_CTLS_USE_TSC_OFFSETTING))
		return 0;
	return v->tsc_offset;
}

void vcpu_set_tsc_offset(struct vcpu *v, uint64_t offset)
{
	v->tsc_offset = offset;
	vmcs_write64(VMCS_TSC_OFFSET, offset);
}

void vcpu_timer_program(struct vcpu *v, uint64_t now)
{
	uint64_t deadline = v->timer_deadline, count = 0;

	if (!v->ctls.preemption_timer)
		return;
	if (deadline > now)
		count = (deadline - now) >> v->timer_rate;
	vmcs_write32(VMCS_PREEMPTION_TIMER_VALUE,
		     count > TIMER_COUNT_MAX ? (uint32_t)TIMER_COUNT_MAX
					     : (uint32_t)count);
}
