/* The reset requests a hostile guest makes (tests/guest/reset_attack.c). */
#ifndef GUEST_TESTS_RESET_ATTACK_H
#define GUEST_TESTS_RESET_ATTACK_H

#include <stddef.h>
#include <stdint.h>

enum reset_attack {
	RESET_ATTACK_NONE,
	RESET_ATTACK_FAST_92,           /* reset=92: port 0x92 bit 0 */
	RESET_ATTACK_CF9_WORD,          /* reset=cf9w: word write at 0xCF9 */
	RESET_ATTACK_KBC_DWORD,         /* reset=kbcd: dword write at 0x64 */
	RESET_ATTACK_PM1_OFF,           /* reset=pm1off: soft-off through the
	                                   PIIX4's PM1a_CNT, found from PMBA */
	RESET_ATTACK_MMIO,              /* reset=mmio: writes to the page the
	                                   hypervisor watches (test-watch=) */
	RESET_ATTACK_COUNT,
};

/* The attack a "reset=" word's value names (w, len: the value only);
 * RESET_ATTACK_NONE for anything else. */
enum reset_attack reset_attack_parse(const char *w, size_t len);

/* Ask for the reset (or, for pm1off, the power-off); under the hypervisor
 * it must not return (the guest is stopped).  Ends the run as a failure
 * otherwise, bare included. */
__attribute__((noreturn)) void reset_attack(enum reset_attack a);

/* reset=mmio's page: boot test 61 reads its address from the symbol table
 * and names it to the hypervisor with test-watch=. */
extern uint8_t mmio_watch_page[];

#endif
