#!/bin/bash
# tests/bench.sh: the micro-benchmarks of the test guest (tests/guest/bench.c)
# bare and under the hypervisor, in the same Bochs build and configuration,
# then the Linux guest benchmark if tests/bench/linux.sh exists, then the
# local APIC benchmark per back end (tests/bench/lapic.sh).
#
# Bochs runs with `clock: sync=none` (tools/bochsrc.sh): the emulated TSC
# advances by exactly one tick per emulated instruction, in VMX root and
# non-root mode alike, so every "ticks" figure below is an instruction
# count.  Per benchmark the table shows:
#   bare       TSC ticks per loop iteration, guest alone on the CPU
#   under hv   the same loop with the hypervisor underneath
#   hv - bare  what one exit adds: the VM exit, the exit stub, the run loop,
#              the dispatcher and handler, VMRESUME (minus the one guest
#              instruction the handler emulates)
#   hv exits   exits of that reason during the benchmark's loop, as the
#              guest read them from the hypervisor's statistics
#              (HC_GET_EXIT_STATS) around it; for VMCALL, which that call
#              shares, the count up to the first reading after the loop
#              (the loop and the guest's start-up calls)
#   root/exit  the hypervisor's own figure: TSC ticks from VM exit (after
#              the exit stub) to the next VM entry (before vmx_enter), for
#              the loop's exits (the guest's "bench NAME exits:" line);
#              for VMCALL from the first statistics table the hypervisor
#              logs after the benchmark (the guest runs it first)
#
# A benchmark is not a test: no threshold fails it.  Exit status 0 unless
# a run failed (no result, a failed guest, a hypervisor verdict other than
# PASS, a benchmark line missing).
#
# Environment: BUILD (default build), ITERATIONS (default 10000),
# BENCH_MODEL (Bochs CPU model, default corei7_skylake_x), BOCHS_TIMEOUT
# (seconds per run, default 120).  Logs: $BUILD/bench/.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export BUILD
ITERATIONS=${ITERATIONS:-10000}
BENCH_MODEL=${BENCH_MODEL:-corei7_skylake_x}
BOCHS_TIMEOUT=${BOCHS_TIMEOUT:-120}
OUT=$BUILD/bench
HV_ELF=$BUILD/hv.elf
GUEST_ELF=$BUILD/guest/testguest.elf

# The issue's target: "a CPUID exit costs at most 120 root-mode
# instructions in the handler path": judged on the traced instructions
# from entering exit_dispatch to leaving it (tests/bench/trace-exit.sh).
# The hypervisor's own exit-to-entry figure (which adds the run loop's
# timing, statistics and injection check) and the full round trip are
# printed beside it.
CPUID_TARGET=120

# The security issue's target for the exits its intercepts add: "at most
# 300 root-mode instructions exit to entry for an I/O exit that changes
# nothing", judged on the root/exit column of every I/O benchmark that
# exits, and on the traced exit-to-entry figure of each.
IO_TARGET=300
IO_BENCHES="io_in pci_addr pci_data_pm pm1_in"
# What tests/guest/bench.c assumes about Bochs's platform, checked in the
# hypervisor's log: the PM1a_CNT port pm1_in reads, and a PCI function
# decoding the PM block, whose selection makes pci_data_pm exit (the
# guard's own line is at debug level; its warning when there is no such
# function is not).
PM1A_CNT_LINE='PM1a_CNT 0xb004,'
PM_FUNCTION_MISSING='power: no bus-0 PCI function decodes the PM block'

# benchmark name (tests/guest/bench.c) -> exit-statistics row (hv/exit/table.c)
BENCHES="baseline cpuid vmcall io_in rdmsr pci_addr pci_data pci_data_pm pm1_in"
declare -A EXIT_ROW=(
	[cpuid]='CPUID (10)'
	[vmcall]='VMCALL (18)'
	[io_in]='I/O instruction (30)'
	[rdmsr]='RDMSR (31)'
	[pci_addr]='I/O instruction (30)'
	[pci_data]='I/O instruction (30)'
	[pci_data_pm]='I/O instruction (30)'
	[pm1_in]='I/O instruction (30)'
)

FAILED=()

die()
{
	echo "bench.sh: $*" >&2
	exit 1
}

