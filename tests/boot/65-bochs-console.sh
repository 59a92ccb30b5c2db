#!/bin/bash
# The console (issue 11): a client (tests/console/client.py) on COM1, which
# Bochs puts on a loopback TCP socket, types like a user.  The test guest
# spins with interrupts off (spin-console); three Ctrl-A enter the
# hypervisor's monitor, which answers help, regs (the spin loop's RIP),
# step 3 (three single steps inside the loop),
# info, lapic (the LAPIC state the guest left before the spin), stats, dmesg, xp (guest memory dumped, hypervisor memory refused),
# ept (guest RAM mapped to itself, hypervisor memory not mapped), gva (the
# guest's identity map, a fault above it), xv (as xp, through the guest's
# page tables; hypervisor memory refused),
# bad commands and arguments with one-line errors; trace 52 on logs the
# guest's preemption-timer exits once c resumes the guest, trace 30 on its
# I/O exits (the guest's last lines), break (set,
# cleared, set again at the instruction after the loop: it hits when the
# loop ends, with regs),
# three Ctrl-A enter and leave once more, and the guest, which watches its
# TSC, sees no jump from the pauses and passes.  Then a guest halted with
# interrupts off (halt-console) is stopped in the monitor and powered off
# from there.  A guest that spins before it touched the UART or any port
# (quiet-console) is stopped too (stats: no I/O exit yet); and the time from
# the third Ctrl-A to the prompt is measured in emulated ticks from Bochs's
# COM1 debug messages and held to the issue's 100 ms (escape-latency), and
# again with the guest halted with interrupts off (escape-latency-halt).
# The lapic view is checked on the software back end too
# (spin-lapic-software).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"

# The hypervisor's image: hypervisor memory for xp.  It moves itself to the
# top of usable RAM below 4 GiB at start-up (docs/boot.md); with this
# machine's fixed memory size that is here, and the run checks the log's
# "image" line says so, so a change of placement fails here by name.
HV_IMAGE_BASE=0xfc00000
# The test guest's image (tests/guest/guest.ld): guest RAM for xp.
GUEST_IMAGE_BASE=0x100000

# The address range [start, end) of symbol $1 in the test guest.
guest_symbol_range()
{
	nm -S "$TEST_GUEST" | awk -v s="$1" '$4 == s { print $1, $2 }'
}

# expect_rip_in SYMBOL: the monitor's regs line shows a RIP inside SYMBOL.
expect_rip_in()
{
	ran || return 0
	local start size rip
	read -r start size <<<"$(guest_symbol_range "$1")"
	rip=$(grep -m1 -oE '^rip 0x[0-9a-f]+' "$SERIAL" | cut -d' ' -f2)
	if [ -z "$rip" ] || [ -z "$start" ]; then
		case_fail "no regs rip line (or no symbol $1)"
	elif (( rip < 0x$start || rip >= 0x$start + 0x$size )); then
		case_fail "regs rip $rip outside $1 (0x$start + 0x$size)"
	fi
}

# expect_steps_in SYMBOL COUNT: the monitor printed COUNT single steps, at
# RIPs inside SYMBOL, not all the same.
expect_steps_in()
{
	ran || return 0
	local start size rip n=0 distinct
	read -r start size <<<"$(guest_symbol_range "$1")"
	for rip in $(grep -oE '^step: rip 0x[0-9a-f]+' "$SERIAL" | cut -d' ' -f3); do
		n=$((n + 1))
		(( rip >= 0x$start && rip < 0x$start + 0x$size )) ||
			case_fail "step rip $rip outside $1"
	done
	[ "$n" = "$2" ] || case_fail "$n single steps printed, want $2"
	distinct=$(grep -oE '^step: rip 0x[0-9a-f]+' "$SERIAL" | sort -u | wc -l)
	[ "$distinct" -gt 1 ] || case_fail "the single steps did not advance RIP"
}

