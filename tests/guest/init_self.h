/* The init-self mode: INIT to the guest's own CPU (tests/guest/init_self.c). */
#ifndef GUEST_TESTS_INIT_SELF_H
#define GUEST_TESTS_INIT_SELF_H

/* Send INIT to this CPU and come back through the BIOS warm-reset vector
 * to realmode.S's init_self_entry, which checks the INIT state and ends
 * the run.  Does not return. */
__attribute__((noreturn)) void init_self(void);

#endif
