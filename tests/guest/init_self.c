/*
 * init-self (a command-line word): the guest sends INIT to its own CPU and
 * checks that it comes back in the state the SDM gives for INIT (Intel SDM
 * Vol. 3, "Processor Management and Initialization", the INIT column of
 * "IA-32 and Intel 64 Processor States Following Power-up, Reset, or
 * INIT").  Bare, the CPU does it; under the hypervisor the INIT is a VM
 * exit (reason 3) and handle_init_signal() must do it.
 *
 * The CPU is the bootstrap processor, so after INIT it starts at the reset
 * vector, in the BIOS.  The IBM PC/AT warm-reset protocol brings it back
 * here: CMOS shutdown status 0x0A makes the BIOS skip POST and jump
 * through the far pointer at 0x467, which names realmode.S's
 * init_self_entry (the trampoline entry.S copied to TRAMPOLINE_BASE).  The
 * BIOS path to it uses only AX, BX, DS and the flags (checked in Bochs's
 * BIOS-bochs-latest, POST at F000:E05B), so every other register still
 * holds what INIT gave it.
 *
 * Before the INIT the guest makes those registers differ from their INIT
 * values (CR2, DR0-DR3, DR6, DR7, ECX, ESI, EDI, EBP; long mode already
 * makes CR0, CR3, CR4, EFER, the selectors and the descriptor tables
 * differ) and writes the values INIT must give into init_self_block;
 * init_self_entry records what it finds, prints both and ends the run
 * (tests/boot/62-bochs-init.sh).
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/init_self.h"
#include "tests/guest/layout.h"

#define APIC_BASE_ADDR_MASK     0xfffff000u
#define XAPIC_ID                0x020
#define XAPIC_ICR_LOW           0x300
#define XAPIC_ICR_HIGH          0x310
#define XAPIC_ID_SHIFT          24      /* ID register and ICR destination */
#define ICR_DELIVERY_INIT       (5u << 8)
#define ICR_LEVEL_ASSERT        (1u << 14)

/* INIT values from the SDM's table, written out here rather than taken
 * from the hypervisor's hv/vcpu/init_state.h: the guest is the reference. */
#define INIT_DR6                0xffff0ff0u
#define INIT_DR7                0x00000400u
#define INIT_TABLE_LIMIT        0xffffu  /* GDTR and IDTR; their bases are 0 */

/* Values that differ from the INIT state, loaded before the INIT. */
#define STALE_CR2               0xc2c2c000u
#define STALE_DR0               0xd0d0d000u
#define STALE_DR1               0xd1d1d000u
#define STALE_DR2               0xd2d2d000u
#define STALE_DR3               0xd3d3d000u
#define STALE_DR6               (INIT_DR6 | 0x1u)        /* B0 */
#define STALE_DR7               (INIT_DR7 | 0x1u)        /* L0: DR0 is never executed */
#define STALE_GPR               0x5a5a5a5au

/* How long the guest waits for its INIT (pause loops: far more than the
 * few instructions it takes, far less than a boot test's time limit). */
#define INIT_WAIT_SPINS         10000000u

#define CPUID_LEAF_VERSION      1

/* Bochs 2.7 bare differs from the SDM's INIT column in two registers: it
 * sets CR0.CD and NW whatever they were, and leaves EDX 0 instead of the
 * processor signature.  Bare, those two are printed but not judged (the
 * emulated CPU is the reference only where it follows the SDM); under the
 * hypervisor every value is judged. */
#define ALL_JUDGED              ((1u << ISV_COUNT) - 1)
#define BARE_NOT_JUDGED         ((1u << ISV_CR0) | (1u << ISV_EDX))

#define UART_LSR_TEMT           0x40    /* transmitter empty */

struct init_self_block {
	uint32_t under_hv;
	uint32_t judged;
	uint32_t want[ISV_COUNT];
	uint32_t got[ISV_COUNT];
};
_Static_assert(offsetof(struct init_self_block, judged) == ISB_JUDGED, "layout.h");
_Static_assert(offsetof(struct init_self_block, want) == ISB_WANT, "layout.h");
_Static_assert(offsetof(struct init_self_block, got) == ISB_GOT, "layout.h");
_Static_assert(sizeof(struct init_self_block) == ISB_SIZE, "layout.h");
_Static_assert(INIT_SELF_BLOCK + ISB_SIZE <= TRAMPOLINE_BASE + PAGE_SIZE,
	       "init_self_block leaves the trampoline's page");

extern const uint8_t realmode_start[], init_self_entry[];

/* The register values INIT must leave (only CR0.CD/NW and EDX depend on
 * the CPU). */
