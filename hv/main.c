/*
 * hv_main: the core's entry, the same for every boot path.  By the time it
 * runs, the boot code has filled a struct boot_info, switched to the
 * hypervisor's own boot stack and disabled interrupts; paging is on and
 * identity-maps at least the image and the boot_info.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/mce.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "boot/boot_info.h"
#include "boot/config.h"
#include "arch/x86/tsc.h"
#include "drivers/console.h"
#include "drivers/fbcon.h"
#include "drivers/serial.h"
#include "drivers/stop.h"
#include "guest/linux/linux.h"
#include "guest/multiboot/multiboot.h"
#include "hv/ap_park.h"
#include "hv/debug_fault.h"
#include "hv/iommu.h"
#include "hv/uart_pick.h"
#include "hv/view/guest_irq.h"
#include "hv/view/intercept.h"
#include "hv/view/pci_guard.h"
#include "hv/view/pci_ecam.h"
#include "hv/view/power.h"
#include "hv/monitor/escape.h"
#include "hv/view/vuart_io.h"
#include "hv/vcpu/vcpu.h"
#include "hv/vmx/detect.h"
#include "hv/vmx/vmxon.h"
#include "lib/cmdline.h"
#include "lib/log.h"
#include "mm/guest_mem.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/pmm.h"

/* A guest line may stay unfinished this long (1/CONSOLE_LINE_GRACE_DIV
 * of a second) before a waiting log line ends it (drivers/console.h). */
#define CONSOLE_LINE_GRACE_DIV 20u

/* The screen console when console= allows it and the boot path found a
 * framebuffer it can draw on. */
static void fbcon_start(const struct boot_info *bi)
{
	struct fb_surface s;

	if (hv_config.console_fb && boot_info_fb_surface(bi, &s) &&
	    fbcon_init(&s))
		log_add_sink(fbcon_write);
}

/* Bring up the log as the command line says: the console on the UART when
 * serial is enabled and a UART answers at the port (from then on the log
 * never waits for the UART), the level, and whether stopping ends the
 * emulator; the screen.  Runs once on the BSP right after config_parse. */
static char uart_why[UART_WHY_MAX];       /* which UART, why: for the log */

static void console_init(const struct boot_info *bi)
{
	if (hv_config.serial_enabled &&
	    uart_pick(&hv_config, bi, uart_why, sizeof(uart_why)))
		console_start(tsc_hz() / CONSOLE_LINE_GRACE_DIV,
			      tsc_hz() * SERIAL_BITS_PER_BYTE /
			      uart_pick_baud());
	fbcon_start(bi);
	log_set_level(hv_config.log_level);
	hv_stop_set_test_exit(hv_config.test_exit);
}

/* Say which UART the log is on and why (or why none), once the log is up. */
static void uart_log_choice(void)
{
	if (!hv_config.serial_enabled)
		log_info("serial: off (serial=none)");
	else if (serial_present())
		log_info("serial: %s", uart_why);
	else
		log_warn("serial: no UART: %s", uart_why);
}

/* A module the command line insists on must be there: say which is missing
 * and what was loaded instead. */
static void check_required_modules(const struct boot_info *bi)
{
	if (!hv_config.guest_required ||
	    boot_info_find_module(bi, hv_config.guest))
		return;
	log_error("boot: module '%s' named by guest= was not loaded "
		  "(%u module(s) present)", hv_config.guest, bi->module_count);
	for (uint32_t i = 0; i < bi->module_count; i++)
		log_error("boot:   module %u: '%s'", i, bi->modules[i].name);
	hv_stop(false, "required guest module missing");
}

/* The BSP's vCPU.  The APs are parked for now; they will get theirs when
 * they run guests too. */
static struct vcpu bsp_vcpu;

/* What memory management knows of the machine, from the boot_info
 * (boot_info_mm_layout); filled once by hv_main before pmm_init. */
static struct mm_layout mm_layout;

