# tests/boot/linux-lib.sh: helpers of the Linux guest boot tests (90-9x),
# sourced after lib.sh.
# shellcheck shell=bash disable=SC2034 # the variables are for the test scripts
#
# The guest is an unmodified Linux kernel with the test initramfs
# (tests/linux/README.md); its /init prints "[init] ..." markers and powers
# the machine off through ACPI, which the hypervisor sees and turns into
# "[hv] verdict: PASS (guest powered off)".
#
# Every Linux case runs on Bochs corei7_skylake_x with two CPUs (the
# hypervisor hands the guest one of them through its MADT) and with
# ignore_bad_msrs=1: Bochs lacks IA32_MISC_ENABLE (0x1a0) and other MSRs
# Linux reads; the same kernel triple-faults in Bochs WITHOUT the
# hypervisor unless Bochs ignores them.  That is a property of the
# emulator, not of the hypervisor.  `noxsave` on the kernel command line:
# Bochs's skylake_x reports a wrong XSAVE size in CPUID 0xD, and bare
# Linux prints a WARNING for it too (which "dmesg: clean" would catch).

LINUX_DIR=$BUILD/linux
LINUX_SMALL=$LINUX_DIR/bzImage-small
LINUX_DEBIAN=$LINUX_DIR/vmlinuz-debian
LINUX_INITRD=$LINUX_DIR/initramfs.cpio.gz
LINUX_MODEL=corei7_skylake_x
# The model without APICv: the virtual LAPIC's software back end.
LINUX_MODEL_SOFTWARE_LAPIC=corei7_ivy_bridge_3770k
LINUX_CPUS=2

HV_ARGS_LINUX="serial=0x3f8,115200 test-exit"
LINUX_CMDLINE_SMALL="console=ttyS0,115200 panic=-1 noxsave"
# Debian's kernel: skip what only costs emulated time (crypto self-tests,
# rodata checks, mitigations, KASLR); measured about 70 s in Bochs.
LINUX_CMDLINE_DEBIAN="console=ttyS0,115200 quiet cryptomgr.notests=1 rodata=off mitigations=off nokaslr noxsave panic=-1"

# Per-run limits in seconds: the small kernel reaches power-off after about
# 6 s of wall time, Debian's after about 70 s (both more when the cores are
# busy).  Override from the environment.
LINUX_SMALL_TIMEOUT=${LINUX_SMALL_TIMEOUT:-240}
LINUX_DEBIAN_TIMEOUT=${LINUX_DEBIAN_TIMEOUT:-600}
# A rejected image stops within seconds.
LINUX_BAD_TIMEOUT=${LINUX_BAD_TIMEOUT:-120}

# The hypervisor's CPUID leaf 0x40000000 as tests/linux/cpuid-sig prints it.
HV_SIGNATURE_LINE="CPUID 0x40000000: max=0x40000001 signature='VTxMicroHV  '"

# linux_asset SCRIPT [ARGS]: build (or find cached) one asset through its
# tools/ script; its steps' output goes to the test's log directory, its
# progress lines (a handful per step, tools/progress.sh) and errors to the
# test's output.  Prints the script's last line (the asset's path); status
# of the script.
linux_asset()
{
	local script=$1 log
	shift
	log=$TEST_LOG_DIR/$(basename "$script" .sh).log
	mkdir -p "$TEST_LOG_DIR"
	: >"$log"
	BUILD=$BUILD TOOL_LOG=$log "$ROOT/tools/$script" "$@" >>"$log" || {
		echo "note: tools/$script failed (log $log)" >&2
		return 1
	}
	tail -n 1 "$log"
}

# linux_small_assets: the small kernel and the initramfs.  The kernel is
# built once per clean build directory (about 2-3 minutes on idle cores).
linux_small_assets()
{
	local key=$LINUX_SMALL.key
	if [ ! -f "$LINUX_SMALL" ] || [ ! -f "$key" ]; then
		echo "note: building the small Linux kernel into $LINUX_DIR" \
		     "(tools/build-linux.sh, about 2-3 minutes, once)"
	fi
	linux_asset build-linux.sh >/dev/null
	linux_asset build-initramfs.sh >/dev/null
}

# linux_debian_assets: Debian's stock kernel (downloaded once) + initramfs.
linux_debian_assets()
{
	[ -e "$LINUX_DEBIAN" ] ||
		echo "note: fetching Debian's kernel into $LINUX_DIR (tools/get-debian-kernel.sh)"
	linux_asset get-debian-kernel.sh >/dev/null
	linux_asset build-initramfs.sh >/dev/null
}

# linux_iso OUT KERNEL CMDLINE [INITRD]: an ISO booting hv.elf (HV_ARGS_LINUX)
# with KERNEL as module "linux" (CMDLINE its command line) and INITRD, when
# given, as module "initrd".
linux_iso()
{
	local out=$1 kernel=$2 cmdline=$3 initrd=${4:-}
	local lines=("module2 /boot/$(basename "$kernel") linux $cmdline")
	need_file "$HV_ELF" "$kernel" ${initrd:+"$initrd"} || return 0
	[ -z "$initrd" ] || lines+=("module2 /boot/$(basename "$initrd") initrd")
	make_iso "$out" "$(grub_cfg_hv "$HV_ARGS_LINUX" "${lines[@]}")" \
		"$HV_ELF" "$kernel" ${initrd:+"$initrd"}
}

# linux_esp OUT KERNEL CMDLINE INITRD: the same for hv.efi (hv.cfg).
linux_esp()
{
	local out=$1 kernel=$2 cmdline=$3 initrd=$4
	need_file "$HV_EFI" "$kernel" "$initrd" || return 0
	make_esp "$out" "$(printf 'cmdline %s\nmodule %s linux %s\nmodule %s initrd' \
		"$HV_ARGS_LINUX" "$(basename "$kernel")" "$cmdline" \
		"$(basename "$initrd")")" "$kernel" "$initrd"
}

