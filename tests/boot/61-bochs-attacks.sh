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
#   reset=mmio   writes to a RAM page the hypervisor watches as if it held
#                a memory-space reset register and an ECAM PM base
#                (test-watch=ADDR): the EPT-violation and monitor-trap-flag
#                path of the MMIO write watch, which Bochs's i440FX (no
#                ECAM, I/O reset register) cannot show otherwise
#   ecam-hidden  the hypervisor's PCI UART's ECAM page, answered as "no
#                device" (a stand-in page: test-ecam=ADDR), and the same
#                probe bare (ecam-bare)
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

# The MMIO write watch on the test guest's mmio_watch_page, in a Tiger Lake
# model (Bochs's Skylake-X has no monitor trap flag): three writes let
# through (one EPT violation each), the PM base write dropped (one), the
# reset value stopping the guest (one).  Bochs 2.7 never delivers the
# monitor-trap-flag exit, so the single steps end at the guest's next exit
# (a CPUID after each let-through write), which the hypervisor warns
# about once; the MTF exit itself is not exercised here.  An exit that
# comes between a let-through write's EPT violation and the write leaves
# the step open, since the guest's RIP has not moved and nothing is
# injected (the guest runs with IF = 0 here); test-watch= makes such an
# exit (the preemption timer) come after every let-through, and still
# every write faults exactly once: exactly the five EPT violations, the
# PM base write judged once, and the step closed by the CPUID after the
# write, not by the timer.
watch_page=$(nm "$TEST_GUEST" 2>/dev/null | awk '$3 == "mmio_watch_page" { print $1 }')
watch_page=$(printf '0x%x' "0x${watch_page:-0}")
watch_at() { printf '0x%x' $((watch_page + $1)); }

case_begin reset-mmio
[ "$watch_page" != 0x0 ] || case_fail "no mmio_watch_page in $TEST_GUEST"
make_guest_iso "$CASE_DIR/hv.iso" "test-exit test-watch=$watch_page" "$TEST_GUEST" "reset=mmio"
run_bochs --model tigerlake --cdrom "$CASE_DIR/hv.iso"
expect_once "$HV_START"
expect_line "[hv] power: MMIO write watch on the test-watch PM base at $(watch_at 0x40)"
expect_line "[hv] power: MMIO write watch on the test-watch reset register at $(watch_at 0x80)"
expect_line '[guest] reset=mmio: other writes landed, the PM base write was dropped'
expect_line "[hv] warn: guest tried to move the ACPI PM block (test-watch PM base at $(watch_at 0x40), value 0xc001): write dropped"
expect_line '[guest] reset=mmio: asking for a machine reset'
expect_line '[hv] warn: guest reset the machine (test-watch reset register): stopping the guest (on-guest-reset=stop)'
expect_absent '^\[guest\] reset=mmio: the write returned' 'guest line after the reset write'
expect_line "[hv] warn: power: a let-through write's single step was closed by exit reason 10, not by a monitor-trap-flag exit (logged once)"
expect_exit_stats 'EPT violation \(48\)' 5
expect_once "[hv] warn: guest tried to move the ACPI PM block (test-watch PM base at $(watch_at 0x40), value 0xc001): write dropped"
expect_verdict FAIL 'guest reset the machine'
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end

# Without the monitor trap flag (Skylake-X) the watch cannot let writes
# through without touching the MMIO itself: it is lifted with a warning,
# and the guest sees its PM base write land.
case_begin reset-mmio-no-mtf
make_guest_iso "$CASE_DIR/hv.iso" "test-exit test-watch=$watch_page" "$TEST_GUEST" "reset=mmio"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_line '[hv] warn: power: the MMIO write watch is lifted (2 register(s) not watched): monitor trap flag no, INVEPT yes'
expect_line '[guest] reset=mmio: the PM base write landed (is test-watch= set?)'
expect_absent '^\[hv\] .*EPT violation' 'an EPT violation'
expect_verdict FAIL 'guest reported failure (HC_TEST_EXIT)'
expect_status 1
case_end

# The hypervisor's PCI UART hidden in ECAM (hv/view/pci_ecam.h): Bochs's
# i440FX has neither ECAM nor a PCI UART, so the hypervisor hides the
# test guest's ecam_stand_in page (test-ecam=ADDR), which holds the first
# bytes of a pci-serial's configuration space, as if it were that
# function's ECAM page.  The guest reads the IDs and header type, clears
# the command register, sizes BAR0 and reads again, every access a MOV
# form Linux's ECAM accessors use: all must read all ones (no device),
# each one an EPT violation answered by the hypervisor (eight accesses).
# ecam-bare runs the same probe without the hypervisor: the page reads as
# the device and the stores land.
ecam_page=$(nm "$TEST_GUEST" 2>/dev/null | awk '$3 == "ecam_stand_in" { print $1 }')
ecam_page=$(printf '0x%x' "0x${ecam_page:-0}")

case_begin ecam-hidden
[ "$ecam_page" != 0x0 ] || case_fail "no ecam_stand_in in $TEST_GUEST"
make_guest_iso "$CASE_DIR/hv.iso" "test-exit test-ecam=$ecam_page" "$TEST_GUEST" "ecam-hidden"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_line "[hv] pci: ECAM page $ecam_page (test-ecam stand-in) hidden from the guest: loads read all ones, stores dropped"
expect_line '[guest] ecam-hidden: ids ffffffff, vendor ffff, header type ff; after the stores command ffff, BAR0 ffffffff, vendor ffff'
expect_line '[guest] ecam-hidden: PASS: under the hypervisor every load reads all ones (no device)'
expect_exit_stats 'EPT violation \(48\)' '([8-9]|[1-9][0-9])'
expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end

case_begin ecam-bare
need_file "$TEST_GUEST" &&
	GRUB_EXTRA_MODULES=multiboot make_iso "$CASE_DIR/guest.iso" \
		"$(printf '%s\n' 'set timeout=0' 'serial --unit=0 --speed=115200' \
			'terminal_input serial' 'terminal_output serial' \
			'menuentry "guest" {' '    multiboot /boot/testguest.elf ecam-hidden' \
			'    boot' '}')" "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/guest.iso"
expect_bare_run
expect_line '[guest] ecam-hidden: ids 00021b36, vendor 1b36, header type 00; after the stores command 0000, BAR0 ffffffff, vendor 1b36'
expect_line '[guest] ecam-hidden: PASS: bare, the stand-in reads as the device and the stores land'
expect_status 1
case_end

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
