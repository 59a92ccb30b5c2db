/*
 * Guarding the chipset's power registers in PCI configuration space (see
 * hv/view/pci_guard.h).
 */
#include "arch/x86/io.h"
#include "drivers/piix4_pm.h"
#include "hv/exit/handlers.h"
#include "hv/view/intercept.h"
#include "hv/view/pci_guard.h"
#include "hv/view/port_bytes.h"
#include "hv/view/power.h"
#include "hv/vcpu/vcpu.h"
#include "lib/log.h"

/* The I/O base of the ACPI PM block: register 0x40 on the PIIX4 PM
 * function (PMBA, 64-byte block), ICH LPC (PMBASE) and PCH PMC (ABASE),
 * both 128 bytes; bit 0 reads 1 (an I/O address). */
#define PM_BASE_REG             0x40
#define PM_BASE_LEN             4
#define PM_BASE_IO              0x1u
#define PM_BASE_ALIGN_MASK      0xff80u
#define CONFIG_DATA_LAST        (PCI_CONFIG_DATA + PCI_CONFIG_DATA_LEN - 1)
#define CONFIG_ADDRESS_SIZE     4

enum guard_kind {
	GUARD_PM_BASE,          /* writes dropped */
	GUARD_RESET,            /* the reset value is a reset request */
	GUARD_HIDE,             /* the whole function: reads all ones, writes dropped */
};

struct guarded_reg {
	struct pci_bdf fn;
	uint8_t reg, len;
	enum guard_kind kind;
	uint8_t reset_value;
};

#define GUARDED_MAX 3
static struct guarded_reg guarded[GUARDED_MAX];
static uint32_t guarded_count;
static uint32_t guest_config_address;   /* the guest's last CONFIG_ADDRESS */
static bool data_ports_exit;            /* the data ports' intercept now */
static bool selection_hidden;           /* guest_config_address selects a hidden function */
static bool warned_pm_base;

/* Add a guarded register (silently ignored beyond GUARDED_MAX: the callers
 * add at most three). */
static void guard(struct pci_bdf fn, uint8_t reg, uint8_t len,
		  enum guard_kind kind, uint8_t reset_value)
{
	if (guarded_count < GUARDED_MAX)
		guarded[guarded_count++] =
			(struct guarded_reg){ fn, reg, len, kind, reset_value };
}

/* The bus-0 function whose register 0x40 holds the I/O base of the block
 * that contains PM1a_CNT; false when none does. */
static bool find_pm_function(uint16_t pm1a_cnt, struct pci_bdf *out)
{
	for (uint8_t dev = 0; dev < PCI_DEVICES; dev++) {
		for (uint8_t fn = 0; fn < PCI_FUNCTIONS; fn++) {
			struct pci_bdf f = { 0, dev, fn };
			uint32_t base;

			if (pci_read16(f, PCI_VENDOR_ID) == PCI_VENDOR_NONE)
				continue;
			base = pci_read32(f, PM_BASE_REG);
			if ((base & PM_BASE_IO) &&
			    (base & PM_BASE_ALIGN_MASK) ==
			    (pm1a_cnt & PM_BASE_ALIGN_MASK)) {
				*out = f;
				return true;
			}
		}
	}
	return false;
}

/* No FADT (no ACPI tables, as under OVMF in Bochs): the PM block's ports
 * are unknown, but a PIIX4's base register is still guarded, so that a
 * guest cannot move the block where it pleases. */
static void guard_pm_base_without_fadt(void)
{
	uint16_t base;

	if (!piix4_pm_base(&base))
		return;
	guard(PIIX4_PM_BDF, PM_BASE_REG, PM_BASE_LEN, GUARD_PM_BASE, 0);
	log_info("power: no PM1a_CNT known; PIIX4 PM block base fixed at PCI "
		 "00:%02x.%u register 0x%x", PIIX4_PM_DEVICE, PIIX4_PM_FUNCTION,
		 PM_BASE_REG);
}

