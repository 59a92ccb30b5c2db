#!/bin/bash
# Bad guest images and guest= selection, in Bochs with a Skylake-X model
# (VMX usable, so the run gets as far as loading the guest):
#   zeros, an ordinary (non-multiboot) ELF program, a truncated test guest:
#     each as the "guest" module; the multiboot loader names what is wrong
#     and the run stops with FAIL (guest image invalid), no guest started
#   guest=kernel with only a "guest" module: the missing module is named
#     together with the modules that are present (70-malformed-boot covers
#     the case of no modules at all)
#   guest=kernel with the test guest loaded as "kernel": it runs and passes
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest-checks.sh"

# Bytes the multiboot loader scans for the header (Multiboot 0.6.96, 3.1.1).
MB1_SEARCH_BYTES=8192
# Keeps the test guest's multiboot header (at offset 0x1000) but cuts its
# load segment (about 24 KiB of file bytes).
TRUNCATED_BYTES=8192
HOST_PROGRAM=/usr/bin/true

# run_bad_image FILE: FILE as the guest module; the run stops before the guest.
run_bad_image()
{
	make_guest_iso "$CASE_DIR/hv.iso" test-exit "$1"
	run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
	expect_regex "^\[hv\] module 0: 'guest' at 0x[0-9a-f]+, $(stat -c %s "$1") bytes, " \
		'the module line with the file size'
	expect_line '[hv] VMX: usable'
	expect_verdict FAIL 'guest image invalid'
	expect_absent '^\[guest\]' 'guest output (no guest may start)'
	expect_absent '^\[hv\] (vcpu0:|VMX controls:|guest: multiboot kernel)' 'guest set-up after the error'
	expect_status 1
}

case_begin zeros
head -c "$MB1_SEARCH_BYTES" /dev/zero >"$CASE_DIR/zeros.bin"
run_bad_image "$CASE_DIR/zeros.bin"
expect_line "[hv] error: guest: guest: no multiboot header (magic 0x1badb002 at a 4-byte boundary) in the first $MB1_SEARCH_BYTES bytes"
case_end

case_begin non-multiboot-elf
need_file "$HOST_PROGRAM" && cp "$HOST_PROGRAM" "$CASE_DIR/program.elf"
run_bad_image "$CASE_DIR/program.elf"
expect_line "[hv] error: guest: guest: no multiboot header (magic 0x1badb002 at a 4-byte boundary) in the first $MB1_SEARCH_BYTES bytes"
case_end

case_begin truncated-guest
need_file "$TEST_GUEST" &&
	head -c "$TRUNCATED_BYTES" "$TEST_GUEST" >"$CASE_DIR/truncated.elf"
run_bad_image "$CASE_DIR/truncated.elf"
expect_regex "^\[hv\] error: guest: guest: .*the file is $TRUNCATED_BYTES bytes\$" \
	'loader error naming the truncated size'
case_end

case_begin guest-kernel-missing
need_file "$HV_ELF" "$TEST_GUEST" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv 'guest=kernel test-exit' \
		'module2 /boot/testguest.elf guest')" "$HV_ELF" "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_line "[hv] error: boot: module 'kernel' named by guest= was not loaded (1 module(s) present)"
expect_line "[hv] error: boot:   module 0: 'guest'"
expect_verdict FAIL 'required guest module missing'
expect_absent '^\[guest\]' 'guest output'
expect_status 1
case_end

case_begin guest-kernel-present
need_file "$HV_ELF" "$TEST_GUEST" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv 'guest=kernel test-exit' \
		'module2 /boot/testguest.elf kernel')" "$HV_ELF" "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_regex "^\[hv\] guest: multiboot kernel 'kernel' \([0-9]+ bytes, " 'the loader taking module "kernel"'
expect_guest_checks all
expect_guest_verdict
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end
finish
