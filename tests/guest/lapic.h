/*
 * The test guest's own local APIC driver, for the LAPIC checks
 * (checks_lapic*.c): one register interface over both modes (Intel SDM
 * Vol. 3, "Advanced Programmable Interrupt Controller (APIC)"): xAPIC
 * registers are MMIO at the IA32_APIC_BASE window, x2APIC registers are
 * MSR 0x800 + offset / 16.  Registers are named by their xAPIC offset.
 */
#ifndef GUEST_TESTS_LAPIC_H
#define GUEST_TESTS_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/guest/check.h"

/* Register offsets (xAPIC MMIO; x2APIC MSR = X2APIC_MSR_BASE + reg / 16). */
#define LAPIC_ID            0x020
#define LAPIC_VERSION       0x030
#define LAPIC_TPR           0x080
#define LAPIC_PPR           0x0a0
#define LAPIC_EOI           0x0b0
#define LAPIC_LDR           0x0d0
#define LAPIC_DFR           0x0e0   /* xAPIC only */
#define LAPIC_SVR           0x0f0
#define LAPIC_ISR0          0x100   /* 8 registers, 0x10 apart */
#define LAPIC_TMR0          0x180
#define LAPIC_IRR0          0x200
#define LAPIC_ESR           0x280
#define LAPIC_ICR_LOW       0x300   /* x2APIC: the whole 64-bit ICR */
#define LAPIC_ICR_HIGH      0x310   /* xAPIC only */
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_LVT_THERMAL   0x330
#define LAPIC_LVT_PERF      0x340
#define LAPIC_LVT_LINT0     0x350
#define LAPIC_LVT_LINT1     0x360
#define LAPIC_LVT_ERROR     0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3e0
#define LAPIC_SELF_IPI      0x3f0   /* x2APIC only */
#define LAPIC_VECTOR_REG_STRIDE 0x10
#define LAPIC_VECTORS_PER_REG   32

#define X2APIC_MSR_BASE     0x800
#define XAPIC_ID_SHIFT      24
#define XAPIC_DEST_SHIFT    24      /* ICR high: destination field */
#define X2APIC_DEST_SHIFT   32      /* x2APIC ICR: destination field */

/* Version register. */
#define LAPIC_VERSION_MASK      0xffu
#define LAPIC_MAX_LVT_SHIFT     16
#define LAPIC_MAX_LVT_MASK      0xffu
#define LAPIC_VERSION_INTEGRATED_MIN 0x10   /* 0x10-0x15: integrated APIC */
#define LAPIC_VERSION_INTEGRATED_MAX 0x15

/* SVR. */
#define SVR_VECTOR_MASK     0xffu
#define SVR_APIC_ENABLE     (1u << 8)

/* LVT entries. */
#define LVT_VECTOR_MASK     0xffu
#define LVT_DELIVERY_FIXED  (0u << 8)
#define LVT_DELIVERY_NMI    (4u << 8)
#define LVT_DELIVERY_EXTINT (7u << 8)
#define LVT_MASKED          (1u << 16)
#define LVT_TIMER_ONESHOT   (0u << 17)
#define LVT_TIMER_PERIODIC  (1u << 17)
#define LVT_TIMER_DEADLINE  (2u << 17)

/* ICR (low half; x2APIC has the destination in bits 63:32). */
#define ICR_DELIVERY_FIXED  (0u << 8)
#define ICR_DELIVERY_NMI    (4u << 8)
#define ICR_DELIVERY_PENDING (1u << 12)
#define ICR_LEVEL_ASSERT    (1u << 14)
#define ICR_SHORTHAND_SELF  (1u << 18)

/* ESR bits. */
#define ESR_SEND_ILLEGAL_VECTOR (1u << 5)
#define ESR_RECV_ILLEGAL_VECTOR (1u << 6)
#define ESR_ILLEGAL_REG_ADDRESS (1u << 7)

