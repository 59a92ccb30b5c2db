#!/bin/bash
# QEMU TCG, OVMF boots hv.efi directly from an ESP (EFI/BOOT/BOOTX64.EFI,
# command line from hv.cfg): the UEFI application path reaches the core.
. "$(dirname "$0")/lib.sh"

case_begin ovmf-esp
need_file "$HV_EFI" &&
	make_esp "$CASE_DIR/esp.img" "cmdline test-exit"
run_qemu uefi esp "$CASE_DIR/esp.img" -cpu Nehalem
expect_line '[hv] micro-hypervisor starting (UEFI application, UEFI)'
expect_verdict FAIL 'VMX unavailable'
expect_status 35
case_end
finish
