#!/bin/bash
# tests/layers.sh [--self-test | ROOT]: check that every #include in the
# core points down a layer (docs/design.md, "Layers").  From the bottom:
#
#     lib  arch  drivers  mm  boot  guest  hv
#
# A file may include headers of its own layer or of a lower one.  The
# layer is the file's top folder (arch/x86 is arch; boot/mb2 and boot/efi
# are boot).  tests/unit, tools/ and linker/ are not layered.  The test
# guest (tests/guest/) is a separate program: it includes its own files and
# only the core headers listed in GUEST_MAY_INCLUDE below.
#
# Prints "PASS layers/<layer>" for each clean layer and one
# "FAIL layers/<file>: includes <header> (layer X above Y)" per upward
# include, in the form tests/run.sh counts.  Exit status 1 on any FAIL.
#
# When the build's objects are there ($BUILD/obj, after `make`), the same
# rule is checked on the calls: no object may use a symbol defined in a
# higher layer ("FAIL layers/<source>: calls <symbol> (layer X above Y)"),
# which catches a call hidden behind a local declaration.  The one
# sanctioned upward call is listed in CALL_UP_ALLOWED.
#
# Without arguments it first runs --self-test: the same check over a small
# made-up tree with one upward include, which must be reported (so the
# check is known to be able to fail), then checks the real tree.
set -uo pipefail

LAYERS=(lib arch drivers mm boot guest hv)

# Core headers the test guest may include, each with why it is harmless:
# none brings in code of the core (nothing to link) or a type of its own.
declare -A GUEST_MAY_INCLUDE=(
	[arch/x86/cpu.h]="static inline one-instruction wrappers (CPUID, MSRs, CRs)"
	[arch/x86/io.h]="static inline port I/O wrappers"
	[arch/x86/msr.h]="MSR numbers and bits, #defines only"
	[arch/x86/cpuid.h]="CPUID leaf numbers and bits, #defines only"
	[arch/x86/xsave.h]="XCR0 and IA32_XSS component bits, #defines only"
	[drivers/emu_exit.h]="the emulators' exit ports, an ABI the guest uses too"
	[drivers/piix4_pm.h]="the PIIX4 PM function's register numbers (its reader is not linked)"
	[drivers/reset.h]="the PC reset ports and values, #defines only"
	[drivers/pci.h]="PCI configuration mechanism #1 ports and pure address helpers"
	[hv/exit/reason.h]="exit-reason numbers, to read the exit statistics"
	[hv/exit/hypercall.h]="the hypercall ABI between guest and hypervisor"
	[guest/multiboot/spec.h]="the multiboot v1 layout, one definition for loader and guest"
)

# The boot code's one upward call: entering the core, as crt0 calls main.
declare -A CALL_UP_ALLOWED=(
	[hv_main]="the core's entry, declared in boot/boot_info.h for the boot code"
)