/* Divide configuration values (bits 3, 1:0), divisor 2^(n+1), 0xb = 1. */
#define DIVIDE_BY_1         0xbu
#define DIVIDE_CONFIG_MASK  0xbu

/* The lowest legal vector; 0-15 are illegal for the local APIC. */
#define LAPIC_FIRST_LEGAL_VECTOR 16

/* IA32_TSC_DEADLINE, IA32_APIC_BASE's bits (arch/x86/msr.h names the MSR). */
#define IA32_TSC_DEADLINE_MSR   0x6e0
#define APIC_BASE_ADDR_MASK32   0xfffff000u

enum lapic_mode { LAPIC_MODE_XAPIC, LAPIC_MODE_X2APIC };

/* CPUID: an APIC, x2APIC, the TSC-deadline timer. */
bool lapic_has_x2apic(void);
bool lapic_has_tsc_deadline(void);

/* Read IA32_APIC_BASE and use the mode and window it names. */
void lapic_open(void);
enum lapic_mode lapic_mode(void);
/* The current xAPIC window (NULL in x2APIC mode). */
volatile uint32_t *lapic_window(void);

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);
/* reg through the MSR interface (x2APIC), under try_call: NO_FAULT or the
 * vector raised. */
int lapic_probe_rdmsr(uint32_t reg, uint64_t *value);
int lapic_probe_wrmsr(uint32_t reg, uint64_t value);
void lapic_eoi(void);
/* This CPU's APIC ID in the current mode. */
uint32_t lapic_id(void);
/* Send an IPI: destination (ignored with a shorthand) and the ICR's low
 * half; waits for the xAPIC delivery status to clear. */
void lapic_send_ipi(uint32_t dest, uint32_t icr_low);
/* A fixed self-IPI through the ICR (physical destination, own ID). */
void lapic_self_ipi(uint8_t vector);
/* Bit of vector in ISR/IRR/TMR (base LAPIC_ISR0 ...). */
bool lapic_vector_bit(uint32_t base, uint8_t vector);
/* ESR after the write that latches it (write-then-read). */
uint32_t lapic_esr(void);

/*
 * The state the other checks expect: base and the writable registers,
 * saved when a LAPIC check starts and put back when it ends.  x2APIC mode
 * stays once entered (lapic.c says why): the x2APIC checks come last.
 */
void lapic_save(void);
void lapic_restore(void);

/* Switch to mode: from xAPIC to x2APIC is the legal step; the other way
 * is refused (false). */
bool lapic_enter_mode(enum lapic_mode mode);

/*
 * Run fn in mode with the LAPIC saved before and restored after: SKIP when
 * the CPU lacks the mode; FAIL when the mode could not be entered (xAPIC
 * after x2APIC among them).
 */
enum verdict lapic_run_in_mode(struct check_result *r, enum lapic_mode mode,
			       enum verdict (*fn)(struct check_result *r));

/*
 * What the logging handler saw: interrupts per vector (of the ones routed
 * to it), and for the last one its vector, PPR, its own ISR and IRR bits
 * (read before the EOI) and the TSC on entry.
 */
#define LAPIC_SPURIOUS_VECTOR 0xff
struct lapic_irq_log {
	volatile uint32_t total;
	volatile uint32_t count[256];
	volatile uint32_t last_vector;
	volatile uint32_t last_ppr;
	volatile bool last_in_isr;
	volatile bool last_in_irr;
	volatile uint64_t last_tsc;
};
extern struct lapic_irq_log lapic_log;

/* Route vector to the logging handler (EOI after logging); clears the log
 * when first is set. */
void lapic_log_route(uint8_t vector);
void lapic_log_clear(void);

/* Poll flag (with IF=1) until it differs from before or spins run out. */
bool lapic_wait_change(volatile uint32_t *flag, uint32_t before,
		       uint64_t tsc_budget);

#endif
