# tests/boot/lib.sh: helpers shared by the boot tests (sourced, not run).
# shellcheck shell=bash disable=SC2034 # the variables are for the test scripts
#
# A boot test script is a series of cases:
#
#     . "$(dirname "$0")/lib.sh"
#     case_begin qemu64
#     make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv 'test-exit')" "$HV_ELF"
#     run_qemu bios cdrom "$CASE_DIR/hv.iso" -cpu qemu64
#     expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
#     expect_verdict FAIL 'VMX unavailable'
#     expect_status 35
#     case_end
#     finish
#
# Each case prints one line, "PASS boot/<test>/<case>" or
# "FAIL boot/<test>/<case>: <why>; <why>", and on failure the last lines of
# the serial and emulator logs, indented so that they never look like a
# result line.  Every case must check a verdict line, and "[hv] PANIC"
# fails a case unless it called allow_panic: a test that cannot fail is a
# defect.  Logs of a case: $BUILD/test-logs/<test>/<case>/.
#
# The guest shares the serial line and can print a line that looks like
# the hypervisor's verdict, so the serial verdict alone is never believed:
# case_end also requires the emulator's exit channel, which only the
# hypervisor can write (test-exit, drivers/emu_exit.c), to say the same
# verdict: QEMU's exit status (33 PASS, 35 FAIL, from isa-debug-exit) and
# Bochs's standard output ("HV-VERDICT PASS|FAIL", from port 0xE9; Bochs's
# own status is 1 either way).  The only exception is a case that expects
# a timeout (expect_timeout): without test-exit there is no exit channel,
# and such a case must say why it runs without test-exit.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
TEST=$(basename "$0" .sh)
TEST_LOG_DIR=$BUILD/test-logs/$TEST

HV_ELF=$BUILD/hv.elf
HV_EFI=$BUILD/hv.efi
# The in-tree test guest (tests/guest/, `make test` builds it).
TEST_GUEST=$BUILD/guest/testguest.elf
MKISO=${MKISO:-$ROOT/tools/mkiso.sh}
MKESP=${MKESP:-$ROOT/tools/mkesp.sh}
BOCHSRC=$ROOT/tools/bochsrc.sh

OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd

# Hard limits of one emulator run, in seconds (then SIGTERM, 5 s later
# SIGKILL: Bochs ignores SIGTERM).  Override from the environment.
QEMU_TIMEOUT=${QEMU_TIMEOUT:-60}
BOCHS_TIMEOUT=${BOCHS_TIMEOUT:-120}
# timeout(1) exits 124 when it sent SIGTERM, 137 when it had to SIGKILL.
TIMEOUT_STATUSES="124 137"
TAIL_LINES=25

QEMU_DEBUG_EXIT="isa-debug-exit,iobase=0xf4,iosize=0x04"
PANIC_PATTERN='\[hv\] PANIC'
VERDICT_PATTERN='^\[hv\] verdict: '

TESTS_FAILED=0

# ---- cases ------------------------------------------------------------------

# case_begin NAME: start a case with a fresh log directory.
case_begin()
{
	CASE=$1
	CASE_DIR=$TEST_LOG_DIR/$CASE
	SERIAL_RAW=$CASE_DIR/serial.raw
	SERIAL=$CASE_DIR/serial.log
	EMU_LOG=
	EMU_STATUS=
	EMU_SECONDS=
	CASE_WHY=()
	CASE_VERDICT_CHECKED=0
	CASE_VERDICT_WANT=
	EMU_KIND=
	CASE_PANIC_ALLOWED=0
	CASE_TIMEOUT_EXPECTED=0
	CASE_BARE=0
	rm -rf "$CASE_DIR"
	mkdir -p "$CASE_DIR"
}

# case_fail WHY: record a reason for failure (the case goes on).
case_fail()
{
	CASE_WHY+=("$1")
}

