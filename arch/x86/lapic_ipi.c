/* INIT and SIPI through the local APIC (see arch/x86/lapic_ipi.h). */
#include "arch/x86/cpu.h"
#include "arch/x86/lapic_ipi.h"
#include "arch/x86/msr.h"
#include "lib/log.h"

/* xAPIC register offsets in the MMIO page. */
#define XAPIC_ID                0x020
#define XAPIC_ICR_LOW           0x300
#define XAPIC_ICR_HIGH          0x310
#define XAPIC_ID_SHIFT          24
#define XAPIC_DEST_SHIFT        24
#define XAPIC_MAX_ID            0xfe    /* 0xff is the broadcast destination */

/* x2APIC MSRs. */
#define X2APIC_ID_MSR           0x802
#define X2APIC_ICR_MSR          0x830
#define X2APIC_DEST_SHIFT       32
#define X2APIC_MAX_ID           0xfffffffeu

/* ICR low bits. */
#define ICR_DELIVERY_INIT       (5u << 8)
#define ICR_DELIVERY_STARTUP    (6u << 8)
#define ICR_DELIVERY_PENDING    (1u << 12)   /* xAPIC only */
#define ICR_LEVEL_ASSERT        (1u << 14)
#define ICR_TRIGGER_LEVEL       (1u << 15)
#define ICR_ALL_EXCLUDING_SELF  (3u << 18)   /* destination shorthand */

/* Polls of the xAPIC delivery-status bit before giving up on it. */
#define ICR_IDLE_POLLS          1000000u

static volatile uint32_t *xapic;        /* NULL in x2APIC mode */

bool lapic_ipi_init(void)
{
	uint64_t base = rdmsr(IA32_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE)) {
		log_warn("smp: the local APIC is disabled (IA32_APIC_BASE %#llx): "
			 "cannot send INIT/SIPI", (unsigned long long)base);
		return false;
	}
	xapic = base & APIC_BASE_X2APIC_ENABLE ? NULL :
		(volatile uint32_t *)(uintptr_t)(base & APIC_BASE_PAGE_MASK);
	return true;
}

static uint32_t xapic_read(uint32_t reg)
{
	return xapic[reg / sizeof(uint32_t)];
}

static void xapic_write(uint32_t reg, uint32_t v)
{
	xapic[reg / sizeof(uint32_t)] = v;
}

uint32_t lapic_ipi_self_id(void)
{
	if (!xapic)
		return (uint32_t)rdmsr(X2APIC_ID_MSR);
	return xapic_read(XAPIC_ID) >> XAPIC_ID_SHIFT;
}

uint32_t lapic_ipi_max_id(void)
{
	return xapic ? XAPIC_MAX_ID : X2APIC_MAX_ID;
}

/* Wait until the previous IPI has left this APIC (xAPIC only; the x2APIC
 * ICR has no delivery status). */
static void xapic_wait_idle(void)
{
	for (uint32_t i = 0; i < ICR_IDLE_POLLS; i++) {
		if (!(xapic_read(XAPIC_ICR_LOW) & ICR_DELIVERY_PENDING))
			return;
		cpu_relax();
	}
	log_warn("smp: local APIC still busy sending the previous IPI");
}

static void send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	if (apic_id == LAPIC_ALL_BUT_SELF) {
		apic_id = 0;
		icr_low |= ICR_ALL_EXCLUDING_SELF;
	}
	if (!xapic) {
		wrmsr(X2APIC_ICR_MSR,
		      (uint64_t)apic_id << X2APIC_DEST_SHIFT | icr_low);
		return;
	}
	xapic_wait_idle();
	xapic_write(XAPIC_ICR_HIGH, apic_id << XAPIC_DEST_SHIFT);
	/* Writing the low half sends the IPI. */
	xapic_write(XAPIC_ICR_LOW, icr_low);
	xapic_wait_idle();
}

void lapic_send_init(uint32_t apic_id)
{
	send_ipi(apic_id, ICR_DELIVERY_INIT | ICR_TRIGGER_LEVEL |
			  ICR_LEVEL_ASSERT);
	send_ipi(apic_id, ICR_DELIVERY_INIT | ICR_TRIGGER_LEVEL);
}

void lapic_send_sipi(uint32_t apic_id, uint8_t vector)
{
	send_ipi(apic_id, ICR_DELIVERY_STARTUP | vector);
}
