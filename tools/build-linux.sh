#!/bin/sh
# Build the small Linux guest kernel for the boot tests from Debian's
# linux-source-6.1 package: tinyconfig + tests/linux/small.config,
# `make olddefconfig`, `make bzImage`.
#
# Output: $BUILD/linux/bzImage-small (BUILD defaults to "build", relative to
# the repository root).  The kernel is built once and rebuilt only when the
# config fragment or the source package version changes (the key is kept in
# $BUILD/linux/bzImage-small.key).  Also writes config-small (the full
# .config) and System.map-small next to it.  Prints the path of the bzImage.
# The build takes about 2 minutes on 2 idle cores; JOBS=N overrides -j.
# Its steps and their progress go to stderr, the full output to $TOOL_LOG
# (default $BUILD/linux/build-linux.log; see tools/progress.sh).
#
# Usage: tools/build-linux.sh [-f]     (-f: rebuild even if cached)
set -eu

# Debian packages the kernel build needs (installed if missing, as root).
BUILD_PACKAGES="linux-source-6.1 make gcc bc flex bison libelf-dev lz4 xz-utils"
SOURCE_PACKAGE=linux-source-6.1
SOURCE_TARBALL=/usr/src/linux-source-6.1.tar.xz
JOBS=${JOBS:-$(nproc)}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
OUT=$BUILD/linux
FRAGMENT=$ROOT/tests/linux/small.config
IMAGE=$OUT/bzImage-small
KEYFILE=$IMAGE.key

PROGRESS_NAME=build-linux.sh
. "$ROOT/tools/progress.sh"

die() { echo "build-linux.sh: $*" >&2; exit 1; }

# Install whichever of $BUILD_PACKAGES is missing (tools/deps.sh: as root,
# or it names the apt-get line to run).
install_missing_packages() {
    # shellcheck disable=SC2086 # one word per package
    "$ROOT/tools/deps.sh" packages $BUILD_PACKAGES ||
        die "missing build packages"
}

# Cache key: source package version + hash of the config fragment.
cache_key() {
    version=$(dpkg-query -W -f='${Version}' "$SOURCE_PACKAGE")
    hash=$(sha256sum "$FRAGMENT" | cut -d' ' -f1)
    echo "$SOURCE_PACKAGE=$version fragment=$hash"
}

# Unpack the source tarball once per package version into $OUT/src-VERSION.
unpack_source() {
    src=$OUT/src-$(dpkg-query -W -f='${Version}' "$SOURCE_PACKAGE")
    if [ ! -f "$src/.unpacked" ]; then
        rm -rf "$src" && mkdir -p "$src"
        say "unpacking $SOURCE_TARBALL"
        progress_run unpacking tar -xf "$SOURCE_TARBALL" -C "$src" --strip-components=1 ||
            progress_failed unpacking
        touch "$src/.unpacked"
    fi
    echo "$src"
}

# Fail when an option the fragment asks for did not survive olddefconfig
# (an unmet dependency would otherwise drop it silently).
check_config() {
    config=$1
    grep -E '^CONFIG_[A-Z0-9_]+=' "$FRAGMENT" | while IFS= read -r line; do
        grep -qx "$line" "$config" || die "config lost '$line' (unmet dependency?)"
    done
    grep -E '^# CONFIG_[A-Z0-9_]+ is not set' "$FRAGMENT" | while IFS= read -r line; do
        opt=${line#\# }; opt=${opt%% *}
        ! grep -q "^$opt=" "$config" || die "config kept $opt although the fragment unsets it"
    done
}

# configure_kernel SRC OBJ: tinyconfig with the fragment merged in.
configure_kernel() {
    make -s -C "$1" O="$2" tinyconfig
    "$1/scripts/kconfig/merge_config.sh" -m -O "$2" "$2/.config" "$FRAGMENT"
    make -s -C "$1" O="$2" olddefconfig
}

build_kernel() {
    src=$1
    obj=$OUT/obj-small
    rm -rf "$obj" && mkdir -p "$obj"
    say "configuring: tinyconfig + ${FRAGMENT#"$ROOT"/}"
    progress_run configuring configure_kernel "$src" "$obj" || progress_failed configuring
    check_config "$obj/.config"
    say "building bzImage (make -j$JOBS; log $TOOL_LOG)"
    start=$(date +%s)
    progress_run bzImage make -C "$src" O="$obj" -j"$JOBS" bzImage ||
        progress_failed "make bzImage"
    say "bzImage built in $(( $(date +%s) - start )) s"
    cp "$obj/arch/x86/boot/bzImage" "$IMAGE.tmp"
    cp "$obj/.config" "$OUT/config-small"
    # Symbols for reading guest RIPs in crash dumps.
    cp "$obj/System.map" "$OUT/System.map-small"
    mv "$IMAGE.tmp" "$IMAGE"
}

# The unpacked source (1.5 GB) and objects (100 MB) are only needed while
# building; unpacking again takes about 10 s.  KEEP_TREE=1 keeps them.
remove_tree() {
    [ "${KEEP_TREE:-0}" = 1 ] && return 0
    rm -rf "$1" "$OUT/obj-small"
}

main() {
    force=0
    [ "${1:-}" = -f ] && force=1
    [ -f "$FRAGMENT" ] || die "config fragment $FRAGMENT not found"
    install_missing_packages
    [ -f "$SOURCE_TARBALL" ] || die "$SOURCE_TARBALL not found"
    mkdir -p "$OUT"
    key=$(cache_key)
    if [ $force = 0 ] && [ -f "$IMAGE" ] && [ "$(cat "$KEYFILE" 2>/dev/null)" = "$key" ]; then
        echo "$IMAGE"
        return 0
    fi
    rm -f "$KEYFILE"
    if [ -z "${TOOL_LOG:-}" ]; then
        TOOL_LOG=$OUT/build-linux.log
        : >"$TOOL_LOG"
    fi
    src=$(unpack_source)
    build_kernel "$src"
    echo "$key" > "$KEYFILE"
    remove_tree "$src"
    echo "$IMAGE"
}

main "$@"