static void fill_want(uint32_t *want)
{
	memset(want, 0, ISV_COUNT * sizeof(*want));
	want[ISV_CR0] = (uint32_t)((read_cr0() & (CR0_CD | CR0_NW)) | CR0_ET);
	want[ISV_DR6] = INIT_DR6;
	want[ISV_DR7] = INIT_DR7;
	want[ISV_EDX] = cpuid(CPUID_LEAF_VERSION, 0).eax;
	want[ISV_GDTR_LIMIT] = INIT_TABLE_LIMIT;
	want[ISV_IDTR_LIMIT] = INIT_TABLE_LIMIT;
}

/* Wait (bounded) until COM1 has sent every byte: the real-mode entry
 * resets the UART's FIFOs. */
static void uart_drain(void)
{
	for (uint32_t spin = 0; spin < UART_TX_SPIN_LIMIT; spin++)
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_TEMT)
			return;
}

/* A 16-bit store to a physical address in the first page, which GCC would
 * take for an offset from a null pointer. */
static void poke16(uintptr_t addr, uint16_t value)
{
	__asm__ volatile("movw %1, (%0)" : : "r"(addr), "r"(value) : "memory");
}

/* CMOS shutdown status 0x0A and the far pointer at 0x467: the BIOS at the
 * reset vector jumps to init_self_entry's copy at TRAMPOLINE_BASE. */
static uint16_t arm_warm_reset(void)
{
	uint16_t offset = (uint16_t)(TRAMPOLINE_BASE +
				     (init_self_entry - realmode_start));

	poke16(WARM_RESET_VECTOR, offset);
	poke16(WARM_RESET_VECTOR + 2, 0);        /* segment */
	outb(CMOS_INDEX_PORT, CMOS_SHUTDOWN_STATUS);
	outb(CMOS_DATA_PORT, SHUTDOWN_JMP_467);
	return offset;
}

/* Registers INIT must reset that long mode does not already make differ. */
static void make_registers_stale(void)
{
	write_cr2(STALE_CR2);
	write_dr0(STALE_DR0);
	write_dr1(STALE_DR1);
	write_dr2(STALE_DR2);
	write_dr3(STALE_DR3);
	write_dr6(STALE_DR6);
	__asm__ volatile("mov %0, %%dr7" : : "r"((uint64_t)STALE_DR7));
}

/* INIT (level assert, no shorthand) to APIC ID `id`, with ECX, ESI, EDI
 * and EBP stale, then a bounded wait for it.  Returns only when no INIT
 * came. */
static void send_init_and_wait(volatile uint32_t *xapic, uint32_t id)
{
	uint32_t spins = INIT_WAIT_SPINS;

	xapic[XAPIC_ICR_HIGH / 4] = id << XAPIC_ID_SHIFT;
	__asm__ volatile("push %%rbp\n\t"
			 "mov %[stale], %%ecx\n\t"
			 "mov %[stale], %%esi\n\t"
			 "mov %[stale], %%edi\n\t"
			 "mov %[stale], %%ebp\n\t"
			 "movl %[icr], (%[reg])\n\t"
			 "1: pause\n\t"
			 "dec %%eax\n\t"
			 "jnz 1b\n\t"
			 "pop %%rbp"
			 : "+a"(spins)
			 : [reg] "d"(&xapic[XAPIC_ICR_LOW / 4]),
			   [icr] "r"(ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT),
			   [stale] "i"(STALE_GPR)
			 : "rcx", "rsi", "rdi", "memory");
}

void init_self(void)
{
	struct init_self_block *b =
		(struct init_self_block *)(uintptr_t)INIT_SELF_BLOCK;
	uint64_t base = rdmsr(IA32_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_X2APIC_ENABLE)) {
		say("init-self: FAIL: no xAPIC to send the INIT (IA32_APIC_BASE 0x%llx)",
		    (unsigned long long)base);
		guest_exit(false);
	}
	volatile uint32_t *xapic =
		(volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR_MASK);
	uint32_t id = xapic[XAPIC_ID / 4] >> XAPIC_ID_SHIFT;

	b->under_hv = guest_env.under_hv;
	b->judged = guest_env.under_hv ? ALL_JUDGED : ALL_JUDGED & ~BARE_NOT_JUDGED;
	fill_want(b->want);
	memset(b->got, 0, sizeof(b->got));
	say("init-self: warm-reset vector 0000:%04x, CMOS shutdown status 0x%02x; "
	    "INIT to APIC ID %u", arm_warm_reset(), SHUTDOWN_JMP_467, id);
	uart_drain();
	irq_disable();
	make_registers_stale();
	send_init_and_wait(xapic, id);
	say("init-self: FAIL: still here after the INIT");
	guest_exit(false);
}
