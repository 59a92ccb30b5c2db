#!/bin/bash
# A second guest that is not the project's own: Debian's memtest86+ 6.10
# (package memtest86+, its 64-bit Linux-boot-protocol image, fetched and
# unpacked by tools/get-memtest.sh) in Bochs with a Skylake-X model and
# 64 MiB, bare (GRUB's `linux`) and under the hypervisor (module "linux"),
# serial console on COM1.  memtest86+ tests memory until it is stopped, so
# each run ends at its time limit (no test-exit: memtest has no way to end
# the run, and its status line is the result): it must have reached test
# #3 and counted no error (both reach #6 in 200 s).  Optional (about 7
# minutes of Bochs, more on a busy machine): `make memtest-test`; not part
# of `make test`.
# Both runs use ignore_bad_msrs=1: memtest86+ reads IA32_THERM_STATUS
# (0x19c), which Bochs lacks; bare, the #GP stops it right after its console
# starts (the hypervisor answers the read itself, hv/view/msr_policy.c).
. "$(dirname "$0")/../boot/lib.sh"

MEMTEST_SECONDS=${MEMTEST_SECONDS:-200}
MEMTEST_MEGS=64
MEMTEST_ARGS="console=ttyS0,115200 nopause nobench nosm"
MEMTEST=$("$ROOT/tools/get-memtest.sh") || MEMTEST=$BUILD/memtest/missing

# expect_memtest_ran: memtest's banner, test #3 started, no error counted.
expect_memtest_ran()
{
	expect_regex 'Memtest86\+ v6\.' 'the memtest86+ banner'
	expect_regex '#3  \[Moving inversions, 1s & 0s\]' 'test #3 reached'
	expect_regex 'Errors: 0 ' 'the status line with no errors'
	expect_absent 'Errors: [1-9]' 'a memory error'
}

# The serial log with memtest's cursor escapes turned into line breaks, so
# the assertions see its screen lines.
split_screen_lines()
{
	[ -f "$SERIAL" ] || return 0
	sed -e 's/\x1b\[[0-9;?]*[A-Za-z]/\n/g' "$SERIAL_RAW" | tr -s '\n' >"$SERIAL"
}

case_begin bare
need_file "$MEMTEST" &&
	GRUB_EXTRA_MODULES=linux make_iso "$CASE_DIR/bare.iso" \
		"$(printf '%s\n' 'set timeout=0' 'serial --unit=0 --speed=115200' \
			'terminal_input serial' 'terminal_output serial' \
			'menuentry "memtest" {' \
			"    linux /boot/$(basename "$MEMTEST") $MEMTEST_ARGS" \
			'    boot' '}')" "$MEMTEST"
BOCHS_TIMEOUT=$MEMTEST_SECONDS run_bochs --model corei7_skylake_x \
	--megs "$MEMTEST_MEGS" --ignore-bad-msrs 1 --cdrom "$CASE_DIR/bare.iso"
split_screen_lines
expect_timeout
expect_bare_run
expect_memtest_ran
expect_regex "Memory  : +$MEMTEST_MEGS""MB" "memtest seeing all $MEMTEST_MEGS MiB"
case_end

# Under the hypervisor: the module "linux" (memtest is not relocatable and
# loads at 1 MiB, where GRUB put the file: the loader moves the file first);
# root= only quiets the Linux loader's check for a root file system.
case_begin under-hv
need_file "$MEMTEST" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv 'serial=0x3f8,115200' \
		"module2 /boot/$(basename "$MEMTEST") linux $MEMTEST_ARGS root=none")" \
		"$HV_ELF" "$MEMTEST"
BOCHS_TIMEOUT=$MEMTEST_SECONDS run_bochs --model corei7_skylake_x \
	--megs "$MEMTEST_MEGS" --ignore-bad-msrs 1 --cdrom "$CASE_DIR/hv.iso"
split_screen_lines
# No test-exit: memtest cannot end the run, so the time limit does.
expect_guest_still_running
expect_regex '^\[hv\] guest: linux: bzImage [0-9]+ bytes, protocol 2\.12, 64-bit; kernel 0x100000\+' \
	'the Linux loader placing memtest at 1 MiB'
expect_memtest_ran
case_end
finish
