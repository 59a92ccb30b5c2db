/*
 * Interprocessor messages from the virtual LAPIC (Intel SDM Vol. 3,
 * "Issuing Interprocessor Interrupts", "Determining IPI Destination",
 * "Interrupt Command Register (ICR)", "SELF IPI Register").
 *
 * The model decides what reaches this APIC and delivers it; whether other
 * APICs are destinations is reported in the effect (vlapic_ipi.to_others)
 * for the hypervisor, which today has no other vCPU and only counts them.
 * Delivery to other vCPUs is then an addition at the caller.
 */
#include "hv/lapic/vlapic.h"

#define XAPIC_LOGICAL_CLUSTER_MASK 0xf0     /* cluster model: bits 7:4 */
#define XAPIC_LOGICAL_MEMBER_MASK  0x0f
#define X2APIC_LOGICAL_CLUSTER_MASK 0xffff0000u
#define X2APIC_LOGICAL_MEMBER_MASK  0x0000ffffu

/* Decode an ICR value (lo; hi = the destination field's value). */
static struct vlapic_ipi icr_decode(uint32_t lo, uint32_t dest)
{
	return (struct vlapic_ipi){
		.vector = (uint8_t)(lo & LAPIC_ICR_VECTOR_MASK),
		.delivery = (uint8_t)((lo >> LAPIC_ICR_DELIVERY_SHIFT) &
				      LAPIC_ICR_DELIVERY_MASK),
		.shorthand = (uint8_t)((lo >> LAPIC_ICR_SHORTHAND_SHIFT) &
				       LAPIC_ICR_SHORTHAND_MASK),
		.logical = (lo & LAPIC_ICR_DEST_LOGICAL) != 0,
		.level_assert = (lo & LAPIC_ICR_LEVEL_ASSERT) != 0,
		.trigger_level = (lo & LAPIC_ICR_TRIGGER_LEVEL) != 0,
		.dest = dest,
	};
}

/* Logical destination in xAPIC mode: flat model (a bit of LDR[31:24]) or
 * cluster model (same cluster, a common member bit; 0xff is everyone). */
static bool xapic_logical_match(const struct vlapic *l, uint32_t dest)
{
	uint32_t ldr = l->ldr >> LAPIC_XAPIC_ID_SHIFT;
	uint32_t model = l->dfr >> LAPIC_DFR_MODEL_SHIFT;

	if (dest == LAPIC_XAPIC_BROADCAST)
		return true;
	if (model == LAPIC_DFR_FLAT)
		return (dest & ldr) != 0;
	return (dest & XAPIC_LOGICAL_CLUSTER_MASK) == (ldr & XAPIC_LOGICAL_CLUSTER_MASK) &&
	       (dest & ldr & XAPIC_LOGICAL_MEMBER_MASK) != 0;
}

/* Logical destination in x2APIC mode: cluster in 31:16, member bits. */
static bool x2apic_logical_match(const struct vlapic *l, uint32_t dest)
{
	uint32_t ldr = ((l->id >> X2APIC_LDR_CLUSTER_OF_ID) << X2APIC_LDR_CLUSTER_SHIFT) |
		       BIT(l->id & X2APIC_LDR_BIT_MASK);

	if (dest == X2APIC_BROADCAST)
		return true;
	return (dest & X2APIC_LOGICAL_CLUSTER_MASK) == (ldr & X2APIC_LOGICAL_CLUSTER_MASK) &&
	       (dest & ldr & X2APIC_LOGICAL_MEMBER_MASK) != 0;
}

bool vlapic_dest_matches(const struct vlapic *l, uint32_t dest, bool logical)
{
	bool x2 = vlapic_mode(l) == VLAPIC_X2APIC;

	if (logical)
		return x2 ? x2apic_logical_match(l, dest) : xapic_logical_match(l, dest);
	if (x2)
		return dest == X2APIC_BROADCAST || dest == l->id;
	return dest == LAPIC_XAPIC_BROADCAST || dest == (l->id & LAPIC_XAPIC_ID_MASK);
}

