#!/bin/bash
# tests/bench/lapic.sh: the local APIC's cost (issue 9), bare and under the
# hypervisor in one run, per LAPIC back end (tests/bench.sh runs this).
#
# Per back end (a line of BACKENDS below: a label, the Bochs CPU model, the
# hypervisor's extra command-line words):
#   - the test guest's LAPIC benchmarks (tests/guest/bench_lapic.c), bare
#     and under the hypervisor on that model: TSC ticks (= instructions,
#     Bochs `clock: sync=none`) from a self-IPI's ICR write to its handler
#     (lapic_ipi) and from a TSC-deadline timer's deadline to its handler
#     (lapic_timer), the TSC ticks a tick of the LAPIC timer in periodic
#     mode takes from the code it interrupts (lapic_periodic: nothing
#     re-arms it in the guest, so its exits per tick are the hypervisor's
#     own), and under the hypervisor the exits per event (every
#     reason but the statistics' own VMCALLs) with their root-mode cost
#     per exit and per event,
#     and on a line below them the exits per event of each reason;
#   - an idle Linux guest (the small kernel and the test initramfs) under
#     the hypervisor: VM exits per second of guest time, and per tick of the
#     guest's LAPIC timer.  Two runs differ only in how long /init sleeps
#     between its two "[init] local timer:" lines (timer_idle=1 and
#     timer_gap=N, in hundredths of a second, on the kernel command line,
#     which reach /init as variables): GAP_SHORT and GAP_LONG.  The boots
#     are the same, so the differences of the hypervisor's end-of-run exit
#     statistics and of the guests' uptime and LOC counts are those of the
#     extra idle time.  One Bochs CPU: with two, Bochs does not skip a
#     halted guest's idle time, and a second of the guest's uptime (its
#     TSC at the model's nominal 3.5 GHz) costs 3.5e9 emulated
#     instructions.
# A benchmark, not a test: no target fails it.  Exit status 0 unless a run
# failed (no figure, a verdict other than PASS, a timeout).
# Environment: BUILD (default build), ITERATIONS (default 10000),
# BOCHS_TIMEOUT (guest runs, default 120), LINUX_BENCH_TIMEOUT (default
# 300).  Logs: $BUILD/bench/lapic-*.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export BUILD
ITERATIONS=${ITERATIONS:-10000}
BOCHS_TIMEOUT=${BOCHS_TIMEOUT:-120}
LINUX_BENCH_TIMEOUT=${LINUX_BENCH_TIMEOUT:-300}
OUT=$BUILD/bench
HV_ELF=$BUILD/hv.elf
GUEST_ELF=$BUILD/guest/testguest.elf
KERNEL=$BUILD/linux/bzImage-small
INITRD=$BUILD/linux/initramfs.cpio.gz
KERNEL_CMDLINE="console=ttyS0,115200 panic=-1 noxsave"
CPUS=1
GAP_SHORT=100       # hundredths of a second; the same width as GAP_LONG,
GAP_LONG=500        # so the command line has the same length

# The back ends, one a line: label, Bochs model, hypervisor words ("-":
# none): the virtual LAPIC's APICv back end (Skylake-X), and its software
# back end on a CPU without APICv (Ivy Bridge) and forced on Skylake-X.
BACKENDS='
apicv         corei7_skylake_x         -
software      corei7_ivy_bridge_3770k  -
software-skx  corei7_skylake_x         lapic=software
'

LAPIC_BENCHES="lapic_ipi lapic_timer lapic_periodic"
FAILED=()

run_failed()
{
	FAILED+=("$1")
	echo "lapic.sh: run failed: $1" >&2
}

die()
{
	echo "lapic.sh: $*" >&2
	exit 1
}

# grub_cfg ENTRY-LINES...: a grub.cfg booting the given commands at once.
grub_cfg()
{
	printf 'set timeout=0\nserial --unit=0 --speed=115200\n'
	printf 'terminal_input serial console\nterminal_output serial console\n'
	printf 'menuentry "lapic-bench" {\n'
	printf '\t%s\n' "$@"
	printf '\tboot\n}\n'
}

