#!/bin/bash
# INIT to the guest's own CPU (the test guest's `init-self` word,
# tests/guest/init_self.c), in Bochs with a Skylake-X model and the Bochs
# BIOS.  The guest arms the BIOS warm-reset vector (CMOS shutdown status
# 0x0A, far pointer at 0x467), makes the registers INIT resets differ from
# their INIT values, and sends INIT to its own APIC ID.  The bootstrap
# processor restarts at the reset vector, the BIOS jumps through 0x467
# without POST (BIOS-bochs-latest: F000:E05B reads CMOS 0x0F, and for 0x0A
# only sets DS = 0 before the far jump), and the guest's real-mode entry
# prints the registers it finds and judges them:
#   bare       the emulated CPU does the INIT: the reference, except for
#              CR0.CD/NW and EDX, where Bochs 2.7 differs from the SDM
#              (printed with the SDM's value, not judged)
#   under-hv   the INIT goes to the guest's virtual LAPIC (hv/lapic/), which
#              gives the vCPU the INIT state and starts it at the reset
#              vector; the guest reaches its real-mode entry as bare and
#              finds the SDM's values.  (Before the virtual LAPIC the INIT
#              was a VM exit, and Bochs 2.7, which keeps the INIT pending
#              after the exit, made the hypervisor stop the guest.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest-checks.sh"

# What the guest's real-mode entry prints bare.  The SDM's INIT column:
# CR0 = ET with CD and NW kept (the guest runs with them clear; Bochs sets
# them), EDX = the processor signature (CPUID.1:EAX of Bochs's
# corei7_skylake_x model; Bochs leaves 0), the rest as the table says.
BARE_LINES=(
	'[guest] init-self: CR0=60000010(want 00000010) CR2=00000000 CR3=00000000 CR4=00000000 EFER=00000000'
	'[guest] init-self: DR0=00000000 DR1=00000000 DR2=00000000 DR3=00000000 DR6=ffff0ff0 DR7=00000400'
	'[guest] init-self: EDX=00000000(want 00050654) ECX=00000000 ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000'
	'[guest] init-self: ES=00000000 SS=00000000 FS=00000000 GS=00000000 GDTR.base=00000000 GDTR.limit=0000ffff IDTR.base=00000000 IDTR.limit=0000ffff'
	'[guest] init-self: PASS: every judged register holds its INIT value'
)

# Under the hypervisor the guest's INIT to itself goes to its virtual LAPIC
# (hv/lapic/), which gives the vCPU the INIT state and starts it at the
# reset vector: no INIT signal reaches the CPU (so Bochs 2.7's INIT that
# stays pending after a VM exit plays no part), and the guest's real-mode
# entry finds the SDM's values, CR0.CD/NW and EDX included.
HV_LINES=(
	'[guest] init-self: CR0=00000010 CR2=00000000 CR3=00000000 CR4=00000000 EFER=00000000'
	'[guest] init-self: DR0=00000000 DR1=00000000 DR2=00000000 DR3=00000000 DR6=ffff0ff0 DR7=00000400'
	'[guest] init-self: EDX=00050654 ECX=00000000 ESI=00000000 EDI=00000000 EBP=00000000 ESP=00000000'
	'[guest] init-self: ES=00000000 SS=00000000 FS=00000000 GS=00000000 GDTR.base=00000000 GDTR.limit=0000ffff IDTR.base=00000000 IDTR.limit=0000ffff'
	'[guest] init-self: PASS: every judged register holds its INIT value'
)
HV_INIT_LINE='[hv] vcpu0: INIT: registers reset to the INIT state, starting at the reset vector'

# expect_lines LINE...: every line, exactly.
expect_lines()
{
	local line
	for line in "$@"; do
		expect_line "$line"
	done
}

# expect_init_request: the guest's lines up to its INIT.
expect_init_request()
{
	expect_line '[guest] test guest starting (multiboot magic ok, cmdline "init-self")'
	expect_regex '^\[guest\] init-self: warm-reset vector 0000:[0-9a-f]{4}, CMOS shutdown status 0x0a; INIT to APIC ID 0$' \
		'the INIT request line'
	expect_absent '^\[guest\] init-self: FAIL' 'init-self FAIL line'
	expect_absent '^\[guest\] (PASS|FAIL|SKIP) ' 'a check line (init-self runs no checks)'
}

case_begin under-hv
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST" init-self
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_init_request
# The line may run into the guest's next one: the guest's real-mode entry
# reprograms the UART while the line's last byte is still being sent.
expect_regex "^$(printf '%s' "$HV_INIT_LINE" | sed 's/[][().*^$]/\\&/g')" 'the INIT line'
if ran && [ "$(grep -cF -- "$HV_INIT_LINE" "$SERIAL")" != 1 ]; then
	case_fail "the INIT line $(grep -cF -- "$HV_INIT_LINE" "$SERIAL") times, want once"
fi
expect_order '^\[guest\] init-self: warm-reset vector ' '^\[hv\] vcpu0: INIT: '
expect_regex '\[guest\] init-self: real mode again via the warm-reset vector$' \
	'the real-mode entry line'
expect_lines "${HV_LINES[@]}"
expect_absent '^\[hv\]   INIT signal \(3\) ' 'an INIT signal exit (the INIT is virtual)'
expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end

# Bare: no hypervisor; the guest's real-mode entry ends Bochs through port
# 0x8900 itself.
case_begin bare
need_file "$TEST_GUEST" &&
	GRUB_EXTRA_MODULES=multiboot make_iso "$CASE_DIR/guest.iso" \
		"$(printf '%s\n' 'set timeout=0' 'serial --unit=0 --speed=115200' \
			'terminal_input serial' 'terminal_output serial' \
			'menuentry "guest" {' '    multiboot /boot/testguest.elf init-self' \
			'    boot' '}')" "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/guest.iso"
expect_bare_run
expect_regex '^\[guest\] running bare ' 'guest line "running bare"'
expect_init_request
expect_line '[guest] init-self: real mode again via the warm-reset vector'
expect_lines "${BARE_LINES[@]}"
expect_status 1
case_end
finish
