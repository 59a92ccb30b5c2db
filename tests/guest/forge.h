/* The forge-verdict attack on the shared serial line (tests/guest/forge.c). */
#ifndef GUEST_TESTS_FORGE_H
#define GUEST_TESTS_FORGE_H

/* Forge the hypervisor's PASS verdict, silence COM1, end the run as a
 * failure.  Does not return. */
__attribute__((noreturn)) void forge_verdict(void);

#endif
