/*
 * AP parking (see hv/ap_park.h).  One AP at a time: the BSP hands the
 * trampoline's parameter block to it, sends INIT, SIPI, SIPI and waits,
 * bounded, until the AP reports from its park loop.  Without a MADT (no
 * RSDP, as from OVMF in Bochs, or a broken table) one broadcast INIT/SIPI
 * starts every other CPU at once; the trampoline's lock lets them take the
 * parameter block one after another, and the count of APs that entered it
 * tells when all have come.  Either way only one AP runs C code at a time,
 * which keeps the allocator (it has no lock) single-threaded.
 *
 * The trampoline page: the highest page of usable RAM below the EBDA and
 * below 0x9f000 (TRAMP_SEARCH_END), down to 0x8000 (then 0x1000-0x6fff),
 * skipping 0x7000-0x7fff, which the test guest uses, and page 0 (real-mode
 * IVT and BIOS data area); the EBDA and the BIOS ROM area are reserved in
 * the memory map and never chosen.  Near the top of conventional memory it
 * keeps the guest's low RAM one block from 0 (multiboot mem_lower loses a
 * page, not everything above 32 KiB), as a BIOS that takes the top KiBs
 * for itself does.  After bring-up the page holds a halt loop and stays
 * the hypervisor's (hidden from the guest), so a late AP never runs guest
 * code.
 */
#include <stdbool.h>
#include <stddef.h>

#include "arch/x86/cpu.h"
#include "arch/x86/lapic_ipi.h"
#include "arch/x86/madt.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/pit_delay.h"
#include "arch/x86/smp.h"
#include "drivers/stop.h"
#include "hv/ap_park.h"
#include "hv/vmx/feature_control.h"
#include "hv/vmx/vmxon.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/pmm.h"

/* Where the trampoline may go (see the top comment). */
#define TRAMP_SEARCH_START   0x8000ull
/* Below the last KiB of base memory, where the MP floating pointer is
 * searched when there is no EBDA (MultiProcessor Specification 1.4,
 * "MP Floating Pointer Structure"; Linux reads 0x9fc00 on every boot),
 * and below 0x9f000, from where up Linux leaves memory to the BIOS. */
#define TRAMP_SEARCH_END     0x9f000ull
#define TRAMP_LOW_START      0x1000ull
#define TRAMP_TEST_GUEST     0x7000ull      /* tests/guest/layout.h */

/* How long an AP may take from the first SIPI to its park loop. */
#define AP_TIMEOUT_MS        1000u
#define AP_POLL_US           1000u
/* Broadcast start-up: no AP waiting for this long means all have come. */
#define AP_QUIET_MS          100u

#define AP_STACK_PAGES       4

#define PAGES(bytes) (((bytes) + PAGE_SIZE - 1) / PAGE_SIZE)

enum ap_state {
	AP_STARTING,
	AP_PARKED,              /* in VMX root operation, halted */
	AP_NO_VMX,              /* halted, but VMX could not be entered */
};

/* The one AP being started: written by the BSP before the SIPI, the state
 * by the AP. */
static struct {
	const struct vmx_caps *caps;
	volatile uint32_t state;        /* enum ap_state */
} handoff;

/* ---- finding the APs ------------------------------------------------------ */

/* smp=off on the command line: leave the APs alone. */
static bool smp_disabled(const struct boot_info *bi)
{
	char value[8];

	return cmdline_get(bi->cmdline, "smp", value, sizeof(value)) &&
	       strcmp(value, "off") == 0;
}

/* The CPUs the firmware lists, from the MADT the loader's RSDP leads to;
 * false (logged) when there is no usable MADT and a broadcast must do.
 * Stops the hypervisor when the MADT lists more CPUs than it can hold. */
