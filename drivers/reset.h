/*
 * Resetting the machine as a PC does: the reset control register at 0xCF9,
 * then the keyboard controller's reset pulse.
 */
#ifndef DRIVERS_RESET_H
#define DRIVERS_RESET_H

#define PORT_RESET_CONTROL      0xcf9
#define RESET_CONTROL_SYS_RST   0x02     /* full reset when RST_CPU is set */
#define RESET_CONTROL_RST_CPU   0x04     /* 0 -> 1 starts the reset */
#define PORT_KBC_COMMAND        0x64
#define KBC_PULSE_RESET         0xfe     /* pulse output line 0: CPU reset */
#define PORT_FAST_RESET         0x92     /* System Control Port A */
#define FAST_RESET_INIT         0x01     /* writing 1 resets the CPU */

/*
 * Try both ways; returns only when neither reset the machine.  The caller
 * leaves VMX operation first: a keyboard-controller reset may arrive as an
 * INIT, which VMX root operation blocks.
 */
void machine_reset(void);

#endif
