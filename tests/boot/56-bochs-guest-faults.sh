#!/bin/bash
# The test guest misbehaving on purpose (words on its command line), in
# Bochs with a Skylake-X model.  Each run must end with a FAIL verdict that
# names what happened, with the guest's state, never a hang or a PANIC:
#   triple-fault      empty IDT + INT3: exit reason 2, guest-state dump
#   touch-hv-memory   every check passes, then a read of the hypervisor's
#                     memory: EPT violation, and the read never returns
#   unexpected-fault  UD2 outside any check: the guest's own exception
#                     handler reports it and exits with failure
#   halt-disabled     cli; hlt with nothing to wake it, under
#                     on-halt-disabled=stop: reported once, the guest
#                     stopped with its state (bare it would halt for ever)
#   forge-verdict     a forged "[hv] verdict: PASS" line on COM1 and on
#                     port 0xE9, then COM1 silenced (loopback, DLAB, 9600
#                     5E1): the hypervisor's lines and FAIL verdict still
#                     reach the wire, and the exit channel says FAIL
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest-checks.sh"

HEX='0x[0-9a-f]+'

# run_guest WORD [HV-ARGS]: the test guest with WORD on its command line,
# the hypervisor with test-exit and HV-ARGS.
run_guest()
{
	make_guest_iso "$CASE_DIR/hv.iso" "test-exit${2:+ $2}" "$TEST_GUEST" "$1"
	run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
	expect_line "[guest] test guest starting (multiboot magic ok, cmdline \"$1\")"
	expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
	expect_status 1
}

# expect_guest_dump: the guest-state lines every guest-failure report has.
expect_guest_dump()
{
	expect_regex '^\[hv\] error:   rip 0x[0-9a-f]{16} rsp 0x[0-9a-f]{16} rflags 0x[0-9a-f]+$' 'dump: rip/rsp/rflags'
	expect_regex "^\[hv\] error:   rax $HEX rbx $HEX rcx $HEX rdx $HEX rsi $HEX rdi $HEX\$" 'dump: general registers'
	expect_regex "^\[hv\] error:   cr0 $HEX \(shadow $HEX\) cr3 $HEX cr4 $HEX \(shadow $HEX\) efer $HEX\$" 'dump: cr0/cr3/cr4/efer'
	expect_regex '^\[hv\] error:   cs sel 0x0008 base 0x[0-9a-f]{16} limit 0x[0-9a-f]+ ar 0x[0-9a-f]+$' 'dump: cs (the guest GDT code selector 0x08)'
	expect_regex '^\[hv\] error:   ss sel 0x[0-9a-f]{4} ' 'dump: ss'
	expect_regex '^\[hv\] error:   tr sel 0x[0-9a-f]{4} ' 'dump: tr'
	expect_regex "^\[hv\] error:   interruptibility $HEX activity [0-9]+ exit intr info $HEX idt vectoring $HEX\$" 'dump: interruptibility/activity'
}

# expect_dump_rip RIP: the dump's rip line shows RIP (from the error line).
expect_dump_rip()
{
	ran || return 0
	[ -n "$1" ] || { case_fail "no guest rip in the report"; return 0; }
	expect_regex "^\[hv\] error:   rip 0x0*${1#0x} " "dump rip equal to the reported rip $1"
}

case_begin triple-fault
run_guest triple-fault
expect_line '[guest] triple-fault: loading an empty IDT and raising #BP'
expect_regex "^\[hv\] error: guest triple fault: exit reason 2 \(triple fault\), qualification $HEX, guest rip $HEX\$" \
	'"guest triple fault: exit reason 2" line'
expect_dump_rip "$(sed -nE "s/^\[hv\] error: guest triple fault: .*guest rip ($HEX)\$/\1/p" "$SERIAL" | head -n 1)"
expect_guest_dump
# The empty IDT the guest loaded shows in the dump.
expect_regex "^\[hv\] error:   gdtr $HEX/$HEX idtr 0x0/0x0\$" 'dump: gdtr and the empty idtr'
expect_line '[hv] vcpu0: guest stopped: guest triple fault (exit reason 2, triple fault)'
expect_exit_stats 'triple fault \(2\)' 1
expect_verdict FAIL 'guest triple fault (exit reason 2, triple fault)'
expect_absent '^\[guest\] (PASS|FAIL|SKIP|summary)' 'guest check output after the triple fault'
case_end

case_begin halt-disabled
run_guest halt-disabled on-halt-disabled=stop
expect_line '[guest] halt-disabled: cli; hlt'
expect_regex "^\[hv\] warn: vcpu0: guest halted with interrupts disabled at rip $HEX \(only an NMI, INIT or SMI can wake it; on-halt-disabled=stop\)\$" \
	'the report of the HLT with IF=0'
