/*
 * smp_init_sipi_blocked: the guest sends INIT, SIPI, SIPI to every other
 * CPU (the ICR's all-excluding-self shorthand: the guest's MADT lists one
 * CPU, so it has no other APIC ID to name) with a start-up page whose code
 * writes a marker.  Under the hypervisor every other CPU is parked in VMX
 * root operation, where INIT is blocked and SIPI ignored, so the marker
 * must stay untouched.  Bare on a machine with more CPUs an AP starts and
 * writes it: SKIP there, with the reason saying which happened (the proof
 * that this check can fail).
 *
 * Low memory used: AP_PAGE (0x9000-0x9fff), clear of the real-mode
 * trampoline at 0x7000 (layout.h).  Timing as in the SDM's "MP
 * Initialization" (INIT, 10 ms, SIPI, 200 us, SIPI), from PIT channel 2.
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"
#include "tests/guest/check.h"
#include "tests/guest/guest.h"
#include "tests/guest/pic.h"

#define AP_PAGE                 0x9000u
#define AP_VECTOR               (AP_PAGE >> 12)
#define AP_MARKER_VALUE         0x50494953u     /* "SIPI" */

#define APIC_BASE_ADDR_MASK     0xfffff000u
#define XAPIC_ICR_LOW           0x300
#define XAPIC_ICR_HIGH          0x310
#define X2APIC_ICR_MSR          0x830
#define ICR_DELIVERY_INIT       (5u << 8)
#define ICR_DELIVERY_STARTUP    (6u << 8)
#define ICR_DELIVERY_PENDING    (1u << 12)
#define ICR_LEVEL_ASSERT        (1u << 14)
#define ICR_TRIGGER_LEVEL       (1u << 15)
#define ICR_ALL_EXCLUDING_SELF  (3u << 18)
#define ICR_IDLE_POLLS          1000000u

#define PIT_CHANNEL2            0x42
#define PIT_PORT_B              0x61
#define PORT_B_GATE2            0x01
#define PORT_B_SPEAKER          0x02
#define PORT_B_OUT2             0x20
#define PIT_CMD_CH2_ONESHOT     0xb0   /* channel 2, lo/hi, mode 0 */
#define PIT_POLL_LIMIT          10000000u
#define US_PER_S                1000000u

#define INIT_DELAY_US           10000u
#define SIPI_DELAY_US           200u
#define MARKER_WAIT_MS          20u

/*
 * The start-up code, copied to AP_PAGE: real mode, CS = AP_PAGE >> 4.
 * Writes the marker next to itself, then halts for good.
 */
extern const uint8_t ap_marker_code[], ap_marker_slot[], ap_marker_end[];
__asm__(".pushsection .rodata\n"
	".balign 16\n"
	"ap_marker_code:\n"
	".code16\n"
	"cli\n"
	"movl $" "0x50494953" ", %cs:(ap_marker_slot - ap_marker_code)\n"
	"1: hlt\n"
	"jmp 1b\n"
	".balign 4\n"
	"ap_marker_slot: .long 0\n"
	"ap_marker_end:\n"
	".code64\n"
	".popsection");
_Static_assert(AP_MARKER_VALUE == 0x50494953u, "the asm above uses it");

static volatile uint32_t *xapic;      /* NULL: x2APIC mode */

/* At least `us` microseconds (at most one 16-bit PIT count, ~54 ms). */
static void pit_delay_us(uint32_t us)
{
	uint32_t count = (uint32_t)((uint64_t)us * PIT_HZ / US_PER_S) + 1;

	outb(PIT_PORT_B, (inb(PIT_PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_COMMAND, PIT_CMD_CH2_ONESHOT);
	outb(PIT_CHANNEL2, count & 0xff);
	outb(PIT_CHANNEL2, (count >> 8) & 0xff);
	for (uint32_t i = 0; i < PIT_POLL_LIMIT; i++)
		if (inb(PIT_PORT_B) & PORT_B_OUT2)
			return;
}

static void send_ipi_all_but_self(uint32_t icr_low)
{
	icr_low |= ICR_ALL_EXCLUDING_SELF;
	if (!xapic) {
		wrmsr(X2APIC_ICR_MSR, icr_low);
		return;
	}
	xapic[XAPIC_ICR_HIGH / 4] = 0;
	xapic[XAPIC_ICR_LOW / 4] = icr_low;
	for (uint32_t i = 0; i < ICR_IDLE_POLLS; i++)
		if (!(xapic[XAPIC_ICR_LOW / 4] & ICR_DELIVERY_PENDING))
			return;
}

static void init_sipi_sipi(void)
{
	send_ipi_all_but_self(ICR_DELIVERY_INIT | ICR_TRIGGER_LEVEL |
			      ICR_LEVEL_ASSERT);
	send_ipi_all_but_self(ICR_DELIVERY_INIT | ICR_TRIGGER_LEVEL);
	pit_delay_us(INIT_DELAY_US);
	send_ipi_all_but_self(ICR_DELIVERY_STARTUP | AP_VECTOR);
	pit_delay_us(SIPI_DELAY_US);
	send_ipi_all_but_self(ICR_DELIVERY_STARTUP | AP_VECTOR);
}

static volatile uint32_t *marker_install(void)
{
	uint8_t *page = (uint8_t *)(uintptr_t)AP_PAGE;

	memcpy(page, ap_marker_code, (size_t)(ap_marker_end - ap_marker_code));
	volatile uint32_t *marker =
		(volatile uint32_t *)(page + (ap_marker_slot - ap_marker_code));
	*marker = 0;
	return marker;
}

static uint32_t marker_wait(volatile uint32_t *marker)
{
	for (uint32_t ms = 0; ms < MARKER_WAIT_MS && !*marker; ms++)
		pit_delay_us(1000);
	return *marker;
}

enum verdict check_smp_init_sipi_blocked(struct check_result *r)
{
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_APIC))
		return skip(r, "no local APIC");
	uint64_t base = rdmsr(IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		return skip(r, "local APIC disabled (IA32_APIC_BASE 0x%llx)",
			    (unsigned long long)base);
	xapic = base & APIC_BASE_X2APIC_ENABLE ? NULL :
		(volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR_MASK);

	volatile uint32_t *marker = marker_install();
	init_sipi_sipi();
	uint32_t got = marker_wait(marker);

	if (!guest_env.under_hv)
		return skip(r, "not under the hypervisor: %s", got ==
			    AP_MARKER_VALUE ? "another CPU started and wrote "
			    "the marker (as expected bare)" : "no other CPU "
			    "answered (one CPU?)");
	if (got)
		return fail(r, "another CPU ran the guest's start-up code "
			    "outside VMX (marker 0x%x at 0x%lx)", got,
			    (unsigned long)(uintptr_t)marker);
	return VERDICT_PASS;
}
