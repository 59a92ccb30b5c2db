#!/bin/bash
# tests/run.sh [FILTER]: run the layer check (tests/layers.sh), the host
# unit tests ($BUILD/unit-tests), the host fuzz targets for a few seconds
# each (tests/fuzz/run.sh), the doc checks (tests/docs/check.sh, and its
# self-test), the `make usb` checks (tests/usb/write-checks.sh), then
# every boot test tests/boot/NN-*.sh in order, and end
# with the line "N passed, N failed".  Exit status 0 only when nothing
# failed.
#
# FILTER selects by name: "layers" runs only the layer check, "unit" only
# the unit tests, "unit/WORD" the unit tests whose name contains WORD,
# "fuzz/WORD" the fuzz targets whose name contains WORD, "docs" only the
# doc checks, "usb-write" only the `make usb` checks, anything else the boot tests whose file name contains it
# (e.g. "bochs", "20-"); "fuzz" runs every fuzz target (and any boot test
# named for it).  Without FILTER: everything.
#
# Every test prints "PASS <name>" or "FAIL <name>: <why>" lines; they are
# counted here.  A test program that dies without a FAIL line, or prints no
# result at all, counts as one failure.  Logs: $BUILD/test-logs/.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export BUILD
FILTER=${1:-}
# Backstop for a whole test script; each emulator run has its own limit.
SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-900}
LOG_DIR=$BUILD/test-logs

passed=0
failed=0
failures=()

trap 'echo "tests/run.sh: interrupted"; exit 130' INT TERM HUP

# run_test NAME CMD...: run one test program, show its output as it comes,
# and count its PASS and FAIL lines.
run_test()
{
	local name=$1 out status p f
	shift
	out=$LOG_DIR/$name.out
	mkdir -p "$(dirname "$out")"
	# --foreground: the test stays in our process group, so Ctrl-C reaches
	# it and it can stop its own emulator.
	timeout --foreground -k 5 "$SCRIPT_TIMEOUT" "$@" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	p=$(grep -c '^PASS ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: exited with status $status" | tee -a "$out"
		f=1
	elif [ $((p + f)) -eq 0 ]; then
		echo "FAIL $name: printed no PASS or FAIL line" | tee -a "$out"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	mapfile -t -O "${#failures[@]}" failures < <(grep '^FAIL ' "$out")
}

run_unit_tests()
{
	local word=${FILTER#unit}
	word=${word#/}
	if [ ! -x "$BUILD/unit-tests" ]; then
		echo "FAIL unit: $BUILD/unit-tests is missing (make test builds it)"
		failed=$((failed + 1))
		failures+=("FAIL unit: binary missing")
		return
	fi
	run_test unit "$BUILD/unit-tests" ${word:+"$word"}
}

# The docs' tables against the code, then proof that those checks fail on
# a tree with a deliberate mistake.
run_doc_checks()
{
	run_test docs bash tests/docs/check.sh
	run_test docs-self-test bash tests/docs/check.sh --self-test
}

run_layer_check()
{
	run_test layers bash tests/layers.sh
}

# The boot-input fuzz targets, FUZZ_SECONDS (default 3) each.
run_fuzz_tests()
{
	local word=${FILTER#fuzz}
	word=${word#/}
	run_test fuzz tests/fuzz/run.sh ${word:+"$word"}
}

run_boot_tests()
{
	local script name
	for script in tests/boot/[0-9][0-9]-*.sh; do
		[ -e "$script" ] || continue
		name=$(basename "$script" .sh)
		[[ -z "$FILTER" || "$name" == *"$FILTER"* ]] || continue
		run_test "boot/$name" bash "$script"
	done
}

start=$SECONDS

mkdir -p "$LOG_DIR"
if [[ -z "$FILTER" || "$FILTER" == layers ]]; then
	run_layer_check
fi
if [[ -z "$FILTER" || "$FILTER" == unit || "$FILTER" == unit/* ]]; then
	run_unit_tests
fi
if [[ -z "$FILTER" || "$FILTER" == fuzz || "$FILTER" == fuzz/* ]]; then
	run_fuzz_tests
fi
if [[ -z "$FILTER" || "$FILTER" == docs ]]; then
	run_doc_checks
fi
# `make usb`'s refusals against fake /sys and /proc trees (no emulator).
if [[ -z "$FILTER" || "$FILTER" == usb-write ]]; then
	run_test usb-write bash tests/usb/write-checks.sh
fi
if [[ "$FILTER" != unit && "$FILTER" != unit/* && "$FILTER" != docs &&
      "$FILTER" != layers && "$FILTER" != fuzz/* &&
      "$FILTER" != usb-write ]]; then
	run_boot_tests
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed:"
	printf '  %s\n' "${failures[@]}"
fi
[ $((passed + failed)) -gt 0 ] || echo "tests/run.sh: no test matches '$FILTER'"
echo "($((SECONDS - start)) s; logs in $LOG_DIR)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
