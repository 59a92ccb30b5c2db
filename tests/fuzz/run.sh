#!/bin/bash
# tests/fuzz/run.sh [WORD]: run every host fuzz target $BUILD/fuzz/fuzz_*
# (built by `make fuzz-targets`) for FUZZ_SECONDS seconds each (default 3,
# as tests/run.sh runs it; `make fuzz` passes 60), or only those whose name
# contains WORD.  Prints "PASS fuzz/<name>: ..." or "FAIL fuzz/<name>:
# <crash summary>" per target.  A missing compiler, libFuzzer or target is
# a FAIL with the reason, never a silent pass.
#
# Corpora grow in $BUILD/fuzz/corpus/<name> (kept between runs, so a later
# run starts where the last one stopped) on top of the generated seeds in
# $BUILD/fuzz/seed-corpus/<name>; crash reproducers land in
# $BUILD/fuzz/crashes/<name>/, full logs in $BUILD/fuzz/logs/<name>.log.
# Replay one: $BUILD/fuzz/fuzz_<name> <reproducer>.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
FUZZ_SECONDS=${FUZZ_SECONDS:-3}
WORD=${1:-}
FUZZ_DIR=$BUILD/fuzz
failed=0

# Why the targets cannot exist, for the FAIL line; empty when they can.
toolchain_problem()
{
	local rt
	if ! command -v clang >/dev/null; then
		echo "clang is not installed (tools/deps.sh test installs clang and libclang-rt-14-dev)"
		return
	fi
	rt=$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a
	[ -e "$rt" ] || echo "libFuzzer ($rt) is missing (tools/deps.sh test installs libclang-rt-14-dev)"
}

# Longest input worth trying: the multiboot header may sit anywhere in the
# first 8 KiB of an image, the other formats need less.
max_len()
{
	case $1 in
	mb1_image) echo 12288 ;;
	mb2|acpi|madt|bzimage|page_walk|dmar) echo 8192 ;;
	efi_memmap) echo 12800 ;;   # 256 descriptors of 48 bytes + 1
	insn_decode) echo 32 ;;     # a mode byte and more than 15 bytes
	*) echo 4096 ;;
	esac
}

# The most telling line of a failed run's log.
crash_summary()
{
	local log=$1 line unit
	line=$(grep -a -m1 '^fuzz promise broken:' "$log") ||
		line=$(grep -a -m1 '^SUMMARY:' "$log") ||
		line=$(grep -a -m1 -E 'ERROR|runtime error' "$log") ||
		line="exited without a crash report"
	unit=$(grep -a -m1 -o 'Test unit written to [^ ]*' "$log" | sed 's/Test unit written to //')
	echo "$line${unit:+ (reproducer: $unit)}"
}

run_target()
{
	local name=$1 bin=$FUZZ_DIR/fuzz_$1 log=$FUZZ_DIR/logs/$1.log runs
	local corpus=$FUZZ_DIR/corpus/$1 seeds=$FUZZ_DIR/seed-corpus/$1
	local crashes=$FUZZ_DIR/crashes/$1/

	if [ ! -x "$bin" ]; then
		echo "FAIL fuzz/$name: $bin is missing (make fuzz-targets builds it)"
		failed=$((failed + 1))
		return
	fi
	mkdir -p "$corpus" "$seeds" "$crashes" "$(dirname "$log")"
	if UBSAN_OPTIONS=print_stacktrace=1 nice "$bin" \
		-max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$name")" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes" "$corpus" "$seeds" >"$log" 2>&1; then
		runs=$(grep -m1 -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
		echo "PASS fuzz/$name: ${runs:-?} runs in ${FUZZ_SECONDS} s, corpus $(find "$corpus" -type f | wc -l) inputs"
	else
		echo "FAIL fuzz/$name: $(crash_summary "$log") (log: $log)"
		failed=$((failed + 1))
	fi
}

problem=$(toolchain_problem)
names=()
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	[[ -z "$WORD" || "$name" == *"$WORD"* ]] && names+=("$name")
done
if [ ${#names[@]} -eq 0 ]; then
	echo "FAIL fuzz: no fuzz target matches '$WORD'"
	exit 1
fi
for name in "${names[@]}"; do
	if [ -n "$problem" ]; then
		echo "FAIL fuzz/$name: $problem"
		failed=$((failed + 1))
	else
		run_target "$name"
	fi
done
[ "$failed" -eq 0 ]
