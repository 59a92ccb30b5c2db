#!/bin/bash
# tools/run.sh (make run): boot the hypervisor in an emulator, serial output
# live on the terminal.
#
#   ENGINE=qemu       QEMU with KVM and `-cpu host` (needs nested VMX)
#   ENGINE=bochs      Bochs, CPU model BOCHS_MODEL (default corei7_skylake_x)
#   ENGINE=qemu-tcg   QEMU without VMX: shows the no-VMX path
#   FIRMWARE=bios     the hybrid ISO $BUILD/hv.iso as a CD-ROM (default)
#   FIRMWARE=uefi     hv.efi started by OVMF from an ESP image (tools/mkesp.sh)
#   RUN_GUEST=linux   the hypervisor with the small Linux kernel and the test
#                     initramfs as its guest (default; boot/grub-linux.cfg)
#   RUN_GUEST=none    the hypervisor alone, as `make` builds it (boot/grub.cfg)
#   RUN_TIMEOUT=N     hard limit in seconds (default 600)
#
# Without ENGINE: QEMU/KVM where it can run VMX (see kvm_nested_vmx_why),
# Bochs otherwise.  Which engine and why is printed first.
#
# The Linux guest (RUN_GUEST=linux): tools/build-linux.sh builds the kernel
# on first use (about 2-3 minutes, cached in $BUILD/linux/), and
# tools/build-initramfs.sh the initramfs; the run image $BUILD/run/hv-linux.iso
# (or the ESP for UEFI) holds hv.elf, both and boot/grub-linux.cfg.  `make`
# (all) never builds a kernel: its hv.iso has no guest.  The guest's /init
# powers the machine off; the hypervisor sees it and prints its verdict.
# Bochs runs Linux with two CPUs (the guest gets one) and ignore_bad_msrs=1:
# Bochs lacks MSRs Linux reads (IA32_MISC_ENABLE), and the same kernel
# triple-faults in Bochs without the hypervisor unless Bochs ignores them.
# Under Bochs, OVMF publishes no ACPI tables (it takes them from QEMU's
# fw_cfg), so with FIRMWARE=uefi the hypervisor builds minimal tables for
# the Linux guest itself (guest/acpi/synth.c; docs/guests.md).
#
# How the run ends: the images boot without test-exit, so nothing asks the
# emulator to quit.  Instead
# the serial log is followed, and once the hypervisor prints its verdict
# line ("[hv] verdict: ...", after which it only halts) the emulator is
# stopped.  A triple fault ends QEMU (-no-reboot) and Bochs
# (reset_on_triple_fault=0) by themselves; a hang ends at RUN_TIMEOUT or
# Ctrl-C.  Exit status: 0 for a PASS verdict, 1 otherwise.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
ENGINE=${ENGINE:-}
FIRMWARE=${FIRMWARE:-bios}
BOCHS_MODEL=${BOCHS_MODEL:-corei7_skylake_x}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
RUN_GUEST=${RUN_GUEST:-linux}
RUN_DIR=$BUILD/run
SERIAL=$RUN_DIR/serial.log

OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
KVM_NESTED=/sys/module/kvm_intel/parameters/nested
VERDICT_PREFIX='[hv] verdict: '
LINUX_DIR=$BUILD/linux
LINUX_FILES="$LINUX_DIR/bzImage-small $LINUX_DIR/initramfs.cpio.gz"
LINUX_BOCHS_CPUS=2

EMU_PID=
EMU_GROUP=

die()
{
	echo "run: $*" >&2
	exit 2
}

# ---- choosing the engine --------------------------------------------------

