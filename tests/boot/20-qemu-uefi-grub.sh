#!/bin/bash
# QEMU TCG, OVMF, GRUB (UEFI) multiboot2 from a CD-ROM: the core starts with
# the UEFI firmware named and stops cleanly without VMX.
. "$(dirname "$0")/lib.sh"

case_begin ovmf-cd
need_file "$HV_ELF" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv test-exit)" "$HV_ELF"
run_qemu uefi cdrom "$CASE_DIR/hv.iso" -cpu Nehalem
expect_line '[hv] micro-hypervisor starting (multiboot2, UEFI)'
expect_verdict FAIL 'VMX unavailable'
expect_status 35
case_end
finish