expect_regex "^\[hv\] error: guest halted with interrupts disabled \(on-halt-disabled=stop\): exit reason 12 \(HLT\), qualification $HEX, guest rip $HEX\$" \
	'the stop naming the HLT exit'
expect_guest_dump
expect_line '[hv] vcpu0: guest stopped: guest halted with interrupts disabled (on-halt-disabled=stop) (exit reason 12, HLT)'
expect_verdict FAIL 'guest halted with interrupts disabled (on-halt-disabled=stop) (exit reason 12, HLT)'
expect_absent '^\[guest\] (PASS|FAIL|SKIP|summary)' 'guest check output after the halt'
case_end

# expect_in_hv_range ADDR: ADDR lies in one of the ranges the hypervisor
# said it owns ("[hv] guest memory: hypervisor owns A-B").
expect_in_hv_range()
{
	ran || return 0
	local addr=$1 lo hi
	[ -n "$addr" ] || { case_fail "no EPT-violation address"; return 0; }
	while read -r lo hi; do
		if ((addr >= lo && addr <= hi)); then
			return 0
		fi
	done < <(sed -nE 's/^\[hv\] guest memory: hypervisor owns (0x[0-9a-f]+)-(0x[0-9a-f]+) .*$/\1 \2/p' "$SERIAL")
	case_fail "EPT violation at $addr, outside every 'hypervisor owns' range"
}

case_begin touch-hv-memory
run_guest touch-hv-memory
expect_guest_checks touch
expect_regex "^\[hv\] error: EPT violation: guest touched guest-physical $HEX \(read\) at rip $HEX — this range belongs to the hypervisor\$" \
	'"EPT violation: guest touched guest-physical ... (read)" line'
expect_in_hv_range "$(sed -nE "s/^\[hv\] error: EPT violation: guest touched guest-physical ($HEX) .*/\1/p" "$SERIAL" | head -n 1)"
expect_dump_rip "$(sed -nE "s/^\[hv\] error: EPT violation: .* at rip ($HEX) .*/\1/p" "$SERIAL" | head -n 1)"
expect_guest_dump
expect_line '[hv] vcpu0: guest stopped: guest accessed hypervisor memory (exit reason 48, EPT violation)'
# Two: the touch, and lapic_xapic_relocate's read of the physical LAPIC's
# page after it moved its window away (answered as open bus, docs/apic.md).
expect_exit_stats 'EPT violation \(48\)' 2
expect_verdict FAIL 'guest accessed hypervisor memory (exit reason 48, EPT violation)'
case_end

case_begin unexpected-fault
run_guest unexpected-fault
expect_regex "^\[guest\] FAIL unexpected exception #UD \(vector 6\) error 0x0 at rip $HEX " \
	"guest's own report of the #UD"
expect_line '[guest] aborting: unexpected exception'
expect_line '[guest] summary: 0 passed, 1 failed, 0 skipped'
expect_line '[hv] vcpu0: guest stopped: guest reported failure (HC_TEST_EXIT)'
expect_exit_stats 'VMCALL \(18\)' 1
expect_verdict FAIL 'guest reported failure (HC_TEST_EXIT)'
expect_absent '^\[guest\] (PASS|SKIP) ' 'guest check ran after the fault'
expect_absent '^\[hv\] error: guest' 'hypervisor error about the guest (the guest handles its own #UD)'
case_end

# The attack on the hypervisor's voice (issue 8): the serial log ends up
# with two verdict lines, the forged PASS and the real FAIL, so the case
# checks each line itself instead of expect_verdict's "exactly one"; the
# exit channel (lib.sh: Bochs's port 0xE9, which the guest's write could
# not reach) must say FAIL.
FORGE_LCR=0x88          # DLAB | parity | 5 data bits
FORGE_MCR=0x1b          # loopback | OUT2 | RTS | DTR
FORGE_DIVISOR=12        # 9600 baud
case_begin forge-verdict
run_guest forge-verdict
expect_line '[guest] forge-verdict: forging the verdict, then silencing COM1'
expect_regex '^\[hv\] verdict: PASS \(guest reported success \(HC_TEST_EXIT\)\)$' \
	'the forged PASS line (the attack ran)'
expect_line '[hv] warn: guest wrote hypervisor-owned I/O port 0xe9: dropped (warned once)'
expect_line '[hv] guest: forge-verdict: the hypervisor speaks through a silenced COM1'
expect_line "[guest] forge-verdict: line state kept (lcr $FORGE_LCR mcr $FORGE_MCR divisor $FORGE_DIVISOR)"
expect_line '[hv] vcpu0: guest stopped: guest reported failure (HC_TEST_EXIT)'
expect_exit_stats 'VMCALL \(18\)' 2
expect_line '[hv] verdict: FAIL (guest reported failure (HC_TEST_EXIT))'
expect_order '^\[hv\] verdict: PASS ' '^\[hv\] verdict: FAIL '
expect_exit_channel FAIL
case_end
finish
