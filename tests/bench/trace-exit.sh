#!/bin/bash
# tests/bench/trace-exit.sh [BENCH]: trace, instruction by instruction, the
# root-mode path of ONE VM exit caused by a test-guest micro-benchmark
# (cpuid, rdmsr, vmcall, and the I/O exits io_in, pci_addr, pci_data_pm,
# pm1_in; default cpuid) with the Bochs debugger, and print how many
# instructions each hypervisor function executed, in execution order, then
# the total from the exit stub to VMRESUME and the part of it from exit to
# entry (without the assembly of vmx_exit_stub and vmx_enter).
#
# How: a linear breakpoint just after the benchmark's exiting instruction
# in the guest, passed twice (the first hit is the trial call before the
# loop, followed by the benchmark's HC_GET_EXIT_STATS reading; the second
# is the loop's first iteration), then one on vmx_exit_stub (the next
# exit: the loop's second iteration), then `trace on` until the guest is
# back after the instruction.  The hypervisor is identity-mapped and its
# ELF addresses are linear addresses.
#
# Environment: BUILD (default build).  Output files: $BUILD/bench/trace-*.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
BENCH=${1:-cpuid}
OUT=$BUILD/bench
HV_ELF=$BUILD/hv.elf              # the image GRUB loads
HV_SYMBOLS=$BUILD/hv.elf.debug    # the same, with symbols and line numbers
GUEST_ELF=$BUILD/guest/testguest.elf
TRACE_ITERATIONS=100

die()
{
	echo "trace-exit.sh: $*" >&2
	exit 1
}

case $BENCH in
cpuid)  body=body_cpuid;  insn=cpuid ;;
rdmsr)  body=body_rdmsr;  insn=rdmsr ;;
io_in)  body=body_io;     insn=in ;;
vmcall) body=body_vmcall; insn=vmcall ;;
pci_addr)    body=select_host_bridge; insn=out ;;
pci_data_pm) body=body_pci_data_pm;   insn=in ;;
pm1_in)      body=body_pm1_in;        insn=in ;;
*)      die "unknown benchmark $BENCH (cpuid, rdmsr, io_in, vmcall, pci_addr, pci_data_pm, pm1_in)" ;;
esac