# hv_words WORDS: the hypervisor's words ("-" is none).
hv_words()
{
	[ "$1" = - ] || printf ' %s' "$1"
}

# make_isos LABEL WORDS: the guest ISOs (bare, hv) and the Linux ISOs (the
# two gaps) of one back end.
make_isos()
{
	local l=$1 words args="bench iterations=$ITERATIONS" g
	words=$(hv_words "$2")
	grub_cfg "multiboot /boot/testguest.elf $args" >"$OUT/lapic-$l-bare.cfg"
	grub_cfg "multiboot2 /boot/hv.elf serial=0x3f8,115200 test-exit$words" \
		 "module2 /boot/testguest.elf guest $args" >"$OUT/lapic-$l-hv.cfg"
	GRUB_EXTRA_MODULES=multiboot tools/mkiso.sh "$OUT/lapic-$l-bare.iso" \
		"$OUT/lapic-$l-bare.cfg" "$GUEST_ELF" || die "mkiso failed"
	tools/mkiso.sh "$OUT/lapic-$l-hv.iso" "$OUT/lapic-$l-hv.cfg" "$HV_ELF" \
		"$GUEST_ELF" || die "mkiso failed"
	for g in $GAP_SHORT $GAP_LONG; do
		grub_cfg "multiboot2 /boot/hv.elf serial=0x3f8,115200 test-exit$words" \
			 "module2 /boot/bzImage-small linux $KERNEL_CMDLINE timer_idle=1 timer_gap=$g" \
			 "module2 /boot/initramfs.cpio.gz initrd" >"$OUT/lapic-$l-linux$g.cfg"
		tools/mkiso.sh "$OUT/lapic-$l-linux$g.iso" "$OUT/lapic-$l-linux$g.cfg" \
			"$HV_ELF" "$KERNEL" "$INITRD" || die "mkiso failed"
	done
}

# run_bochs NAME MODEL SECONDS [bochsrc.sh OPTIONS]: boot lapic-NAME.iso.
run_bochs()
{
	local name=lapic-$1 model=$2 secs=$3 status
	shift 3
	rm -f "$OUT/$name.com1" "$OUT/$name.log"
	tools/bochsrc.sh --model "$model" --cdrom "$OUT/$name.iso" \
		--com1 "$OUT/$name.com1" --log "$OUT/$name.log" "$@" >"$OUT/$name.rc" ||
		die "bochsrc.sh failed"
	TERM=xterm timeout -k 5 "$secs" bochs-bin -q -f "$OUT/$name.rc" \
		-rc "$OUT/cont.rc" </dev/null >"$OUT/$name.stdout" 2>&1
	status=$?
	case $status in 124|137) run_failed "$1: Bochs timed out after ${secs}s" ;; esac
}

# bench_ticks NAME BENCH: the guest's figure, empty when not printed.
bench_ticks()
{
	sed -n "s/^\[guest\] bench $2: \([0-9][0-9]*\)\r\{0,1\}\$/\1/p" \
		"$OUT/lapic-$1.com1" 2>/dev/null | tail -n 1
}

# bench_exits NAME BENCH: "exits root/exit" as the guest printed them.
bench_exits()
{
	sed -n "s/^\[guest\] bench $2 exits: \([0-9][0-9]*\), root\/exit: \([0-9-][0-9]*\)\r\{0,1\}\$/\1 \2/p" \
		"$OUT/lapic-$1.com1" 2>/dev/null | tail -n 1
}

# timer_lines NAME: "LOC1 UPTIME1 LOC2 UPTIME2" from /init's two lines.
timer_lines()
{
	sed -n 's/^\[init\] local timer: \([0-9][0-9]*\) at uptime \([0-9.][0-9.]*\) s\r\{0,1\}$/\1 \2/p' \
		"$OUT/lapic-$1.com1" 2>/dev/null | tr '\n' ' '
}

