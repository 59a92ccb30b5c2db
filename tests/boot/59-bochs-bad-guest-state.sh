#!/bin/bash
# An invalid guest state on purpose: debug-bad-guest-state on the
# hypervisor's command line breaks the guest CS access rights before the
# first VMLAUNCH.  The software VM-entry check names the broken rule, the
# (emulated) CPU refuses the entry with exit reason 33, the hypervisor
# dumps the VMCS and stops with FAIL: no PANIC, no guest instruction run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest-checks.sh"

case_begin cs-access-rights
make_guest_iso "$CASE_DIR/hv.iso" 'debug-bad-guest-state test-exit' "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_line "[hv] boot: cmdline 'debug-bad-guest-state test-exit'"
expect_vmx_controls
expect_regex '^\[hv\] error: VM-entry check: guest CS access rights: .*\(GUEST_CS_ACCESS_RIGHTS=0x[0-9a-f]+\)$' \
	'"VM-entry check: guest CS access rights: <rule>" line'
expect_line '[hv] error: vcpu0: the software VM-entry check found 1 broken rule(s); launching anyway for the CPU'"'"'s verdict'
expect_line '[hv] error: vcpu0: VM entry failed: VM-entry failure due to invalid guest state (exit reason 33, exit qualification 0)'
expect_order '^\[hv\] error: VM-entry check: guest CS access rights' '^\[hv\] error: vcpu0: VM entry failed:'
expect_line '[hv] error: VMCS guest-state area:'
expect_regex '^\[hv\] error:   .*GUEST_CS_ACCESS_RIGHTS=0x[0-9a-f]+' 'GUEST_CS_ACCESS_RIGHTS in the VMCS dump'
expect_line '[hv] error: VMCS VM-exit information:'
expect_regex '^\[hv\] error:   .*EXIT_REASON=0x80000021( |$)' 'EXIT_REASON=0x80000021 (entry failure, 33) in the dump'
expect_line '[hv] vcpu0: guest stopped: VM entry failed: invalid guest state'
expect_exit_stats 'total' 0
expect_verdict FAIL 'VM entry failed: invalid guest state'
expect_absent '^\[guest\]' 'guest output (the entry must fail)'
# Bochs applies the same rule: its log names the CS type check.
expect_bochs_log 'VMENTER FAIL: VMCS guest CS\.TYPE' 'VMENTER FAIL naming guest CS.TYPE'
expect_status 1
case_end
finish