# layer_of PATH: the layer's index in LAYERS, or nothing when PATH is not
# in a layer.
layer_of()
{
	local top=${1%%/*} i
	for i in "${!LAYERS[@]}"; do
		if [ "${LAYERS[$i]}" = "$top" ]; then
			echo "$i"
			return
		fi
	done
}

# includes FILE: the quoted #include targets of FILE, one a line.
# Includes are written from the repository root (the build uses -I.).
includes()
{
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$1"
}

# sources ROOT DIR...: the C, header and assembly files under ROOT/DIR...
sources()
{
	local root=$1
	shift
	(cd "$root" && find "$@" -type f \( -name '*.c' -o -name '*.h' \
		-o -name '*.S' \) 2>/dev/null | LC_ALL=C sort)
}

# check_core ROOT: one FAIL line per include that points up a layer or
# out of the layers; a PASS line for each layer without one.  Returns the
# number of FAIL lines (capped at 255).
check_core()
{
	local root=$1 file header lf lh fails=0 layer_fails
	local -A bad=()

	while read -r file; do
		lf=$(layer_of "$file")
		while read -r header; do
			[ -n "$header" ] || continue
			lh=$(layer_of "$header")
			if [ -z "$lh" ]; then
				echo "FAIL layers/$file: includes $header (outside the layers)"
			elif [ "$lh" -gt "$lf" ]; then
				echo "FAIL layers/$file: includes $header" \
				     "(layer ${LAYERS[$lh]} above ${LAYERS[$lf]})"
			else
				continue
			fi
			bad[$lf]=1
			fails=$((fails + 1))
		done < <(includes "$root/$file")
	done < <(sources "$root" "${LAYERS[@]}")
	for lf in "${!LAYERS[@]}"; do
		[ -n "${bad[$lf]:-}" ] || echo "PASS layers/${LAYERS[$lf]}"
	done
	return $((fails > 255 ? 255 : fails))
}

# check_guest ROOT: the test guest includes its own files and the listed
# core headers only.
check_guest()
{
	local root=$1 file header fails=0

	[ -d "$root/tests/guest" ] || return 0
	while read -r file; do
		while read -r header; do
			case $header in
			tests/guest/*) continue ;;
			esac
			[ -n "${GUEST_MAY_INCLUDE[$header]:-}" ] && continue
			echo "FAIL layers/$file: includes $header (the test guest" \
			     "is its own program; see GUEST_MAY_INCLUDE)"
			fails=$((fails + 1))
		done < <(includes "$root/$file")
	done < <(sources "$root" tests/guest)
	[ "$fails" -gt 0 ] || echo "PASS layers/tests-guest"
	return $((fails > 255 ? 255 : fails))
}

# check_calls ROOT OBJDIR: one FAIL line per object that uses a symbol
# defined in a higher layer.  Objects without a source (left over from a
# file that moved) are skipped.
check_calls()
{
	local root=$1 obj=$2 o src sym lo ld fails=0
	local -A def=()
	local objs=()

	while read -r o; do
		src=${o%.o}
		[ -e "$root/$src.c" ] || [ -e "$root/$src.S" ] || continue
		objs+=("$o")
	done < <(cd "$obj" && find "${LAYERS[@]}" -name '*.o' 2>/dev/null |
		 LC_ALL=C sort)
	[ "${#objs[@]}" -gt 0 ] || return 0
	# One nm run each; lines "object:address type symbol" and
	# "object: U symbol", printed here as "object symbol".
	while read -r o sym; do
		def[$sym]=$(layer_of "$o")
	done < <(cd "$obj" && nm -A --defined-only "${objs[@]}" |
		 awk '$2 ~ /^[TDBRC]$/ { sub(/:.*/, "", $1); print $1, $3 }')
	while read -r o sym; do
		lo=$(layer_of "$o")
		ld=${def[$sym]:-}
		[ -n "$ld" ] && [ "$ld" -gt "$lo" ] || continue
		[ -n "${CALL_UP_ALLOWED[$sym]:-}" ] && continue
		src=${o%.o}
		[ -e "$root/$src.c" ] && src=$src.c || src=$src.S
		echo "FAIL layers/$src: calls $sym" \
		     "(layer ${LAYERS[$ld]} above ${LAYERS[$lo]})"
		fails=$((fails + 1))
	done < <(cd "$obj" && nm -A -u "${objs[@]}" |
		 awk '{ sub(/:.*/, "", $1); print $1, $3 }')
	[ "$fails" -gt 0 ] || echo "PASS layers/calls (${#objs[@]} objects)"
	return $((fails > 255 ? 255 : fails))
}

# self_test: a made-up tree with one upward include (lib -> hv) and one
# downward (hv -> lib); exactly the upward one must fail, naming both
# layers.  Prints PASS or FAIL layers/self-test.
self_test()
{
	local dir out want status
	dir=$(mktemp -d) || { echo "FAIL layers/self-test: mktemp"; return 1; }
	mkdir -p "$dir/lib" "$dir/hv"
	printf '#include "hv/top.h"\n' > "$dir/lib/low.c"
	printf '#include "lib/low.h"\n' > "$dir/hv/top.c"
	: > "$dir/hv/top.h"
	: > "$dir/lib/low.h"
	out=$(check_core "$dir")
	status=$?
	rm -rf "$dir"
	want='FAIL layers/lib/low.c: includes hv/top.h (layer hv above lib)'
	if [ "$status" -ne 1 ] || [ "$(grep -c '^FAIL ' <<< "$out")" -ne 1 ] ||
	   ! grep -qxF "$want" <<< "$out" ||
	   ! grep -qx 'PASS layers/hv' <<< "$out"; then
		echo "FAIL layers/self-test: a lib -> hv include was not" \
		     "reported as the only failure; the check said:"
		sed 's/^/    /' <<< "$out"
		return 1
	fi
	echo "PASS layers/self-test"
}

main()
{
	local root status=0

	case ${1:-} in
	--self-test)
		self_test
		return
		;;
	"")
		self_test || status=1
		root=$(cd "$(dirname "$0")/.." && pwd)
		;;
	*)
		root=$1
		;;
	esac
	check_core "$root" || status=1
	check_guest "$root" || status=1
	if [ -d "${BUILD:-$root/build}/obj" ]; then
		check_calls "$root" "${BUILD:-$root/build}/obj" || status=1
	fi
	return $status
}

main "$@"
