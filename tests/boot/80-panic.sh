#!/bin/bash
# The panic path: debug-fault=ud makes the hypervisor execute UD2 early in
# its bring-up; the exception handler prints "[hv] PANIC:" lines with
# the exception, a register dump and a stack trace, and the run ends FAIL.
# The one test where a PANIC line is expected.  The fault is raised before
# VMX detection, so QEMU TCG (no VMX) reaches it.
. "$(dirname "$0")/lib.sh"

case_begin debug-fault-ud
need_file "$HV_ELF" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv 'debug-fault=ud test-exit')" "$HV_ELF"
run_qemu bios cdrom "$CASE_DIR/hv.iso" -cpu Nehalem
allow_panic
expect_line '[hv] debug-fault: raising #UD on purpose'
expect_regex '^\[hv\] PANIC: exception #UD \(.*, vector 6\), error code 0x0$' \
	'"PANIC: exception #UD" line'
expect_regex '^\[hv\] PANIC: rip 0x[0-9a-f]{16} cs 0x[0-9a-f]{4} rflags ' 'RIP in the dump'
expect_regex '^\[hv\] PANIC: rax 0x[0-9a-f]{16} rbx ' 'RAX in the dump'
expect_regex '^\[hv\] PANIC: cr0 0x[0-9a-f]{16} cr2 ' 'CR0 in the dump'
expect_regex '^\[hv\] PANIC: stack trace:$' 'stack trace'
expect_verdict FAIL
expect_regex '^\[hv\] verdict: FAIL \(exception #UD at 0x[0-9a-f]+\)$' \
	'verdict naming #UD and its address'
expect_status 35
case_end

# A machine check in root mode (issue 13 item 5): CR4.MCE is on, so the
# #MC handler runs (INT 18 here, no bank holds an error), reports the
# machine-check registers and stops cleanly instead of a shutdown.
case_begin debug-fault-mc
need_file "$HV_ELF" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv 'debug-fault=mc test-exit')" "$HV_ELF"
run_qemu bios cdrom "$CASE_DIR/hv.iso" -cpu Nehalem
allow_panic
expect_line '[hv] debug-fault: raising #MC on purpose'
expect_regex '^\[hv\] PANIC: machine check in the hypervisor: IA32_MCG_STATUS 0x[0-9a-f]+ \((no )?MCIP.*\), [0-9]+ banks$' \
	'the machine-check report'
expect_regex '^\[hv\] PANIC: exception #MC \(machine check, vector 18\), error code 0x0$' \
	'"PANIC: exception #MC" line'
expect_regex '^\[hv\] PANIC: stack trace:$' 'stack trace'
expect_verdict FAIL
expect_regex '^\[hv\] verdict: FAIL \(exception #MC at 0x[0-9a-f]+\)$' \
	'verdict naming #MC'
expect_status 35
case_end
finish