# exit_table NAME: "reason-name<TAB>count<TAB>root-mode cycles" per row of
# the hypervisor's end-of-run statistics, the total row named "total".
exit_table()
{
	sed -n '/\[hv\] vcpu0: exit statistics/,/\[hv\]   total/p' \
		"$OUT/lapic-$1.com1" 2>/dev/null | tr -d '\r' |
		awk 'NR > 2 { n = split($0, f, " "); name = f[2];
			for (i = 3; i <= n - 3; i++) name = name " " f[i];
			print name "\t" f[n - 2] "\t" f[n - 1] }'
}

# bench_by_reason NAME BENCH: the exits per event of each reason during
# BENCH, from the exit tables the hypervisor logs at the guest's two
# readings around it (the last table before "bench BENCH:", the first
# after it), as "reason per-event, ..." from the most frequent (the
# VMCALLs of the readings and rows that did not move left out).
bench_by_reason()
{
	tr -d '\r' <"$OUT/lapic-$1.com1" 2>/dev/null | awk -v b="$2" -v it="$ITERATIONS" '
	/^\[hv\]   exit reason  / { t++; next }
	/^\[hv\]   / { n = split($0, f, " "); name = f[2]
		for (i = 3; i <= n - 3; i++) name = name " " f[i]
		count[t, name] = f[n - 2]; seen[name] = 1; next }
	index($0, "[guest] bench " b ": ") == 1 { before = t }
	index($0, "[guest] bench " b " exits: ") == 1 { after = t }
	END { if (!before || !after) exit
		for (r in seen) { d = count[after, r] - count[before, r]
			if (d && r != "total" && r !~ /^VMCALL/)
				printf "%.3f\t%s\n", d / it, r } }' |
		sort -t "$(printf '\t')" -k1,1nr -k2 |
		awk -F '\t' '{ out = out (NR > 1 ? ", " : "") $2 " " $1 } END { print out }'
}

# guest_rows LABEL: the test guest's LAPIC benchmarks of one back end.
guest_rows()
{
	local l=$1 b bare hv ex n root per root_per
	for b in $LAPIC_BENCHES; do
		bare=$(bench_ticks "$l-bare" "$b")
		hv=$(bench_ticks "$l-hv" "$b")
		ex=$(bench_exits "$l-hv" "$b")
		[ -n "$bare" ] || run_failed "$l bare: no figure for $b"
		[ -n "$hv" ] || run_failed "$l hv: no figure for $b"
		n=${ex%% *}
		root=${ex##* }
		per=-
		root_per=-
		[ -n "$n" ] && per=$(awk -v n="$n" -v it="$ITERATIONS" 'BEGIN { printf "%.2f", n / it }')
		# root-mode instructions per event: the exits' mean times their
		# number ("-": no exits, 0 instructions)
		case $root in ''|-) ;; *)
			root_per=$(awk -v n="$n" -v r="$root" -v it="$ITERATIONS" 'BEGIN { printf "%.0f", n * r / it }') ;;
		esac
		printf '%-12s %-14s %8s %8s %8s %10s %10s %10s\n' "$l" "$b" "${bare:--}" \
			"${hv:--}" "$([ -n "$bare" ] && [ -n "$hv" ] && echo $((hv - bare)) || echo -)" \
			"$per" "${root:--}" "$root_per"
		by=$(bench_by_reason "$l-hv" "$b")
		[ -z "$by" ] || printf '%-12s   per event: %s\n' "" "$by"
	done
}

