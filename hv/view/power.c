/*
 * Guest power events (see hv/view/power.h).  The ports come from the FADT
 * (ACPI spec 5.2.9, PM1a/PM1b_CNT_BLK and RESET_REG) plus the two PC reset
 * ports; the sleep type of soft-off from the DSDT's \_S5 object.
 */
#include "hv/view/power.h"

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "drivers/reset.h"
#include "guest/acpi/tables.h"
#include "guest/acpi/platform.h"
#include "hv/exit/handlers.h"
#include "hv/exit/stats.h"
#include "hv/view/intercept.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/vmxon.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "lib/str.h"

#define PM1_CNT_DEFAULT_LEN     2
#define BITS_PER_BYTE           8
#define RESET_OPTION            "on-guest-reset"
#define RESET_OPTION_VALUE_MAX  8

enum power_port {
	POWER_PORT_NONE = 0,
	POWER_PORT_PM1A,
	POWER_PORT_PM1B,
	POWER_PORT_RESET_CONTROL,
	POWER_PORT_KBC,
	POWER_PORT_FADT_RESET,
	POWER_PORT_PASS,            /* overlaps one of them: carry it out */
};

static struct acpi_power acpi;
static bool reset_machine_on_reset;     /* on-guest-reset=reset */

/* The ACPI parser's mapper: firmware tables are reached through the identity
 * map.  NULL for address 0 and for a range that wraps. */
static const void *map_identity(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	return pa && pa + len > pa ? (const void *)(uintptr_t)pa : NULL;
}

/* on-guest-reset=stop|reset from the command line; a wrong value warns and
 * keeps stop. */
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

/* The firmware's tables, else those the hypervisor built for the guest
 * (guest/acpi/platform.c); NULL when there are neither. */
static const uint8_t *power_rsdp(const struct boot_info *bi)
{
	return bi->has_rsdp ? bi->rsdp_data : acpi_own_rsdp();
}

/* Learn the power ports and the S5 sleep type from the ACPI tables (the
 * firmware's, else the guest's own) and the reset policy from the command
 * line, and log them.  Without usable tables only the PC reset ports are
 * watched.  Once, after the guest is loaded. */
void power_init(const struct boot_info *bi)
{
	const uint8_t *rsdp = power_rsdp(bi);
	struct acpi_source src = { rsdp, map_identity, NULL };
	char err[64];

	parse_reset_option(bi->cmdline);
	if (!rsdp || !acpi_power_info(&src, &acpi, err, sizeof(err))) {
		log_warn("power: %s: ACPI power-off is not seen",
			 rsdp ? err : "no ACPI RSDP");
		memset(&acpi, 0, sizeof(acpi));
	}
	if (!acpi.pm1_cnt_len)
		acpi.pm1_cnt_len = PM1_CNT_DEFAULT_LEN;
	log_info("power: PM1a_CNT 0x%x, PM1b_CNT 0x%x, S5 SLP_TYP %s%u/%u, "
		 "reset register %s0x%x; guest reset: %s", acpi.pm1a_cnt,
		 acpi.pm1b_cnt, acpi.has_s5 ? "" : "unknown (any) ",
		 acpi.s5_slp_typ_a, acpi.s5_slp_typ_b,
		 acpi.has_reset_reg ? "" : "none ", acpi.reset_port,
		 reset_machine_on_reset ? "reset the machine" : "stop the guest");
}

/* Intercept len ports from first; port 0 means the FADT names no such block.
 */
static void intercept_block(struct vcpu *v, uint16_t first, uint32_t len)
{
	if (!first)
		return;
	for (uint32_t i = 0; i < len; i++)
		intercept_io(v, (uint16_t)(first + i));
}

/* Make the guest's accesses to the power ports exit: PM1a/PM1b control
 * blocks, the FADT reset register, 0xCF9 and the keyboard controller's
 * command port.  After intercept_init() for v, before the guest runs. */
void power_intercept(struct vcpu *v)
{
	intercept_block(v, acpi.pm1a_cnt, acpi.pm1_cnt_len);
	intercept_block(v, acpi.pm1b_cnt, acpi.pm1_cnt_len);
	intercept_block(v, acpi.reset_port, 1);
	intercept_io(v, PORT_RESET_CONTROL);
	intercept_io(v, PORT_KBC_COMMAND);
}

/* Whether the access [port, port + size) touches [first, first + len); a
 * block at port 0 does not exist. */
static bool overlaps(uint16_t port, uint8_t size, uint16_t first, uint32_t len)
{
	return first && port < first + len && first < port + size;
}

/* Which power register the access [port, port + size) is; *offset is the
 * register byte it starts at.  An access that only overlaps an intercepted
 * port (a dword at 0xCF8 is PCI CONFIG_ADDRESS, not the byte register at
 * 0xCF9) is POWER_PORT_PASS: carried out unchanged. */
static enum power_port classify(uint16_t port, uint8_t size, uint32_t *offset)
{
	uint32_t len = acpi.pm1_cnt_len;

	*offset = 0;
	if (acpi.pm1a_cnt && port >= acpi.pm1a_cnt && port + size <= acpi.pm1a_cnt + len) {
		*offset = port - acpi.pm1a_cnt;
		return POWER_PORT_PM1A;
	}
	if (acpi.pm1b_cnt && port >= acpi.pm1b_cnt && port + size <= acpi.pm1b_cnt + len) {
		*offset = port - acpi.pm1b_cnt;
		return POWER_PORT_PM1B;
	}
	if (port == PORT_RESET_CONTROL && size == 1)
		return POWER_PORT_RESET_CONTROL;
	if (port == PORT_KBC_COMMAND && size == 1)
		return POWER_PORT_KBC;
	if (acpi.has_reset_reg && port == acpi.reset_port && size == 1)
		return POWER_PORT_FADT_RESET;
	if (overlaps(port, size, acpi.pm1a_cnt, len) ||
	    overlaps(port, size, acpi.pm1b_cnt, len) ||
	    overlaps(port, size, PORT_RESET_CONTROL, 1) ||
	    overlaps(port, size, PORT_KBC_COMMAND, 1) ||
	    (acpi.has_reset_reg && overlaps(port, size, acpi.reset_port, 1)))
		return POWER_PORT_PASS;
	return POWER_PORT_NONE;
}

