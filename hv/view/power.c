/*
 * Guest power events (see hv/view/power.h).  The ports come from the FADT
 * (ACPI spec 5.2.9, PM1a/PM1b_CNT_BLK and RESET_REG) plus the three PC
 * reset ports; the sleep type of soft-off from the DSDT's \_S5 object.
 * Relocating the PM block and a reset register in PCI configuration space
 * are hv/view/pci_guard.c's.
 */
#include "hv/view/power.h"

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "drivers/piix4_pm.h"
#include "drivers/reset.h"
#include "guest/acpi/tables.h"
#include "guest/acpi/platform.h"
#include "hv/exit/handlers.h"
#include "hv/exit/stats.h"
#include "hv/view/intercept.h"
#include "hv/view/mmio_watch.h"
#include "hv/view/pci_guard.h"
#include "hv/view/port_bytes.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/vmxon.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "lib/str.h"

#define PM1_CNT_DEFAULT_LEN     2
#define PM1_CNT_MAX_LEN         4       /* one register: at most a dword */
#define RESET_OPTION            "on-guest-reset"
#define RESET_OPTION_VALUE_MAX  8

/* The registers whose writes can power off or reset the machine. */
enum power_reg_kind {
	POWER_REG_PM1A,             /* PM1a_CNT: SLP_EN with SLP_TYP */
	POWER_REG_PM1B,
	POWER_REG_RESET_CONTROL,    /* 0xCF9: RST_CPU */
	POWER_REG_KBC,              /* 0x64: pulse reset line */
	POWER_REG_FAST_RESET,       /* 0x92 (System Control Port A): bit 0 */
	POWER_REG_FADT_RESET,       /* the FADT's reset register, in I/O space */
};

struct power_reg {
	uint16_t first;
	uint8_t len;
	enum power_reg_kind kind;
};

#define POWER_REGS_MAX          6
static struct power_reg regs[POWER_REGS_MAX];
static uint32_t reg_count;

static struct acpi_power acpi;
static bool reset_machine_on_reset;     /* on-guest-reset=reset */

/* on-guest-reset=stop|reset from the command line; anything else warns
 * and keeps stop. */
static void parse_reset_option(const char *cmdline)
{
	char value[RESET_OPTION_VALUE_MAX];

	if (!cmdline_get(cmdline, RESET_OPTION, value, sizeof(value)))
		return;
	if (!strcmp(value, "reset"))
		reset_machine_on_reset = true;
	else if (strcmp(value, "stop"))
		log_warn("command line: " RESET_OPTION "=%s: want stop or reset; "
			 "using stop", value);
}

/* The tables the hypervisor built for the guest (guest/acpi/platform.c)
 * when it built them (no firmware tables, or firmware tables without a
 * MADT), else the firmware's: the guest powers off through the FADT it
 * was given.  NULL when there are neither. */
static const uint8_t *power_rsdp(const struct boot_info *bi)
{
	const uint8_t *own = acpi_own_rsdp();

	if (own)
		return own;
	return bi->has_rsdp ? bi->rsdp_data : NULL;
}

/* Add a watched register (first 0: the FADT names none). */
static void add_reg(uint16_t first, uint8_t len, enum power_reg_kind kind)
{
	if (!first || reg_count >= POWER_REGS_MAX)
		return;
	regs[reg_count++] = (struct power_reg){ first, len, kind };
}

/* The register table: the FADT's PM1 control blocks and I/O reset
 * register, and the PC's three fixed reset ports. */
static void collect_regs(void)
{
	add_reg(acpi.pm1a_cnt, acpi.pm1_cnt_len, POWER_REG_PM1A);
	add_reg(acpi.pm1b_cnt, acpi.pm1_cnt_len, POWER_REG_PM1B);
	add_reg(PORT_RESET_CONTROL, 1, POWER_REG_RESET_CONTROL);
	add_reg(PORT_KBC_COMMAND, 1, POWER_REG_KBC);
	add_reg(PORT_FAST_RESET, 1, POWER_REG_FAST_RESET);
	if (acpi.has_reset_reg && acpi.reset_space == ACPI_GAS_SYSTEM_IO)
		add_reg(acpi.reset_port, 1, POWER_REG_FADT_RESET);
}