# case_end: print the case's result line; on failure, the logs' last lines.
case_end()
{
	local name="boot/$TEST/$CASE"

	check_defaults
	if [ ${#CASE_WHY[@]} -eq 0 ]; then
		echo "PASS $name${EMU_SECONDS:+ (${EMU_SECONDS}s)}"
		return 0
	fi
	echo "FAIL $name: $(join_why)"
	show_tail "serial log $SERIAL" "$SERIAL"
	[ -z "$EMU_LOG" ] || show_tail "emulator log $EMU_LOG" "$EMU_LOG"
	TESTS_FAILED=$((TESTS_FAILED + 1))
	return 0
}

# finish: end the test script; non-zero status when a case failed.
finish()
{
	exit $((TESTS_FAILED > 0))
}

# The checks every case gets: it ran, it did not time out (or did, if it
# expected to), it checked a verdict, and it did not panic unless it expected to.
check_defaults()
{
	if [ -z "$EMU_STATUS" ]; then
		case_fail "no emulator run"
	elif [ "$CASE_TIMEOUT_EXPECTED" = 1 ]; then
		# Bochs ignores SIGTERM: at its time limit it is killed (137).
		[ "$EMU_STATUS" = 124 ] ||
			{ [ "$EMU_KIND" = bochs ] && [ "$EMU_STATUS" = 137 ]; } ||
			case_fail "ended by itself (status $EMU_STATUS), want it still running at the time limit"
	elif [[ " $TIMEOUT_STATUSES " == *" $EMU_STATUS "* ]]; then
		case_fail "timed out (status $EMU_STATUS)"
	fi
	[ "$CASE_VERDICT_CHECKED" = 1 ] ||
		case_fail "test defect: no verdict line checked"
	check_exit_channel
	if [ "$CASE_PANIC_ALLOWED" = 0 ] && [ -f "$SERIAL" ] &&
	   grep -qE "$PANIC_PATTERN" "$SERIAL"; then
		case_fail "unexpected: $(grep -m1 -E "$PANIC_PATTERN" "$SERIAL")"
	fi
}

# The verdict the emulator's exit channel gives (see the top of this file):
# PASS, FAIL, or what was found instead.
BOCHS_VERDICT_PATTERN='HV-VERDICT (PASS|FAIL)'
exit_channel_verdict()
{
	local said
	case "$EMU_KIND" in
	qemu)
		case "$EMU_STATUS" in
		33) echo PASS ;;
		35) echo FAIL ;;
		*) echo "no verdict (status $EMU_STATUS)" ;;
		esac
		;;
	bochs|qemu-e9)
		# Bochs prints port 0xE9 on its standard output; QEMU with an
		# isa-debugcon at 0xE9 (and no isa-debug-exit, so that it keeps
		# running after the verdict) writes it to e9.out.
		local e9=$CASE_DIR/bochs.stdout
		[ "$EMU_KIND" = bochs ] || e9=$CASE_DIR/e9.out
		said=$(grep -aoE "$BOCHS_VERDICT_PATTERN" "$e9" 2>/dev/null |
			sed 's/^HV-VERDICT //' | tr '\n' ' ')
		case "$said" in
		"PASS "|"FAIL ") echo "${said% }" ;;
		"") echo "no verdict on port 0xE9" ;;
		*) echo "several verdicts on port 0xE9: $said" ;;
		esac
		;;
	*) echo "no emulator" ;;
	esac
}

# The exit channel must agree with the verdict the case expects (unless
# the case expects a timeout: no test-exit, no channel; or runs a guest
# bare: no hypervisor, so no verdict at all).
check_exit_channel()
{
	[ -n "$EMU_STATUS" ] && [ "$CASE_TIMEOUT_EXPECTED" = 0 ] &&
		[ "$CASE_BARE" = 0 ] || return 0
	if [ -z "$CASE_VERDICT_WANT" ]; then
		[ "$CASE_VERDICT_CHECKED" = 0 ] ||
			case_fail "test defect: verdict checked but not PASS or FAIL"
		return 0
	fi
	local said
	said=$(exit_channel_verdict)
	[ "$said" = "$CASE_VERDICT_WANT" ] ||
		case_fail "$EMU_KIND exit channel: $said, want $CASE_VERDICT_WANT (the serial verdict alone is not believed)"
}

