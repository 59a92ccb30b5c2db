/*
 * The state INIT puts a processor in (Intel SDM Vol. 3, "Processor
 * Management and Initialization", table "IA-32 and Intel 64 Processor
 * States Following Power-up, Reset, or INIT", the INIT column), for the
 * INIT-signal VM exit (reason 3): the vCPU gets exactly that state, and
 * then either starts at the reset vector (the bootstrap processor) or
 * waits for a SIPI (an application processor), as the MP initialization
 * protocol says.  The values are pure so host unit tests check them
 * against the table; init_state_load() writes them into the VMCS.
 *
 * INIT leaves unchanged: CR0.CD and CR0.NW, the x87/SSE/AVX state, the
 * MTRRs, PAT and most MSRs, and the local APIC's ID and base.
 */
#ifndef HV_VCPU_INIT_STATE_H
#define HV_VCPU_INIT_STATE_H

#include <stdbool.h>
#include <stdint.h>

#define INIT_CS_SELECTOR        0xf000u
#define INIT_CS_BASE            0xffff0000ull
#define INIT_RIP                0xfff0ull
#define INIT_SEG_LIMIT          0xffffu
#define INIT_AR_CODE            0x9bu   /* present, read/execute, accessed */
#define INIT_AR_DATA            0x93u   /* present, read/write, accessed */
#define INIT_AR_LDTR            0x82u   /* present, LDT */
#define INIT_AR_TR              0x8bu   /* present, busy 32-bit TSS (VM
                                           entry wants a busy TSS type) */
#define INIT_DR6                0xffff0ff0ull
#define INIT_DR7                0x00000400ull

struct init_segment {
	uint16_t selector;
	uint64_t base;
	uint32_t limit;
	uint32_t ar;
};

struct init_state {
	uint64_t cr0;               /* what the guest sees (ET, and CD/NW kept) */
	uint64_t rflags, rip, rdx;  /* RDX: the processor signature */
	struct init_segment cs, data, ldtr, tr;
	uint32_t gdtr_limit, idtr_limit;
	bool wait_for_sipi;         /* an AP waits; the BSP starts at once */
};

/* The INIT state for a processor whose CR0 (as the guest sees it) is
 * old_cr0, whose CPUID.1:EAX signature is signature, and which is (bsp) or
 * is not the bootstrap processor. */
struct init_state init_state_of(uint64_t old_cr0, uint32_t signature,
				bool bsp);

struct vcpu;

/* Put v (VMCS current) in the INIT state: guest-state area, guest
 * registers, debug registers, no pending event; IA-32e mode off. */
void init_state_load(struct vcpu *v);

#endif
