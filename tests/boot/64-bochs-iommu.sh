#!/bin/bash
# Bochs has no IOMMU (no DMAR table, and it emulates bus-master IDE DMA that
# a guest could aim anywhere): iommu=required refuses to run the test guest,
# cleanly and before VMX is set up.  The default (auto) running the guest
# with its warning is asserted by tests/boot/55-bochs-guest.sh.
. "$(dirname "$0")/lib.sh"

case_begin required-refuses
make_guest_iso "$CASE_DIR/hv.iso" "test-exit iommu=required" "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
expect_line '[hv] warn: iommu: ACPI: no DMAR table in the RSDT'
expect_verdict FAIL 'iommu=required: no usable VT-d DMA remapping'
expect_absent '^\[guest\]' 'guest output (the guest must not run)'
expect_absent '^\[hv\] (VMX|vcpu0:|smp:)' 'VMX or CPU set-up after the refusal'
expect_absent 'UNPROTECTED' 'the auto warning'
expect_status 1
case_end
finish