/* Whether a destination could also name another APIC: a broadcast, a
 * logical one that is more than our own bit, or another physical ID. */
static bool dest_beyond_self(const struct vlapic *l, const struct vlapic_ipi *m)
{
	bool x2 = vlapic_mode(l) == VLAPIC_X2APIC;
	uint32_t all = x2 ? X2APIC_BROADCAST : LAPIC_XAPIC_BROADCAST;

	if (m->dest == all)
		return true;
	if (!m->logical)
		return !m->to_self;
	return x2 ? m->dest != (((l->id >> X2APIC_LDR_CLUSTER_OF_ID) << X2APIC_LDR_CLUSTER_SHIFT) |
				BIT(l->id & X2APIC_LDR_BIT_MASK))
		  : m->dest != (l->ldr >> LAPIC_XAPIC_ID_SHIFT);
}

/* Fill to_self / to_others from the shorthand and destination. */
static void resolve(const struct vlapic *l, struct vlapic_ipi *m)
{
	switch (m->shorthand) {
	case LAPIC_ICR_SELF:
		m->to_self = true;
		return;
	case LAPIC_ICR_ALL_INCL_SELF:
		m->to_self = m->to_others = true;
		return;
	case LAPIC_ICR_ALL_EXCL_SELF:
		m->to_others = true;
		return;
	}
	m->to_self = vlapic_dest_matches(l, m->dest, m->logical);
	m->to_others = dest_beyond_self(l, m);
}

/* Fixed and lowest-priority messages need a vector of 16 or more. */
static bool vector_illegal(const struct vlapic_ipi *m)
{
	return (m->delivery == LAPIC_DM_FIXED || m->delivery == LAPIC_DM_LOWEST) &&
	       m->vector < LAPIC_FIRST_VALID_VECTOR;
}

/* Deliver m to this APIC: fixed/lowest into IRR, NMI counted for
 * injection; INIT and start-up are the platform's (counted: a vCPU does
 * not INIT itself through its ICR in any guest this runs). */
static void deliver_self(struct vlapic *l, const struct vlapic_ipi *m)
{
	l->counts.ipis_self++;
	switch (m->delivery) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
		vlapic_accept(l, m->vector, false);
		return;
	case LAPIC_DM_NMI:
		l->nmis++;
		return;
	case LAPIC_DM_INIT:
	case LAPIC_DM_STARTUP:
		l->counts.init_sipi++;
		return;
	}
}

void vlapic_icr_send(struct vlapic *l, uint32_t lo, uint32_t hi,
		     struct vlapic_effect *fx)
{
	struct vlapic_ipi m = icr_decode(lo, hi);

	resolve(l, &m);
	if (vector_illegal(&m)) {
		l->counts.illegal_vectors++;
		vlapic_error(l, LAPIC_ESR_SEND_ILLEGAL_VEC |
			     (m.to_self ? LAPIC_ESR_RECV_ILLEGAL_VEC : 0));
		fx->flags |= VLAPIC_FX_PENDING;
		return;
	}
	/* INIT level de-assert: no message on today's APICs. */
	if (m.delivery == LAPIC_DM_INIT && !m.level_assert && m.trigger_level)
		return;
	if (m.to_self)
		deliver_self(l, &m);
	if (m.to_others) {
		l->counts.ipis_elsewhere++;
		if (m.delivery == LAPIC_DM_INIT || m.delivery == LAPIC_DM_STARTUP)
			l->counts.init_sipi++;
	}
	fx->flags |= VLAPIC_FX_IPI | VLAPIC_FX_PENDING;
	fx->ipi = m;
}

/* SELF IPI: fixed, edge, to this APIC only. */
void vlapic_self_ipi(struct vlapic *l, uint8_t vector, struct vlapic_effect *fx)
{
	l->counts.ipis_self++;
	vlapic_accept(l, vector, false);
	fx->flags |= VLAPIC_FX_PENDING;
}
