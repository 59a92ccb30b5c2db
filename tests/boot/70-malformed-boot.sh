#!/bin/bash
# A malformed boot: guest=guest names a module GRUB did not load.  The
# hypervisor says which module is missing and stops with FAIL, no hang.
. "$(dirname "$0")/lib.sh"

case_begin missing-guest-module
need_file "$HV_ELF" &&
	make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv 'guest=guest test-exit')" "$HV_ELF"
run_qemu bios cdrom "$CASE_DIR/hv.iso" -cpu Nehalem
expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_line "[hv] error: boot: module 'guest' named by guest= was not loaded (0 module(s) present)"
expect_verdict FAIL 'required guest module missing'
expect_status 35
case_end
finish