# Empty when KVM here can run a VMX hypervisor as its guest; otherwise the
# reason it cannot.
kvm_nested_vmx_why()
{
	local vendor nested
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "/dev/kvm is not usable"; return; }
	vendor=$(awk -F': ' '/^vendor_id/ { print $2; exit }' /proc/cpuinfo)
	[ "$vendor" = GenuineIntel ] || { echo "host CPU is $vendor, not GenuineIntel"; return; }
	grep -qw vmx /proc/cpuinfo || { echo "host CPU has no vmx flag"; return; }
	nested=$(cat "$KVM_NESTED" 2>/dev/null || echo absent)
	case "$nested" in
	Y|1) ;;
	*) echo "kvm_intel nested=$nested (needs Y or 1)" ;;
	esac
}

choose_engine()
{
	local why
	if [ -n "$ENGINE" ]; then
		echo "run: engine $ENGINE (ENGINE=$ENGINE given), firmware $FIRMWARE"
		return
	fi
	why=$(kvm_nested_vmx_why)
	if [ -z "$why" ]; then
		ENGINE=qemu
		echo "run: engine qemu with KVM, -cpu host (nested VMX available), firmware $FIRMWARE"
	else
		ENGINE=bochs
		echo "run: engine bochs, CPU $BOCHS_MODEL (no KVM with nested VMX: $why), firmware $FIRMWARE"
	fi
}

# ---- images ---------------------------------------------------------------

# hv.cfg (boot/efi_config.h) for the UEFI application, translated from the
# first GRUB entry of boot/grub.cfg so both paths run with the same options:
# "multiboot2 /boot/hv.elf ARGS" gives "cmdline ARGS", each
# "module2 /boot/FILE ROLE ARGS" gives "module FILE ROLE ARGS".
grub_to_hv_cfg()
{
	awk '
	$1 == "multiboot2" && !seen++ {
		$1 = ""; $2 = ""; sub(/^ +/, "")
		print "cmdline " $0
		next
	}
	$1 == "module2" && seen == 1 {
		n = split($2, path, "/"); $1 = ""; $2 = path[n]; sub(/^ +/, "")
		print "module " $0
	}
	$1 == "}" && seen { exit }
	' "$(run_grub_cfg)"
}

# The GRUB configuration of the run image.
run_grub_cfg()
{
	case "$RUN_GUEST" in
	linux) echo "$ROOT/boot/grub-linux.cfg" ;;
	*)     echo "$ROOT/boot/grub.cfg" ;;
	esac
}

# Build (or find cached) the Linux kernel and initramfs: their steps and
# progress on the terminal, their output in a log.
linux_assets()
{
	local log=$RUN_DIR/linux-assets.log
	if [ ! -f "$LINUX_DIR/bzImage-small.key" ]; then
		echo "run: building the small Linux guest kernel (tools/build-linux.sh," \
		     "first use only: about 2-3 minutes; log $log)" >&2
	fi
	: >"$log"
	BUILD=$BUILD TOOL_LOG=$log "$ROOT/tools/build-linux.sh" >>"$log" &&
		BUILD=$BUILD TOOL_LOG=$log "$ROOT/tools/build-initramfs.sh" >>"$log" ||
		die "building the Linux guest failed (log $log)"
	echo "run: Linux guest: $LINUX_DIR/bzImage-small with $LINUX_DIR/initramfs.cpio.gz" \
	     "(boot/grub-linux.cfg)" >&2
}

# The run ISO with the Linux guest: hv.elf, kernel, initramfs.
make_linux_iso()
{
	local iso=$RUN_DIR/hv-linux.iso
	# shellcheck disable=SC2086 # one path per word; paths have no blanks
	"$ROOT/tools/mkiso.sh" "$iso" "$ROOT/boot/grub-linux.cfg" "$BUILD/hv.elf" \
		$LINUX_FILES >"$RUN_DIR/mkiso.log" 2>&1 ||
		{ cat "$RUN_DIR/mkiso.log" >&2; die "tools/mkiso.sh failed"; }
	echo "$iso"
}

# The files the module lines name, found in $BUILD by name.
module_files()
{
	local name path
	for name in $(awk '$1 == "module" { print $2 }' "$1"); do
		path=$LINUX_DIR/$name
		[ -f "$path" ] ||
			path=$(find "$BUILD" -name "$name" -type f -not -path "*/test-logs/*" | head -n 1)
		[ -n "$path" ] || die "module $name ($(run_grub_cfg)) not found in $BUILD"
		echo "$path"
	done
}