/* Guard the PM block's base register, when a function decodes PM1a_CNT. */
static void guard_pm_base(const struct acpi_power *acpi)
{
	struct pci_bdf f;

	if (!acpi->pm1a_cnt) {
		guard_pm_base_without_fadt();
		return;
	}
	if (!find_pm_function(acpi->pm1a_cnt, &f)) {
		log_warn("power: no bus-0 PCI function decodes the PM block at "
			 "0x%x: its relocation is not watched", acpi->pm1a_cnt);
		return;
	}
	guard(f, PM_BASE_REG, PM_BASE_LEN, GUARD_PM_BASE, 0);
	log_debug("power: PM block base fixed at PCI 00:%02x.%u register 0x%x",
		 f.dev, f.fn, PM_BASE_REG);
}

/* A reset register in configuration space: segment 0, bus 0 (ACPI
 * 5.2.3.2: device, function and offset in the GAS address). */
static void guard_reset_reg(const struct acpi_power *acpi)
{
	uint64_t a = acpi->reset_address;
	struct pci_bdf f = {
		0,
		(uint8_t)((a >> ACPI_GAS_PCI_DEVICE_SHIFT) & ACPI_GAS_PCI_FIELD_MASK),
		(uint8_t)((a >> ACPI_GAS_PCI_FUNCTION_SHIFT) & ACPI_GAS_PCI_FIELD_MASK),
	};
	uint32_t offset = a & ACPI_GAS_PCI_FIELD_MASK;

	if (!acpi->has_reset_reg || acpi->reset_space != ACPI_GAS_PCI_CONFIG)
		return;
	if (f.dev >= PCI_DEVICES || f.fn >= PCI_FUNCTIONS || offset > 0xff) {
		log_warn("power: FADT reset register 0x%llx is outside bus 0's "
			 "configuration space: not watched",
			 (unsigned long long)a);
		return;
	}
	guard(f, (uint8_t)offset, 1, GUARD_RESET, acpi->reset_value);
}

/* The function whose PM base register is guarded (see pci_guard.h). */
bool pci_guard_pm_function(struct pci_bdf *out, uint8_t *reg)
{
	for (uint32_t i = 0; i < guarded_count; i++) {
		if (guarded[i].kind == GUARD_PM_BASE) {
			*out = guarded[i].fn;
			*reg = guarded[i].reg;
			return true;
		}
	}
	return false;
}

/* Collect the guarded registers from the power facts (see pci_guard.h). */
void pci_guard_init(const struct acpi_power *acpi)
{
	guarded_count = 0;
	guard_pm_base(acpi);
	guard_reset_reg(acpi);
}

/* Hide a function the hypervisor owns (see pci_guard.h). */
void pci_guard_hide(struct pci_bdf fn)
{
	guard(fn, 0, 0, GUARD_HIDE, 0);
	log_info("pci: %02x:%02x.%x is the hypervisor's: hidden from the guest "
		 "in configuration space through 0xCF8/0xCFC", fn.bus, fn.dev,
		 fn.fn);
}

/* True when CONFIG_ADDRESS value address selects a hidden function. */
static bool selects_hidden(uint32_t address)
{
	for (uint32_t i = 0; i < guarded_count; i++)
		if (guarded[i].kind == GUARD_HIDE &&
		    pci_config_selects(address, guarded[i].fn))
			return true;
	return false;
}

/* An access to a hidden function: a read gets all ones (no device), a
 * write vanishes. */
static enum exit_action hidden_access(struct vcpu *v, const struct qual_io *q)
{
	if (q->in) {
		uint64_t ones = q->size == 4 ? 0xffffffffull :
				(1ull << (8 * q->size)) - 1;

		v->regs.rax = q->size == 4 ? ones : (v->regs.rax & ~ones) | ones;
	}
	return EXIT_SKIP_INSTRUCTION;
}

/* CONFIG_ADDRESS exits only when there is something to guard.  The
 * data ports start passing through, so the hardware's CONFIG_ADDRESS must
 * select nothing guarded: the search above left it on the PM function's
 * base register.  It gets the guest's (still 0: disabled). */
void pci_guard_intercept(struct vcpu *v)
{
	if (!guarded_count)
		return;
	intercept_io(v, PCI_CONFIG_ADDRESS);
	outl(PCI_CONFIG_ADDRESS, guest_config_address);
	data_ports_exit = false;
}

/* True when CONFIG_ADDRESS value address selects a guarded function. */
static bool selects_guarded(uint32_t address)
{
	for (uint32_t i = 0; i < guarded_count; i++)
		if (pci_config_selects(address, guarded[i].fn))
			return true;
	return false;
}

