/*
 * The MMIO write watch (see hv/view/mmio_watch.h): which registers are
 * watched, the EPT-violation hook that judges a write, and the
 * single step that lets a harmless write through.
 */
#include "hv/view/mmio_watch.h"

#include "arch/x86/page.h"
#include "arch/x86/panic.h"
#include "guest/acpi/mcfg.h"
#include "hv/exit/handlers.h"
#include "hv/exit/mmio.h"
#include "hv/exit/reason.h"
#include "hv/vcpu/timer.h"
#include "hv/vcpu/vcpu.h"
#include "hv/view/pci_guard.h"
#include "hv/view/power.h"
#include "hv/vmcs/init.h"
#include "hv/vmx/ctls_bits.h"
#include "hv/vmx/insn.h"
#include "hv/vmx/vmxon.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "mm/guest_mem.h"

#define WATCH_REGS_MAX          4
#define PM_BASE_LEN             4       /* the dword at register 0x40 */
#define RESET_REG_LEN           1       /* ACPI reset registers are 8 bits */
#define TEST_WATCH_OPTION       "test-watch"
#define TEST_WATCH_VALUE_MAX    24
#define TEST_PM_BASE_OFFSET     0x40
#define TEST_RESET_OFFSET       0x80
#define TEST_RESET_VALUE        6       /* the PC's usual 0xCF9 reset value */
#define PAGE_OFFSET_MASK        (PAGE_SIZE - 1)

static struct watch_reg regs[WATCH_REGS_MAX];
static size_t reg_count;
static bool watching;           /* pages protected, MTF and INVEPT at hand */
bool mmio_watch_stepping;       /* a let-through write is being single-stepped */
static uint64_t step_rip;       /* the stepped write's instruction */
static bool warned_pm_base;
static bool warned_early_close;
static bool test_watch;         /* test-watch= given: see let_through() */

/* Watch [gpa, gpa + len) when its page can be write-protected. */
static void add_watch(uint64_t gpa, uint8_t len, enum watch_kind kind,
		      uint8_t reset_value, const char *name)
{
	if (reg_count == WATCH_REGS_MAX || !guest_mem_watch_page(gpa)) {
		log_warn("power: %s at 0x%llx cannot be write-protected: not watched",
			 name, (unsigned long long)gpa);
		return;
	}
	regs[reg_count++] = (struct watch_reg){ gpa, len, kind, reset_value, name };
	log_info("power: MMIO write watch on the %s at 0x%llx",
		 name, (unsigned long long)gpa);
}

/* The PM base register through ECAM, when the MCFG gives bus 0's window
 * and the PCI guard found the PM function. */
static void watch_ecam_pm_base(const struct acpi_source *src)
{
	struct pci_bdf f;
	uint64_t base;
	uint8_t reg;

	if (!src->rsdp || !pci_guard_pm_function(&f, &reg) ||
	    !acpi_ecam_bus0(src, &base))
		return;
	add_watch(base + ((uint64_t)f.dev << ECAM_DEVICE_SHIFT) +
		  ((uint64_t)f.fn << ECAM_FUNCTION_SHIFT) + reg, PM_BASE_LEN,
		  WATCH_PM_BASE, 0, "ACPI PM block base (ECAM)");
}

/* test-watch=ADDR: the RAM page at ADDR stands in for both registers. */
static void watch_test_page(const char *cmdline)
{
	char value[TEST_WATCH_VALUE_MAX];
	uint64_t page;

	if (!cmdline_get(cmdline, TEST_WATCH_OPTION, value, sizeof(value)))
		return;
	if (!parse_u64(value, &page)) {
		log_warn("command line: " TEST_WATCH_OPTION "=%s: not a number", value);
		return;
	}
	page &= ~PAGE_OFFSET_MASK;
	add_watch(page + TEST_PM_BASE_OFFSET, PM_BASE_LEN, WATCH_PM_BASE, 0,
		  "test-watch PM base");
	add_watch(page + TEST_RESET_OFFSET, RESET_REG_LEN, WATCH_RESET_REG,
		  TEST_RESET_VALUE, "test-watch reset register");
	test_watch = true;
}

void mmio_watch_init(const struct acpi_power *acpi,
		     const struct acpi_source *src, const char *cmdline)
{
	if (acpi->has_reset_reg && acpi->reset_space == ACPI_GAS_SYSTEM_MEMORY)
		add_watch(acpi->reset_address, RESET_REG_LEN, WATCH_RESET_REG,
			  acpi->reset_value, "ACPI reset register (memory)");
	watch_ecam_pm_base(src);
	watch_test_page(cmdline);
}

/* Take the write right to every watched page back. */
static void protect_pages(void)
{
	for (size_t i = 0; i < reg_count; i++)
		guest_mem_watch_writable(regs[i].gpa, false);
}

/* The watch needs the monitor trap flag (to single-step a let-through
 * write) and INVEPT (to take the write right back). */
void mmio_watch_intercept(struct vcpu *v)
{
	const struct vmx_caps *caps = vmx_caps_get();
	bool mtf = v->ctls.may_be_one[PROCBASED_CTLS] & PROCBASED_CTLS_MONITOR_TRAP_FLAG;
	bool invept = caps->invept_single || caps->invept_all;

	if (!reg_count)
		return;
	if (mtf && invept) {
		watching = true;
		return;
	}
	log_warn("power: the MMIO write watch is lifted (%zu register(s) not "
		 "watched): monitor trap flag %s, INVEPT %s", reg_count,
		 mtf ? "yes" : "no", invept ? "yes" : "no");
	guest_mem_unwatch_all();
	reg_count = 0;
	if (!vmcs_set_eptp(v, caps))
		log_error("power: INVEPT failed after lifting the watch");
}

