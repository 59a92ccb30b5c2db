/*
 * Ending an emulator run from inside ("test-exit" on the command line).
 * QEMU: isa-debug-exit at port 0xf4 (exit status (value << 1) | 1).
 * Bochs: the string "Shutdown" written to port 0x8900.
 * Never used unless the command line asked for it: on real hardware these
 * ports may belong to something else.
 */
#ifndef DRIVERS_EMU_EXIT_H
#define DRIVERS_EMU_EXIT_H

#include <stdbool.h>

#define QEMU_DEBUG_EXIT_PORT   0xf4
#define QEMU_EXIT_SUCCESS      0x10   /* QEMU exits with status 33 */
#define QEMU_EXIT_FAILURE      0x11   /* QEMU exits with status 35 */
#define BOCHS_SHUTDOWN_PORT    0x8900
#define BOCHS_SHUTDOWN_STRING  "Shutdown"   /* matched byte by byte on the port */

/* Ask the emulator to end.  Returns only when no emulator took the hint. */
void emu_exit(bool success);

#endif