/* Whether the boot loader gave us something to run: a Linux kernel module or
 * the multiboot module named by guest=. */
static bool have_guest(const struct boot_info *bi)
{
	return boot_info_find_module(bi, LINUX_KERNEL_ROLE) ||
	       boot_info_find_module(bi, hv_config.guest);
}

/* Load the guest into guest memory: a Linux kernel when a "linux" module
 * is present, else the multiboot kernel named by guest=.  The AP
 * trampoline page (0: none) is shown to the guest read-only.  The power facts
 * come after the loader, which may have built the guest's ACPI tables. */
static void load_guest(const struct boot_info *bi, const struct vmx_caps *caps,
		       uint64_t trampoline, struct guest_entry *entry)
{
	bool is_linux = boot_info_find_module(bi, LINUX_KERNEL_ROLE) != NULL;

	guest_mem_init(&mm_layout, caps->ept_2m_pages, caps->ept_1g_pages);
	if (trampoline && !guest_mem_show_read_only(trampoline))
		log_warn("smp: the trampoline page 0x%llx stays unreadable for "
			 "the guest", (unsigned long long)trampoline);
	iommu_follow_guest_mem();
	if (!(is_linux ? linux_load(bi, entry)
		       : multiboot_load(bi, hv_config.guest, entry)))
		hv_stop(false, "guest image invalid");
	power_init(bi);
}

/* A port UART away from the guest's virtual one (a PCI I/O BAR): its
 * ports are intercepted too, so the guest's accesses there are dropped. */
static void guard_uart_ports(struct vcpu *v)
{
	const struct uart_regs *r = serial_regs();

	if (!serial_present() || r->space != UART_SPACE_IO ||
	    r->base == uart_pick_guest_port())
		return;
	for (uint64_t p = r->base; p < r->base + uart_regs_span(r); p++)
		intercept_io(v, (uint16_t)p);
}

/* Run the guest on this CPU until it stops, then stop the hypervisor with
 * the guest's verdict. */
__attribute__((noreturn))
static void run_guest(const struct vmx_caps *caps,
		      const struct guest_entry *entry)
{
	struct vcpu *v = &bsp_vcpu;

	if (!vmx_enable(caps))
		hv_stop(false, "VMXON failed");
	v->eptp = guest_eptp();
	this_cpu()->vcpu = v;
	if (!vcpu_init(v, entry))
		hv_stop(false, "VMCS set-up failed");
	power_intercept(v);
	vuart_io_init(v, uart_pick_guest_port(), uart_pick_baud());
	guard_uart_ports(v);
	if (fbcon_drawing())            /* the screen's last line for now */
		log_info("console: the screen belongs to the guest from now on");
	fbcon_handover();
	vcpu_run(v);
	fbcon_reclaim();
	iommu_stats_log();
	hv_stop(v->stop_success, v->stop_reason);
}

/* What the lower layers need from the top, installed before anything can
 * log from another CPU or stop: the CPU id for the log's lock, and the
 * stop for panic() and fatal exceptions. */
static void install_hooks(void)
{
	log_set_cpu_id_source(this_cpu_id);
	panic_set_begin_hook(fbcon_reclaim);
	panic_set_stop_hook(hv_stop);
}

/* Hide a page the hypervisor keeps from now on (0: none) from the guest. */
static void keep_page(uint64_t page)
{
	if (page && mm_layout.kept_count < MM_KEPT_MAX)
		mm_layout.kept[mm_layout.kept_count++] =
			(struct mem_extent){ page, PAGE_SIZE };
}

/* A UART in memory is the hypervisor's: its registers' page(s) leave the
 * guest's EPT (a port UART's ports are intercepted instead, by
 * vuart_io_init and guard_uart_ports). */
static void keep_uart_pages(void)
{
	const struct uart_regs *r = serial_regs();

	if (!serial_present() || r->space != UART_SPACE_MMIO)
		return;
	for (uint64_t p = r->base & ~(uint64_t)(PAGE_SIZE - 1);
	     p < r->base + uart_regs_span(r); p += PAGE_SIZE)
		keep_page(p);
}