# linux_idle LABEL: exits per second of idle guest time, from the two runs.
linux_idle()
{
	local l=$1 s g t
	s=$l-linux$GAP_SHORT
	g=$l-linux$GAP_LONG
	for t in "$s" "$g"; do
		grep -q '^\[hv\] verdict: PASS (guest powered off)' "$OUT/lapic-$t.com1" 2>/dev/null ||
			run_failed "$t: verdict is not 'PASS (guest powered off)' (see $OUT/lapic-$t.com1)"
		[ "$(timer_lines "$t" | wc -w)" = 4 ] ||
			run_failed "$t: no two '[init] local timer:' lines (see $OUT/lapic-$t.com1)"
	done
	[ ${#FAILED[@]} -eq 0 ] || return 0
	# shellcheck disable=SC2046 # four numbers each
	awk -v label="$l" -v short="$(timer_lines "$s")" -v long="$(timer_lines "$g")" \
	    -v ts="$(exit_table "$s" | tr '\n' '|')" -v tl="$(exit_table "$g" | tr '\n' '|')" '
	function table(text, into, cycles,   rows, i, n, kv) {
		n = split(text, rows, "|")
		for (i = 1; i <= n; i++)
			if (split(rows[i], kv, "\t") == 3) { into[kv[1]] = kv[2]; cycles[kv[1]] = kv[3] }
	}
	BEGIN {
		split(short, a, " "); split(long, b, " ")
		secs = (b[4] - b[2]) - (a[4] - a[2])
		ticks = (b[3] - b[1]) - (a[3] - a[1])
		table(ts, es, cs); table(tl, el, cl)
		total = el["total"] - es["total"]
		root = cl["total"] - cs["total"]
		printf "%-12s idle guest: %.2f s, %d LAPIC timer ticks (%.1f/s), %d exits: %.1f exits/s, %.2f exits and %.0f root-mode instructions per tick\n",
			label, secs, ticks, ticks / secs, total, total / secs, ticks ? total / ticks : 0, ticks ? root / ticks : 0
		for (r in el) if (r != "total" && el[r] - es[r] != 0)
			printf "%-12s   %-36s %10.1f/s\n", "", r, (el[r] - es[r]) / secs
	}'
}

main()
{
	local l model words
	mkdir -p "$OUT"
	printf 'c\nquit\n' >"$OUT/cont.rc"
	echo "== local APIC: test guest bare and under the hypervisor, idle Linux under the hypervisor, per back end"
	[ -f "$KERNEL" ] && [ -f "$INITRD" ] && [ -f "$HV_ELF" ] && [ -f "$GUEST_ELF" ] ||
		die "inputs missing (tests/bench.sh and tests/bench/linux.sh build them)"
	while read -r l model words; do
		[ -n "$l" ] || continue
		make_isos "$l" "$words"
		run_bochs "$l-bare" "$model" "$BOCHS_TIMEOUT"
		run_bochs "$l-hv" "$model" "$BOCHS_TIMEOUT"
		run_bochs "$l-linux$GAP_SHORT" "$model" "$LINUX_BENCH_TIMEOUT" \
			--cpus "$CPUS" --ignore-bad-msrs 1
		run_bochs "$l-linux$GAP_LONG" "$model" "$LINUX_BENCH_TIMEOUT" \
			--cpus "$CPUS" --ignore-bad-msrs 1
	done <<<"$BACKENDS"
	echo
	printf '%-12s %-14s %8s %8s %8s %10s %10s %10s\n' "back end" benchmark bare \
		"under hv" "hv - bare" exits/event root/exit root/event
	while read -r l model words; do
		[ -n "$l" ] && guest_rows "$l"
	done <<<"$BACKENDS"
	echo
	while read -r l model words; do
		[ -n "$l" ] && linux_idle "$l"
	done <<<"$BACKENDS"
	echo
	echo "Guest figures: TSC ticks = emulated instructions (Bochs, clock: sync=none), $ITERATIONS"
	echo "events each.  Linux: $CPUS CPU, '$KERNEL_CMDLINE', /init sleeping"
	echo "$((GAP_SHORT / 100)) s and $((GAP_LONG / 100)) s between its local-timer lines (timer_idle=1 timer_gap=N)."
	if [ ${#FAILED[@]} -gt 0 ]; then
		printf '  %s\n' "${FAILED[@]}"
		exit 1
	fi
}

main "$@"