static bool find_cpus(const struct boot_info *bi, struct madt_cpus *cpus)
{
	struct acpi_source src = { bi->rsdp_data, acpi_map_identity, NULL };
	char err[MADT_ERROR_MAX];

	if (!bi->has_rsdp) {
		log_info("smp: no ACPI RSDP from the loader: starting every "
			 "other CPU with a broadcast INIT/SIPI");
		return false;
	}
	if (!madt_find_cpus(&src, cpus, err, sizeof(err))) {
		log_warn("smp: ACPI: %s: starting every other CPU with a "
			 "broadcast INIT/SIPI", err);
		return false;
	}
	if (cpus->dropped)
		hv_stop(false, "smp: the MADT lists more CPUs than the hypervisor "
			"can hold, so a guest could start one outside VMX (boot "
			"with smp=off to run anyway)");
	return true;
}

/* ---- the trampoline page -------------------------------------------------- */

/* True when [a, a + a_len) and [b, b + b_len) share a byte. */
static bool overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* The page is RAM the loader left free and holds no module or image. */
static bool page_is_free_ram(const struct boot_info *bi, uint64_t page)
{
	bool ram = false;

	for (uint32_t i = 0; i < bi->mmap.count; i++) {
		const struct mem_range *r = &bi->mmap.ranges[i];
		bool usable = r->type == MEM_USABLE ||
			      r->type == MEM_BOOT_SERVICES;
		if (!overlaps(page, PAGE_SIZE, r->base, r->length))
			continue;
		if (!usable || page < r->base ||
		    page + PAGE_SIZE > r->base + r->length)
			return false;
		ram = true;
	}
	if (overlaps(page, PAGE_SIZE, bi->image_base, bi->image_size))
		return false;
	for (uint32_t i = 0; i < bi->module_count; i++)
		if (overlaps(page, PAGE_SIZE, bi->modules[i].base,
			     bi->modules[i].size))
			return false;
	return ram;
}

/* The highest free RAM page for the trampoline (see the top comment);
 * 0 when there is none. */
static uint64_t find_trampoline_page(const struct boot_info *bi)
{
	for (uint64_t p = TRAMP_SEARCH_END; p > TRAMP_SEARCH_START;) {
		p -= PAGE_SIZE;
		if (page_is_free_ram(bi, p))
			return p;
	}
	for (uint64_t p = TRAMP_LOW_START; p < TRAMP_TEST_GUEST; p += PAGE_SIZE)
		if (page_is_free_ram(bi, p))
			return p;
	return 0;
}

/* ---- on the AP ------------------------------------------------------------- */

/* IA32_FEATURE_CONTROL may be per CPU: enable and lock it as on the BSP. */
static bool ap_feature_control_ready(void)
{
	uint64_t value = rdmsr(IA32_FEATURE_CONTROL);
	uint64_t write = 0;

	switch (feature_control_decide(value, false, &write)) {
	case FEATURE_CONTROL_USABLE:
		return true;
	case FEATURE_CONTROL_ENABLE_AND_LOCK:
		wrmsr(IA32_FEATURE_CONTROL, write);
		return rdmsr(IA32_FEATURE_CONTROL) == write;
	case FEATURE_CONTROL_LOCKED_OFF:
		break;
	}
	log_error("cpu%u: VMX disabled and locked by the firmware "
		  "(IA32_FEATURE_CONTROL %#llx)", this_cpu_id(),
		  (unsigned long long)value);
	return false;
}

/*
 * The AP's C entry, from the trampoline on its own stack.  Parks for ever:
 * halted, interrupts off, in VMX root operation (an NMI returns into the
 * loop).  A later vCPU per CPU starts here instead of parking.
 */
__attribute__((noreturn))
static void ap_entry(struct percpu *cpu)
{
	percpu_init_ap(cpu);
	cpu->apic_id = lapic_ipi_self_id();
	if (!(cpuid(1, 0).ecx & CPUID_1_ECX_VMX) || !ap_feature_control_ready() ||
	    !vmx_enable(handoff.caps)) {
		log_error("cpu%u: APIC id %u: VMX unavailable; halted outside "
			  "VMX operation", cpu->cpu_id, cpu->apic_id);
		__atomic_store_n(&handoff.state, AP_NO_VMX, __ATOMIC_RELEASE);
		cpu_halt_forever();
	}
	log_info("cpu%u: APIC id %u, parked in VMX root operation (guest "
		 "INIT/SIPI blocked)", cpu->cpu_id, cpu->apic_id);
	__atomic_store_n(&handoff.state, AP_PARKED, __ATOMIC_RELEASE);
	cpu_halt_forever();
}

