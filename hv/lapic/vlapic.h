/*
 * One virtual local APIC (Intel SDM Vol. 3, "Advanced Programmable
 * Interrupt Controller (APIC)"): its registers, the priority rules, the
 * timer, IA32_APIC_BASE and the xAPIC / x2APIC / disabled modes.
 *
 * Pure state-machine code: no VMCS, no hardware, no memory but the struct.
 * Time comes in as a TSC value; whatever a register access sets in motion
 * outside the APIC (an EOI the physical LAPIC must see, an IPI to another
 * CPU, a re-armed timer) comes back as a struct vlapic_effect.  The host
 * unit tests drive it (tests/unit/test_vlapic*.c); hv/lapic/lapic_*.c put
 * it behind the guest (docs/apic.md).
 *
 * Timer rate: the timer's input clock is the TSC itself (one count per
 * TSC tick before the divider, VLAPIC_TSC_PER_TICK), a constant rate that
 * matches Bochs's own LAPIC and that Linux calibrates against the PIT.
 */
#ifndef HV_LAPIC_VLAPIC_H
#define HV_LAPIC_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/msr.h"
#include "hv/lapic/regs.h"

#define VLAPIC_TSC_PER_TICK  1              /* timer input clock = TSC / 1 */
#define VLAPIC_NO_DEADLINE   UINT64_MAX     /* timer not armed */
#define VLAPIC_NO_VECTOR     (-1)
#define VLAPIC_DEFAULT_BASE  0xfee00000ull  /* IA32_APIC_BASE after reset */

enum vlapic_mode {
	VLAPIC_DISABLED,        /* IA32_APIC_BASE.EN = 0 */
	VLAPIC_XAPIC,           /* EN = 1, EXTD = 0: MMIO window */
	VLAPIC_X2APIC,          /* EN = 1, EXTD = 1: MSRs 0x800-0x8ff */
};

/* LVT entries in register order (LAPIC_LVT_TIMER + 0x10 * index). */
enum vlapic_lvt {
	VLAPIC_LVT_TIMER, VLAPIC_LVT_THERMAL, VLAPIC_LVT_PERF,
	VLAPIC_LVT_LINT0, VLAPIC_LVT_LINT1, VLAPIC_LVT_ERROR,
};

struct vlapic_timer {
	uint32_t initial;       /* initial-count register */
	uint32_t dcr;           /* divide configuration register */
	uint64_t start;         /* TSC at which the count last started */
	uint64_t deadline;      /* TSC of the next expiry, VLAPIC_NO_DEADLINE */
	uint64_t tsc_deadline;  /* IA32_TSC_DEADLINE */
};

/* What the model counts for the hypervisor's statistics. */
struct vlapic_counts {
	uint64_t timer_fires;       /* timer expiries (masked ones included) */
	uint64_t ipis_self;         /* ICR / SELF IPI messages delivered here */
	uint64_t ipis_elsewhere;    /* messages for other APICs: none exist yet */
	uint64_t init_sipi;         /* INIT / start-up messages: dropped, counted */
	uint64_t illegal_vectors;   /* sent or received vectors 0-15 */
	uint64_t extint_dropped;    /* 8259 interrupts while LINT0 is not ExtINT */
};

struct vlapic {
	uint32_t id;                /* APIC ID (x2APIC: all 32 bits) */
	uint64_t apic_base;         /* IA32_APIC_BASE as the guest sees it */
	uint32_t tpr, ldr, dfr, svr;
	uint32_t esr;               /* what a read returns */
	uint32_t esr_pending;       /* errors since the last ESR write */
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[LAPIC_LVT_COUNT];
	uint32_t irr[LAPIC_VECTOR_REGS], isr[LAPIC_VECTOR_REGS];
	uint32_t tmr[LAPIC_VECTOR_REGS];
	struct vlapic_timer timer;
	uint32_t nmis;              /* NMIs delivered here, not yet injected */
	bool extint_pending;        /* an 8259 vector (bypasses IRR/ISR) */
	bool lint0_programmed;      /* the guest wrote LVT LINT0 */
	uint8_t extint_vector;
	struct vlapic_counts counts;
};

