/*
 * The hypervisor's PCI UART through PCI Express's memory-mapped
 * configuration space (ECAM, the window the ACPI MCFG table describes).
 * hv/view/pci_guard.c hides the function from 0xCF8/0xCFC; here its 4 KiB
 * ECAM page leaves the guest's EPT, and every guest access to it is an EPT
 * violation answered as "no device": a load reads all ones, a store is
 * dropped, the instruction is skipped (hv/exit/mmio.h,
 * mmio_emulate_absent()).  A guest that enumerates through ECAM (Linux on
 * q35 and on most real machines) then neither finds the function nor
 * moves or disables its BAR.
 *
 * Why a hole with emulated loads rather than a read-only page of all ones
 * shown in its place: the hole needs no page of the hypervisor's and no
 * remapped EPT entry, and stores need the decoder either way (an EPT
 * violation gives no instruction length); one function's configuration
 * space is read a few dozen times while the guest enumerates, so the
 * exits cost nothing that matters.
 *
 * The page is found before VMX detection (so QEMU, without VMX, checks it
 * too): the MCFG entry that covers the function's bus (segment 0), and the
 * page's first dword must read the vendor and device IDs mechanism #1
 * gives for the function.  When it does not (a wrong MCFG) or cannot be
 * read, nothing is hidden there, with a warning: hiding some other
 * device's page would be worse.
 *
 * Test-only: the command-line word test-ecam=ADDR hides the RAM page at
 * ADDR as if it were that page (Bochs has neither ECAM nor a PCI UART:
 * boot test 61, the test guest's ecam-hidden).
 */
#ifndef HV_VIEW_PCI_ECAM_H
#define HV_VIEW_PCI_ECAM_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_info.h"
#include "drivers/pci.h"
#include "hv/exit/dispatch.h"

struct vcpu;

/* Find fn's ECAM page from the MCFG that bi's RSDP leads to and check it
 * (above); logs the outcome.  After paging_init(), before the guest's EPT
 * is built. */
void pci_ecam_find(const struct boot_info *bi, struct pci_bdf fn);

/* Leave the page pci_ecam_find() accepted (or test-ecam='s) out of the
 * guest's EPT; logs it.  After the guest is loaded, before its EPT
 * pointer is taken. */
void pci_ecam_hide(const char *cmdline);

/* The EPT-violation hook: true when gpa lies in the hidden page, with
 * *action the result of answering the access as "no device". */
bool pci_ecam_access(struct vcpu *v, const struct vmexit *e, uint64_t gpa,
		     bool write, enum exit_action *action);

#endif
