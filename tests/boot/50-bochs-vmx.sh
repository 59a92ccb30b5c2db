#!/bin/bash
# Bochs with a Skylake-X model: VMX is present with EPT, VPID and
# unrestricted guest; VMXON and VMXOFF succeed; the run ends with PASS.
# Once through GRUB multiboot2 on the Bochs BIOS, once as hv.efi started by
# OVMF from an ESP (there the firmware leaves IA32_FEATURE_CONTROL unlocked,
# so the enable-and-lock path runs too).
. "$(dirname "$0")/lib.sh"

# expect_vmx_ok START-LINE
expect_vmx_ok()
{
	expect_line "$1"
	expect_regex '^\[hv\] VMX: present \(CPUID.1:ECX.VMX=1\)$' 'VMX: present line'
	expect_regex '^\[hv\] VMX capabilities: EPT yes, VPID yes, unrestricted guest yes(, |$)' \
		'capability line with EPT, VPID and unrestricted guest'
	expect_line '[hv] VMX: usable'
	expect_order '^\[hv\] VMXON: ok \(VMCS revision id 0x[0-9a-f]+\)$' '^\[hv\] VMXOFF: ok$'
	expect_verdict PASS
	expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
}

case_begin skylake-x-bios
need_file "$HV_ELF" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv test-exit)" "$HV_ELF"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_vmx_ok '[hv] micro-hypervisor starting (multiboot2, BIOS)'
case_end

case_begin skylake-x-uefi-app
need_file "$HV_EFI" && make_esp "$CASE_DIR/esp.img" "cmdline test-exit"
run_bochs --model corei7_skylake_x --firmware uefi --disk "$CASE_DIR/esp.img"
expect_vmx_ok '[hv] micro-hypervisor starting (UEFI application, UEFI)'
expect_line '[hv] IA32_FEATURE_CONTROL: was unlocked; enabled VMX and locked it: 0x5 (locked, VMX outside SMX enabled)'
case_end
finish
