#!/bin/bash
# Bochs with a Core 2 (Penryn) model: VMX exists but lacks EPT, VPID and
# unrestricted guest; the hypervisor names what is missing and stops.
. "$(dirname "$0")/lib.sh"

case_begin penryn
need_file "$HV_ELF" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv test-exit)" "$HV_ELF"
run_bochs --model core2_penryn_t9600 --cdrom "$CASE_DIR/hv.iso"
expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_line '[hv] error: VMX lacks required features: EPT, unrestricted guest, EFER load on VM entry/exit, EFER save on VM exit; this hypervisor needs an Intel CPU with EPT and unrestricted guest (Westmere or newer).'
expect_regex '^\[hv\] VMX capabilities: EPT no, VPID no, unrestricted guest no(, |$)' \
	'capability line with EPT, VPID and unrestricted guest all no'
expect_absent '^\[hv\] VMXON: ok' 'VMXON on a CPU without the required features'
expect_verdict FAIL 'VMX unavailable'
case_end
finish