run_failed()
{
	FAILED+=("$1")
	echo "bench.sh: run failed: $1" >&2
}

build_images()
{
	# Relative to the top directory when inside it: the dependency files
	# name their targets the way the build that wrote them was called.
	local rel=${BUILD#"$ROOT"/}

	make -C "$ROOT" --no-print-directory BUILD="$rel" \
	     "$rel/hv.elf" "$rel/guest/testguest.elf" >"$OUT/build.log" 2>&1 ||
		{ cat "$OUT/build.log" >&2; die "build failed"; }
}

# grub_cfg ENTRY-LINES...: a grub.cfg booting the given commands at once.
grub_cfg()
{
	printf 'set timeout=0\nserial --unit=0 --speed=115200\n'
	printf 'terminal_input serial console\nterminal_output serial console\n'
	printf 'menuentry "bench" {\n'
	printf '\t%s\n' "$@"
	printf '\tboot\n}\n'
}

make_isos()
{
	local args="bench iterations=$ITERATIONS"

	grub_cfg "multiboot /boot/testguest.elf $args" >"$OUT/bare.cfg"
	grub_cfg "multiboot2 /boot/hv.elf serial=0x3f8,115200 test-exit" \
		 "module2 /boot/testguest.elf guest $args" >"$OUT/hv.cfg"
	# The bare guest is multiboot (v1): GRUB needs its `multiboot' module.
	GRUB_EXTRA_MODULES=multiboot tools/mkiso.sh "$OUT/bare.iso" \
		"$OUT/bare.cfg" "$GUEST_ELF" || die "mkiso (bare) failed"
	tools/mkiso.sh "$OUT/hv.iso" "$OUT/hv.cfg" "$HV_ELF" "$GUEST_ELF" ||
		die "mkiso (hv) failed"
}

# run_bochs NAME: boot $OUT/NAME.iso; serial in NAME.com1, log in NAME.log.
# Both runs use the same generated configuration apart from the ISO.
run_bochs()
{
	local name=$1 status

	rm -f "$OUT/$name.com1" "$OUT/$name.log"
	tools/bochsrc.sh --model "$BENCH_MODEL" --cdrom "$OUT/$name.iso" \
		--com1 "$OUT/$name.com1" --log "$OUT/$name.log" >"$OUT/$name.rc" ||
		die "bochsrc.sh failed"
	TERM=xterm timeout -k 5 "$BOCHS_TIMEOUT" bochs-bin -q -f "$OUT/$name.rc" \
		-rc "$OUT/cont.rc" </dev/null >"$OUT/$name.stdout" 2>&1
	status=$?
	case $status in 124|137) run_failed "$name: Bochs timed out after ${BOCHS_TIMEOUT}s" ;; esac
	[ -s "$OUT/$name.com1" ] || run_failed "$name: no serial output"
}

# bench_ticks NAME BENCH: ticks per iteration, empty when not printed.
bench_ticks()
{
	sed -n "s/^\[guest\] bench $2: \([0-9][0-9]*\)\r\{0,1\}\$/\1/p" \
		"$OUT/$1.com1" | tail -n 1
}

# bench_exits BENCH count|per-exit: the exits of one benchmark's loop and
# their root-mode cost as the guest printed them ("-" for no exits); empty
# when it printed none.
bench_exits()
{
	sed -n "s/^\[guest\] bench $1 exits: \([0-9][0-9]*\), root\/exit: \([0-9-][0-9]*\)\r\{0,1\}\$/\1 \2/p" \
		"$OUT/hv.com1" | tail -n 1 |
		awk -v want="$2" '{ print (want == "count" ? $1 : $2) }'
}

# exit_stat BENCH ROW count|per-exit: a figure of one row of the first
# exit-statistics table the hypervisor logged after benchmark BENCH's line
# (columns: name, count, cycles, cycles/exit; the guest's statistics
# readings and the end of the run log one each); empty when the row is
# absent.
exit_stat()
{
	awk -v bench="[guest] bench $1: " -v row="$2" -v want="$3" '
		{ sub(/\r$/, "") }
		index($0, bench) == 1 { after = 1; next }
		after && index($0, "[hv]   exit reason ") == 1 { table = 1; next }
		table && index($0, "[hv]   total ") == 1 { exit }
		table && index($0, "[hv]   " row " ") == 1 {
			n = split($0, f, " ")
			print (want == "count" ? f[n - 2] : f[n]); exit
		}' "$OUT/hv.com1"
}

