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
#   under-hv   the INIT is a VM exit (reason 3); handle_init_signal gives
#              the vCPU the INIT state and starts it at the reset vector.
#              Bochs 2.7 keeps the INIT pending after the VM exit and exits
#              again on the next entry, before the first BIOS instruction;
#              the hypervisor stops the guest there (it would loop for ever)
#              and its report shows the state the first INIT loaded.  With a
#              CPU that consumes the INIT (hardware, later Bochs) the guest
#              reaches its real-mode entry as bare: that run is not possible
#              here.  Before handle_init_signal started the BSP, the vCPU
#              waited for a SIPI and this case timed out.
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

# The hypervisor's report of the vCPU as the INIT left it (no instruction
# ran since): F000:FFF0 with base FFFF0000, RSP 0, RFLAGS 2, RDX the
# signature, the other registers 0, CR0 as the guest sees it ET only (the
# real CR0 adds NE, a VMX fixed bit; CR4 adds VMXE), CR3/CR4/EFER 0, data
# segments and TR at 0 with limit FFFF, GDTR/IDTR 0/FFFF, active.  CS's
# access rights read back 0x93 after Bochs's entry and exit (the handler
# writes 0x9b, INIT_AR_CODE; the SDM's table says "Present, R/W, Accessed").
HV_INIT_DUMP=(
	'[hv] error:   rip 0x000000000000fff0 rsp 0x0000000000000000 rflags 0x2'
	'[hv] error:   rax 0x0 rbx 0x0 rcx 0x0 rdx 0x50654 rsi 0x0 rdi 0x0'
	'[hv] error:   cr0 0x30 (shadow 0x10) cr3 0x0 cr4 0x2000 (shadow 0x0) efer 0x0'
	'[hv] error:   cs sel 0xf000 base 0x00000000ffff0000 limit 0x0000ffff ar 0x00093'
	'[hv] error:   ss sel 0x0000 base 0x0000000000000000 limit 0x0000ffff ar 0x00093'
	'[hv] error:   ds sel 0x0000 base 0x0000000000000000 limit 0x0000ffff ar 0x00093'
	'[hv] error:   tr sel 0x0000 base 0x0000000000000000 limit 0x0000ffff ar 0x0008b'
	'[hv] error:   gdtr 0x0/0xffff idtr 0x0/0xffff'
	'[hv] error:   interruptibility 0x0 activity 0 exit intr info 0x0 idt vectoring 0x0'
)
HV_INIT_LINE='[hv] vcpu0: INIT: registers reset to the INIT state, starting at the reset vector'
HV_INIT_AGAIN='INIT again at the reset vector before the first instruction'

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
expect_line "$HV_INIT_LINE"
if ran && [ "$(grep -cxF -- "$HV_INIT_LINE" "$SERIAL")" != 1 ]; then
	case_fail "the INIT line $(grep -cxF -- "$HV_INIT_LINE" "$SERIAL") times, want once"
fi
expect_order '^\[guest\] init-self: warm-reset vector ' '^\[hv\] vcpu0: INIT: '
expect_line "[hv] error: $HV_INIT_AGAIN: exit reason 3 (INIT signal), qualification 0x0, guest rip 0xfff0"
expect_lines "${HV_INIT_DUMP[@]}"
expect_exit_stats 'INIT signal \(3\)' 2
expect_verdict FAIL "$HV_INIT_AGAIN (exit reason 3, INIT signal)"
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
