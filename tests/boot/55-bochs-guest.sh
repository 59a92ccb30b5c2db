#!/bin/bash
# The in-tree test guest under the hypervisor in Bochs: with a Skylake-X
# model every check of tests/guest/check_table.c passes (the
# hypervisor-memory touch is skipped unless asked for), through GRUB
# multiboot2 on the BIOS and as hv.efi under OVMF; with a Penryn model
# (VMX without EPT) the hypervisor refuses before loading the guest.
# Bare (GRUB multiboot, no hypervisor) the same guest is the reference: no
# check fails, those that need the hypervisor SKIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest-checks.sh"

# expect_mtrr_ept: msr_mtrr_wt_range's WT range reached the EPT (a 4 KiB
# WT page, a rebuild with 4 KiB pages) and its removal rebuilt it again; the
# other MTRR checks (ranges kept invalid) caused no rebuild.
expect_mtrr_ept()
{
	local follow='^\[hv\] EPT: memory types follow the guest'"'"'s MTRRs'
	expect_regex "$follow \(change 1, MTRRs on\): [0-9]+ x 1 GiB, [0-9]+ x 2 MiB, [1-9][0-9]* x 4 KiB pages in [0-9]+ tables\$" \
		'EPT rebuild 1 (the WT range)'
	expect_regex '^\[hv\] EPT: guest MTRR [0-9]+ \(WT\) at 0x[0-9a-f]+: EPT type WT \(4 KiB page\)$' \
		'the EPT'"'"'s type WT at the guest'"'"'s WT range'
	expect_regex "$follow \(change 2, MTRRs on\): " 'EPT rebuild 2 (the range removed)'
	expect_absent "$follow \(change 3" 'a third EPT rebuild'
	expect_order '^\[hv\] EPT: guest MTRR [0-9]+ \(WT\)' '^\[guest\] PASS msr_mtrr_wt_range$'
}

# expect_lapic BACKEND WHY: the virtual LAPIC's start-up lines (back end
# and why, the timer on the VMX-preemption timer) and, at the end,
# forwarded interrupts (the PIT through the 8259) and the 2000 self-NMIs of
# attack_nmi_burst through the virtual ICR.
expect_lapic()
{
	expect_regex "^\[hv\] vcpu0: LAPIC: virtual, $1 back end \($2\); xAPIC mode, ID 0, window 0xfee00000 \(APIC-access page\)\$" \
		"the $1 back end line"
	expect_line '[hv] vcpu0: LAPIC timer: TSC / 1, on the VMX-preemption timer (rate shift 0)'
	expect_regex '^\[hv\] vcpu0: LAPIC: [1-9][0-9]* interrupts forwarded \([1-9][0-9]* through the 8259, ' \
		'forwarded interrupts'
	expect_regex '^\[hv\] vcpu0: LAPIC: timer expiries [0-9]+, self IPIs [0-9]*2[0-9]{3}, ' \
		'the self-NMIs through the virtual ICR'
}

# expect_guest_passes START-LINE: the whole run, from the banner to PASS.
expect_guest_passes()
{
	expect_line "$1"
	expect_regex "^\[hv\] module 0: 'guest' at 0x[0-9a-f]+, $(stat -c %s "$TEST_GUEST") bytes, cmdline ''\$" \
		'module line for the test guest (its size)'
	expect_vmx_controls
	# Bochs has no IOMMU: the default iommu=auto runs the guest after
	# saying that DMA is unprotected (tests/boot/64-bochs-iommu.sh: required).
	expect_line '[hv] warn: iommu: * DMA is UNPROTECTED: no usable VT-d (DMAR table or'
	expect_order 'DMA is UNPROTECTED' '^\[guest\] test guest starting'
	expect_line '[hv] iommu: DMA remapping was off: no DMA faults counted'
	expect_line '[guest] test guest starting (multiboot magic ok, cmdline "")'
	expect_regex '^\[guest\] running under VTxMicroHV ' 'guest line "running under VTxMicroHV"'
	expect_guest_checks all
	expect_line '[hv] guest: hello from the test guest via HC_CONSOLE_WRITE'
	expect_line '[hv] guest: hello from 32-bit compatibility mode'
	expect_regex '^\[hv\] warn: guest tried to move the ACPI PM block \(PCI 00:01\.3 register 0x40\): write dropped$' \
		'the hypervisor seeing attack_pm_base_move'
	expect_regex '^\[guest\] attack_hc_fuzz: 10000 calls \([0-9]+ from 32-bit mode\): ok [0-9]+, -HC_ERR_FAULT [0-9]+, -HC_ERR_INVALID [0-9]+, -HC_ERR_UNKNOWN [0-9]+, misfit 0$' \
		'the fuzzer'"'"'s counts'
	expect_mtrr_ept
	expect_exit_stats 'CPUID \(10\)'
	expect_exit_stats 'VMCALL \(18\)'
	# tests/guest/tasks.S: nine switches and their nine returns, and two
	# that fault in the emulation (the old TSS too short, the new one not
	# mapped); the not-present and short new TSSs fault before any exit.
	expect_exit_stats 'task switch \(9\)' 20
	expect_guest_verdict
	expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
	expect_status 1
}

