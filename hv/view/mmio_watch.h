/*
 * The MMIO write watch: power and reset registers that live in memory
 * space, where no I/O intercept sees them (issue 8's last corners):
 *   - the FADT's reset register when its address space is system memory;
 *   - the PM base register (0x40) of the function that decodes the ACPI
 *     PM block, reached through PCI Express's memory-mapped configuration
 *     space (ECAM, from the MCFG), which bypasses the 0xCF8/0xCFC guard.
 * The 4 KiB page holding a watched register is mapped read/execute-only
 * in the EPT (mm/guest_mem.h); a guest write to it is an EPT violation,
 * whose instruction is fetched and decoded (hv/exit/mmio.h) and judged:
 *   - a reset value written to the reset register: the on-guest-reset=
 *     policy (hv/view/power.h), as for every other reset path;
 *   - any write that touches the PM base: dropped, the instruction
 *     skipped, as hv/view/pci_guard.c drops it through port 0xCFC;
 *   - anything else (other registers of the page, a harmless value): let
 *     through by the guest itself.  Root mode never reads or writes the
 *     MMIO: the page is made writable for exactly one guest instruction,
 *     single-stepped with the monitor trap flag, then protected again (a
 *     device register may have read or write side effects that emulating
 *     the access from root mode would get wrong, and the hypervisor must
 *     not be the one touching devices on the guest's behalf);
 *   - a write whose instruction cannot be decoded: the guest is stopped
 *     (it cannot be told whether it hits the register).
 * Reads never exit.  Without the monitor trap flag or INVEPT, nothing is
 * watched (logged).
 *
 * Test-only: the command-line word test-watch=ADDR treats the RAM page
 * at ADDR as if it held both: a reset register at ADDR + 0x80 (reset
 * value 6) and a PM base dword at ADDR + 0x40 (boot test 61, reset=mmio),
 * and makes a preemption-timer exit come between each let-through write's
 * EPT violation and the write.
 */
#ifndef HV_VIEW_MMIO_WATCH_H
#define HV_VIEW_MMIO_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest/acpi/tables.h"
#include "hv/exit/dispatch.h"
#include "hv/exit/qual.h"

struct vcpu;

enum watch_kind {
	WATCH_RESET_REG,        /* the reset value is a reset request */
	WATCH_PM_BASE,          /* every write is dropped */
};

struct watch_reg {
	uint64_t gpa;
	uint8_t len;            /* bytes, 1-8 */
	enum watch_kind kind;
	uint8_t reset_value;    /* WATCH_RESET_REG */
	const char *name;       /* for the log */
};

enum watch_verdict {
	WATCH_LET_THROUGH,      /* no register asks for anything: single-step */
	WATCH_RESET,            /* a reset request */
	WATCH_DROP,             /* the write is not made; skip the instruction */
};

/* Judge a write of size bytes (1-8) of value (little-endian) at gpa
 * against regs[0..n): the first register it asks something of, in *hit
 * (NULL for WATCH_LET_THROUGH).  Pure. */
enum watch_verdict mmio_watch_judge(const struct watch_reg *regs, size_t n,
				    uint64_t gpa, uint8_t size, uint64_t value,
				    const struct watch_reg **hit);

/* True when some register of regs[0..n) lies in the 4 KiB page of gpa.
 * Pure. */
bool mmio_watch_page_has(const struct watch_reg *regs, size_t n, uint64_t gpa);

/* Collect the watched registers (the FADT's memory reset register, the PM
 * base through ECAM, test-watch=) and write-protect their pages; logs what
 * is watched.  Once, from power_init(), before the guest's EPT pointer is
 * taken. */
void mmio_watch_init(const struct acpi_power *acpi,
		     const struct acpi_source *src, const char *cmdline);

/* After vcpu_init(): keep the watch only when v can single-step (monitor
 * trap flag) and flush (INVEPT); else lift it, with a warning. */
void mmio_watch_intercept(struct vcpu *v);

/* The EPT-violation hook (first in handle_ept_violation()): true when the
 * exit is a write to a watched page, with *action the result. */
bool mmio_watch_handle(struct vcpu *v, const struct vmexit *e,
		       enum exit_action *action);

/* The monitor-trap-flag exit after a let-through write: protect the page
 * again.  False when no single step was open (an unexpected MTF exit). */
bool mmio_watch_step_done(struct vcpu *v);

/* Whether a let-through write's open single step stays open at a VM
 * entry that follows an exit other than its monitor-trap-flag exit (an
 * external interrupt, the preemption timer, an EPT violation of a write
 * that crosses into a second watched page): it does while the write has
 * not run yet, i.e. the guest's RIP (rip, as the entry will load it) is
 * still the writing instruction's (step_rip) and the entry injects no
 * event (entry_intr_info, the VM-entry interruption-information field:
 * an event would run its handler first, with the page writable).  Else
 * the step is closed.  Pure. */
bool mmio_watch_step_stays_open(uint64_t step_rip, uint64_t rip,
				uint32_t entry_intr_info);

/* Before every VM entry (hv/vcpu/vcpu.c, through mmio_watch_before_entry()
 * below), after the injection decision: an open single step that
 * mmio_watch_step_stays_open() does not keep is closed there, with a
 * warning once naming reason (the exit just handled).  On hardware the
 * monitor-trap-flag exit normally closes it; an exit that comes before the
 * stepped instruction ran (an interrupt, the timer) leaves it open, so the
 * write is not faulted and judged twice.  Bochs 2.7 never delivers the
 * monitor-trap-flag exit (measured: the control is set and reads back, no
 * exit comes), so there the first entry after the write ran (RIP moved)
 * ends the step. */
void mmio_watch_step_check(struct vcpu *v, uint32_t reason);

/* Whether a let-through write's single step is open (mmio_watch.c): read
 * inline before every entry, so that entries pay one load and branch for
 * it. */
extern bool mmio_watch_stepping;

static inline void mmio_watch_before_entry(struct vcpu *v, uint32_t reason)
{
	if (mmio_watch_stepping)
		mmio_watch_step_check(v, reason);
}

#endif