# expect_lapic_view BACKEND: the monitor's lapic lines show the state
# spin-console left (tests/guest/spin.c) on back end BACKEND (APICv or
# software): TPR 0x60 holds the self-IPI 0x50 in IRR, the masked periodic
# timer counts down from 0x40000000 at divide 16 and has not reached zero.
expect_lapic_view()
{
	expect_regex "^back end $1 \\(" 'lapic: the back end'
	expect_regex '^mode xAPIC, IA32_APIC_BASE 0xfee00900 \(EN BSP\), window 0xfee00000$' 'lapic: mode and base'
	expect_regex '^ID 0x0 TPR 0x60 PPR 0x60 APR 0x[0-9a-f]{2}$' 'lapic: TPR and PPR'
	expect_line 'SVR 0x1ff (APIC software-enabled, spurious vector 0xff)'
	expect_line 'ISR none'
	expect_line 'IRR 0x50'
	expect_line 'LVT timer   0x00030040 vector 0x40 periodic masked'
	expect_regex '^LVT error   0x[0-9a-f]{8} vector 0x[0-9a-f]{2} ' 'lapic: the last LVT entry'
	expect_regex '^timer periodic: initial 0x40000000 current 0x[0-3][0-9a-f]{7} divide 16$' 'lapic: the timer counting'
	expect_regex '^timer deadline 0x[0-9a-f]+ \(in [0-9]+ TSC ticks, [0-9]+ us\), IA32_TSC_DEADLINE 0x0$' 'lapic: the timer deadline'
	expect_line 'deliverable now: none, ExtINT none, NMIs 0'
}

