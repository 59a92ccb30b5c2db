/*
 * Guest power events the hypervisor sees: ACPI soft-off (SLP_EN with the
 * \_S5 sleep type written to a PM1 control register named by the FADT),
 * and machine resets (the reset control register 0xCF9, the keyboard
 * controller's reset pulse 0xFE on port 0x64, the fast reset of System
 * Control Port A 0x92, the FADT reset register in I/O or PCI configuration
 * space).  Writes of every width are checked: a word or dword that covers
 * one of these byte registers counts as a write to it.  The chipset
 * function that decodes the PM block cannot be moved (hv/view/pci_guard.h,
 * and through ECAM hv/view/mmio_watch.h, which also watches a reset
 * register in memory space).
 *
 * Power-off stops the guest with success.  A reset follows the command
 * line:
 *   on-guest-reset=stop    stop the guest with a failure report (default)
 *   on-guest-reset=reset   reset the machine, as the guest asked
 * Every other access to these ports is carried out on the hardware for
 * the guest (the platform's ports are the guest's).
 */
#ifndef HV_POWER_H
#define HV_POWER_H

#include <stdbool.h>

#include "boot/boot_info.h"
#include "hv/exit/dispatch.h"
#include "hv/exit/qual.h"

struct vcpu;

/* Read the FADT/DSDT power facts (the firmware's tables, else the
 * guest's own from guest/acpi/platform.c) and the command line; logs one line.
 * Once, after the guest is loaded and before power_intercept(). */
void power_init(const struct boot_info *bi);

/* Make the power ports of v exit (after vcpu_init(), before vcpu_run()). */
void power_intercept(struct vcpu *v);

/* The I/O-exit hook (hv/exit/io.c), given the decoded qualification:
 * true when the access is a PCI configuration access the guard handles or
 * touches a power port, with *action the handler's result; false leaves
 * the exit to the caller. */
bool power_handle_io(struct vcpu *v, const struct qual_io *q,
		     enum exit_action *action);

/* The guest asked for a machine reset (`how` names the register): apply
 * the on-guest-reset= policy. */
enum exit_action power_guest_reset(struct vcpu *v, const char *how);

#endif
