#!/bin/bash
# DMA protection with VT-d in QEMU TCG (no VMX: everything here runs
# before VMX detection).  QEMU's q35 with `-device intel-iommu` has a DMAR
# table and an emulated remapping unit; `-device edu` is a PCI device whose
# DMA engine the hypervisor's test aid debug-iommu-dma aims at guest RAM
# and at hypervisor memory (hv/iommu_selftest.c).
#   vtd-dma             translation on: guest RAM reachable, the pool and
#                       the image not, each blocked DMA reported as a fault;
#                       a storm of faults is taken in a bounded poll and the
#                       unit reports again after it; a map switched to
#                       later is used at once
#   vtd-dma-4level      the same with 4-level walks, caching mode, an ATSR
#   vtd-dma-uefi-app    the same as hv.efi under OVMF
#   no-vtd-dma          the same test without intel-iommu: the hypervisor
#                       page is written, and the test says FAIL (it can fail)
#   required-no-vtd     iommu=required without VT-d refuses to go on
#   auto-no-vtd         the default without VT-d: a loud warning, then on to
#                       VMX detection
#   off                 iommu=off: VT-d left unused, said so
. "$(dirname "$0")/lib.sh"

VTD_DEVICES=(-device intel-iommu -device edu)

# qemu_q35 NAME HV-ARGS [QEMU-ARGS...]: one q35 run of hv.elf from a CD.
qemu_q35()
{
	local name=$1 args=$2
	shift 2
	case_begin "$name"
	need_file "$HV_ELF" &&
		make_iso "$CASE_DIR/hv.iso" "$(grub_cfg_hv "test-exit $args")" "$HV_ELF"
	run_qemu bios cdrom "$CASE_DIR/hv.iso" -machine q35 -m 128 -cpu Nehalem "$@"
}

# expect_vtd_dma_passes LEVELS: the self-test's run with translation on and
# LEVELS-level second-level walks: every check passes and each blocked DMA
# is logged with the device, the page, read or write and the reason.
expect_vtd_dma_passes()
{
	expect_regex '^\[hv\] iommu: DRHD 0: registers 0xfed90000 \(4 KiB\), segment 0, [0-9]+ device scope'
	expect_line '[hv] warn: iommu: no INCLUDE_PCI_ALL unit: only the devices the DMAR lists are remapped; any other device'"'"'s DMA is not'
	expect_regex '^\[hv\] iommu:   endpoint 00:0[0-9a-f]\.0 \(path of 1, id 0\)' 'the edu device in the DRHD scope'
	expect_regex "^\\[hv\\] iommu: DRHD 0: version [0-9]+\\.[0-9]+, .*: $1-level walks" "$1-level walks"
	expect_regex '^\[hv\] iommu: DMA identity map 0-0x[0-9a-f]+ without 3 hypervisor range\(s\)'
	expect_line '[hv] iommu: DMA remapping enabled on 1 unit(s): legacy mode (root and context tables, one domain for every requester)'
	expect_line '[hv] iommu-test: DMA remapping on'
	expect_line '[hv] iommu-test: PASS guest-ram-dma'
	expect_regex '^\[hv\] warn: iommu: DMA fault: DRHD 0, source 00:0[0-9a-f]\.0, write 0x[0-9a-f]+000: write to a page not mapped writable \(reason 0x5\)$'
	expect_line '[hv] iommu-test: PASS pool-write'
	expect_line '[hv] iommu-test: PASS image-write'
	expect_line '[hv] iommu-test: PASS fault-storm'
	expect_regex '^\[hv\] warn: iommu: DMA fault: DRHD 0, source 00:0[0-9a-f]\.0, read 0x[0-9a-f]+000: read of a page not mapped readable \(reason 0x6\)$'
	expect_line '[hv] iommu-test: PASS pool-read'
	expect_regex '^\[hv\] iommu: DMA identity map 0-0x[0-9a-f]+ without 4 hypervisor range\(s\)'
	expect_line '[hv] iommu-test: PASS remap-invalidates'
	expect_regex '^\[hv\] iommu: [5-9] DMA fault\(s\) blocked, 0 overflow\(s\)'
	expect_absent 'iommu-test: FAIL'
	expect_verdict PASS 'VT-d DMA self-test passed'
	expect_status 33
}

qemu_q35 vtd-dma debug-iommu-dma "${VTD_DEVICES[@]}"
expect_vtd_dma_passes 3
case_end

# 48-bit 4-level walks, caching mode, scalable mode offered (legacy used),
# device TLBs (the DMAR then has an ATSR).
qemu_q35 vtd-dma-4level debug-iommu-dma \
	-device intel-iommu,aw-bits=48,caching-mode=on,x-scalable-mode=on,device-iotlb=on \
	-device edu
expect_vtd_dma_passes 4
expect_regex '^\[hv\] iommu: DMAR: host address width 48, .* 1 ATSR' 'the ATSR counted'
expect_regex '^\[hv\] iommu: DRHD 0: .*, caching mode, scalable mode offered \(unused\)$' 'caching and scalable mode seen'
case_end

# The UEFI application path: OVMF's ACPI tables (its DMAR) reached through
# the EFI configuration table; OVMF leaves the unit untouched.
case_begin vtd-dma-uefi-app
need_file "$HV_EFI" &&
	make_esp "$CASE_DIR/esp.img" "cmdline test-exit debug-iommu-dma"
run_qemu uefi esp "$CASE_DIR/esp.img" -machine q35 -m 128 -cpu Nehalem \
	"${VTD_DEVICES[@]}"
expect_line '[hv] micro-hypervisor starting (UEFI application, UEFI)'
expect_vtd_dma_passes 3
case_end

qemu_q35 no-vtd-dma debug-iommu-dma -device edu
expect_line '[hv] warn: iommu: * DMA is UNPROTECTED: no usable VT-d (DMAR table or'
expect_line '[hv] iommu-test: DMA remapping OFF'
expect_line '[hv] iommu-test: PASS guest-ram-dma'
expect_line '[hv] error: iommu-test: FAIL pool-write: the hypervisor page was written'
expect_verdict FAIL 'VT-d DMA self-test failed'
expect_status 35
case_end

qemu_q35 required-no-vtd iommu=required
expect_line '[hv] warn: iommu: ACPI: no DMAR table in the RSDT'
expect_verdict FAIL 'iommu=required: no usable VT-d DMA remapping'
expect_absent 'VMX unavailable'
expect_status 35
case_end

qemu_q35 auto-no-vtd ""
expect_line '[hv] warn: iommu: * DMA is UNPROTECTED: no usable VT-d (DMAR table or'
expect_order 'DMA is UNPROTECTED' 'this CPU does not support Intel VT-x'
expect_verdict FAIL 'VMX unavailable'
expect_status 35
case_end

qemu_q35 required-vtd iommu=required "${VTD_DEVICES[@]}"
expect_line '[hv] iommu: DMA remapping enabled on 1 unit(s): legacy mode (root and context tables, one domain for every requester)'
expect_absent 'UNPROTECTED'
expect_verdict FAIL 'VMX unavailable'
expect_status 35
case_end

qemu_q35 off "iommu=off" "${VTD_DEVICES[@]}"
expect_line "[hv] warn: iommu: iommu=off: DMA remapping not used; DMA from the guest's devices is NOT restricted"
expect_absent 'DMA remapping enabled'
expect_verdict FAIL 'VMX unavailable'
expect_status 35
case_end
finish