# expect_bare_run: the case runs a guest without the hypervisor, the bare
# emulator being the reference.  There is no verdict and no exit channel:
# the case judges the guest's own lines, and no hypervisor line may appear.
expect_bare_run()
{
	CASE_BARE=1
	CASE_VERDICT_CHECKED=1
	expect_absent '^\[hv\]' 'hypervisor output'
	[ -f "$CASE_DIR/bochs.stdout" ] &&
		grep -aqE "$BOCHS_VERDICT_PATTERN" "$CASE_DIR/bochs.stdout" &&
		case_fail "a hypervisor verdict on port 0xE9 in a bare run"
	return 0
}

# want_verdict PASS|FAIL: the verdict the exit channel must give.
want_verdict()
{
	CASE_VERDICT_CHECKED=1
	if [ -n "$CASE_VERDICT_WANT" ] && [ "$CASE_VERDICT_WANT" != "$1" ]; then
		case_fail "test defect: both $CASE_VERDICT_WANT and $1 expected"
	fi
	CASE_VERDICT_WANT=$1
}

join_why()
{
	local out="" why
	for why in "${CASE_WHY[@]}"; do
		out=${out:+$out; }$why
	done
	echo "$out"
}

show_tail()
{
	echo "    --- last $TAIL_LINES lines of $1"
	if [ -f "$2" ]; then
		tail -n "$TAIL_LINES" "$2" | awk '{ print "    | " $0 }'
	else
		echo "    | (missing)"
	fi
}

# ---- images -----------------------------------------------------------------

