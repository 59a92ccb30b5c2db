/*
 * Ending an emulator run (see drivers/emu_exit.h).  Only called when the
 * command line says test-exit.
 */
#include "arch/x86/io.h"
#include "drivers/emu_exit.h"

static const char bochs_shutdown[] = BOCHS_SHUTDOWN_STRING;

void emu_exit(bool success)
{
	/* QEMU's isa-debug-exit ends the process on this write. */
	outb(QEMU_DEBUG_EXIT_PORT,
	     success ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
	/* Bochs matches the string byte by byte on its shutdown port. */
	for (const char *p = bochs_shutdown; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
}
