/*
 * Ending an emulator run (see drivers/emu_exit.h).  Only called when the
 * command line says test-exit.
 */
#include "arch/x86/io.h"
#include "drivers/emu_exit.h"

static const char bochs_shutdown[] = "Shutdown";

/* Bochs prints each byte written to port 0xE9 on its standard output. */
static void bochs_e9_write(const char *text)
{
	for (const char *p = text; *p; p++)
		outb(BOCHS_E9_PORT, (uint8_t)*p);
}

void emu_exit(bool success)
{
	/* QEMU's isa-debug-exit ends the process on this write. */
	outb(QEMU_DEBUG_EXIT_PORT,
	     success ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
	/* Bochs ends with status 1 whatever the verdict: say it where the
	 * guest cannot (the guest's writes to 0xE9 are dropped). */
	bochs_e9_write(success ? EMU_VERDICT_PASS : EMU_VERDICT_FAIL);
	/* Bochs matches the string byte by byte on its shutdown port. */
	for (const char *p = bochs_shutdown; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
}
