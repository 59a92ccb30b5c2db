#!/bin/bash
# Two CPUs in Bochs: the hypervisor brings the AP up (by its MADT APIC ID
# on the BIOS; by a broadcast INIT/SIPI under OVMF, which gives Bochs no
# ACPI tables) and parks it in VMX root operation before the guest runs, so the test guest's own
# INIT-SIPI-SIPI (check "smp_init_sipi_blocked") cannot start it; every
# other check still passes.  With smp=off the AP is left alone, and the
# guest's INIT/SIPI still cannot start it: they stop at the guest's
# virtual LAPIC (hv/lapic/), which counts them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest-checks.sh"

case_begin two-cpus-bios
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cpus 2 --cdrom "$CASE_DIR/hv.iso"
expect_line '[hv] smp: 2 CPU(s) in the ACPI MADT (0 of them online capable, not yet enabled), BSP APIC id 0'
expect_regex '^\[hv\] vmx: cpu1 in VMX root operation \(VMXON region 0x[0-9a-f]+\)$' 'VMXON on cpu1'
expect_line '[hv] cpu1: APIC id 1, parked in VMX root operation (guest INIT/SIPI blocked)'
expect_regex '^\[hv\] smp: 1 of 1 CPUs parked in VMX root operation \(trampoline at 0x[0-9a-f]+, kept by the hypervisor: a halt loop\)$' 'smp summary line'
# The trampoline page stays the hypervisor's: a late AP finds a halt there.
# It is the highest free page below the EBDA (0x9f000 with Bochs's BIOS),
# so the guest's low RAM stays one block from 0.
expect_regex '^\[hv\] guest memory: hypervisor owns 0x000000000009e000-0x000000000009efff \(hidden from the guest\)$' 'trampoline page hidden'
expect_order '^\[hv\] smp: 1 of 1 CPUs parked' '^\[guest\] test guest starting'
expect_guest_checks all
expect_guest_verdict
expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
expect_status 1
case_end

case_begin two-cpus-uefi-app
make_guest_esp "$CASE_DIR/esp.img" test-exit "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cpus 2 --firmware uefi --disk "$CASE_DIR/esp.img"
# OVMF in Bochs publishes no ACPI tables: the broadcast start-up finds the AP.
expect_line '[hv] smp: no ACPI RSDP from the loader: starting every other CPU with a broadcast INIT/SIPI'
expect_line '[hv] cpu1: APIC id 1, parked in VMX root operation (guest INIT/SIPI blocked)'
expect_regex '^\[hv\] smp: 1 of 1 CPUs parked in VMX root operation ' 'smp summary line'
expect_guest_checks all
expect_guest_verdict
expect_status 1
case_end

# smp=off: the AP stays reachable, and the guest check notices.
case_begin two-cpus-smp-off
make_guest_iso "$CASE_DIR/hv.iso" 'smp=off test-exit' "$TEST_GUEST"
run_bochs --model corei7_skylake_x --cpus 2 --cdrom "$CASE_DIR/hv.iso"
expect_line "[hv] warn: smp: smp=off: other CPUs are left as the firmware left them (the guest's INIT/SIPI stop at its virtual LAPIC)"
expect_absent '^\[hv\] cpu1:' 'AP bring-up with smp=off'
# The guest's INIT/SIPI go to its virtual LAPIC, which sends nothing to
# other CPUs: the other CPU stays where the firmware left it.
expect_line '[guest] PASS smp_init_sipi_blocked'
expect_regex '^\[hv\] vcpu0: LAPIC: .*IPIs to other CPUs dropped [1-9][0-9]* \(INIT/SIPI [1-9][0-9]*\)' \
	'the dropped INIT/SIPI counted'
expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
expect_status 1
case_end
finish