case_begin skylake-x-bios
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_guest_passes '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_lapic APICv 'the CPU has APIC-register virtualization and virtual-interrupt delivery'
case_end

# The software back end of the virtual LAPIC: forced on Skylake-X, and on
# Ivy Bridge, which has no APIC-register virtualization.
case_begin skylake-x-lapic-software
make_guest_iso "$CASE_DIR/hv.iso" 'test-exit lapic=software' "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_guest_passes '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_lapic software 'lapic=software'
expect_exit_stats 'APIC access \(44\)'
case_end

case_begin ivy-bridge-bios
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST"
run_bochs --model corei7_ivy_bridge_3770k --cdrom "$CASE_DIR/hv.iso"
expect_guest_passes '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_lapic software 'the CPU lacks APIC-register virtualization or virtual-interrupt delivery'
expect_exit_stats 'APIC access \(44\)'
case_end

case_begin skylake-x-uefi-app
make_guest_esp "$CASE_DIR/esp.img" test-exit "$TEST_GUEST"
run_bochs --model corei7_skylake_x --firmware uefi --disk "$CASE_DIR/esp.img"
expect_guest_passes '[hv] micro-hypervisor starting (UEFI application, UEFI)'
expect_regex '^\[hv\] efi: module \\EFI\\BOOT\\testguest\.elf: [0-9]+ bytes at 0x[0-9a-f]+, '"'guest'"'$' \
	'hv.efi loading testguest.elf as the guest module'
case_end

# Bare: no hypervisor, so no "[hv] verdict:" line; the guest's summary is
# the verdict, and it ends Bochs through port 0x8900 itself.
case_begin skylake-x-bare
need_file "$TEST_GUEST" &&
	GRUB_EXTRA_MODULES=multiboot make_iso "$CASE_DIR/guest.iso" \
		"$(printf '%s\n' 'set timeout=0' 'serial --unit=0 --speed=115200' \
			'terminal_input serial' 'terminal_output serial' \
			'menuentry "guest" {' '    multiboot /boot/testguest.elf' \
			'    boot' '}')" "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/guest.iso"
expect_bare_run
expect_line '[guest] test guest starting (multiboot magic ok, cmdline "")'
expect_regex '^\[guest\] running bare ' 'guest line "running bare"'
expect_absent '^\[guest\] FAIL' 'guest FAIL line'
expect_regex '^\[guest\] SKIP port_hv_owned: bare: ' 'port_hv_owned skipped bare'
expect_line '[guest] PASS port_power'
expect_regex '^\[guest\] SKIP invd_wbinvd: bare: WBINVD and INVD ran; ' 'invd_wbinvd skipped bare after running'
# Measured bare in this configuration: a check that stops running or turns
# from PASS to SKIP changes the counts.
expect_line '[guest] PASS attack_nmi_burst'
expect_line '[guest] PASS attack_pm_base_move'
expect_line '[guest] PASS cr4_hidden_features_gp'
expect_line '[guest] PASS msr_hidden_features_gp'
expect_line '[guest] summary: 80 passed, 0 failed, 23 skipped'
expect_status 1
case_end

# Penryn: VMX but no EPT / unrestricted guest.  The guest module is loaded
# by GRUB, but the hypervisor stops before it looks at it.
case_begin penryn-refuses
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST"
run_bochs --model core2_penryn_t9600 --cdrom "$CASE_DIR/hv.iso"
expect_regex "^\[hv\] module 0: 'guest' at 0x[0-9a-f]+, [0-9]+ bytes, cmdline ''\$" 'guest module line'
expect_line '[hv] error: VMX lacks required features: EPT, unrestricted guest, EFER load on VM entry/exit, EFER save on VM exit; this hypervisor needs an Intel CPU with EPT and unrestricted guest (Westmere or newer).'
expect_verdict FAIL 'VMX unavailable'
expect_absent '^\[guest\]' 'guest output (the guest must not run)'
expect_absent '^\[hv\] (guest:|vcpu0:|VMXON: ok|VMX controls:)' 'guest set-up after the refusal'
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end
finish