# grub_cfg_hv [HV-ARGS] [GRUB-LINES...]: a grub.cfg booting hv.elf at once
# with the serial console, HV-ARGS on its command line, then any further
# lines (module2 ...) before `boot`.
grub_cfg_hv()
{
	local args=${1:-}
	shift || true
	cat <<-EOF
	set timeout=0
	serial --unit=0 --speed=115200
	terminal_input serial
	terminal_output serial
	menuentry "hv" {
	    multiboot2 /boot/hv.elf $args
	EOF
	local line
	for line in "$@"; do
		echo "    $line"
	done
	echo "    boot"
	echo "}"
}

# make_iso OUT CFG-TEXT FILE...: a hybrid ISO from a grub.cfg text.
make_iso()
{
	local out=$1 cfg=$2
	shift 2
	printf '%s\n' "$cfg" >"$CASE_DIR/grub.cfg"
	"$MKISO" "$out" "$CASE_DIR/grub.cfg" "$@" >"$CASE_DIR/mkiso.log" 2>&1 ||
		case_fail "mkiso.sh failed: $(tail -n 1 "$CASE_DIR/mkiso.log")"
}

# make_esp OUT HVCFG-TEXT [FILE...]: a FAT ESP image with hv.efi, this
# hv.cfg and the files (modules hv.cfg names), all in \EFI\BOOT.
make_esp()
{
	local out=$1
	printf '%s\n' "$2" >"$CASE_DIR/hv.cfg"
	shift 2
	"$MKESP" "$out" "$HV_EFI" "$CASE_DIR/hv.cfg" "$@" >"$CASE_DIR/mkesp.log" 2>&1 ||
		case_fail "mkesp.sh failed: $(tail -n 1 "$CASE_DIR/mkesp.log")"
}

# make_guest_iso OUT HV-ARGS GUEST-FILE [GUEST-ARGS]: a BIOS/UEFI ISO booting
# hv.elf with HV-ARGS and GUEST-FILE as the module with role "guest" and
# GUEST-ARGS on its command line (`module2 /boot/<name> guest GUEST-ARGS`).
make_guest_iso()
{
	local out=$1 hv_args=$2 file=$3 guest_args=${4:-}
	need_file "$HV_ELF" "$file" || return 0
	make_iso "$out" "$(grub_cfg_hv "$hv_args" \
		"module2 /boot/$(basename "$file") guest${guest_args:+ $guest_args}")" \
		"$HV_ELF" "$file"
}

# make_guest_esp OUT HV-ARGS GUEST-FILE [GUEST-ARGS]: the same as an ESP for
# hv.efi (hv.cfg: `cmdline HV-ARGS`, `module <name> guest GUEST-ARGS`).
make_guest_esp()
{
	local out=$1 hv_args=$2 file=$3 guest_args=${4:-}
	need_file "$HV_EFI" "$file" || return 0
	make_esp "$out" "$(printf 'cmdline %s\nmodule %s guest%s' "$hv_args" \
		"$(basename "$file")" "${guest_args:+ $guest_args}")" "$file"
}

# ---- running emulators ------------------------------------------------------

LIB_CHILD=

# Stop the running emulator (and all it started) when we are stopped.
lib_interrupted()
{
	if [ -n "$LIB_CHILD" ]; then
		kill -KILL -- "-$LIB_CHILD" "$LIB_CHILD" 2>/dev/null
		wait "$LIB_CHILD" 2>/dev/null
	fi
	echo "FAIL boot/$TEST/${CASE:-?}: interrupted"
	exit 130
}
trap lib_interrupted INT TERM HUP

# guarded SECONDS CMD...: run CMD under a hard timeout in the background
# (timeout(1) makes its own process group, which lib_interrupted kills) and
# wait for it; sets EMU_STATUS and EMU_SECONDS.
guarded()
{
	local secs=$1 start=$SECONDS
	shift
	timeout -k 5 "$secs" "$@" </dev/null &
	LIB_CHILD=$!
	wait "$LIB_CHILD"
	EMU_STATUS=$?
	LIB_CHILD=
	EMU_SECONDS=$((SECONDS - start))
}

# The serial log as judged: carriage returns and ANSI escape sequences
# (OVMF mirrors its console on the serial line) removed.
clean_serial()
{
	sed -e 's/\r//g' -e 's/\x1b\[[0-9;?=>]*[A-Za-z]//g' \
	    -e 's/\x1b[()][A-Z0-9]//g' "$SERIAL_RAW" >"$SERIAL" 2>/dev/null ||
		: >"$SERIAL"
}

# qemu_firmware_args bios|uefi
qemu_firmware_args()
{
	case "$1" in
	bios) ;;
	uefi)
		cp "$OVMF_VARS" "$CASE_DIR/ovmf-vars.fd"
		printf '%s\n' -drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE" \
			-drive "if=pflash,format=raw,file=$CASE_DIR/ovmf-vars.fd"
		;;
	*) echo "lib.sh: unknown firmware $1" >&2; return 1 ;;
	esac
}

# qemu_media_args cdrom|disk|usb|esp IMAGE: how the image is attached (one
# argument per line, as qemu_firmware_args).
# The image is never written (snapshot): tests share their images.
qemu_media_args()
{
	case "$1" in
	cdrom) printf '%s\n' -drive "if=ide,media=cdrom,readonly=on,format=raw,file=$2" ;;
	disk|esp) printf '%s\n' -drive "if=ide,format=raw,snapshot=on,file=$2" ;;
	usb)
		printf '%s\n' -device qemu-xhci,id=xhci \
			-drive "if=none,id=stick,format=raw,snapshot=on,file=$2" \
			-device usb-storage,bus=xhci.0,drive=stick,bootindex=0
		;;
	*) echo "lib.sh: unknown medium $1" >&2; return 1 ;;
	esac
}