/* Let the data ports exit (watch) or pass through.  Out of line: it runs
 * only when the selection changes between guarded and not. */
__attribute__((noinline))
static void set_data_ports_exit(struct vcpu *v, bool watch)
{
	for (uint16_t p = PCI_CONFIG_DATA; p <= CONFIG_DATA_LAST; p++)
		intercept_io_set(v, p, watch);
	data_ports_exit = watch;
}

/* The guest selected something else: let the data ports exit only while
 * it is a guarded function (the bitmap is touched only when that
 * changes).  Out of line: a driver writes CONFIG_ADDRESS before every
 * access, mostly the value it wrote last. */
__attribute__((noinline))
static void selection_changed(struct vcpu *v, uint32_t value)
{
	bool watch = selects_guarded(value);

	guest_config_address = value;
	selection_hidden = selects_hidden(value);
	if (watch != data_ports_exit)
		set_data_ports_exit(v, watch);
}

/* CONFIG_ADDRESS written: carry it out and follow the selection. */
static enum exit_action config_address_write(struct vcpu *v, uint32_t value)
{
	outl(PCI_CONFIG_ADDRESS, value);
	if (value != guest_config_address)
		selection_changed(v, value);
	return EXIT_SKIP_INSTRUCTION;
}

/* A write through the data ports to the selected function.  Out of line
 * (it runs only while a guarded function is selected): its loop would
 * otherwise give every CONFIG_ADDRESS exit its frame. */
__attribute__((noinline))
static enum exit_action config_data_write(struct vcpu *v,
					  const struct qual_io *q)
{
	uint16_t reg0 = (uint16_t)((guest_config_address & PCI_REG_DWORD_MASK) +
				   (q->port - PCI_CONFIG_DATA));

	for (uint32_t i = 0; i < guarded_count; i++) {
		const struct guarded_reg *g = &guarded[i];
		struct reg_write w;

		if (!pci_config_selects(guest_config_address, g->fn))
			continue;
		w = port_bytes_to_reg(reg0, q->size, (uint32_t)v->regs.rax,
				      g->reg, g->len);
		if (!w.mask)
			continue;
		if (g->kind == GUARD_RESET && w.value == g->reset_value)
			return power_guest_reset(v, "ACPI reset register (PCI)");
		if (g->kind == GUARD_PM_BASE) {
			if (!warned_pm_base)
				log_warn("guest tried to move the ACPI PM block "
					 "(PCI 00:%02x.%u register 0x%x): "
					 "write dropped", g->fn.dev, g->fn.fn,
					 g->reg);
			warned_pm_base = true;
			return EXIT_SKIP_INSTRUCTION;
		}
	}
	return io_pass_through(v, q);
}

/* An access through the data ports while a guarded function is
 * selected.  The hardware's CONFIG_ADDRESS is the guest's: nothing in
 * root mode uses configuration space once the guest runs.  Out of line,
 * so that CONFIG_ADDRESS exits do not pay its frame. */
__attribute__((noinline))
static enum exit_action config_data_access(struct vcpu *v,
					   const struct qual_io *q)
{
	if (selection_hidden)
		return hidden_access(v, q);
	return q->in ? io_pass_through(v, q) : config_data_write(v, q);
}

/* CONFIG_ADDRESS (dword at 0xCF8) is followed; the data ports exit only
 * while a guarded function is selected.  Other accesses are not ours:
 * string I/O (left to the caller, which treats it as on a hypervisor-owned
 * port: INS reads all ones, OUTS is dropped), and a byte or word at
 * 0xCF8-0xCFB (no CONFIG_ADDRESS; 0xCF9 may be the reset register). */
bool pci_guard_handle_io(struct vcpu *v, const struct qual_io *q,
			 enum exit_action *action)
{
	if (q->string)
		return false;
	if (q->port == PCI_CONFIG_ADDRESS && q->size == CONFIG_ADDRESS_SIZE) {
		*action = q->in ? io_pass_through(v, q)
				: config_address_write(v, (uint32_t)v->regs.rax);
		return true;
	}
	if (q->port < PCI_CONFIG_DATA || q->port > CONFIG_DATA_LAST)
		return false;
	*action = config_data_access(v, q);
	return true;
}