/* ---- on the BSP ------------------------------------------------------------ */

/* A zeroed struct percpu for the AP that will be cpu_id, with its IST
 * stacks, from the hypervisor's pool; NULL when no more CPUs fit. */
static struct percpu *alloc_percpu(uint32_t cpu_id)
{
	uint64_t ist_top[IST_COUNT];

	if (cpu_id == 0 || cpu_id >= MAX_CPUS)
		return NULL;
	struct percpu *cpu = (struct percpu *)(uintptr_t)
		pmm_alloc_pages(PAGES(sizeof(struct percpu)));
	for (int i = 0; i < IST_COUNT; i++)
		ist_top[i] = pmm_alloc_pages(PAGES(IST_STACK_SIZE)) +
			     IST_STACK_SIZE;
	return percpu_prepare_ap(cpu, cpu_id, ist_top) ? cpu : NULL;
}

/* Prepare the AP that will become cpu_id, then let one AP take the
 * parameter block.  False when no more CPUs fit. */
static bool offer_slot(uint64_t page, uint32_t cpu_id)
{
	struct percpu *cpu = alloc_percpu(cpu_id);

	if (!cpu)
		return false;
	uint64_t stack = pmm_alloc_pages(AP_STACK_PAGES) +
			 AP_STACK_PAGES * PAGE_SIZE;
	__atomic_store_n(&handoff.state, AP_STARTING, __ATOMIC_RELEASE);
	ap_trampoline_offer(page, stack, ap_entry, cpu);
	return true;
}

/*
 * Wait until the AP that owns the block reports.  AP_STARTING after
 * AP_TIMEOUT_MS, or, when `quiet_ms` is not 0, as soon as no AP has been
 * waiting in the trampoline for that long (a broadcast found them all).
 */
static enum ap_state wait_for_ap(uint64_t page, uint32_t handled,
				 uint32_t quiet_ms)
{
	for (uint32_t ms = 0; ms < AP_TIMEOUT_MS; ms++) {
		uint32_t s = __atomic_load_n(&handoff.state, __ATOMIC_ACQUIRE);
		if (s != AP_STARTING)
			return s;
		if (quiet_ms && ms >= quiet_ms &&
		    ap_trampoline_entered(page) <= handled)
			break;
		pit_delay_us(AP_POLL_US);
	}
	return __atomic_load_n(&handoff.state, __ATOMIC_ACQUIRE);
}

/* Start one AP by APIC ID; true when it reports parked in VMX root
 * operation. */
static bool start_ap(uint64_t page, uint32_t cpu_id, uint32_t apic_id)
{
	if (!offer_slot(page, cpu_id))
		return false;
	ap_send_startup(apic_id, page);
	enum ap_state s = wait_for_ap(page, cpu_id - 1, 0);
	if (s == AP_STARTING) {
		/* Stop it before the trampoline page goes back to the guest. */
		lapic_send_init(apic_id);
		log_warn("smp: cpu%u (APIC id %u) did not arrive within %u ms; "
			 "sent INIT to stop it", cpu_id, apic_id, AP_TIMEOUT_MS);
	}
	return s == AP_PARKED;
}

/* Every MADT CPU but the BSP; returns how many were parked. */
static uint32_t start_listed_aps(uint64_t page, const struct madt_cpus *cpus,
				 uint32_t self, uint32_t *aps)
{
	uint32_t parked = 0, next_id = 1;

	*aps = 0;
	for (uint32_t i = 0; i < cpus->count; i++) {
		uint32_t id = cpus->apic_id[i];
		if (id == self)
			continue;
		(*aps)++;
		if (id > lapic_ipi_max_id() || next_id >= MAX_CPUS) {
			log_warn("smp: APIC id %u cannot be started (%s)", id,
				 next_id >= MAX_CPUS ? "too many CPUs"
				 : "an xAPIC INIT/SIPI names IDs up to 254 only, "
				   "and the firmware left x2APIC mode off");
			continue;
		}
		parked += start_ap(page, next_id++, id);
	}
	return parked;
}