check_runs()
{
	grep -q '^\[guest\] summary: [0-9]* passed, 0 failed' "$OUT/bare.com1" 2>/dev/null ||
		run_failed "bare: no clean guest summary (see $OUT/bare.com1)"
	grep -q '^\[guest\] summary: [0-9]* passed, 0 failed' "$OUT/hv.com1" 2>/dev/null ||
		run_failed "hv: no clean guest summary (see $OUT/hv.com1)"
	grep -q '^\[hv\] verdict: PASS' "$OUT/hv.com1" 2>/dev/null ||
		run_failed "hv: verdict is not PASS (see $OUT/hv.com1)"
	grep -q '^\[hv\] vcpu0: exit statistics' "$OUT/hv.com1" 2>/dev/null ||
		run_failed "hv: no exit-statistics table (see $OUT/hv.com1)"
	grep -E 'VMENTER FAIL|VMFAIL' "$OUT/hv.log" 2>/dev/null | head -3 |
		while read -r line; do echo "bench.sh: bochs: $line" >&2; done
	grep -qF "$PM1A_CNT_LINE" "$OUT/hv.com1" 2>/dev/null ||
		echo "bench.sh: note: the hypervisor's PM1a_CNT is not 0xb004: pm1_in reads another port (see $OUT/hv.com1)"
	! grep -qF "$PM_FUNCTION_MISSING" "$OUT/hv.com1" 2>/dev/null ||
		echo "bench.sh: note: the hypervisor guards no PM block: pci_data_pm measures another path (see $OUT/hv.com1)"
}

# The table; sets CPUID_ROOT (the hypervisor's CPUID figure) and ROOT_OF
# (every benchmark's root/exit figure).
CPUID_ROOT=
declare -A ROOT_OF=()
print_table()
{
	local b bare hv diff count root row base_hv

	base_hv=$(bench_ticks hv baseline)
	printf '\n%-11s %10s %10s %10s %10s %12s\n' benchmark bare "under hv" \
		"hv - bare" "hv exits" "root/exit"
	for b in $BENCHES; do
		bare=$(bench_ticks bare "$b")
		hv=$(bench_ticks hv "$b")
		row=${EXIT_ROW[$b]:-}
		count=-
		root=-
		if [ -n "$(bench_exits "$b" count)" ]; then
			count=$(bench_exits "$b" count)
			root=$(bench_exits "$b" per-exit)
		elif [ -n "$row" ]; then
			count=$(exit_stat "$b" "$row" count)
			root=$(exit_stat "$b" "$row" per-exit)
			[ -n "$count" ] || { count=0; root=-; }
		fi
		[ "$b" = cpuid ] && CPUID_ROOT=$root
		ROOT_OF[$b]=$root
		if [ -z "$hv" ]; then
			run_failed "hv: no result for benchmark $b"
			hv=-
		fi
		if [ -z "$bare" ]; then
			# VMCALL #UDs bare: compare with the empty loop instead.
			if [ "$b" = vmcall ] && [ "$hv" != - ] && [ -n "$base_hv" ]; then
				bare="(n/a)"
				diff="$((hv - base_hv))*"
			else
				run_failed "bare: no result for benchmark $b"
				bare=-
				diff=-
			fi
		elif [ "$hv" != - ]; then
			diff=$((hv - bare))
		else
			diff=-
		fi
		printf '%-11s %10s %10s %10s %10s %12s\n' "$b" "$bare" "$hv" "$diff" \
			"$count" "$root"
		[ -n "$row" ] && [ "$count" = 0 ] &&
			echo "            note: the hypervisor counted no $row exit: it does not intercept this benchmark"
	done
	echo
	echo "All figures are emulated instructions (Bochs, clock: sync=none, model $BENCH_MODEL,"
	echo "$ITERATIONS iterations).  * VMCALL #UDs bare: its difference is against the empty loop."
}

# Instructions on the CPUID handler path, traced; empty when the trace
# failed (its own message says why).
cpuid_handler_path()
{
	BUILD=$BUILD bash "$ROOT/tests/bench/trace-exit.sh" cpuid \
		>"$OUT/trace-summary.txt" 2>&1 || return 0
	sed -n 's/^== handler path: \([0-9]*\) instructions.*/\1/p' \
		"$OUT/trace-summary.txt"
}

