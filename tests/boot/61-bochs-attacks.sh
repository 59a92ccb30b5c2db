#!/bin/bash
# Reset requests from a hostile guest (issue 8), in Bochs with a Skylake-X
# model: the test guest with `reset=WORD` on its command line makes one
# write that resets a PC, and the hypervisor (default on-guest-reset=stop)
# must see it, warn naming the register and stop the guest with the FAIL
# verdict "guest reset the machine"; the machine must not reset (the
# hypervisor's start line and the guest's banner appear once: no second
# boot).  The in-run attacks are checks of the test guest (attack_*, run
# by 55-bochs-guest.sh).
#   reset=92     port 0x92 (System Control Port A), bit 0 set
#   reset=cf9w   a word write at 0xCF9 with RST_CPU (0xCF9 and 0xCFA)
#   reset=kbcd   a dword write at 0x64 with 0xFE (pulse reset line)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest-checks.sh"

HV_START='[hv] micro-hypervisor starting (multiboot2, BIOS)'

# expect_once TEXT: exactly one serial line is TEXT.
expect_once()
{
	ran || return 0
	local n
	n=$(grep -cxF -- "$1" "$SERIAL")
	[ "$n" = 1 ] || case_fail "$n line(s) '$1', want 1 (did the machine reset?)"
}

# reset_case WORD HOW: the guest with reset=WORD; the hypervisor's warning
# names HOW.
reset_case()
{
	local banner="[guest] test guest starting (multiboot magic ok, cmdline \"reset=$1\")"
	case_begin "reset-$1"
	make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST" "reset=$1"
	run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
	expect_once "$HV_START"
	expect_once "$banner"
	expect_line "[guest] reset=$1: asking for a machine reset"
	expect_line "[hv] warn: guest reset the machine ($2): stopping the guest (on-guest-reset=stop)"
	expect_line '[hv] vcpu0: guest stopped: guest reset the machine'
	expect_absent "^\[guest\] reset=$1: the write returned" 'guest line after the reset write'
	expect_exit_stats 'I/O instruction \(30\)'
	expect_verdict FAIL 'guest reset the machine'
	expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
	expect_status 1
	case_end
}

reset_case 92 'fast reset, port 0x92 bit 0'
reset_case cf9w 'reset control register 0xcf9'
reset_case kbcd 'keyboard controller command 0xfe'

# Soft-off through PM1a_CNT on the UEFI path, where OVMF in Bochs gives the
# hypervisor no ACPI tables: the port comes from the PIIX4's PMBA, and the
# power-off is seen (PASS "guest powered off"), not carried out unseen.
case_begin pm1off-uefi-no-fadt
make_guest_esp "$CASE_DIR/esp.img" test-exit "$TEST_GUEST" "reset=pm1off"
run_bochs --model corei7_skylake_x --firmware uefi --disk "$CASE_DIR/esp.img"
expect_line '[hv] power: no FADT; PM1a_CNT 0xb004 from the PIIX4'"'"'s PMBA'
expect_line '[guest] reset=pm1off: asking for a machine reset'
expect_line '[hv] guest powered off (ACPI S5: SLP_TYP 0, SLP_EN written to PM1a_CNT)'
expect_absent '^\[guest\] reset=pm1off: the write returned' 'guest line after the power-off write'
expect_verdict PASS 'guest powered off'
expect_status 1
case_end
finish
