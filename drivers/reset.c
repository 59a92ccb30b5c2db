/* Machine reset through 0xCF9 and the keyboard controller (reset.h). */
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "drivers/reset.h"

#define RESET_SETTLE_SPINS      1000000  /* let a reset take effect */

static void settle(void)
{
	for (int i = 0; i < RESET_SETTLE_SPINS; i++)
		cpu_relax();
}

void machine_reset(void)
{
	outb(PORT_RESET_CONTROL, RESET_CONTROL_SYS_RST);
	outb(PORT_RESET_CONTROL, RESET_CONTROL_SYS_RST | RESET_CONTROL_RST_CPU);
	settle();
	outb(PORT_KBC_COMMAND, KBC_PULSE_RESET);
	settle();
}
