#!/bin/bash
# QEMU TCG, SeaBIOS, GRUB multiboot2 from a CD-ROM: the core starts and,
# TCG having no VMX, says why it cannot go on and stops cleanly.  qemu64
# reports AMD's vendor string, Nehalem Intel's: one sentence each.
. "$(dirname "$0")/lib.sh"

# no_vmx_case NAME CPU WHY-LINE
no_vmx_case()
{
	case_begin "$1"
	need_file "$HV_ELF" &&
		make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv test-exit)" "$HV_ELF"
	run_qemu bios cdrom "$CASE_DIR/hv.iso" -cpu "$2"
	expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
	expect_line "$3"
	expect_verdict FAIL 'VMX unavailable'
	expect_status 35
	case_end
}

no_vmx_case amd-qemu64 qemu64 \
	'[hv] error: this is not an Intel CPU (vendor AuthenticAMD); this hypervisor needs Intel VT-x (VMX).'
no_vmx_case intel-nehalem Nehalem \
	'[hv] error: this CPU does not support Intel VT-x (VMX); the hypervisor cannot run here.'
finish