/* ---- Carrying an access out for the guest ----------------------------------- */
/* One IN of size bytes (1, 2 or 4) from port in root mode, for the guest. */
static uint32_t port_in(uint16_t port, uint8_t size)
{
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

/* One OUT of size bytes (1, 2 or 4) of value to port in root mode, for the
 * guest. */
static void port_out(uint16_t port, uint8_t size, uint32_t value)
{
	if (size == 1)
		outb(port, (uint8_t)value);
	else if (size == 2)
		outw(port, (uint16_t)value);
	else
		outl(port, value);
}

/* Carry out the guest's IN or OUT on the real port, as the guest would have
 * without the intercept: OUT from AL/AX/EAX, IN merged into RAX (a 32-bit
 * result zero-extends). */
static enum exit_action pass_through(struct vcpu *v, const struct qual_io *q)
{
	uint64_t rax = guest_gpr_read(v, VMX_GPR_RAX);

	if (!q->in) {
		port_out(q->port, q->size, (uint32_t)rax);
		return EXIT_SKIP_INSTRUCTION;
	}
	uint64_t value = port_in(q->port, q->size);
	if (q->size == 4)
		rax = value;                    /* a 32-bit result zero-extends */
	else
		rax = (rax & ~((1ull << (q->size * BITS_PER_BYTE)) - 1)) | value;
	guest_gpr_write(v, VMX_GPR_RAX, rax);
	return EXIT_SKIP_INSTRUCTION;
}

/* ---- Events ---------------------------------------------------------------- */
/* The guest asked to reset the machine (how names the register): stop the
 * guest, or with on-guest-reset=reset leave VMX and reset the machine.
 * Returns EXIT_STOP_GUEST; the reset does not come back unless it failed. */
static enum exit_action guest_reset(struct vcpu *v, const char *how)
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
static enum exit_action guest_sleep(struct vcpu *v, enum power_port which,
				    uint32_t pm1_cnt)
{
	uint8_t typ = (pm1_cnt >> PM1_CNT_SLP_TYP_SHIFT) & PM1_CNT_SLP_TYP_MASK;
	uint8_t s5 = which == POWER_PORT_PM1A ? acpi.s5_slp_typ_a
					      : acpi.s5_slp_typ_b;

	if (!acpi.has_s5 || typ == s5) {
		log_info("guest powered off (ACPI S5: SLP_TYP %u, SLP_EN written "
			 "to PM1%c_CNT)", typ, which == POWER_PORT_PM1A ? 'a' : 'b');
		vcpu_stop(v, true, "guest powered off");
		return EXIT_STOP_GUEST;
	}
	log_error("guest asked for ACPI sleep type %u (S5 is %u): sleep states "
		  "are not supported", typ, s5);
	vcpu_stop(v, false, "guest asked for an unsupported ACPI sleep state");
	return EXIT_STOP_GUEST;
}

/* An OUT to power register which (offset bytes into it): SLP_EN in PM1
 * control is a sleep request, the reset values of 0xCF9, the keyboard
 * controller and the FADT reset register are resets.  Any other write is
 * carried out unchanged. */
static enum exit_action handle_write(struct vcpu *v, const struct qual_io *q,
				     enum power_port which, uint32_t offset)
{
	uint64_t rax = guest_gpr_read(v, VMX_GPR_RAX);
	uint32_t value = q->size == 4 ? (uint32_t)rax :
			 (uint32_t)(rax & ((1u << (q->size * BITS_PER_BYTE)) - 1));

	switch (which) {
	case POWER_PORT_PM1A:
	case POWER_PORT_PM1B:
		if ((value << (offset * BITS_PER_BYTE)) & PM1_CNT_SLP_EN)
			return guest_sleep(v, which, value << (offset * BITS_PER_BYTE));
		break;
	case POWER_PORT_RESET_CONTROL:
		if (value & RESET_CONTROL_RST_CPU)
			return guest_reset(v, "reset control register 0xcf9");
		break;
	case POWER_PORT_KBC:
		if ((uint8_t)value == KBC_PULSE_RESET)
			return guest_reset(v, "keyboard controller command 0xfe");
		break;
	case POWER_PORT_FADT_RESET:
		if ((uint8_t)value == acpi.reset_value)
			return guest_reset(v, "ACPI reset register");
		break;
	default:
		break;
	}
	return pass_through(v, q);
}

/* The I/O-exit hook: false when the access is not to a power port (or is
 * string I/O), for the generic handler.  Otherwise *action is set: reads
 * pass through, writes are judged by handle_write(). */
bool power_handle_io(struct vcpu *v, const struct vmexit *e,
		     enum exit_action *action)
{
	struct qual_io q = qual_io_decode(e->qualification);
	uint32_t offset;
	enum power_port which = classify(q.port, q.size, &offset);

	/* String I/O to these registers is no boot path's way: leave it to
	 * the generic handler. */
	if (which == POWER_PORT_NONE || q.string)
		return false;
	*action = q.in ? pass_through(v, &q) : handle_write(v, &q, which, offset);
	return true;
}