/* An interprocessor message from an ICR write (SDM "Interrupt Command
 * Register"), as decoded; delivery to this APIC is done by the model. */
struct vlapic_ipi {
	uint8_t vector;
	uint8_t delivery;           /* LAPIC_DM_* */
	uint8_t shorthand;          /* LAPIC_ICR_* shorthand */
	bool logical;               /* logical destination mode */
	bool level_assert;
	bool trigger_level;
	uint32_t dest;              /* xAPIC: 8 bits; x2APIC: 32 bits */
	bool to_self;               /* this APIC was a destination */
	bool to_others;             /* other APICs may be destinations */
};

/* What a register write set in motion outside the model. */
#define VLAPIC_FX_EOI_LEVEL  BIT(0)  /* eoi_vector was level-triggered */
#define VLAPIC_FX_IPI        BIT(1)  /* ipi is valid (for others too) */
#define VLAPIC_FX_TIMER      BIT(2)  /* the timer deadline changed */
#define VLAPIC_FX_PENDING    BIT(3)  /* IRR, ISR, TPR or NMIs changed */
#define VLAPIC_FX_MODE       BIT(4)  /* mode or window base changed */

struct vlapic_effect {
	uint32_t flags;             /* VLAPIC_FX_* */
	uint8_t eoi_vector;         /* with VLAPIC_FX_EOI_LEVEL */
	struct vlapic_ipi ipi;      /* with VLAPIC_FX_IPI */
};

/* ---- State and mode (hv/lapic/vlapic.c, vlapic_base.c) ---------------- */

/* Power-on state for APIC ID id: xAPIC mode at VLAPIC_DEFAULT_BASE,
 * software-disabled, every LVT masked, BSP flag from bsp. */
void vlapic_reset(struct vlapic *l, uint32_t id, bool bsp);

/* INIT: every register back to its power-on value but the APIC ID and
 * IA32_APIC_BASE (SDM "Power Up, Reset and INIT"). */
void vlapic_init_signal(struct vlapic *l);

enum vlapic_mode vlapic_mode(const struct vlapic *l);

/* Guest-physical base of the xAPIC window (meaningful in xAPIC mode). */
uint64_t vlapic_window_base(const struct vlapic *l);

/* WRMSR IA32_APIC_BASE: false means #GP (reserved bits, a physical address
 * beyond phys_mask, EN = 0 with EXTD = 1, x2APIC -> xAPIC, disabled ->
 * x2APIC).  Globally disabling resets the registers. */
bool vlapic_set_apic_base(struct vlapic *l, uint64_t value, uint64_t phys_mask,
			  struct vlapic_effect *fx);

bool vlapic_sw_enabled(const struct vlapic *l);

/* ---- Registers --------------------------------------------------------- */

/* xAPIC MMIO read of the 32-bit register at offset (bits 3:0 ignored) at
 * time tsc; unknown registers read 0 and set ESR "illegal register". */
uint32_t vlapic_read(struct vlapic *l, uint32_t offset, uint64_t tsc);

/* xAPIC MMIO write. */
void vlapic_write(struct vlapic *l, uint32_t offset, uint32_t value,
		  uint64_t tsc, struct vlapic_effect *fx);

/* RDMSR/WRMSR of an x2APIC MSR (0x800-0x8ff); false means #GP (not in
 * x2APIC mode, no such register, write-only / read-only, reserved bits). */
bool vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *value,
		     uint64_t tsc);

/* Whether an x2APIC MSR can be read in x2APIC mode (the rest #GP). */
bool vlapic_x2apic_msr_readable(uint32_t msr);
bool vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t value,
		      uint64_t tsc, struct vlapic_effect *fx);

/* IA32_TSC_DEADLINE: reads 0 unless the timer is in TSC-deadline mode;
 * writes there arm (non-zero) or disarm (zero) it. */
uint64_t vlapic_tsc_deadline_read(const struct vlapic *l);
void vlapic_tsc_deadline_write(struct vlapic *l, uint64_t value,
			       struct vlapic_effect *fx);

/* ---- Interrupts (hv/lapic/vlapic.c) ----------------------------------- */

/* A fixed interrupt arrives (IOAPIC, MSI, IPI, LVT): IRR, and TMR for a
 * level-triggered one.  Vectors 0-15 are refused into ESR. */