/* No FADT (no ACPI tables, as from OVMF in Bochs for a multiboot guest):
 * a PIIX4 still has its PM1a_CNT at PMBA + 4, and a guest that knows the
 * chipset can power off there, so it is watched all the same (any sleep
 * type counts as soft-off: there is no \_S5 to say which). */
static void pm1a_cnt_without_fadt(void)
{
	uint16_t base;

	if (acpi.pm1a_cnt || !piix4_pm_base(&base) || !base)
		return;
	acpi.pm1a_cnt = base + PIIX4_PMCNTRL;
	acpi.pm1_cnt_len = PIIX4_PMCNTRL_LEN;
	log_info("power: no FADT; PM1a_CNT 0x%x from the PIIX4's PMBA",
		 acpi.pm1a_cnt);
}

/* The FADT reset register's address space, for the log. */
static const char *reset_space_name(void)
{
	if (!acpi.has_reset_reg)
		return "none";
	switch (acpi.reset_space) {
	case ACPI_GAS_SYSTEM_IO:  return "I/O";
	case ACPI_GAS_PCI_CONFIG: return "PCI configuration";
	default:                  return "memory";
	}
}

/* Read the power facts, build the register table, log it, and find the
 * PCI registers to guard.  Once, after the guest is loaded. */
void power_init(const struct boot_info *bi)
{
	const uint8_t *rsdp = power_rsdp(bi);
	struct acpi_source src = { rsdp, acpi_map_identity, NULL };
	char err[64];

	parse_reset_option(bi->cmdline);
	if (!rsdp || !acpi_power_info(&src, &acpi, err, sizeof(err))) {
		log_warn("power: %s: the FADT's power registers are unknown",
			 rsdp ? err : "no ACPI RSDP");
		memset(&acpi, 0, sizeof(acpi));
	}
	if (!acpi.pm1_cnt_len || acpi.pm1_cnt_len > PM1_CNT_MAX_LEN)
		acpi.pm1_cnt_len = PM1_CNT_DEFAULT_LEN;
	pm1a_cnt_without_fadt();
	collect_regs();
	log_info("power: PM1a_CNT 0x%x, PM1b_CNT 0x%x, S5 SLP_TYP %s%u/%u, "
		 "reset register %s 0x%llx; guest reset: %s", acpi.pm1a_cnt,
		 acpi.pm1b_cnt, acpi.has_s5 ? "" : "unknown (any) ",
		 acpi.s5_slp_typ_a, acpi.s5_slp_typ_b, reset_space_name(),
		 (unsigned long long)acpi.reset_address,
		 reset_machine_on_reset ? "reset the machine" : "stop the guest");
	pci_guard_init(&acpi);
	mmio_watch_init(&acpi, &src, bi->cmdline);
}

/* Make every watched register's ports exit, and CONFIG_ADDRESS (for the
 * PCI guard).  After intercept_init() for v, before the guest runs. */
void power_intercept(struct vcpu *v)
{
	for (uint32_t i = 0; i < reg_count; i++) {
		for (uint32_t p = 0; p < regs[i].len; p++)
			intercept_io(v, (uint16_t)(regs[i].first + p));
		io_route(regs[i].first, regs[i].len, IO_OWNER_POWER);
	}
	io_route(PCI_CONFIG_ADDRESS, PCI_CONFIG_DATA + PCI_CONFIG_DATA_LEN -
		 PCI_CONFIG_ADDRESS, IO_OWNER_PCI);
	pci_guard_intercept(v);
	mmio_watch_intercept(v);
}

/* ---- Events ---------------------------------------------------------------- */
/* Stop the guest, or with on-guest-reset=reset leave VMX and reset the
 * machine.  Returns EXIT_STOP_GUEST; a reset comes back only if it failed. */
enum exit_action power_guest_reset(struct vcpu *v, const char *how)
{
	if (!reset_machine_on_reset) {
		log_warn("guest reset the machine (%s): stopping the guest "
			 "(on-guest-reset=stop)", how);
		vcpu_stop(v, false, "guest reset the machine");
		return EXIT_STOP_GUEST;
	}
	log_warn("guest reset the machine (%s): resetting it "
		 "(on-guest-reset=reset); exit statistics so far:", how);
	exit_stats_log(&v->stats);
	/* A keyboard-controller reset may arrive as an INIT, which VMX root
	 * operation blocks: leave VMX first. */
	vmx_disable();
	machine_reset();
	log_error("power: machine reset through 0xcf9 and 0x64 failed");
	vcpu_stop(v, false, "guest reset the machine; the reset failed");
	return EXIT_STOP_GUEST;
}