/*
 * Without a MADT: INIT-SIPI-SIPI to all but this CPU, then hand the block
 * to one AP after another until none is left waiting.  *aps counts the
 * APs that reached the trampoline.
 */
static uint32_t start_all_aps(uint64_t page, uint32_t *aps)
{
	uint32_t parked = 0, cpu_id = 1;

	if (offer_slot(page, cpu_id)) {
		ap_send_startup(LAPIC_ALL_BUT_SELF, page);
		for (;;) {
			enum ap_state s = wait_for_ap(page, cpu_id - 1,
						      AP_QUIET_MS);
			if (s == AP_STARTING)
				break;
			parked += s == AP_PARKED;
			if (!offer_slot(page, ++cpu_id))
				break;
		}
	}
	*aps = ap_trampoline_entered(page);
	if (*aps > parked)
		log_warn("smp: %u CPU(s) reached the trampoline but did not "
			 "park", *aps - parked);
	return parked;
}

/* One line: how many CPUs the MADT lists and whether the BSP is one. */
static void log_cpus(const struct madt_cpus *cpus, uint32_t self)
{
	bool self_listed = false;

	for (uint32_t i = 0; i < cpus->count; i++)
		self_listed |= cpus->apic_id[i] == self;
	log_info("smp: %u CPU(s) in the ACPI MADT (%u of them online capable, "
		 "not yet enabled), BSP APIC id %u%s", cpus->count,
		 cpus->online_capable, self,
		 self_listed ? "" : " (the BSP is not listed)");
}

/* The trampoline page, or a stop with the reason when the APs cannot be
 * started (page tables above 4 GiB, no free page below 1 MiB). */
static uint64_t trampoline_page(const struct boot_info *bi)
{
	if (read_cr3() >= AP_CR3_LIMIT)
		hv_stop(false, "smp: page tables above 4 GiB: the AP trampoline "
			"cannot load CR3 (boot with smp=off to run anyway)");
	uint64_t page = find_trampoline_page(bi);
	if (!page || page >= AP_TRAMPOLINE_LIMIT)
		hv_stop(false, "smp: no free page below 1 MiB for the AP "
			"trampoline (boot with smp=off to run anyway)");
	return page;
}

/* Start and park every other CPU (see hv/ap_park.h). */
uint64_t smp_park_aps(const struct boot_info *bi, const struct vmx_caps *caps)
{
	struct madt_cpus cpus;

	if (smp_disabled(bi)) {
		log_warn("smp: smp=off: other CPUs are left as the firmware left "
			 "them (the guest's INIT/SIPI stop at its virtual LAPIC)");
		return 0;
	}
	if (!lapic_ipi_init())
		return 0;
	uint32_t self = lapic_ipi_self_id();
	bool listed = find_cpus(bi, &cpus);
	if (listed) {
		log_cpus(&cpus, self);
		if (cpus.count <= 1)
			return 0;
	}

	uint64_t page = trampoline_page(bi);
	uint32_t aps = 0, parked;
	handoff.caps = caps;
	ap_trampoline_install(page);
	parked = listed ? start_listed_aps(page, &cpus, self, &aps)
			: start_all_aps(page, &aps);
	/* An AP that arrives late (a broadcast start-up has no list to
	 * wait for) must find a halt there, never guest code. */
	ap_trampoline_seal(page);
	log_info("smp: %u of %u CPUs parked in VMX root operation (trampoline "
		 "at %#llx, kept by the hypervisor: a halt loop)", parked, aps,
		 (unsigned long long)page);
	if (parked != aps)
		hv_stop(false, "smp: a CPU could not be parked in VMX root "
			"operation, so a guest could start it (boot with "
			"smp=off to run anyway)");
	return page;
}