void vlapic_accept(struct vlapic *l, uint8_t vector, bool level);

/* An 8259 interrupt: pending as ExtINT when LINT0 is unmasked with ExtINT
 * delivery, or not yet programmed by the guest (the platform's routing
 * stands), or the APIC is globally or software-disabled (the 8259 then
 * reaches the CPU directly); else dropped and counted. */
void vlapic_accept_extint(struct vlapic *l, uint8_t vector);

/* The interrupt the CPU would take next (ExtINT first, then the highest
 * IRR vector whose priority class is above PPR's), or VLAPIC_NO_VECTOR. */
int vlapic_pending(const struct vlapic *l);

/* Whether any interrupt is requested at all (an ExtINT or an IRR bit):
 * without one vlapic_pending() has nothing to give.  Inline, and the IRR
 * words ORed without a loop: the APICv wake check asks before every
 * entry, and the common IRR is empty. */
static inline bool vlapic_requested(const struct vlapic *l)
{
	uint32_t any = 0;

	_Static_assert(LAPIC_VECTOR_REGS == 8, "the unroll count below");
#pragma GCC unroll 8
	for (int i = 0; i < LAPIC_VECTOR_REGS; i++)
		any |= l->irr[i];
	return l->extint_pending || any != 0;
}

/* The CPU took vector (the value vlapic_pending() gave): IRR -> ISR, or
 * the ExtINT is gone. */
void vlapic_ack(struct vlapic *l, uint8_t vector);

/* EOI: the highest ISR vector leaves service; fx says whether it was
 * level-triggered. */
void vlapic_eoi(struct vlapic *l, struct vlapic_effect *fx);

int vlapic_highest_irr(const struct vlapic *l);
int vlapic_highest_isr(const struct vlapic *l);
uint8_t vlapic_ppr(const struct vlapic *l);
uint8_t vlapic_apr(const struct vlapic *l);

/* Record error bits in the pending ESR, raising the error LVT. */
void vlapic_error(struct vlapic *l, uint32_t esr_bits);

/* Take the NMIs delivered to this APIC (ICR, LVT), for injection. */
uint32_t vlapic_take_nmis(struct vlapic *l);

/* ---- Timer (hv/lapic/vlapic_timer.c) ---------------------------------- */

/* Divide value of a divide configuration register (1, 2, ... 128). */
uint32_t vlapic_timer_divide(uint32_t dcr);

/* TSC at which the timer next expires, VLAPIC_NO_DEADLINE when unarmed. */
uint64_t vlapic_timer_deadline(const struct vlapic *l);

/* Current-count register at time tsc (0 in TSC-deadline mode). */
uint32_t vlapic_timer_current(const struct vlapic *l, uint64_t tsc);

/* Fire the timer if its deadline is at or before tsc: the LVT's vector
 * unless masked; a periodic timer re-arms at the next period after tsc
 * (missed periods coalesce, as an IRR bit does).  True when it fired. */
bool vlapic_timer_expire(struct vlapic *l, uint64_t tsc);

/* Register writes that move the timer (used by the register code). */
void vlapic_timer_set_initial(struct vlapic *l, uint32_t count, uint64_t tsc);
void vlapic_timer_set_dcr(struct vlapic *l, uint32_t dcr, uint64_t tsc);
void vlapic_timer_set_lvt(struct vlapic *l, uint32_t lvt, uint64_t tsc);

/* ---- ICR (hv/lapic/vlapic_icr.c) --------------------------------------- */

/* Send the message in ICR (lo, hi as the mode places the destination):
 * decode, deliver to this APIC what is for it, report the rest in fx. */
void vlapic_icr_send(struct vlapic *l, uint32_t lo, uint32_t hi,
		     struct vlapic_effect *fx);

/* x2APIC SELF IPI register: a fixed edge interrupt to this APIC. */
void vlapic_self_ipi(struct vlapic *l, uint8_t vector, struct vlapic_effect *fx);

/* Whether the message's destination (no shorthand) names this APIC. */
bool vlapic_dest_matches(const struct vlapic *l, uint32_t dest, bool logical);

#endif
