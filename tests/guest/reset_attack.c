/*
 * reset=92|cf9w|kbcd|pm1off (a command-line word): the guest asks for a
 * machine reset through a path the hypervisor must see (issue 8): port
 * 0x92's fast reset (bit 0), a word write at 0xCF9 with RST_CPU (covering
 * 0xCF9 and 0xCFA), a dword write at 0x64 with the keyboard controller's
 * pulse-reset command; or, pm1off, a soft-off (SLP_EN) written to the
 * PIIX4's PM1a_CNT at PMBA + 4, which the hypervisor must see even when the
 * firmware gave it no FADT to name that port (OVMF in Bochs): that one ends
 * in "guest powered off".  reset=mmio writes to mmio_watch_page, which boot
 * test 61 has the hypervisor watch as if it held a memory-space reset
 * register (+0x80, reset value 6) and a PM base register (+0x40): writes
 * elsewhere in the page and a harmless value must land, the PM base write
 * must be dropped, and the reset value must stop the guest.  Under the hypervisor the write must never return: the default
 * on-guest-reset=stop stops the guest with "guest reset the machine" and a
 * warning naming the register (tests/boot/61-bochs-attacks.sh).  A write
 * that returns ends the run as a failure with a line saying so.  Bare the
 * machine would reset: the mode refuses to run there.
 */
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "drivers/piix4_pm.h"
#include "drivers/reset.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/reset_attack.h"

#define KBC_PULSE_RESET_DWORD   ((uint32_t)KBC_PULSE_RESET)
/* PM1 control register (ACPI 4.8.3.2.1): SLP_TYP in bits 12:10, SLP_EN
 * bit 13. */
#define PM1_CNT_SLP_EN_BIT      (1u << 13)
#define PM1_CNT_SLP_TYP_SHIFT_BITS 10

static const char *const attack_words[] = {
	[RESET_ATTACK_FAST_92] = "92",
	[RESET_ATTACK_CF9_WORD] = "cf9w",
	[RESET_ATTACK_KBC_DWORD] = "kbcd",
	[RESET_ATTACK_PM1_OFF] = "pm1off",
	[RESET_ATTACK_MMIO] = "mmio",
};

/* reset=mmio's layout (the hypervisor's test-watch= stand-ins). */
#define WATCH_PAGE_SIZE         4096
#define WATCH_PM_BASE           0x40
#define WATCH_RESET_REG         0x80
#define WATCH_OTHER             0x100
#define WATCH_RESET_VALUE       6
#define WATCH_HARMLESS_VALUE    1
#define WATCH_PM_BASE_MOVED     0xc001u
#define WATCH_DWORD_PATTERN     0x11223344u
#define WATCH_WORD_PATTERN      0xbeefu

/* In .data, not .bss: the entry code clears .bss with REP STOSB, a write
 * the watch cannot judge (it would stop the guest, as it should). */
uint8_t mmio_watch_page[WATCH_PAGE_SIZE]
	__attribute__((aligned(WATCH_PAGE_SIZE), section(".data.mmio_watch")));

enum reset_attack reset_attack_parse(const char *w, size_t len)
{
	for (size_t i = RESET_ATTACK_FAST_92; i < RESET_ATTACK_COUNT; i++)
		if (len == strlen(attack_words[i]) &&
		    memcmp(w, attack_words[i], len) == 0)
			return (enum reset_attack)i;
	return RESET_ATTACK_NONE;
}

/* PM1a_CNT of the PIIX4 at 00:01.3: PMBA (register 0x40) + 4; 0 when the
 * function is not a PIIX4 PM function. */
static uint16_t piix4_pm1a_cnt(void)
{
	outl(PCI_CONFIG_ADDRESS, pci_config_address(PIIX4_PM_BDF, PCI_VENDOR_ID));
	if (inl(PCI_CONFIG_DATA) !=
	    ((uint32_t)PIIX4_PM_DEVICE_ID << 16 | PIIX4_VENDOR_INTEL))
		return 0;
	outl(PCI_CONFIG_ADDRESS, pci_config_address(PIIX4_PM_BDF, PIIX4_PMBA));
	return (uint16_t)((inl(PCI_CONFIG_DATA) & PIIX4_PMBA_MASK) + PIIX4_PMCNTRL);
}

/* reset=mmio before the reset write: a dword (MOV imm) and a word (MOV
 * from a register, 66 89) elsewhere in the watched page and a harmless byte
 * on the reset register must land; a dword on the PM base must not.
 * False, with a line saying what went wrong, otherwise. */
static bool mmio_watch_writes(void)
{
	volatile uint32_t *other = (volatile uint32_t *)(mmio_watch_page + WATCH_OTHER);
	volatile uint16_t *word = (volatile uint16_t *)(mmio_watch_page + WATCH_OTHER + 6);
	volatile uint8_t *reset = mmio_watch_page + WATCH_RESET_REG;
	volatile uint32_t *pm_base = (volatile uint32_t *)(mmio_watch_page + WATCH_PM_BASE);
	uint16_t w = WATCH_WORD_PATTERN;

	/* A CPUID (always an exit) after each write the watch lets through:
	 * where the monitor-trap-flag exit never comes (Bochs 2.7) the next
	 * exit ends the single step, and this makes it come at once. */
	*other = WATCH_DWORD_PATTERN;
	cpuid(0, 0);
	__asm__ volatile("movw %w0, (%1)" : : "r"(w), "r"(word) : "memory");
	cpuid(0, 0);
	*reset = WATCH_HARMLESS_VALUE;
	cpuid(0, 0);
	*pm_base = WATCH_PM_BASE_MOVED;
	if (*other != WATCH_DWORD_PATTERN || *word != WATCH_WORD_PATTERN ||
	    *reset != WATCH_HARMLESS_VALUE) {
		say("reset=mmio: a write elsewhere in the watched page did not land");
		return false;
	}
	if (*pm_base != 0) {
		say("reset=mmio: the PM base write landed (is test-watch= set?)");
		return false;
	}
	say("reset=mmio: other writes landed, the PM base write was dropped");
	return true;
}

/* The write itself: each one a reset (or the power-off) on a PC. */
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
	case RESET_ATTACK_PM1_OFF:
		outw(piix4_pm1a_cnt(), (uint16_t)(PM1_CNT_SLP_EN_BIT |
			(PIIX4_SLP_TYP_SOFT_OFF << PM1_CNT_SLP_TYP_SHIFT_BITS)));
		break;
	case RESET_ATTACK_MMIO:
		*(volatile uint8_t *)(mmio_watch_page + WATCH_RESET_REG) =
			WATCH_RESET_VALUE;
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
	if (a == RESET_ATTACK_MMIO && !mmio_watch_writes())
		guest_exit(false);
	say("reset=%s: asking for a machine reset", w);
	reset_write(a);
	say("reset=%s: the write returned: the hypervisor did not stop the "
	    "guest", w);
	guest_exit(false);
}
