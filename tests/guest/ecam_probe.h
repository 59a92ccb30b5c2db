/* ecam-hidden: the test guest's probe of a PCI function's ECAM page that
 * the hypervisor hides (tests/guest/ecam_probe.c). */
#ifndef GUEST_TESTS_ECAM_PROBE_H
#define GUEST_TESTS_ECAM_PROBE_H

#include <stdint.h>

/* Read and write ecam_stand_in as a guest enumerating PCI through ECAM
 * would, print what it saw and end the run: success when, under the
 * hypervisor, every load read all ones before and after the stores
 * (no device: boot test 61 hides the page with test-ecam=), or, bare, the
 * page read as the device it stands in for and the stores landed.  Does
 * not return. */
__attribute__((noreturn)) void ecam_probe(void);

/* The page boot test 61 names to the hypervisor with test-ecam= (its
 * address from the symbol table): the first bytes of a PCI function's
 * configuration space, QEMU's pci-serial's IDs. */
extern uint8_t ecam_stand_in[];

#endif
