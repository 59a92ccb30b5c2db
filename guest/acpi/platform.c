/*
 * The guest's own ACPI tables: platform facts from the hardware, the tables
 * in guest memory (see guest/acpi/platform.h).  The hypervisor runs before the
 * guest, so it reads PCI configuration space and the I/O APIC directly.
 */
#include "guest/acpi/platform.h"

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"
#include "drivers/piix4_pm.h"
#include "guest/acpi/synth.h"
#include "lib/bits.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/guest_mem.h"
#include "mm/pmm.h"

#define TABLES_SIZE             PAGE_SIZE
_Static_assert(ACPI_SYNTH_SIZE_MAX <= TABLES_SIZE, "tables fit one page");

#define PC_CMOS_CENTURY         0x32        /* CMOS RAM index */
#define PM1_CNT_SCI_EN          (1u << 0)

/* I/O APIC (82093AA datasheet: IOREGSEL/IOWIN, IOAPICID, IOAPICVER) */
#define IOAPIC_BASE_DEFAULT     0xfec00000u
#define IOAPIC_IOREGSEL         0x00
#define IOAPIC_IOWIN            0x10
#define IOAPIC_REG_ID           0x00
#define IOAPIC_REG_VER          0x01
#define IOAPIC_ID_SHIFT         24
#define IOAPIC_ID_MASK          0x0f
#define IOAPIC_ABSENT           0xffffffffu /* nothing decodes the address */

static bool built;
static uint64_t built_rsdp;

/* ---- The PM block ------------------------------------------------------------ */
/* The PIIX4 PM I/O block, when the function is there and its I/O space
 * is on (OVMF and the Bochs BIOS both program PMBA and PMIOSE). */
static bool probe_piix4_pm(struct acpi_synth_platform *p)
{
	uint16_t base;

	if (!piix4_pm_base(&base)) {
		log_warn("guest: ACPI: PCI 0:1.3 is not a PIIX4 power-management "
			 "function: no FADT, the guest cannot power off through "
			 "ACPI");
		return false;
	}
	if (!base) {
		log_warn("guest: ACPI: the PIIX4 power-management I/O space is "
			 "off (PMREGMISC.PMIOSE clear or PMBA 0): no FADT, the "
			 "guest cannot power off through ACPI");
		return false;
	}
	p->has_pm = true;
	p->pm1a_evt = base + PIIX4_PMSTS;
	p->pm1a_cnt = base + PIIX4_PMCNTRL;
	p->pm_tmr = base + PIIX4_PMTMR;
	p->sci_irq = PIIX4_SCI_IRQ;
	p->s5_slp_typ = PIIX4_SLP_TYP_SOFT_OFF;
	p->century = PC_CMOS_CENTURY;
	return true;
}

/* ---- Interrupt controllers ---------------------------------------------------- */
/* I/O APIC register reg, selected through IOREGSEL and read through IOWIN
 * at MMIO base (identity-mapped); all ones when nothing decodes base.  The
 * select-then-read pair is not atomic: only for use before the guest runs. */
static uint32_t ioapic_read(uint32_t base, uint32_t reg)
{
	volatile uint32_t *sel = (volatile uint32_t *)(uintptr_t)(base + IOAPIC_IOREGSEL);
	volatile uint32_t *win = (volatile uint32_t *)(uintptr_t)(base + IOAPIC_IOWIN);

	*sel = reg;
	return *win;
}

/* The I/O APIC at the PC's standard address: with no firmware tables there
 * is nothing to say it is elsewhere.  A version register of all ones or 0
 * means none; the MADT then lists none and a warning is logged. */