/* SLP_EN with the \_S5 type is soft-off; other sleep states would sleep
 * the whole machine, hypervisor included. */
static enum exit_action guest_sleep(struct vcpu *v, enum power_reg_kind which,
				    uint32_t pm1_cnt)
{
	uint8_t typ = (pm1_cnt >> PM1_CNT_SLP_TYP_SHIFT) & PM1_CNT_SLP_TYP_MASK;
	uint8_t s5 = which == POWER_REG_PM1A ? acpi.s5_slp_typ_a
					     : acpi.s5_slp_typ_b;

	if (!acpi.has_s5 || typ == s5) {
		log_info("guest powered off (ACPI S5: SLP_TYP %u, SLP_EN written "
			 "to PM1%c_CNT)", typ, which == POWER_REG_PM1A ? 'a' : 'b');
		vcpu_stop(v, true, "guest powered off");
		return EXIT_STOP_GUEST;
	}
	log_error("guest asked for ACPI sleep type %u (S5 is %u): sleep states "
		  "are not supported", typ, s5);
	vcpu_stop(v, false, "guest asked for an unsupported ACPI sleep state");
	return EXIT_STOP_GUEST;
}

/* The event a write of w into register r asks for; EXIT_RESUME when none
 * (then the write is carried out on the hardware). */
static enum exit_action reg_event(struct vcpu *v, const struct power_reg *r,
				  struct reg_write w)
{
	switch (r->kind) {
	case POWER_REG_PM1A:
	case POWER_REG_PM1B:
		if (w.mask & w.value & PM1_CNT_SLP_EN)
			return guest_sleep(v, r->kind, w.value);
		break;
	case POWER_REG_RESET_CONTROL:
		if (w.value & RESET_CONTROL_RST_CPU)
			return power_guest_reset(v, "reset control register 0xcf9");
		break;
	case POWER_REG_KBC:
		if (w.value == KBC_PULSE_RESET)
			return power_guest_reset(v, "keyboard controller command 0xfe");
		break;
	case POWER_REG_FAST_RESET:
		if (w.value & FAST_RESET_INIT)
			return power_guest_reset(v, "fast reset, port 0x92 bit 0");
		break;
	case POWER_REG_FADT_RESET:
		if (w.value == acpi.reset_value)
			return power_guest_reset(v, "ACPI reset register");
		break;
	}
	return EXIT_RESUME;
}

/* A write to [q->port, q->port + q->size): every power register it
 * touches is checked, whatever the access width; a write that asks for
 * no event is carried out.  Out of line: its loop would give every read
 * of a power register its frame. */
__attribute__((noinline))
static enum exit_action handle_write(struct vcpu *v, const struct qual_io *q)
{
	uint32_t value = (uint32_t)guest_gpr_read(v, VMX_GPR_RAX);

	for (uint32_t i = 0; i < reg_count; i++) {
		const struct power_reg *r = &regs[i];
		struct reg_write w = port_bytes_to_reg(q->port, q->size, value,
						       r->first, r->len);
		enum exit_action a;

		if (!w.mask)
			continue;
		a = reg_event(v, r, w);
		if (a != EXIT_RESUME)
			return a;
	}
	return io_pass_through(v, q);
}

/* The I/O-exit hook for an access that overlaps a watched register:
 * power_intercept() gave every register's ports IO_OWNER_POWER in the
 * owner table, and io.c calls this only when the access touches one (the
 * PCI guard had its turn first).  Reads are carried out, writes checked.
 * String I/O is no boot path's way: left to the caller, which treats it
 * as on a hypervisor-owned port (INS reads all ones, OUTS is dropped). */
bool power_handle_io(struct vcpu *v, const struct qual_io *q,
		     enum exit_action *action)
{
	if (q->string)
		return false;
	*action = q->in ? io_pass_through(v, q) : handle_write(v, q);
	return true;
}
