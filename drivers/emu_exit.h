/*
 * Ending an emulator run from inside ("test-exit" on the command line).
 * QEMU: isa-debug-exit at port 0xf4 (exit status (value << 1) | 1).
 * Bochs: the string "Shutdown" written to port 0x8900 (exit status 1 for
 * either verdict), after the verdict line EMU_VERDICT_* on port 0xE9, which
 * Bochs prints on its standard output when the configuration says
 * `port_e9_hack: enabled=1` (tools/bochsrc.sh).  The guest can write
 * neither port (hv/view/intercept.c), so the boot tests judge a run by the
 * exit status (QEMU) or the 0xE9 line (Bochs), never by the serial log
 * alone, which the guest shares.
 * Never used unless the command line asked for it: on real hardware these
 * ports may belong to something else.  Plain #defines up to the prototype:
 * the test guest's real-mode code (tests/guest/realmode.S) uses them too.
 */
#ifndef DRIVERS_EMU_EXIT_H
#define DRIVERS_EMU_EXIT_H

#define QEMU_DEBUG_EXIT_PORT   0xf4
#define QEMU_EXIT_SUCCESS      0x10   /* QEMU exits with status 33 */
#define QEMU_EXIT_FAILURE      0x11   /* QEMU exits with status 35 */
#define BOCHS_SHUTDOWN_PORT    0x8900
#define BOCHS_SHUTDOWN_STRING  "Shutdown"   /* matched byte by byte on the port */
#define BOCHS_E9_PORT          0xe9   /* Bochs's port_e9_hack: to stdout */

/* Matched by tests/boot/lib.sh (BOCHS_VERDICT_PATTERN). */
#define EMU_VERDICT_PASS       "HV-VERDICT PASS\n"
#define EMU_VERDICT_FAIL       "HV-VERDICT FAIL\n"

#ifndef __ASSEMBLY__
#include <stdbool.h>

/* Ask the emulator to end.  Returns only when no emulator took the hint. */
void emu_exit(bool success);
#endif

#endif