static void probe_ioapic(struct acpi_synth_platform *p)
{
	uint32_t ver = ioapic_read(IOAPIC_BASE_DEFAULT, IOAPIC_REG_VER);

	if (ver == IOAPIC_ABSENT || !ver) {
		log_warn("guest: ACPI: no I/O APIC at %#x (version register %#x): "
			 "the guest's MADT lists none", IOAPIC_BASE_DEFAULT, ver);
		return;
	}
	p->has_ioapic = true;
	p->ioapic_address = IOAPIC_BASE_DEFAULT;
	p->ioapic_id = (ioapic_read(IOAPIC_BASE_DEFAULT, IOAPIC_REG_ID) >>
			IOAPIC_ID_SHIFT) & IOAPIC_ID_MASK;
}

/* The platform facts the tables describe into p: the boot CPU's APIC ID and
 * local APIC base (IA32_APIC_BASE), the I/O APIC and the PIIX4 PM block.
 * What is missing stays out of p, with a warning logged. */
static void probe(uint32_t bsp_apic_id, struct acpi_synth_platform *p)
{
	memset(p, 0, sizeof(*p));
	p->lapic_id = bsp_apic_id;
	p->lapic_address = (uint32_t)(rdmsr(IA32_APIC_BASE) & APIC_BASE_PAGE_MASK);
	probe_ioapic(p);
	probe_piix4_pm(p);
}

/* The FADT says SMI_CMD 0: the platform is in ACPI mode and the OS never
 * asks the firmware to switch.  Under OVMF in Bochs nobody has switched
 * (SCI_EN is clear after reset, and writing ACPI_ENABLE to the APM port
 * would also raise an SMI with no SMM handler behind it), so do here what
 * that SMI handler would do: set SCI_EN, so power-management events reach
 * the OS as SCIs. */
static void enable_sci(uint16_t pm1a_cnt)
{
	uint16_t v = inw(pm1a_cnt);

	if (v & PM1_CNT_SCI_EN)
		return;
	outw(pm1a_cnt, (uint16_t)((v & ~PM1_CNT_SLP_EN) | PM1_CNT_SCI_EN));
	log_info("guest: ACPI: set SCI_EN in PM1a control 0x%x (was 0x%x): the "
		 "FADT has no SMI_CMD, so the platform must be in ACPI mode",
		 pm1a_cnt, v);
}

/* Build the tables (see platform.h) in a page of guest RAM below 4 GiB,
 * claimed and marked ACPI-reclaimable in the guest's memory map, and with a
 * FADT set SCI_EN as its SMI_CMD 0 promises.  Needs guest_mem_init() first;
 * remembers the RSDP for acpi_own_rsdp. */
bool acpi_own_build(uint32_t bsp_apic_id, struct acpi_own_result *res,
		    char *err, size_t n)
{
	struct acpi_synth_platform p;
	struct acpi_synth_result sr;
	uint64_t dest = guest_mem_find(TABLES_SIZE, PAGE_SIZE, SIZE_4G);

	memset(res, 0, sizeof(*res));
	if (!dest) {
		str_copy(err, "no free guest RAM below 4 GiB for the ACPI tables",
			 n);
		return false;
	}
	probe(bsp_apic_id, &p);
	if (!acpi_synth_build(&p, dest, (void *)(uintptr_t)dest, TABLES_SIZE,
			      &sr, err, n))
		return false;
	guest_mem_claim(dest, TABLES_SIZE);
	guest_mem_mark(dest, TABLES_SIZE, MEM_ACPI_RECLAIM);
	if (sr.has_fadt)
		enable_sci(p.pm1a_cnt);
	res->rsdp = sr.rsdp;
	res->has_fadt = sr.has_fadt;
	res->pm1a_cnt = sr.has_fadt ? p.pm1a_cnt : 0;
	built = true;
	built_rsdp = sr.rsdp;
	return true;
}

/* The RSDP acpi_own_build wrote, for the hypervisor's own reading of the
 * power registers (hv/view/power.c); NULL before it has run. */
const uint8_t *acpi_own_rsdp(void)
{
	return built ? (const uint8_t *)(uintptr_t)built_rsdp : NULL;
}