make_run_esp()
{
	local esp=$RUN_DIR/esp.img cfg=$RUN_DIR/hv.cfg files
	grub_to_hv_cfg >"$cfg"
	files=$(module_files "$cfg") || exit 2
	# shellcheck disable=SC2086 # one path per word; paths have no blanks
	"$ROOT/tools/mkesp.sh" "$esp" "$BUILD/hv.efi" "$cfg" $files >"$RUN_DIR/mkesp.log" 2>&1 ||
		{ cat "$RUN_DIR/mkesp.log" >&2; die "tools/mkesp.sh failed"; }
	echo "$esp"
}

# The image to boot for FIRMWARE.
boot_image()
{
	case "$RUN_GUEST" in
	linux) linux_assets ;;
	none) ;;
	*) die "RUN_GUEST=$RUN_GUEST: use linux or none" ;;
	esac
	case "$FIRMWARE" in
	bios)
		[ -f "$BUILD/hv.iso" ] || die "$BUILD/hv.iso missing (run make)"
		if [ "$RUN_GUEST" = linux ]; then
			make_linux_iso
		else
			echo "$BUILD/hv.iso"
		fi
		;;
	uefi)
		[ -f "$BUILD/hv.efi" ] || die "$BUILD/hv.efi missing (run make)"
		make_run_esp
		;;
	*)
		die "FIRMWARE=$FIRMWARE: use bios or uefi"
		;;
	esac
}

# ---- engines --------------------------------------------------------------

# qemu_cmd ACCEL-ARGS... : print nothing, set QEMU_ARGS for the image.
qemu_args()
{
	local image=$1
	# shellcheck disable=SC2054 # commas inside QEMU option values
	QEMU_ARGS=(-m 512 -display none -nodefaults -no-reboot
		   -serial "file:$SERIAL"
		   -device isa-debug-exit,iobase=0xf4,iosize=0x04)
	if [ "$FIRMWARE" = uefi ]; then
		cp "$OVMF_VARS" "$RUN_DIR/ovmf-vars.fd"
		QEMU_ARGS+=(-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE"
			    -drive "if=pflash,format=raw,file=$RUN_DIR/ovmf-vars.fd"
			    -drive "if=ide,format=raw,snapshot=on,file=$image")
	else
		QEMU_ARGS+=(-drive "if=ide,media=cdrom,readonly=on,format=raw,file=$image")
	fi
}

start_emulator()
{
	local image=$1
	case "$ENGINE" in
	qemu)
		qemu_args "$image"
		start_guarded qemu-system-x86_64 -enable-kvm -cpu host "${QEMU_ARGS[@]}"
		;;
	qemu-tcg)
		qemu_args "$image"
		start_guarded qemu-system-x86_64 -accel tcg -cpu Nehalem "${QEMU_ARGS[@]}"
		;;
	bochs)
		start_bochs "$image"
		;;
	*)
		die "ENGINE=$ENGINE: use qemu, bochs or qemu-tcg"
		;;
	esac
}

start_bochs()
{
	local image=$1
	local media=(--cdrom "$image") guest=()
	[ "$FIRMWARE" = uefi ] && media=(--disk "$image")
	[ "$RUN_GUEST" = linux ] &&
		guest=(--cpus "$LINUX_BOCHS_CPUS" --ignore-bad-msrs 1)
	"$ROOT/tools/bochsrc.sh" --model "$BOCHS_MODEL" --firmware "$FIRMWARE" \
		"${media[@]}" "${guest[@]}" --com1 "$SERIAL" --log "$RUN_DIR/bochs.log" \
		>"$RUN_DIR/bochsrc" || die "tools/bochsrc.sh failed"
	printf 'c\nquit\n' >"$RUN_DIR/cont.rc"
	# A killed Bochs leaves its disk lock behind; the image is ours.
	rm -f "$image.lock"
	# The term display draws with curses on stdout: into a file, so the
	# terminal shows only the serial output.
	TERM=xterm start_guarded bochs-bin -q -f "$RUN_DIR/bochsrc" \
		-rc "$RUN_DIR/cont.rc"
}

