/*
 * reset=92|cf9w|kbcd (a command-line word): the guest asks for a machine
 * reset through a path the hypervisor must see (issue 8): port 0x92's fast
 * reset (bit 0), a word write at 0xCF9 with RST_CPU (covering 0xCF9 and
 * 0xCFA), a dword write at 0x64 with the keyboard controller's pulse-reset
 * command.  Under the hypervisor the write must never return: the default
 * on-guest-reset=stop stops the guest with "guest reset the machine" and a
 * warning naming the register (tests/boot/61-bochs-attacks.sh).  A write
 * that returns ends the run as a failure with a line saying so.  Bare the
 * machine would reset: the mode refuses to run there.
 */
#include <stdint.h>

#include "arch/x86/io.h"
#include "drivers/reset.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/reset_attack.h"

#define KBC_PULSE_RESET_DWORD   ((uint32_t)KBC_PULSE_RESET)

static const char *const attack_words[] = {
	[RESET_ATTACK_FAST_92] = "92",
	[RESET_ATTACK_CF9_WORD] = "cf9w",
	[RESET_ATTACK_KBC_DWORD] = "kbcd",
};

enum reset_attack reset_attack_parse(const char *w, size_t len)
{
	for (size_t i = RESET_ATTACK_FAST_92; i < RESET_ATTACK_COUNT; i++)
		if (len == strlen(attack_words[i]) &&
		    memcmp(w, attack_words[i], len) == 0)
			return (enum reset_attack)i;
	return RESET_ATTACK_NONE;
}

/* The write itself: each one a reset on a PC. */
static void reset_write(enum reset_attack a)
{
	switch (a) {
	case RESET_ATTACK_FAST_92:
		outb(PORT_FAST_RESET, (uint8_t)(inb(PORT_FAST_RESET) | FAST_RESET_INIT));
		break;
	case RESET_ATTACK_CF9_WORD:
		outw(PORT_RESET_CONTROL,
		     RESET_CONTROL_SYS_RST | RESET_CONTROL_RST_CPU);
		break;
	case RESET_ATTACK_KBC_DWORD:
		outl(PORT_KBC_COMMAND, KBC_PULSE_RESET_DWORD);
		break;
	default:
		break;
	}
}

void reset_attack(enum reset_attack a)
{
	const char *w = attack_words[a];

	if (!guest_env.under_hv) {
		say("reset=%s: SKIP: not under the hypervisor (the machine "
		    "would reset)", w);
		guest_exit(false);
	}
	say("reset=%s: asking for a machine reset", w);
	reset_write(a);
	say("reset=%s: the write returned: the hypervisor did not stop the "
	    "guest", w);
	guest_exit(false);
}