# run_qemu FIRMWARE MEDIUM IMAGE [QEMU-ARGS...]: one TCG run, headless,
# COM1 to the case's serial log, isa-debug-exit for test-exit.  Extra
# arguments (e.g. -cpu qemu64) are appended.
run_qemu()
{
	inputs_ok || return 0
	local firmware=$1 medium=$2 image=$3
	shift 3
	local args cmd
	args=$(qemu_firmware_args "$firmware" && qemu_media_args "$medium" "$image") ||
		{ case_fail "bad run_qemu arguments"; return 0; }
	EMU_LOG=$CASE_DIR/qemu.log
	EMU_KIND=qemu
	cmd=(qemu-system-x86_64 -machine pc -accel tcg -m 256
	     -display none -nodefaults -no-reboot
	     -serial "file:$SERIAL_RAW" -device "$QEMU_DEBUG_EXIT")
	[ -z "$args" ] || mapfile -t -O ${#cmd[@]} cmd <<<"$args"
	cmd+=("$@")
	printf '%q ' "${cmd[@]}" >"$CASE_DIR/command"
	guarded "$QEMU_TIMEOUT" "${cmd[@]}" >"$EMU_LOG" 2>&1
	clean_serial
}

# run_bochs [bochsrc.sh OPTIONS...]: one Bochs run from a generated bochsrc
# (tools/bochsrc.sh: --model, --cpus, --megs, --firmware, --cdrom/--disk).
run_bochs()
{
	inputs_ok || return 0
	EMU_LOG=$CASE_DIR/bochs.log
	EMU_KIND=bochs
	"$BOCHSRC" --com1 "$SERIAL_RAW" --log "$EMU_LOG" "$@" \
		>"$CASE_DIR/bochsrc" 2>"$CASE_DIR/bochsrc.err" ||
		{ case_fail "bochsrc.sh: $(cat "$CASE_DIR/bochsrc.err")"; return; }
	printf 'c\nquit\n' >"$CASE_DIR/cont.rc"
	# A killed Bochs leaves its disk lock behind; the images are the case's.
	rm -f "$CASE_DIR"/*.lock
	# The term display library draws with curses on stdout: keep it in a
	# file so it never touches the terminal.
	TERM=xterm guarded "$BOCHS_TIMEOUT" bochs-bin -q \
		-f "$CASE_DIR/bochsrc" -rc "$CASE_DIR/cont.rc" \
		>"$CASE_DIR/bochs.stdout" 2>&1
	bochs_teardown_crash_is_exit
	clean_serial
}

# Bochs 2.7 sometimes dies of SIGSEGV (status 139) in its own teardown,
# after it has logged that the guest asked it to quit (seen under load,
# about one run in 17).  The run itself ended as asked: count it as the
# status 1 of a requested quit, and say so in the case's log.
BOCHS_SEGV_STATUS=139
BOCHS_QUIT_STATUS=1
bochs_teardown_crash_is_exit()
{
	[ "$EMU_STATUS" = "$BOCHS_SEGV_STATUS" ] || return 0
	grep -q "quit_sim called with exit code $BOCHS_QUIT_STATUS" \
		"$EMU_LOG" 2>/dev/null || return 0
	echo "bochs crashed after quit_sim($BOCHS_QUIT_STATUS); taken as" \
	     "status $BOCHS_QUIT_STATUS" >>"$CASE_DIR/notes.txt"
	EMU_STATUS=$BOCHS_QUIT_STATUS
}

# ---- assertions -------------------------------------------------------------

# expect_line TEXT: a serial line is exactly TEXT.  A verdict line also
# sets the verdict the exit channel must give.
expect_line()
{
	[[ "$1" =~ ^\[hv\]\ verdict:\ (PASS|FAIL) ]] && want_verdict "${BASH_REMATCH[1]}"
	ran || return 0
	grep -qxF -- "$1" "$SERIAL" || case_fail "missing line '$1'"
	return 0
}

# expect_regex ERE [WHAT]: some serial line matches the extended regex.
expect_regex()
{
	ran || return 0
	grep -qE -- "$1" "$SERIAL" || case_fail "missing ${2:-line matching /$1/}"
}

# expect_absent ERE [WHAT]: no serial line matches.
expect_absent()
{
	ran || return 0
	local hit
	hit=$(grep -m1 -E -- "$1" "$SERIAL") &&
		case_fail "unexpected ${2:-line}: '$hit'"
	return 0
}

# expect_order ERE1 ERE2: lines matching both, the first ERE1 line before
# the first ERE2 line.
expect_order()
{
	ran || return 0
	local a b
	a=$(grep -anE -m1 -- "$1" "$SERIAL" | cut -d: -f1)
	b=$(grep -anE -m1 -- "$2" "$SERIAL" | cut -d: -f1)
	if [ -z "$a" ] || [ -z "$b" ] || [ "$a" -ge "$b" ]; then
		case_fail "no /$1/ line before a /$2/ line"
	fi
}

# expect_verdict PASS|FAIL [REASON]: exactly one verdict line, this one.
# Without REASON any reason is accepted.
expect_verdict()
{
	local want=$1 reason=${2-} count
	want_verdict "$want"
	ran || return 0
	count=$(grep -cE "$VERDICT_PATTERN" "$SERIAL")
	if [ "$count" -ne 1 ]; then
		case_fail "$count verdict lines, want 1"
	fi
	if [ $# -ge 2 ]; then
		expect_line "[hv] verdict: $want ($reason)"
	else
		expect_regex "^\[hv\] verdict: $want \(.*\)\$" "verdict $want"
	fi
}

# expect_exit_channel PASS|FAIL: what the emulator's exit channel must say
# (checked by case_end; the same as the verdict a case expects).
expect_exit_channel()
{
	want_verdict "$1"
}

# expect_status N: the emulator's exit status.
expect_status()
{
	ran || return 0
	[ "$EMU_STATUS" = "$1" ] ||
		case_fail "emulator exit status ${EMU_STATUS:-none}, want $1"
}

# expect_bochs_log_absent ERE [WHAT]: e.g. VMENTER FAIL in the Bochs log.
expect_bochs_log_absent()
{
	ran || return 0
	local hit
	hit=$(grep -m1 -E -- "$1" "$EMU_LOG") &&
		case_fail "bochs log: ${2:-unexpected} '$hit'"
	return 0
}

# expect_bochs_log ERE [WHAT]: the Bochs log has a matching line (e.g. the
# VMENTER FAIL naming the check the emulated CPU applied).
expect_bochs_log()
{
	ran || return 0
	grep -qE -- "$1" "$EMU_LOG" ||
		case_fail "bochs log: missing ${2:-line matching /$1/}"
	return 0
}

# expect_timeout: this case expects the emulator to be still running at its
# time limit (an image without test-exit), and ended by SIGTERM.  Such a
# run has no exit channel: its verdict line is judged alone, so the case
# must say why it cannot use test-exit.
expect_timeout()
{
	CASE_TIMEOUT_EXPECTED=1
}

# expect_guest_still_running: a guest that never ends by itself (memtest86+)
# runs under the hypervisor without test-exit, so the case ends at its time
# limit, and no verdict line may appear: that is its verdict check.
expect_guest_still_running()
{
	expect_timeout
	CASE_VERDICT_CHECKED=1
	expect_absent "$VERDICT_PATTERN" 'a verdict line (the guest must still be running)'
}

# allow_panic: this case expects "[hv] PANIC" (the panic-path test).
allow_panic()
{
	CASE_PANIC_ALLOWED=1
}

# need_file FILE...: fail the case early when an input is missing.
need_file()
{
	local f ok=0
	for f in "$@"; do
		[ -e "$f" ] || { case_fail "missing $f"; ok=1; }
	done
	return $ok
}

# inputs_ok: false when preparing the case already failed (no point running).
inputs_ok()
{
	[ ${#CASE_WHY[@]} -eq 0 ]
}

# ran: an emulator ran in this case (the assertions have a log to judge).
ran()
{
	[ -n "$EMU_STATUS" ]
}
