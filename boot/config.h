/*
 * The hypervisor's command line, parsed once into a struct.  In boot/ (the
 * boot code hands the command line over and, on UEFI, needs the console
 * options before the core runs); the options' meaning lives with their
 * users above.
 *
 *   serial=WHERE[,BAUD]  UART for the log (default auto,115200): auto
 *                        (SPCR, else COM1, else the first PCI 16550),
 *                        com1-com4, io:PORT or PORT, mmio:ADDR[,STRIDE],
 *                        pci, pci:BB:DD.F; serial=none (or off) disables it
 *   console=LIST         where the log goes: fb, serial or both
 *                        (default fb,serial; fb only when the boot
 *                        path found a framebuffer, drivers/fbcon.h)
 *   loglevel=LEVEL       debug | info | warn | error (default info)
 *   test-exit            end the emulator when done (drivers/emu_exit.h)
 *   guest=NAME           the module role holding the guest (default: guest);
 *                        naming it makes the module mandatory
 *   debug-fault=KIND     ud | pf | gp | de | mc: raise that exception at the end
 *                        of bring-up, to test the exception dump; panic:
 *                        call panic() there instead
 *   on-triple-fault=stop|reset   a guest triple fault stops the guest with
 *                        a report (default) or resets the machine
 *   lapic=software|auto  the virtual LAPIC's back end: auto (default) takes
 *                        APICv where the CPU has it; software forces the
 *                        software back end (hv/lapic/lapic.c)
 *   on-halt-disabled=wait|stop   a guest HLT with RFLAGS.IF = 0 is
 *                        reported once and waits as the CPU would, for an
 *                        NMI, INIT or SMI (default), or stops the guest
 *                        with a FAIL verdict (hv/exit/halt.c)
 *   debug-bad-guest-state   corrupt one guest-state field (CS access
 *                        rights) before the first VM entry, to test that
 *                        the failed entry is named and the guest stopped
 *   iommu=required|auto|off   DMA protection with VT-d (hv/iommu.c):
 *                        refuse to run a guest without it, use it when
 *                        there (default: warn loudly when not), or leave
 *                        it unused
 *   debug-iommu-dma      test aid: after enabling VT-d, let QEMU's edu
 *                        device DMA into guest RAM and into hypervisor
 *                        memory, check the outcome and stop
 *
 * Parsed where they are used:
 *   smp=off              do not start and park the other CPUs
 *                        (hv/ap_park.c)
 *   on-guest-reset=stop|reset   a guest's reset request (0xCF9, keyboard
 *                        controller, FADT reset register) stops the guest
 *                        (default) or resets the machine (hv/view/power.c)
 */
#ifndef BOOT_CONFIG_H
#define BOOT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "drivers/pci.h"

#include "boot/boot_info.h"

#define CONFIG_ERROR_MAX 128

enum debug_fault {
	DEBUG_FAULT_NONE = 0,
	DEBUG_FAULT_UD,             /* invalid opcode (ud2) */
	DEBUG_FAULT_PF,             /* read of an unmapped address */
	DEBUG_FAULT_GP,             /* read of a non-canonical address */
	DEBUG_FAULT_DE,             /* divide by zero */
	DEBUG_FAULT_PANIC,          /* panic() */
	DEBUG_FAULT_MC,             /* INT 18: the #MC handler's report and stop */
};

enum iommu_policy {
	IOMMU_AUTO = 0,             /* use VT-d when present, else warn */
	IOMMU_REQUIRED,             /* no usable VT-d: refuse to run a guest */
	IOMMU_OFF,                  /* leave VT-d unused */
};

/* serial=: where the hypervisor's UART is (hv/main.c picks it). */
enum serial_kind {
	SERIAL_AUTO = 0,            /* SPCR, else COM1, else the first PCI one */
	SERIAL_IO,                  /* serial_port */
	SERIAL_MMIO,                /* serial_mmio, registers 1 << serial_shift apart */
	SERIAL_PCI,                 /* serial_pci, or the first one if serial_pci_any */
};

struct hv_config {
	bool serial_enabled;
	uint32_t serial_kind;       /* enum serial_kind */
	uint64_t serial_mmio;
	uint32_t serial_shift;
	bool serial_pci_any;
	struct pci_bdf serial_pci;
	bool console_fb;            /* draw the log on the framebuffer */
	uint16_t serial_port;
	uint32_t serial_baud;
	int log_level;              /* enum log_level */
	bool test_exit;
	bool guest_required;        /* guest= was given explicitly */
	char guest[BOOT_MODNAME_MAX];
	uint32_t debug_fault;       /* enum debug_fault */
	bool debug_bad_guest_state;
	bool triple_fault_reset;    /* on-triple-fault=reset */
	bool lapic_software;        /* lapic=software */
	uint32_t iommu;             /* enum iommu_policy */
	bool debug_iommu_dma;
	bool halt_disabled_stop;    /* on-halt-disabled=stop */
	/* First problem found while parsing; empty when none.  Reported once
	 * the log is up, since parsing happens before the UART is set up. */
	char error[CONFIG_ERROR_MAX];
};

/* Fill cfg from cmdline; unknown words are left for other parsers. */
void config_parse(const char *cmdline, struct hv_config *cfg);

extern struct hv_config hv_config;

#endif