/* A PCI UART is the hypervisor's: find its function's ECAM page (checked
 * against mechanism #1) while that can still be logged without VMX. */
static void find_uart_ecam_page(const struct boot_info *bi)
{
	struct pci_bdf fn;

	if (uart_pick_pci_fn(&fn))
		pci_ecam_find(bi, fn);
}

/* A PCI UART is the hypervisor's: the guest does not see its function in
 * configuration space, through 0xCF8/0xCFC (hv/view/pci_guard.h) nor
 * through ECAM (hv/view/pci_ecam.h). */
static void hide_uart_function(const char *cmdline)
{
	struct pci_bdf fn;

	if (uart_pick_pci_fn(&fn))
		pci_guard_hide(fn);
	pci_ecam_hide(cmdline);
}

/* console-escape=LETTER: the monitor's escape is Ctrl-LETTER pressed three
 * times (default Ctrl-A). */
static void console_escape_config(const struct boot_info *bi)
{
	char value[4];
	uint8_t key;

	if (!cmdline_get(bi->cmdline, "console-escape", value, sizeof(value)))
		return;
	if (escape_key_from_name(value, &key))
		vuart_io_set_escape(key);
	else
		log_warn("console-escape=%s: use one letter (Ctrl-LETTER); "
			 "keeping Ctrl-A", value);
}

/* The core's entry on the BSP, from either boot path: bring up the log,
 * memory and paging, check VMX, load the guest and run it.  Expects
 * interrupts off, the boot stack and an identity map covering the image and
 * bi.  Never returns: every path ends in hv_stop. */
void hv_main(struct boot_info *bi)
{
	install_hooks();
	config_parse(bi->cmdline, &hv_config);
	console_init(bi);
	log_info("micro-hypervisor starting (%s, %s)",
		 boot_path_name(bi->path), boot_firmware_name(bi->firmware));
	if (hv_config.error[0])
		log_warn("command line: %s", hv_config.error);
	uart_log_choice();

	percpu_init_bsp();
	mce_enable();       /* APs copy this CR4 (arch/x86/smp.c) */
	boot_info_log(bi);
	boot_info_mm_layout(bi, &mm_layout);
	keep_uart_pages();
	pmm_init(&mm_layout);
	paging_init(mm_layout.map);
	pmm_reclaim_boot_services(&mm_layout);
	check_required_modules(bi);
	find_uart_ecam_page(bi);
	/* DMA protection as early as the hypervisor's ranges are known, and
	 * before VMX detection, so QEMU (no VMX) exercises it too. */
	iommu_init(bi, &mm_layout);
	if (hv_config.debug_iommu_dma)
		iommu_selftest(&mm_layout);
	/* Before VMX detection, so QEMU (no VMX) exercises it too. */
	debug_fault_raise(hv_config.debug_fault);

	struct vmx_caps caps;
	if (!vmx_detect(&caps))
		hv_stop(false, "VMX unavailable");
	if (!have_guest(bi)) {
		/* Nothing to run: prove VMX operation works and say so. */
		if (!vmx_smoke_test(&caps))
			hv_stop(false, "VMXON/VMXOFF failed");
		log_info("no module '%s' or '%s' to run as a guest",
			 LINUX_KERNEL_ROLE, hv_config.guest);
		hv_stop(true, "VMX checked, no guest to run");
	}

	/* Before the guest owns the local APIC: park the other CPUs where
	 * its INIT/SIPI cannot reach them. */
	uint64_t trampoline = smp_park_aps(bi, &caps);
	keep_page(trampoline);
	struct guest_entry entry;
	load_guest(bi, &caps, trampoline, &entry);
	hide_uart_function(bi->cmdline);
	console_escape_config(bi);
	guest_irq_locate(bi, VUART_ISA_IRQ);
	run_guest(&caps, &entry);
}
