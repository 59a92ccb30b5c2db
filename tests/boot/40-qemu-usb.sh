#!/bin/bash
# The hybrid ISO written to a USB stick (qemu-xhci + usb-storage) boots on
# SeaBIOS and on OVMF.
. "$(dirname "$0")/lib.sh"

# usb_case FIRMWARE WHICH
usb_case()
{
	case_begin "$1"
	need_file "$HV_ELF" &&
		make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv test-exit)" "$HV_ELF"
	run_qemu "$1" usb "$CASE_DIR/hv.iso" -cpu Nehalem
	expect_line "[hv] micro-hypervisor starting (multiboot2, $2)"
	expect_verdict FAIL 'VMX unavailable'
	expect_status 35
	case_end
}

usb_case bios BIOS
usb_case uefi UEFI
finish
