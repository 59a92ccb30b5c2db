/*
 * The hypervisor's command line, parsed once into a struct.
 *
 *   serial=PORT[,BAUD]   UART for the log (default 0x3f8,115200);
 *                        serial=off disables it
 *   loglevel=LEVEL       debug | info | warn | error (default info)
 *   test-exit            end the emulator when done (drivers/emu_exit.h)
 *   guest=NAME           the module role holding the guest (default: guest);
 *                        naming it makes the module mandatory
 */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_info.h"

#define CONFIG_ERROR_MAX 128

struct hv_config {
	bool serial_enabled;
	uint16_t serial_port;
	uint32_t serial_baud;
	int log_level;              /* enum log_level */
	bool test_exit;
	bool guest_required;        /* guest= was given explicitly */
	char guest[BOOT_MODNAME_MAX];
	/* First problem found while parsing; empty when none.  Reported once
	 * the log is up, since parsing happens before the UART is set up. */
	char error[CONFIG_ERROR_MAX];
};

/* Fill cfg from cmdline; unknown words are left for other parsers. */
void config_parse(const char *cmdline, struct hv_config *cfg);

extern struct hv_config hv_config;

#endif