case_begin spin-monitor
# Where spin_console goes on after the loop: the breakpoint's address.
AFTER_SPIN=0x$(objdump -d "$TEST_GUEST" | awk '/call.*<spin_loop>/ { getline; print $1 }' | tr -d ':')
cat >"$CASE_DIR/client.script" <<SCRIPT
expect spin-console: spinning with interrupts off
send \x01\x01\x01
expect monitor: guest paused at rip 0x[0-9a-f]+ .*\(hv\)  60
type help\r
expect poweroff .*\(hv\)  30
type regs\r
expect interruptibility .*\(hv\)  30
type step 3\r
expect (step: rip 0x[0-9a-f]+:( [0-9a-f]{2}){8}\s+){3}\[hv\] monitor: guest paused.*\(hv\)  60
type info\r
expect hypervisor memory .*\(hv\)  30
type lapic\r
expect deliverable now: .*\(hv\)  30
type stats\r
expect VMX-preemption timer expired .*rates over the last [0-9]+ ms of guest time:.*VMX-preemption timer expired +[0-9]+/s.*\(hv\)  30
type xp $HV_IMAGE_BASE 16\r
expect is hypervisor memory: refused.*\(hv\)  30
type xp $GUEST_IMAGE_BASE 16\r
expect 0x0000000000100000: [0-9a-f ]+.*\(hv\)  30
type ept $GUEST_IMAGE_BASE\r
expect GPA $GUEST_IMAGE_BASE -> HPA $GUEST_IMAGE_BASE .*\(hv\)  30
type ept $HV_IMAGE_BASE\r
expect GPA $HV_IMAGE_BASE: not mapped.*\(hv\)  30
type gva $GUEST_IMAGE_BASE\r
expect GVA $GUEST_IMAGE_BASE -> GPA $GUEST_IMAGE_BASE.*\(hv\)  30
type gva 0xffff800000000000\r
expect page fault at 0xffff800000000000, error code 0x0.*\(hv\)  30
type xv $GUEST_IMAGE_BASE 16\r
expect 0x0000000000100000: [0-9a-f ]+.*\(hv\)  30
type xv $HV_IMAGE_BASE 16\r
expect GVA $HV_IMAGE_BASE is hypervisor memory.*: refused.*\(hv\)  30
type xp zz\r
expect 'zz' is not a number.*\(hv\)  30
type xp\r
expect usage: xp GPA \[N\].*\(hv\)  30
type bogus 1 2\r
expect unknown command 'bogus'.*\(hv\)  30
type a b c d e\r
expect too many words.*\(hv\)  30
type dmesg\r
expect \[hv\] vcpu0: launching guest.*\(hv\)  30
type break $AFTER_SPIN\r
expect breakpoint at $AFTER_SPIN .*\(hv\)  30
type break clear\r
expect breakpoint cleared.*\(hv\)  30
type break $AFTER_SPIN\r
expect breakpoint at $AFTER_SPIN .*\(hv\)  30
type trace 99 on\r
expect no exit reason 99.*\(hv\)  30
type trace 52 on\r
expect trace VMX-preemption timer expired \(52\) on.*\(hv\)  30
type c\r
expect monitor: guest resumed 30
expect \[hv\] trace: VMX-preemption timer expired \(52\) at rip 0x 60
send \x01\x01\x01
expect monitor: guest paused.*\(hv\)  60
type trace 52 off\r
expect trace VMX-preemption timer expired \(52\) off.*\(hv\)  30
type trace 30 on\r
expect trace I/O instruction \(30\) on.*\(hv\)  30
send \x01\x01\x01
expect monitor: guest resumed 30
expect monitor: breakpoint $AFTER_SPIN hit.*\(hv\)  120
type c\r
expect monitor: guest resumed 30
expect spin-console: done 120
SCRIPT
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST" spin-console
run_bochs_console "$CASE_DIR/client.script" --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_regex "^\[hv\] boot: image ${HV_IMAGE_BASE}-0x[0-9a-f]+ " 'the image where HV_IMAGE_BASE says'
expect_line '[guest] test guest starting (multiboot magic ok, cmdline "spin-console")'
expect_line '[guest] spin-console: spinning with interrupts off'
expect_regex '^\[hv\] monitor: guest paused at rip 0x[0-9a-f]+ \(help: commands, c: continue\)$' 'the monitor'"'"'s banner'
expect_rip_in spin_loop
expect_line "[hv] monitor: breakpoint $AFTER_SPIN hit"
expect_regex "^rip 0x0*${AFTER_SPIN#0x} " 'regs at the breakpoint'
expect_order '^\[hv\] monitor: breakpoint ' '^\[guest\] spin-console: done'
expect_steps_in spin_loop 3
expect_lapic_view APICv
expect_regex '^0x0000000000100000:( [0-9a-f]{2}){16}$' 'xp of guest memory'
expect_regex "^error: $HV_IMAGE_BASE-0x[0-9a-f]+ is hypervisor memory: refused\$" 'xp of hypervisor memory refused'
expect_regex '^4-level paging, CR3 0x[0-9a-f]+$' 'gva names the paging mode'
expect_regex "^GVA $GUEST_IMAGE_BASE -> GPA $GUEST_IMAGE_BASE\$" 'gva of the guest image'
expect_regex "^error: GVA $HV_IMAGE_BASE is hypervisor memory \(GPA 0x[0-9a-f]+\): refused\$" 'xv of hypervisor memory refused'
expect_regex "^error: unknown command 'bogus' \(help lists them\)\$" 'unknown command'
expect_regex "^PTE   0x[0-9a-f]{16} rwx type WB( ignore-PAT)?\$|^PDE   0x[0-9a-f]{16} rwx type WB( ignore-PAT)?\$" 'an EPT leaf (WB, rwx) for guest RAM'
expect_regex '^\[hv\] trace: VMX-preemption timer expired \(52\) at rip 0x[0-9a-f]+, qualification 0x0$' 'a traced exit'
# I/O exits have their own path beside the exit table; a traced one takes
# the table's (hv/exit/dispatch.c): the guest's bytes to COM1 after the
# loop are logged and still reach the wire.
expect_regex '^\[hv\] trace: I/O instruction \(30\) at rip 0x[0-9a-f]+, qualification 0x3f8[0-9a-f]{4}$' 'a traced I/O exit'
expect_regex '^\[guest\] spin-console: done, longest TSC step [0-9]+ ticks \(limit [0-9]+\)$' 'the guest'"'"'s TSC report'
expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end
# The same lapic view on the software back end (lapic=software on the
# same model): the model the view reads is filled by trapped accesses
# instead of the virtual-APIC page, and the lines must not differ.
case_begin spin-lapic-software
cat >"$CASE_DIR/client.script" <<SCRIPT
expect spin-console: spinning with interrupts off
send \x01\x01\x01
expect monitor: guest paused at rip 0x[0-9a-f]+ .*\(hv\)  60
type lapic\r
expect deliverable now: .*\(hv\)  30
type c\r
expect monitor: guest resumed 30
expect spin-console: done 120
SCRIPT
make_guest_iso "$CASE_DIR/hv.iso" 'test-exit lapic=software' "$TEST_GUEST" spin-console
run_bochs_console "$CASE_DIR/client.script" --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_regex '^back end software \(lapic=software\); ' 'lapic: the back end the command line chose'
expect_lapic_view software
expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end
# The guest halted with interrupts off (only the hypervisor's timer gets
# the CPU back): the escape still reaches the monitor, regs shows the HLT
# activity state, and poweroff ends the run with the monitor's verdict.
case_begin halt-monitor
cat >"$CASE_DIR/client.script" <<SCRIPT
expect halt-console: halting with interrupts off
send \x01\x01\x01
expect monitor: guest paused at rip 0x[0-9a-f]+ .*\(hv\)  60
type regs\r
expect activity 1 interruptibility .*\(hv\)  30
type poweroff\r
expect verdict: PASS 60
SCRIPT
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST" halt-console
run_bochs_console "$CASE_DIR/client.script" --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_line '[guest] halt-console: halting with interrupts off'
# The UART's interrupt route from Bochs's MADT (no override for IRQ 4;
# its I/O APIC's ID follows the CPU count), not the built-in default.
expect_regex '^\[hv\] guest irq: ISA IRQ 4: GSI 4 \(no override in the MADT\), I/O APIC [0-9]+ at 0xfec00000 pin 4$' 'the UART IRQ'"'"'s route from the MADT'
expect_regex '^rflags 0x[0-9a-f]+$|^rip 0x[0-9a-f]+ rflags 0x[0-9a-f]+$' 'regs'
expect_line 'activity 1 interruptibility 0x0'
expect_line '[hv] vcpu0: guest stopped: powered off from the monitor'
expect_verdict PASS 'powered off from the monitor'
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end
# The guest spins with interrupts off before it touched the UART, or any
# port (quiet-console): the escape still reaches the monitor; stats shows
# that the guest has made no I/O exit at all, regs the spin loop's RIP.
case_begin quiet-monitor
cat >"$CASE_DIR/client.script" <<SCRIPT
expect \[hv\] vcpu0: launching guest 60
sleep 1
send \x01\x01\x01
expect monitor: guest paused at rip 0x[0-9a-f]+ .*\(hv\)  60
type stats\r
expect rates over the last .*\(hv\)  30
type regs\r
expect interruptibility .*\(hv\)  30
type c\r
expect monitor: guest resumed 30
expect quiet-console: done 120
SCRIPT
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST" quiet-console
run_bochs_console "$CASE_DIR/client.script" --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_regex '^\[hv\] monitor: guest paused at rip 0x[0-9a-f]+ \(help: commands, c: continue\)$' 'the monitor'"'"'s banner'
expect_regex '^exit reason +count' 'the stats table'
if ran && sed -n '/^exit reason  /,/rates over/p' "$SERIAL" | grep -q '^I/O instruction'; then
	case_fail 'the guest made I/O exits before the escape'
