#!/bin/bash
# tools/deps.sh MODE: make sure the Debian packages MODE needs are installed.
#   build  compiler, GNU-EFI, GRUB and the ISO/FAT tools
#   run    build + the emulators and firmware `make run` uses
#   test   run + what the boot tests and the fuzz targets use besides
#          the emulators
#   packages PKG...  exactly these (the Linux kernel and initramfs builders
#          name their own)
# Quiet when everything is present.  As root, installs what is missing;
# otherwise names the missing packages and fails.  apt-get's output goes to
# $TOOL_LOG (default $BUILD/deps.log, BUILD defaulting to "build" under the
# repository root), its progress to stderr (tools/progress.sh).
# shellcheck disable=SC2086 # package lists are split into words on purpose
set -euo pipefail

BUILD_PKGS="gcc make binutils gnu-efi grub-pc-bin grub-efi-amd64-bin
            grub-common xorriso mtools dosfstools"
RUN_PKGS="qemu-system-x86 ovmf bochs bochsbios vgabios bochs-term seabios"
# cpio and busybox-static: initramfs for the Linux guest tests; clang and
# its runtime (libFuzzer, sanitizers): the boot-input fuzz targets; python3:
# the console test client (tests/console/client.py) and QEMU's monitor
# socket in the screen-console test (35-).
TEST_PKGS="cpio busybox-static clang libclang-rt-14-dev python3"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROGRESS_NAME=deps
. "$ROOT/tools/progress.sh"

usage()
{
	echo "usage: $0 build|run|test|packages PKG..." >&2
	exit 2
}

wanted_packages()
{
	case "$1" in
	build) echo $BUILD_PKGS ;;
	run)   echo $BUILD_PKGS $RUN_PKGS ;;
	test)  echo $BUILD_PKGS $RUN_PKGS $TEST_PKGS ;;
	*)     usage ;;
	esac
}

# Print the packages of the list that dpkg does not report as installed.
missing_packages()
{
	local pkg status
	for pkg in "$@"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
		[ "$status" = installed ] || printf '%s ' "$pkg"
	done
}

if [ "${1:-}" = packages ]; then
	shift
	packages="$*"
else
	[ $# -eq 1 ] || usage
	packages=$(wanted_packages "$1")
fi
missing=$(missing_packages $packages)
missing=${missing% }
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages; run as root: apt-get install -y $missing" >&2
	exit 1
fi
if [ -z "${TOOL_LOG:-}" ]; then
	BUILD=${BUILD:-build}
	case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
	mkdir -p "$BUILD"
	TOOL_LOG=$BUILD/deps.log
	: >"$TOOL_LOG"
fi
say "installing $missing (log $TOOL_LOG)"
progress_run "apt-get update" apt-get update ||
	progress_failed "apt-get update"
progress_run "apt-get install" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y --no-install-recommends $missing ||
	progress_failed "apt-get install"
