/*
 * EPT exits (SDM Vol. 3, "EPT Violations", "EPT Misconfigurations").
 *
 * The guest's EPT maps the machine identity-wise except the ranges the
 * hypervisor owns, which are holes (mm/ept.h).  The memory maps the guest
 * is given mark those ranges reserved, so a well-behaved guest never
 * touches them: an EPT violation means the guest used memory that is not
 * its own.  Policy: report the access precisely and stop the guest; never
 * map, emulate or silently skip.  The exceptions: the MMIO write watch
 * (hv/view/mmio_watch.h): writes to the pages it write-protects are
 * judged there, and its single step ends in the monitor-trap-flag exit;
 * the LAPIC window without APIC virtualization (hv/lapic/lapic_access.c);
 * the hidden PCI UART's ECAM page, answered as "no device"
 * (hv/view/pci_ecam.h).
 * An EPT misconfiguration is a broken entry the hypervisor wrote: report
 * the walk for the address and stop.
 */
#include "hv/exit/handlers.h"
#include "hv/lapic/lapic.h"
#include "hv/vcpu/vcpu.h"
#include "hv/view/mmio_watch.h"
#include "hv/view/pci_ecam.h"
#include "hv/vmx/insn.h"
#include "lib/log.h"
#include "mm/ept.h"

/* The access an EPT violation reports, for the log: an instruction fetch is
 * named before a write, a write before a read. */
static const char *access_kind(const struct qual_ept *q)
{
	if (q->fetch)
		return "execute";
	if (q->write)
		return "write";
	return "read";
}

/* EPT tables live in identity-mapped hypervisor memory: a table's
 * host-physical address is its pointer. */
static void *ept_table_identity(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/* Log each entry of the EPT walk for gpa, top level first, and where it
 * lands.  Reads the tables through v->eptp; does not change them. */
static void log_ept_walk(const struct vcpu *v, uint64_t gpa)
{
	struct ept_walk w;

	ept_walk(v->eptp & EPT_ADDR_MASK, gpa, ept_table_identity, &w);
	for (int i = 0; i < w.levels; i++)
		log_error("  EPT level %d entry 0x%016llx", EPT_LEVELS - i,
			  (unsigned long long)w.entry[i]);
	if (w.mapped)
		log_error("  maps to host-physical 0x%llx (page size 0x%llx)",
			  (unsigned long long)w.hpa, (unsigned long long)w.page_size);
	else
		log_error("  not mapped");
}

/* EPT violation exit: a write to a page the MMIO write watch protects is
 * its business; otherwise the guest touched a hole the hypervisor owns.
 * Log the guest-physical address, the kind of access, RIP and (when
 * valid) the linear address, and stop the guest. */
enum exit_action handle_ept_violation(struct vcpu *v, const struct vmexit *e)
{
	enum exit_action watched;

	if (mmio_watch_handle(v, e, &watched))
		return watched;
	struct qual_ept q = qual_ept_decode(e->qualification);
	uint64_t gpa = vmcs_read64(VMCS_GUEST_PHYSICAL_ADDR);
	enum exit_action action;

	if (!q.fetch && lapic_ept_access(v, e, gpa, q.write, &action))
		return action;
	if (!q.fetch && pci_ecam_access(v, e, gpa, q.write, &action))
		return action;
	log_error("EPT violation: guest touched guest-physical 0x%llx (%s) at rip "
		  "0x%llx \xe2\x80\x94 this range belongs to the hypervisor",
		  (unsigned long long)gpa, access_kind(&q),
		  (unsigned long long)e->guest_rip);
	if (q.gla_valid)
		log_error("  guest-linear address 0x%llx%s",
			  (unsigned long long)vmcs_readnat(VMCS_GUEST_LINEAR_ADDR),
			  q.gla_translated ? "" : " (while walking the guest's page tables)");
	return exit_fail(v, e, "guest accessed hypervisor memory");
}

/* EPT misconfiguration exit: an entry the hypervisor wrote is invalid.  Log
 * the walk for the address and stop the guest, as a hypervisor bug. */
enum exit_action handle_ept_misconfig(struct vcpu *v, const struct vmexit *e)
{
	uint64_t gpa = vmcs_read64(VMCS_GUEST_PHYSICAL_ADDR);

	log_error("EPT misconfiguration at guest-physical 0x%llx (rip 0x%llx): "
		  "an EPT entry is invalid", (unsigned long long)gpa,
		  (unsigned long long)e->guest_rip);
	log_ept_walk(v, gpa);
	return exit_fail(v, e, "EPT misconfiguration (hypervisor bug)");
}

/* Monitor-trap-flag exit: only the MMIO write watch single-steps the guest
 * (a let-through write); its page is protected again.  Any other MTF exit
 * means the controls are not what the code believes. */
enum exit_action handle_monitor_trap(struct vcpu *v, const struct vmexit *e)
{
	if (mmio_watch_step_done(v))
		return EXIT_RESUME;
	return exit_unexpected(v, e);
}