# Start CMD under a hard timeout in the background; timeout(1) puts itself
# and CMD into a new process group, which stop_emulator kills as a whole.
# The job is a subshell waiting for timeout(1), so that killing the group
# does not make bash report "Killed".  EMU_PID: the subshell (ends with
# the emulator); EMU_GROUP: timeout's process group.
start_guarded()
{
	local pidfile=$RUN_DIR/emulator.pid
	: >"$pidfile"
	(
		timeout -k 5 "$RUN_TIMEOUT" "$@" </dev/null >"$RUN_DIR/emulator.out" 2>&1 &
		echo $! >"$pidfile"
		wait $!
	) 2>/dev/null &
	EMU_PID=$!
	while [ ! -s "$pidfile" ]; do sleep 0.05; done
	EMU_GROUP=$(cat "$pidfile")
}

stop_emulator()
{
	[ -n "$EMU_PID" ] || return 0
	# Bochs ignores SIGTERM: KILL the whole group.
	kill -KILL -- "-$EMU_GROUP" "$EMU_GROUP" 2>/dev/null
	{ wait "$EMU_PID"; } 2>/dev/null
	EMU_PID=
}

# ---- following the serial log --------------------------------------------

# Carriage returns and escape sequences out (OVMF and GRUB clear the
# screen), line by line as they come.
clean_serial()
{
	sed -u -e 's/\r//g' -e 's/\x1b\[[0-9;?=>]*[A-Za-z]//g' \
	       -e 's/\x1b[()][A-Z0-9]//g'
}

# Copy serial lines to the terminal; stop the emulator at the verdict line.
# Exit status: 0 PASS, 1 FAIL, 3 no verdict seen, 4 firmware exception.
show_serial()
{
	local line verdict=3
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line"
		case "$line" in
		*"${VERDICT_PREFIX}PASS"*) verdict=0 ;;
		*"${VERDICT_PREFIX}"*) verdict=1 ;;
		"!!!! "*Exception*) verdict=4 ;;   # OVMF died; nothing follows
		*) continue ;;
		esac
		stop_emulator
		break
	done
	return $verdict
}

on_signal()
{
	stop_emulator
	echo
	echo "run: interrupted"
	exit 130
}

main()
{
	local image status verdict
	choose_engine
	mkdir -p "$RUN_DIR"
	image=$(boot_image) || exit 2
	: >"$SERIAL"
	rm -f "$RUN_DIR/bochs.log"
	trap on_signal INT TERM HUP
	trap stop_emulator EXIT
	start_emulator "$image"
	echo "run: serial log $SERIAL, emulator output $RUN_DIR/emulator.out;" \
	     "Ctrl-C ends the run"
	# tail ends once the emulator (its --pid) has ended.
	tail -n +1 -s 0.2 --pid="$EMU_PID" -f "$SERIAL" | clean_serial | show_serial
	verdict=${PIPESTATUS[2]}
	{ wait "$EMU_PID"; } 2>/dev/null
	status=$?
	EMU_PID=
	case "$verdict" in
	0) echo "run: verdict PASS" ;;
	1) echo "run: verdict FAIL" ;;
	4) echo "run: the firmware took an exception (see above); stopped" ;;
	*) echo "run: no verdict line; emulator exit status $status"
	   [ "$status" = 124 ] || [ "$status" = 137 ] &&
		echo "run: stopped after RUN_TIMEOUT=$RUN_TIMEOUT s"
	   grep -m1 ">>PANIC<<" "$RUN_DIR/bochs.log" 2>/dev/null ;;
	esac
	[ "$verdict" = 0 ]
}

main "$@"