/* Turn the monitor trap flag on or off in v's primary controls. */
static void set_mtf(struct vcpu *v, bool on)
{
	uint32_t proc = v->ctls.word[PROCBASED_CTLS];

	proc = on ? proc | PROCBASED_CTLS_MONITOR_TRAP_FLAG
		  : proc & ~PROCBASED_CTLS_MONITOR_TRAP_FLAG;
	v->ctls.word[PROCBASED_CTLS] = proc;
	vmcs_write32(VMCS_PROCBASED_CTLS, proc);
}

/* A write the watch cannot judge: stop the guest rather than let it
 * through unseen. */
static enum exit_action refuse_write(struct vcpu *v, const struct vmexit *e,
				     const struct mmio_insn *mi, uint64_t gpa)
{
	log_error("power: write to the watched page at 0x%llx cannot be judged",
		  (unsigned long long)gpa);
	mmio_insn_log(mi, "power: the writing instruction");
	return exit_fail(v, e, "undecodable write to a watched MMIO page");
}

/* True when a write of size bytes reported at gpa may have started in the
 * page before (the exit names the watched page's first byte) and a watched
 * register sits where such a write could reach. */
static bool may_cross_in(uint64_t gpa, uint8_t size)
{
	if ((gpa & PAGE_OFFSET_MASK) != 0 || size == 1)
		return false;
	for (size_t i = 0; i < reg_count; i++)
		if (regs[i].gpa >= gpa && regs[i].gpa < gpa + size - 1u)
			return true;
	return false;
}

/* Let the write through: the page writable for one guest instruction,
 * which the monitor trap flag ends in mmio_watch_step_done().  An EPT
 * violation drops the CPU's cached translations for its address, so
 * granting the right needs no INVEPT.  A write that crosses into a second
 * watched page exits again during the step and opens that page too. */
static enum exit_action let_through(struct vcpu *v, uint64_t gpa,
				    uint64_t rip)
{
	log_debug("power: write to the watched page at 0x%llx let through",
		  (unsigned long long)gpa);
	guest_mem_watch_writable(gpa, true);
	set_mtf(v, true);
	mmio_watch_stepping = true;
	step_rip = rip;
	/* test-watch=: make an exit come before the write runs (a deadline
	 * already passed at the entry: the preemption timer exits before the
	 * first instruction), which the step must survive (boot test 61). */
	if (test_watch)
		vcpu_timer_at(v, v->exit_tsc + 1);
	return EXIT_RESUME;
}

/* Apply the judge's verdict on a decoded write at rip. */
static enum exit_action carry_out(struct vcpu *v, const struct mmio_insn *mi,
				  uint64_t gpa, uint64_t rip)
{
	const struct watch_reg *hit;
	uint64_t value = mmio_insn_store_value(v, mi);

	switch (mmio_watch_judge(regs, reg_count, gpa, mi->access.size, value, &hit)) {
	case WATCH_RESET:
		return power_guest_reset(v, hit->name);
	case WATCH_DROP:
		if (!warned_pm_base)
			log_warn("guest tried to move the ACPI PM block (%s at "
				 "0x%llx, value 0x%llx): write dropped", hit->name,
				 (unsigned long long)hit->gpa,
				 (unsigned long long)value);
		warned_pm_base = true;
		mmio_insn_skip(v, mi);
		return EXIT_RESUME;
	default:
		return let_through(v, gpa, rip);
	}
}

bool mmio_watch_handle(struct vcpu *v, const struct vmexit *e,
		       enum exit_action *action)
{
	struct qual_ept q = qual_ept_decode(e->qualification);
	struct mmio_insn mi;
	enum mmio_insn_status st;
	uint64_t gpa;

	if (!watching || !q.write)
		return false;
	gpa = vmcs_read64(VMCS_GUEST_PHYSICAL_ADDR);
	if (!mmio_watch_page_has(regs, reg_count, gpa))
		return false;
	st = mmio_insn_fetch(v, &mi);
	if (st == MMIO_INSN_PAGE_FAULT) {
		/* The instruction ran a moment ago: let the CPU fetch it again
		 * and raise the fault itself if it still applies. */
		*action = EXIT_RESUME;
		return true;
	}
	if (st != MMIO_INSN_OK || mi.access.dir != INSN_STORE ||
	    may_cross_in(gpa, mi.access.size)) {
		if (st == MMIO_INSN_OK)
			mi.reason = mi.access.dir != INSN_STORE ? "not a store" :
				    "may start in the page before";
		*action = refuse_write(v, e, &mi, gpa);
		return true;
	}
	*action = carry_out(v, &mi, gpa, e->guest_rip);
	return true;
}

/* Close an open single step: every watched page read-only again, INVEPT,
 * the monitor trap flag off. */
static void close_step(struct vcpu *v)
{
	protect_pages();
	if (!vmcs_set_eptp(v, vmx_caps_get()))
		panic("mmio_watch_step_done: INVEPT failed");
	set_mtf(v, false);
	mmio_watch_stepping = false;
}

bool mmio_watch_step_done(struct vcpu *v)
{
	if (!mmio_watch_stepping)
		return false;
	close_step(v);
	return true;
}

/* Before an entry with a step open: keep it while its write has not run,
 * else close it (see mmio_watch.h). */
void mmio_watch_step_check(struct vcpu *v, uint32_t reason)
{
	if (mmio_watch_step_stays_open(step_rip, vmcs_readnat(VMCS_GUEST_RIP),
				       vmcs_read32(VMCS_ENTRY_INTR_INFO)))
		return;
	if (!warned_early_close)
		log_warn("power: a let-through write's single step was closed by "
			 "exit reason %u, not by a monitor-trap-flag exit (logged once)",
			 reason);
	warned_early_close = true;
	close_step(v);
}