# The traced exit-to-entry figure of one benchmark's exit; empty when the
# trace failed (its own message says why).
traced_exit_to_entry()
{
	BUILD=$BUILD bash "$ROOT/tests/bench/trace-exit.sh" "$1" \
		>"$OUT/trace-summary-$1.txt" 2>&1 || return 0
	sed -n 's/^== exit to entry: \([0-9]*\) instructions.*/\1/p' \
		"$OUT/trace-summary-$1.txt"
}

# The I/O target, per exiting I/O benchmark: the hypervisor's figure and
# the traced one.
print_io_summary()
{
	local b root traced verdict

	for b in $IO_BENCHES; do
		root=${ROOT_OF[$b]:--}
		traced=$(traced_exit_to_entry "$b")
		verdict=met
		if [ "$root" = - ] || [ -z "$traced" ]; then
			verdict="no figure"
			[ -n "$traced" ] ||
				run_failed "tests/bench/trace-exit.sh $b gave no figure (see $OUT/trace-summary-$b.txt)"
		elif [ "$root" -gt "$IO_TARGET" ] || [ "$traced" -gt "$IO_TARGET" ]; then
			verdict="NOT met"
		fi
		echo "I/O exit $b, exit to entry: root/exit $root, traced ${traced:--}" \
		     "instructions; target <= $IO_TARGET: $verdict"
	done
}

print_summary()
{
	local handler verdict="NOT met"

	echo
	echo "== summary"
	handler=$(cpuid_handler_path)
	if [ -n "$handler" ]; then
		[ "$handler" -le "$CPUID_TARGET" ] && verdict="met"
		echo "CPUID exit, handler path (exit_dispatch, traced): $handler" \
		     "instructions; target <= $CPUID_TARGET: $verdict"
	else
		run_failed "tests/bench/trace-exit.sh cpuid gave no figure (see $OUT/trace-summary.txt)"
	fi
	if [ -n "$CPUID_ROOT" ] && [ "$CPUID_ROOT" != - ]; then
		echo "CPUID exit, root mode (the hypervisor's exit-to-entry figure): $CPUID_ROOT instructions"
		echo "CPUID exit, full round trip (hv - bare): $(( $(bench_ticks hv cpuid) - $(bench_ticks bare cpuid) )) instructions"
	else
		echo "CPUID exit: no figure (see the failures below)"
	fi
	print_io_summary
}

# ---- Linux guest boot overhead ------------------------------------------------
# Another benchmark fills this in: when tests/bench/linux.sh exists it runs
# here with BUILD exported and prints its own section; a non-zero status
# counts as a failed run.
run_linux_bench()
{
	local script=$ROOT/tests/bench/linux.sh

	echo
	echo "== Linux guest boot overhead"
	if [ ! -f "$script" ]; then
		echo "(not measured: tests/bench/linux.sh does not exist yet)"
		return
	fi
	bash "$script" || run_failed "tests/bench/linux.sh exited with status $?"
}

# ---- local APIC, per back end ------------------------------------------------
# tests/bench/lapic.sh (issue 9): self-IPI and timer latencies bare and under
# the hypervisor, idle Linux exits per second, one line of its BACKENDS
# table per LAPIC back end.  After the Linux benchmark, which builds the
# kernel and the initramfs it also boots.
run_lapic_bench()
{
	echo
	bash "$ROOT/tests/bench/lapic.sh" || run_failed "tests/bench/lapic.sh exited with status $?"
}

main()
{
	mkdir -p "$OUT"
	printf 'c\nquit\n' >"$OUT/cont.rc"
	echo "== micro-benchmarks: test guest bare and under the hypervisor (Bochs $BENCH_MODEL, $ITERATIONS iterations)"
	build_images
	make_isos
	run_bochs bare
	run_bochs hv
	check_runs
	print_table
	run_linux_bench
	run_lapic_bench
	print_summary
	if [ ${#FAILED[@]} -gt 0 ]; then
		echo "FAILED runs:"
		printf '  %s\n' "${FAILED[@]}"
		echo "logs: $OUT/"
		exit 1
	fi
	echo "all runs completed; logs: $OUT/"
}

main "$@"