mkdir -p "$OUT"
# Relative to the top directory when inside it: the dependency files name
# their targets the way the build that wrote them was called.
rel=${BUILD#"$ROOT"/}
make -C "$ROOT" --no-print-directory BUILD="$rel" "$rel/hv.elf" "$rel/hv.elf.debug" \
	"$rel/guest/testguest.elf" >"$OUT/trace-build.log" 2>&1 || { cat "$OUT/trace-build.log" >&2; die "build failed"; }

# The address of the guest instruction after the exiting one.
resume_at=$(objdump -d --no-show-raw-insn "$GUEST_ELF" |
	awk -v body="<$body>:" -v insn="$insn" '
		$2 == body { inside = 1; next }
		inside && /^$/ { exit }
		inside && found { sub(":", "", $1); print "0x" $1; exit }
		inside && $2 == insn { found = 1 }')
stub=$(nm "$HV_SYMBOLS" | awk '$3 == "vmx_exit_stub" { print "0x" $1 }')
[ -n "$resume_at" ] || die "no '$insn' in $body of $GUEST_ELF"
[ -n "$stub" ] || die "no vmx_exit_stub in $HV_SYMBOLS"

cat >"$OUT/trace.cfg" <<EOF
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "trace" {
	multiboot2 /boot/hv.elf serial=0x3f8,115200 test-exit
	module2 /boot/testguest.elf guest bench iterations=$TRACE_ITERATIONS
	boot
}
EOF
tools/mkiso.sh "$OUT/trace.iso" "$OUT/trace.cfg" "$HV_ELF" "$GUEST_ELF" ||
	die "mkiso failed"
tools/bochsrc.sh --cdrom "$OUT/trace.iso" --com1 "$OUT/trace.com1" \
	--log "$OUT/trace.log" >"$OUT/trace.rc" || die "bochsrc.sh failed"
# The hypervisor moves its image to the top of RAM (boot/image_reloc.c):
# a first run reads where from its log ("[hv] boot: image 0xBASE-..."),
# and the breakpoint and the symbols are shifted by base - link base.
run_bochs()
{
	printf '%s' "$1" >"$OUT/trace.dbg"
	rm -f "$OUT/trace.com1"
	TERM=xterm timeout -k 5 120 bochs-bin -q -f "$OUT/trace.rc" \
		-rc "$OUT/trace.dbg" </dev/null >"$OUT/trace.stdout" 2>&1
}
run_bochs "$(printf 'lb %s\nc\nquit\n' "$resume_at")"
run_base=$(sed -n 's/.*\[hv\] boot: image \(0x[0-9a-f]*\)-.*/\1/p' "$OUT/trace.com1" | head -1)
link_base=$(nm "$HV_SYMBOLS" | awk '$3 == "__image_start" { print "0x" $1 }')
[ -n "$run_base" ] || die "no image line in $OUT/trace.com1"
[ -n "$link_base" ] || die "no __image_start in $HV_SYMBOLS"
shift_by=$((run_base - link_base))
run_bochs "$(printf 'lb %s\nc\nc\nlb 0x%x\nc\ntrace on\nc\ntrace off\nquit\n' \
	"$resume_at" $((stub + shift_by)))"

# Traced lines look like "(0).[TICKS] [0xLINEAR] SEL:ADDR (ctxt): insn ; bytes".
# Root mode: from the exit stub up to and including VMRESUME.
awk '/^\(0\)\.\[/ { print }' "$OUT/trace.stdout" |
	awk '{ print } / vmresume / { exit }' >"$OUT/trace-$BENCH.txt"
total=$(wc -l <"$OUT/trace-$BENCH.txt")
[ "$total" -gt 0 ] || die "no trace (see $OUT/trace.stdout)"
grep -q ' vmresume ' "$OUT/trace-$BENCH.txt" || die "the trace never reached VMRESUME"

# The traced linear addresses, as link-time addresses (for addr2line).
link_addresses()
{
	perl -ne 'printf "0x%x\n", hex($1) - '"$shift_by"' if /^\S+ \[(0x[0-9a-f]+)\]/' \
		"$OUT/trace-$BENCH.txt"
}

echo "== root-mode path of one $BENCH exit (instructions per function, in order)"
link_addresses | addr2line -f -e "$HV_SYMBOLS" | paste - - |
	awk '{ print $1 }' | uniq -c | awk '{ printf "%6d  %s\n", $1, $2 }'
echo "== per function (sum)"
link_addresses | addr2line -f -e "$HV_SYMBOLS" | paste - - |
	awk '{ n[$1]++ } END { for (f in n) printf "%6d  %s\n", n[f], f }' | sort -rn
# The handler path: from the dispatcher's first instruction to the run
# loop's next one (exit decode, the exit table, the handler, skipping the
# instruction; the dispatcher may end in a tail call); without the stub,
# the run loop's timing and statistics, and injection.
handler=$(link_addresses | addr2line -f -e "$HV_SYMBOLS" | paste - - |
	awk '$1 == "exit_dispatch" && !first { first = NR }
	     first && !last && $1 == "vcpu_run" { last = NR }
	     END { print (first && last ? last - first : 0) }')
echo "== handler path: $handler instructions from entering exit_dispatch to leaving it"
# Exit to entry: the total without the assembly on either side (the
# hypervisor's own root/exit figure adds its two RDTSCs' neighbours).
asm=$(link_addresses | addr2line -f -e "$HV_SYMBOLS" | paste - - |
	awk '$1 == "vmx_exit_stub" || $1 == "vmx_enter" { n++ } END { print n + 0 }')
echo "== exit to entry: $((total - asm)) instructions without vmx_exit_stub and vmx_enter ($asm)"
echo "== total: $total instructions from vmx_exit_stub to VMRESUME (trace: $OUT/trace-$BENCH.txt)"