fi
expect_rip_in quiet_spin_loop
expect_order '^\[hv\] monitor: guest resumed' '^\[guest\] quiet-console: done'
expect_regex '^\[guest\] quiet-console: done, longest TSC step [0-9]+ ticks \(limit [0-9]+\)$' 'the guest'"'"'s TSC report'
expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end
# expect_escape_latency: the escape's latency, in Bochs's emulated
# instructions (clock sync=none: one TSC tick each, 50 M a second of the
# machine's time at ips=50000000): from the tick at which COM1 received the
# third Ctrl-A to the tick at which it sent the last byte of the monitor's
# prompt, read from Bochs's own COM1 debug messages
# (tests/console/escape_latency.py), held to the issue's 100 ms of guest
# time; the figure goes to the case's latency.txt and the test's output.
expect_escape_latency()
{
	ran || return 0
	# Ticks per second of the machine's time: Bochs's ips setting.
	local ips bound latency
	ips=$(grep -oE 'ips=[0-9]+' "$CASE_DIR/bochsrc" | cut -d= -f2)
	bound=$((ips / 10))          # 100 ms
	if read -r _ _ latency < <("$ROOT/tests/console/escape_latency.py" "$EMU_LOG"); then
		echo "escape latency ($CASE) $latency ticks = $((latency * 1000000 / ips)) us" \
		     "(bound $bound ticks = 100 ms)" | tee "$CASE_DIR/latency.txt"
		((latency < bound)) ||
			case_fail "escape latency $latency ticks, over the bound $bound"
	else
		case_fail 'no escape and prompt in the COM1 debug messages'
	fi
}

# The escape's latency with the guest spinning before it touched the UART
# (quiet-console), the state with no exit of the guest's own.
case_begin escape-latency
cat >"$CASE_DIR/client.script" <<SCRIPT
expect \[hv\] vcpu0: launching guest 60
sleep 1
send \x01\x01\x01
expect \(hv\)  60
send c\r
expect monitor: guest resumed 30
expect quiet-console: done 120
SCRIPT
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST" quiet-console
run_bochs_console "$CASE_DIR/client.script" --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso" --debug-module serial
expect_escape_latency
expect_line '[hv] monitor: guest resumed'
expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
expect_status 1
case_end
# The same with the guest halted with interrupts off (halt-console): HLT
# no longer exits while the line is quiet, so only the quiet line's hard
# input period (hv/view/vuart_io.c QUIET_PERIOD_MS) brings the escape in.
case_begin escape-latency-halt
cat >"$CASE_DIR/client.script" <<SCRIPT
expect halt-console: halting with interrupts off 60
sleep 1
send \x01\x01\x01
expect \(hv\)  60
type poweroff\r
expect verdict: PASS 60
SCRIPT
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST" halt-console
run_bochs_console "$CASE_DIR/client.script" --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso" --debug-module serial
expect_escape_latency
expect_line '[hv] vcpu0: guest stopped: powered off from the monitor'
expect_verdict PASS 'powered off from the monitor'
expect_status 1
case_end
finish
