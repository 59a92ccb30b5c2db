/*
 * Ending an emulator run (see drivers/emu_exit.h).  Only called when the
 * command line says test-exit.
 */
#include "arch/x86/io.h"
#include "drivers/emu_exit.h"

/* Write text to port byte by byte (Bochs's ports take strings that way). */
static void out_string(uint16_t port, const char *text)
{
	for (const char *p = text; *p; p++)
		outb(port, (uint8_t)*p);
}

void emu_exit(bool success)
{
	/* QEMU's isa-debug-exit ends the process on this write. */
	outb(QEMU_DEBUG_EXIT_PORT,
	     success ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
	/* Bochs ends with status 1 whatever the verdict: say it where the
	 * guest cannot (the guest's writes to 0xE9 are dropped). */
	/* Bochs prints each byte written to port 0xE9 on its standard output. */
	out_string(BOCHS_E9_PORT, success ? EMU_VERDICT_PASS : EMU_VERDICT_FAIL);
	/* Bochs matches the string byte by byte on its shutdown port. */
	out_string(BOCHS_SHUTDOWN_PORT, BOCHS_SHUTDOWN_STRING);
}
