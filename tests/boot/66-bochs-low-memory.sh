#!/bin/bash
# Low memory as on bare metal (issue 10, "low memory is cut in two"): the
# low-memory kernel (tests/lowmem/), linked at 1, 2, 4 and 16 MiB, checks
# that it was loaded where it is linked, that its memory map has one block
# of RAM from 1 MiB holding most of the RAM below 4 GiB and that mem_upper
# is that block's size.  Each variant runs bare (GRUB multiboot, the
# reference) and under the hypervisor (GRUB multiboot2, the kernel as the
# guest module) in Bochs with a Skylake-X model, with the same result: PASS.
# The 4 MiB one also runs under hv.efi (OVMF), whose image moves too.
. "$(dirname "$0")/lib.sh"

LOWMEM_DIR=$BUILD/lowmem
LOWMEM_PASS='[lowmem] PASS'
# "[lowmem] linked at 0x400000, mem_lower 639 KiB, mem_upper ..."
lowmem_facts()
{
	printf '^\\[lowmem\\] linked at %s, mem_lower [0-9]+ KiB, mem_upper [0-9]+ KiB, RAM from 1 MiB to 0x[0-9a-f]+, usable below 4 GiB [0-9]+ KiB$' "$1"
}

# bare_iso OUT KERNEL: GRUB's own multiboot loader boots KERNEL.
bare_iso()
{
	need_file "$2" &&
		GRUB_EXTRA_MODULES=multiboot make_iso "$1" \
			"$(printf '%s\n' 'set timeout=0' 'serial --unit=0 --speed=115200' \
				'terminal_input serial' 'terminal_output serial' \
				'menuentry "lowmem" {' "    multiboot /boot/$(basename "$2")" \
				'    boot' '}')" "$2"
}

# expect_hv_moved: the hypervisor left the loader's place and the guest
# got the memory from 1 MiB up to its pool.
expect_hv_moved()
{
	expect_regex '^\[hv\] boot: image moved from 0x[0-9a-f]+, where the loader put it \(now free RAM\)$' \
		'the image-moved line'
	expect_regex '^\[hv\] guest: multiboot kernel '"'guest'"' \([0-9]+ bytes, ELF32\)' \
		'the kernel loaded as ELF32'
	expect_verdict PASS 'guest reported success (HC_TEST_EXIT)'
	expect_bochs_log_absent 'VMENTER FAIL|VMFAIL'
}

for mib in 1 2 4 16; do
	kernel=$LOWMEM_DIR/lowmem-${mib}m.elf
	link=$(printf '0x%x' $((mib << 20)))

	case_begin bare-${mib}m
	bare_iso "$CASE_DIR/bare.iso" "$kernel"
	run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/bare.iso"
	expect_bare_run
	expect_line '[lowmem] bare'
	expect_regex "$(lowmem_facts "$link")" 'the facts line'
	expect_line "$LOWMEM_PASS"
	expect_absent '^\[lowmem\] FAIL' 'a FAIL line'
	expect_status 1
	case_end

	case_begin hv-${mib}m
	make_guest_iso "$CASE_DIR/hv.iso" test-exit "$kernel"
	run_bochs --model corei7_skylake_x --cdrom "$CASE_DIR/hv.iso"
	expect_line '[hv] micro-hypervisor starting (multiboot2, BIOS)'
	expect_line '[lowmem] under the hypervisor'
	expect_regex "$(lowmem_facts "$link")" 'the facts line'
	expect_line "$LOWMEM_PASS"
	expect_hv_moved
	expect_status 1
	case_end
done

# mem_lower as the facts line gives it, from a case's serial log.
mem_lower_of()
{
	sed -n 's/^\[lowmem\] linked at [0-9a-fx]*, mem_lower \([0-9]*\) KiB.*/\1/p' \
		"$TEST_LOG_DIR/$1/serial.log" 2>/dev/null
}

# Two CPUs: the AP trampoline page the hypervisor keeps is the top page of
# conventional memory, so mem_lower loses 4 KiB against bare and the low
# RAM stays one block from 0.
case_begin hv-4m-two-cpus
make_guest_iso "$CASE_DIR/hv.iso" test-exit "$LOWMEM_DIR/lowmem-4m.elf"
run_bochs --model corei7_skylake_x --cpus 2 --cdrom "$CASE_DIR/hv.iso"
expect_line '[hv] cpu1: APIC id 1, parked in VMX root operation (guest INIT/SIPI blocked)'
expect_line "$LOWMEM_PASS"
expect_hv_moved
bare_lower=$(mem_lower_of bare-4m)
if ran && [ -n "$bare_lower" ]; then
	expect_regex "$(lowmem_facts 0x400000 | sed "s/mem_lower \[0-9\]+/mem_lower $((bare_lower - 4))/")" \
		"mem_lower $((bare_lower - 4)) KiB (bare: $bare_lower)"
else
	case_fail "no mem_lower from the bare-4m case"
fi
expect_status 1
case_end

case_begin hv-efi-4m
make_guest_esp "$CASE_DIR/esp.img" test-exit "$LOWMEM_DIR/lowmem-4m.elf"
run_bochs --model corei7_skylake_x --firmware uefi --disk "$CASE_DIR/esp.img"
expect_line '[hv] micro-hypervisor starting (UEFI application, UEFI)'
expect_line '[lowmem] under the hypervisor'
expect_regex "$(lowmem_facts 0x400000)" 'the facts line'
expect_line "$LOWMEM_PASS"
expect_hv_moved
expect_status 1
case_end
finish