# run_linux_bochs SECONDS [bochsrc.sh OPTIONS...]: one Bochs run with the
# Linux configuration (model, two CPUs, ignore_bad_msrs=1, see above).
run_linux_bochs()
{
	local secs=$1
	shift
	BOCHS_TIMEOUT=$secs run_bochs --model "$LINUX_MODEL" --cpus "$LINUX_CPUS" \
		--ignore-bad-msrs 1 "$@"
}

# expect_linux_booted START-LINE [CPUS-NOTE]: the hypervisor started
# (START-LINE), loaded the kernel for one of the two CPUs (the summary line
# ends with "(CPUS-NOTE)", by default "1 of 2 CPUs"), the guest reached user
# space with every /init marker as a guest of this hypervisor, powered off
# through ACPI, and the hypervisor saw it and ended with PASS.
expect_linux_booted()
{
	local cpus=${2:-1 of 2 CPUs}
	expect_line "$1"
	expect_regex "^\\[hv\\] guest: linux: bzImage [0-9]+ bytes, protocol 2\\.[0-9]+, 64-bit.*\\($cpus\\)\$" \
		"Linux loader summary line with ($cpus)"
	expect_line '[init] userspace reached'
	expect_regex '^\[init\] tsc: [0-9]+$' '[init] tsc line'
	expect_line '[init] cpus: 1'
	expect_line '[init] hypervisor flag: yes'
	expect_line '[init] dmesg: clean'
	expect_local_timer_ticks
	expect_line "$HV_SIGNATURE_LINE"
	expect_regex '^CPUID 0x40000001: eax=0x[0-9a-f]{8}$' 'CPUID 0x40000001 line'
	expect_line '[init] done'
	expect_regex '^\[hv\] guest powered off \(ACPI S5: .*\)$' 'guest powered off (ACPI S5) line'
	expect_order '^\[hv\] guest: linux: bzImage ' '^\[init\] userspace reached$'
	expect_order '^\[init\] done$' '^\[hv\] guest powered off '
	expect_absent '^\[init\] (poweroff failed|rdtsc failed|cpuid-sig failed)' 'init failure'
	expect_absent 'Kernel panic' 'kernel panic'
	expect_verdict PASS 'guest powered off'
	expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
}

# expect_local_timer_ticks: the guest's two "[init] local timer: N at
# uptime U s" lines (the LOC line of /proc/interrupts, tests/linux/init):
# both there, uptime moved on and the count grew, i.e. the guest's LAPIC
# timer ticks.
expect_local_timer_ticks()
{
	local re='^\[init\] local timer: ([0-9]+) at uptime ([0-9]+)\.([0-9]+) s$' lines
	ran || return 0
	lines=$(grep -E "$re" "$SERIAL" | sed -E "s/$re/\1 \2\3/")
	if [ "$(grep -c . <<<"$lines")" != 2 ]; then
		case_fail "$(grep -c . <<<"$lines") '[init] local timer: N at uptime U s' line(s), want 2"
		return 0
	fi
	# shellcheck disable=SC2086 # four numbers: LOC, uptime (1/100 s) twice
	set -- $lines
	[ "$((10#$4))" -gt "$((10#$2))" ] ||
		case_fail "uptime did not move on between the local-timer lines ($2, $4 hundredths of a second)"
	[ "$3" -gt "$1" ] ||
		case_fail "the local timer did not tick: LOC $1, then $3, $((10#$4 - 10#$2)) hundredths of a second of uptime later"
	return 0
}

# expect_linux_lapic BACKEND [no-device-irq]: the virtual LAPIC ran on
# BACKEND (APICv or software), the guest's LAPIC timer expired, and the
# hypervisor forwarded physical interrupts to it (docs/apic.md).  With
# no-device-irq the forwarded count is only required to be reported: the
# small kernel under OVMF (92-) uses no device interrupt at all (no PIT
# calibration, no disk; its console is the virtual UART, whose IRQ is
# injected, not forwarded), measured 0 on 2026-12-02.
expect_linux_lapic()
{
	local forwarded='[1-9][0-9]*'
	[ "${2:-}" = no-device-irq ] && forwarded='[0-9]+'
	expect_regex "^\\[hv\\] vcpu0: LAPIC: virtual, $1 back end " "the $1 back end line"
	expect_regex '^\[hv\] vcpu0: LAPIC timer: TSC / 1, on the VMX-preemption timer ' \
		'the timer on the VMX-preemption timer'
	expect_regex "^\\[hv\\] vcpu0: LAPIC: $forwarded interrupts forwarded " \
		'forwarded interrupts'
	expect_regex '^\[hv\] vcpu0: LAPIC: timer expiries [1-9][0-9]*, ' \
		"the guest's LAPIC timer expiries"
}

# expect_linux_rejected ERROR-TEXT: the loader refused the image with
# "[hv] error: guest: linux: ERROR-TEXT" and the hypervisor stopped with
# FAIL, before the guest ran.
expect_linux_rejected()
{
	expect_line "[hv] error: guest: linux: $1"
	expect_verdict FAIL 'guest image invalid'
	expect_absent '^\[init\] ' 'guest output'
}

# le32 FILE OFFSET: the little-endian 32-bit word at OFFSET (decimal).
le32()
{
	od -An -tu4 -j "$2" -N 4 --endian=little "$1" | tr -d ' '
}

# le8 FILE OFFSET: the byte at OFFSET (decimal).
le8()
{
	od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' '
}

# patch_bytes FILE OFFSET PRINTF-BYTES: overwrite bytes in place.
patch_bytes()
{
	printf '%b' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
