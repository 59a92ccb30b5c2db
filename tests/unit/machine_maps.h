/*
 * Memory maps and MTRRs of real machines, as their Linux kernels logged
 * them at boot (dmesg lines, timestamps and syslog prefixes cut, nothing
 * else changed), for the tests of the memory-map, MTRR and EPT logic
 * (test_machine_maps.c) and of any code that places things in a machine's
 * memory.  Each machine names where its log was published.
 *
 * Line formats, as Linux prints them:
 *   "BIOS-e820: START - END (TYPE)"          (before 3.x; END exclusive)
 *   "BIOS-e820: [mem 0xSTART-0xLAST] TYPE"   (LAST inclusive)
 *   "efi: memNN: type=T, attr=0xA, range=[0xSTART-0xEND)"
 *   "MTRR default type: TYPE"
 *   "  START-LAST TYPE"                      (fixed ranges, hex, inclusive)
 *   "  N base BASE mask MASK TYPE" / "  N disabled" (variable ranges)
 * The width of the widest variable-range mask is the CPU's MAXPHYADDR.
 */
#ifndef TESTS_UNIT_MACHINE_MAPS_H
#define TESTS_UNIT_MACHINE_MAPS_H

struct recorded_machine {
	const char *name;
	const char *source;
	const char *const *lines;   /* NULL-terminated */
};

/*
 * Laptop: ASUS UL80 series (DSDT OEM table id UL80A001, Core 2, 5 GiB: RAM
 * above 4 GiB, MTRRs with UC holes carved out of WB and a WT fixed range),
 * legacy BIOS.  Source: Ubuntu Forums thread "slow boot with udev"
 * (General Help, 2010-11-06), post by samee.zahur on 2010-11-27 (dmesg of
 * 2.6.35-23-generic-pae).
 */
static const char *const asus_ul80_laptop[] = {
	"BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)",
	"BIOS-e820: 000000000009fc00 - 00000000000a0000 (reserved)",
	"BIOS-e820: 00000000000e1000 - 0000000000100000 (reserved)",
	"BIOS-e820: 0000000000100000 - 00000000b7d90000 (usable)",
	"BIOS-e820: 00000000b7d90000 - 00000000b7d9f000 (ACPI data)",
	"BIOS-e820: 00000000b7d9f000 - 00000000b7de0000 (ACPI NVS)",
	"BIOS-e820: 00000000b7de0000 - 00000000b7e00000 (reserved)",
	"BIOS-e820: 00000000fee00000 - 00000000fee01000 (reserved)",
	"BIOS-e820: 00000000ffb00000 - 0000000100000000 (reserved)",
	"BIOS-e820: 0000000100000000 - 0000000140000000 (usable)",
	"MTRR default type: uncachable",
	"  00000-9FFFF write-back",
	"  A0000-BFFFF uncachable",
	"  C0000-CFFFF write-protect",
	"  D0000-DFFFF uncachable",
	"  E0000-EFFFF write-through",
	"  F0000-FFFFF write-protect",
	"  0 base 000000000 mask F00000000 write-back",
	"  1 base 100000000 mask FC0000000 write-back",
	"  2 base 0C0000000 mask FC0000000 uncachable",
	"  3 base 0B7E00000 mask FFFE00000 uncachable",
	"  4 base 0B8000000 mask FF8000000 uncachable",
	"  5 disabled",
	"  6 disabled",
	"  7 disabled",
	NULL
};

/*
 * Desktop: Award BIOS board, one 2.67 GHz CPU, 1.5 GiB, a write-combining
 * variable MTRR over the graphics aperture at 0xE0000000.  Source: Ubuntu
 * Forums thread (General Help, 2010-03), post by kanolsen on 2010-03-17
 * quoting /var/log/syslog (2.6.31-20-generic).
 */
static const char *const award_desktop[] = {
	"BIOS-e820: 0000000000000000 - 000000000009f800 (usable)",
	"BIOS-e820: 000000000009f800 - 00000000000a0000 (reserved)",
	"BIOS-e820: 00000000000f0000 - 0000000000100000 (reserved)",
	"BIOS-e820: 0000000000100000 - 000000005fff0000 (usable)",
	"BIOS-e820: 000000005fff0000 - 000000005fff3000 (ACPI NVS)",
	"BIOS-e820: 000000005fff3000 - 0000000060000000 (ACPI data)",
	"BIOS-e820: 00000000fec00000 - 0000000100000000 (reserved)",
	"MTRR default type: uncachable",
	"  00000-9FFFF write-back",
	"  A0000-BFFFF uncachable",
	"  C0000-CCFFF write-protect",
	"  CD000-FFFFF uncachable",
	"  0 base 000000000 mask FC0000000 write-back",
	"  1 base 040000000 mask FE0000000 write-back",
	"  2 base 0E0000000 mask FFC000000 write-combining",
	"  3 disabled",
	"  4 disabled",
	"  5 disabled",
	"  6 disabled",
	"  7 disabled",
	NULL
};

/*
 * Server with more than 64 GiB: Intel CooperCity reference platform
 * (Cooper Lake Xeons, BIOS WLYDCRB1.SYS.0016.P38.2006170234, EDK II UEFI),
 * RAM up to 0x506fffffff (321 GiB), MAXPHYADDR 46.  Source: linux-kernel
 * mailing list, "Re: [RFC PATCH 14/16] irq: Add support for core-wide
 * protection of IRQ and softirq", Joel Fernandes, 2020-07-13, Message-ID
 * <20200713155806.GA3962782@google.com>, quoting the full dmesg Aubrey Li
 * attached (5.7.6+).
 */
static const char *const coopercity_server[] = {
	"BIOS-e820: [mem 0x0000000000000000-0x000000000009dfff] usable",
	"BIOS-e820: [mem 0x000000000009e000-0x000000000009efff] reserved",
	"BIOS-e820: [mem 0x000000000009f000-0x000000000009ffff] ACPI NVS",
	"BIOS-e820: [mem 0x00000000000a0000-0x00000000000fffff] reserved",
	"BIOS-e820: [mem 0x0000000000100000-0x0000000065e0efff] usable",
	"BIOS-e820: [mem 0x0000000065e0f000-0x000000006764efff] reserved",
	"BIOS-e820: [mem 0x000000006764f000-0x0000000068ca7fff] ACPI NVS",
	"BIOS-e820: [mem 0x0000000068ca8000-0x00000000695fdfff] ACPI data",
	"BIOS-e820: [mem 0x00000000695fe000-0x000000006f7fffff] usable",
	"BIOS-e820: [mem 0x000000006f800000-0x000000008fffffff] reserved",
	"BIOS-e820: [mem 0x00000000fe000000-0x00000000fe010fff] reserved",
	"BIOS-e820: [mem 0x0000000100000000-0x000000506fffffff] usable",
	"MTRR default type: uncachable",
	"  00000-9FFFF write-back",
	"  A0000-FFFFF uncachable",
	"  0 base 000000000000 mask 3FC000000000 write-back",
	"  1 base 004000000000 mask 3FF000000000 write-back",
	"  2 base 005000000000 mask 3FFF80000000 write-back",
	"  3 base 005070000000 mask 3FFFF0000000 uncachable",
	"  4 base 000080000000 mask 3FFF80000000 uncachable",
	"  5 base 00007F000000 mask 3FFFFF000000 uncachable",
	"  6 disabled",
	"  7 disabled",
	"  8 disabled",
	"  9 disabled",
	NULL
};

/*
 * UEFI tower server: Lenovo ThinkServer TD340 (BIOS A3TS0FA 12/05/2013,
 * American Megatrends EFI 2.31), 8 GiB, MAXPHYADDR 46.  Its EFI memory
 * map (95 descriptors) cuts the RAM below 2 GiB into many small boot
 * services pieces and names MMIO ranges (type 11) the e820 map only calls
 * reserved.  Source: Ubuntu Forums thread "No sound with Audiophile 2496
 * and Ubuntu 12.04.5" (Multimedia Software, 2014-11-29), dmesg posted by
 * king76 (3.13.0-40-generic).
 */
static const char *const td340_uefi_server[] = {
	"efi: mem00: type=3, attr=0xf, range=[0x0000000000000000-0x0000000000008000) (0MB)",
	"efi: mem01: type=7, attr=0xf, range=[0x0000000000008000-0x000000000004f000) (0MB)",
	"efi: mem02: type=4, attr=0xf, range=[0x000000000004f000-0x0000000000050000) (0MB)",
	"efi: mem03: type=3, attr=0xf, range=[0x0000000000050000-0x00000000000a0000) (0MB)",
	"efi: mem04: type=2, attr=0xf, range=[0x0000000000100000-0x000000000069c000) (5MB)",
	"efi: mem05: type=7, attr=0xf, range=[0x000000000069c000-0x0000000001000000) (9MB)",
	"efi: mem06: type=2, attr=0xf, range=[0x0000000001000000-0x0000000001100000) (1MB)",
	"efi: mem07: type=7, attr=0xf, range=[0x0000000001100000-0x0000000035b1e000) (842MB)",
	"efi: mem08: type=2, attr=0xf, range=[0x0000000035b1e000-0x0000000035b21000) (0MB)",
	"efi: mem09: type=7, attr=0xf, range=[0x0000000035b21000-0x0000000035b24000) (0MB)",
	"efi: mem10: type=2, attr=0xf, range=[0x0000000035b24000-0x0000000036d8a000) (18MB)",
	"efi: mem11: type=7, attr=0xf, range=[0x0000000036d8a000-0x0000000053468000) (454MB)",
	"efi: mem12: type=2, attr=0xf, range=[0x0000000053468000-0x00000000717eb000) (483MB)",
	"efi: mem13: type=4, attr=0xf, range=[0x00000000717eb000-0x0000000071833000) (0MB)",
	"efi: mem14: type=7, attr=0xf, range=[0x0000000071833000-0x000000007184d000) (0MB)",
	"efi: mem15: type=4, attr=0xf, range=[0x000000007184d000-0x0000000071893000) (0MB)",
	"efi: mem16: type=7, attr=0xf, range=[0x0000000071893000-0x00000000718ad000) (0MB)",
	"efi: mem17: type=4, attr=0xf, range=[0x00000000718ad000-0x0000000071952000) (0MB)",
	"efi: mem18: type=7, attr=0xf, range=[0x0000000071952000-0x0000000071970000) (0MB)",
	"efi: mem19: type=4, attr=0xf, range=[0x0000000071970000-0x0000000071974000) (0MB)",
	"efi: mem20: type=7, attr=0xf, range=[0x0000000071974000-0x0000000071979000) (0MB)",
	"efi: mem21: type=4, attr=0xf, range=[0x0000000071979000-0x000000007197a000) (0MB)",
	"efi: mem22: type=7, attr=0xf, range=[0x000000007197a000-0x000000007197d000) (0MB)",
	"efi: mem23: type=4, attr=0xf, range=[0x000000007197d000-0x0000000071983000) (0MB)",
	"efi: mem24: type=7, attr=0xf, range=[0x0000000071983000-0x0000000071999000) (0MB)",
	"efi: mem25: type=4, attr=0xf, range=[0x0000000071999000-0x0000000071a17000) (0MB)",
	"efi: mem26: type=7, attr=0xf, range=[0x0000000071a17000-0x0000000071a1b000) (0MB)",
	"efi: mem27: type=4, attr=0xf, range=[0x0000000071a1b000-0x0000000071a8a000) (0MB)",
	"efi: mem28: type=7, attr=0xf, range=[0x0000000071a8a000-0x0000000071a8d000) (0MB)",
	"efi: mem29: type=4, attr=0xf, range=[0x0000000071a8d000-0x0000000071aa7000) (0MB)",
	"efi: mem30: type=7, attr=0xf, range=[0x0000000071aa7000-0x0000000071aac000) (0MB)",
	"efi: mem31: type=4, attr=0xf, range=[0x0000000071aac000-0x0000000071ac3000) (0MB)",
	"efi: mem32: type=7, attr=0xf, range=[0x0000000071ac3000-0x0000000071ac5000) (0MB)",
	"efi: mem33: type=4, attr=0xf, range=[0x0000000071ac5000-0x0000000071c9a000) (1MB)",
	"efi: mem34: type=7, attr=0xf, range=[0x0000000071c9a000-0x0000000071c9b000) (0MB)",
	"efi: mem35: type=4, attr=0xf, range=[0x0000000071c9b000-0x0000000071e12000) (1MB)",
	"efi: mem36: type=7, attr=0xf, range=[0x0000000071e12000-0x0000000071e14000) (0MB)",
	"efi: mem37: type=4, attr=0xf, range=[0x0000000071e14000-0x0000000071e1b000) (0MB)",
	"efi: mem38: type=7, attr=0xf, range=[0x0000000071e1b000-0x0000000071e1d000) (0MB)",
	"efi: mem39: type=4, attr=0xf, range=[0x0000000071e1d000-0x0000000071e23000) (0MB)",
	"efi: mem40: type=7, attr=0xf, range=[0x0000000071e23000-0x0000000071e25000) (0MB)",
	"efi: mem41: type=4, attr=0xf, range=[0x0000000071e25000-0x0000000071e2d000) (0MB)",
	"efi: mem42: type=7, attr=0xf, range=[0x0000000071e2d000-0x0000000071e31000) (0MB)",
	"efi: mem43: type=4, attr=0xf, range=[0x0000000071e31000-0x0000000071e37000) (0MB)",
	"efi: mem44: type=7, attr=0xf, range=[0x0000000071e37000-0x0000000071e3b000) (0MB)",
	"efi: mem45: type=4, attr=0xf, range=[0x0000000071e3b000-0x0000000071e45000) (0MB)",
	"efi: mem46: type=7, attr=0xf, range=[0x0000000071e45000-0x0000000071e48000) (0MB)",
	"efi: mem47: type=4, attr=0xf, range=[0x0000000071e48000-0x0000000071fde000) (1MB)",
	"efi: mem48: type=7, attr=0xf, range=[0x0000000071fde000-0x0000000071fe0000) (0MB)",
	"efi: mem49: type=4, attr=0xf, range=[0x0000000071fe0000-0x0000000071fe8000) (0MB)",
	"efi: mem50: type=7, attr=0xf, range=[0x0000000071fe8000-0x0000000071fea000) (0MB)",
	"efi: mem51: type=4, attr=0xf, range=[0x0000000071fea000-0x0000000072005000) (0MB)",
	"efi: mem52: type=7, attr=0xf, range=[0x0000000072005000-0x0000000072006000) (0MB)",
	"efi: mem53: type=4, attr=0xf, range=[0x0000000072006000-0x0000000072010000) (0MB)",
	"efi: mem54: type=7, attr=0xf, range=[0x0000000072010000-0x0000000072011000) (0MB)",
	"efi: mem55: type=4, attr=0xf, range=[0x0000000072011000-0x0000000072016000) (0MB)",
	"efi: mem56: type=7, attr=0xf, range=[0x0000000072016000-0x0000000072017000) (0MB)",
	"efi: mem57: type=4, attr=0xf, range=[0x0000000072017000-0x000000007258e000) (5MB)",
	"efi: mem58: type=7, attr=0xf, range=[0x000000007258e000-0x000000007258f000) (0MB)",
	"efi: mem59: type=4, attr=0xf, range=[0x000000007258f000-0x0000000072829000) (2MB)",
	"efi: mem60: type=7, attr=0xf, range=[0x0000000072829000-0x0000000079b2b000) (115MB)",
	"efi: mem61: type=1, attr=0xf, range=[0x0000000079b2b000-0x0000000079b4c000) (0MB)",
	"efi: mem62: type=4, attr=0xf, range=[0x0000000079b4c000-0x000000007bd3c000) (33MB)",
	"efi: mem63: type=4, attr=0xf, range=[0x000000007bd3c000-0x000000007be1e000) (0MB)",
	"efi: mem64: type=4, attr=0xf, range=[0x000000007be1e000-0x000000007be21000) (0MB)",
	"efi: mem65: type=4, attr=0xf, range=[0x000000007be21000-0x000000007be23000) (0MB)",
	"efi: mem66: type=4, attr=0xf, range=[0x000000007be23000-0x000000007be26000) (0MB)",
	"efi: mem67: type=4, attr=0xf, range=[0x000000007be26000-0x000000007d6e5000) (24MB)",
	"efi: mem68: type=7, attr=0xf, range=[0x000000007d6e5000-0x000000007db6f000) (4MB)",
	"efi: mem69: type=2, attr=0xf, range=[0x000000007db6f000-0x000000007db73000) (0MB)",
	"efi: mem70: type=3, attr=0xf, range=[0x000000007db73000-0x000000007dead000) (3MB)",
	"efi: mem71: type=0, attr=0xf, range=[0x000000007dead000-0x000000007deb9000) (0MB)",
	"efi: mem72: type=0, attr=0xf, range=[0x000000007deb9000-0x000000007dedd000) (0MB)",
	"efi: mem73: type=9, attr=0xf, range=[0x000000007dedd000-0x000000007df14000) (0MB)",
	"efi: mem74: type=9, attr=0xf, range=[0x000000007df14000-0x000000007dff3000) (0MB)",
	"efi: mem75: type=10, attr=0xf, range=[0x000000007dff3000-0x000000007e0e5000) (0MB)",
	"efi: mem76: type=10, attr=0xf, range=[0x000000007e0e5000-0x000000007e20a000) (1MB)",
	"efi: mem77: type=6, attr=0x800000000000000f, range=[0x000000007e20a000-0x000000007e56e000) (3MB)",
	"efi: mem78: type=6, attr=0x800000000000000f, range=[0x000000007e56e000-0x000000007f28b000) (13MB)",
	"efi: mem79: type=6, attr=0x800000000000000f, range=[0x000000007f28b000-0x000000007f28e000) (0MB)",
	"efi: mem80: type=6, attr=0x800000000000000f, range=[0x000000007f28e000-0x000000007f30b000) (0MB)",
	"efi: mem81: type=5, attr=0x800000000000000f, range=[0x000000007f30b000-0x000000007f31c000) (0MB)",
	"efi: mem82: type=5, attr=0x800000000000000f, range=[0x000000007f31c000-0x000000007f363000) (0MB)",
	"efi: mem83: type=4, attr=0xf, range=[0x000000007f363000-0x000000007f364000) (0MB)",
	"efi: mem84: type=10, attr=0xf, range=[0x000000007f364000-0x000000007f3ea000) (0MB)",
	"efi: mem85: type=4, attr=0xf, range=[0x000000007f3ea000-0x000000007f53c000) (1MB)",
	"efi: mem86: type=3, attr=0xf, range=[0x000000007f53c000-0x000000007f7e0000) (2MB)",
	"efi: mem87: type=4, attr=0xf, range=[0x000000007f7e0000-0x000000007f7e4000) (0MB)",
	"efi: mem88: type=3, attr=0xf, range=[0x000000007f7e4000-0x000000007f7e8000) (0MB)",
	"efi: mem89: type=4, attr=0xf, range=[0x000000007f7e8000-0x000000007f800000) (0MB)",
	"efi: mem90: type=7, attr=0xf, range=[0x0000000100000000-0x0000000280000000) (6144MB)",
	"efi: mem91: type=11, attr=0x8000000000000001, range=[0x0000000080000000-0x0000000090000000) (256MB)",
	"efi: mem92: type=11, attr=0x8000000000000001, range=[0x00000000fed1c000-0x00000000fed20000) (0MB)",
	"efi: mem93: type=11, attr=0x8000000000000001, range=[0x00000000fed20000-0x00000000fed40000) (0MB)",
	"efi: mem94: type=11, attr=0x8000000000000001, range=[0x00000000ff000000-0x0000000100000000) (16MB)",
	"MTRR default type: uncachable",
	"  00000-9FFFF write-back",
	"  A0000-BFFFF uncachable",
	"  C0000-C7FFF write-protect",
	"  C8000-DFFFF uncachable",
	"  E0000-FFFFF write-protect",
	"  0 base 000000000000 mask 3FFE00000000 write-back",
	"  1 base 000200000000 mask 3FFF80000000 write-back",
	"  2 base 000080000000 mask 3FFF80000000 uncachable",
	"  3 disabled",
	"  4 disabled",
	"  5 disabled",
	"  6 disabled",
	"  7 disabled",
	"  8 disabled",
	"  9 disabled",
	NULL
};

static const struct recorded_machine recorded_machines[] = {
	{ "ASUS UL80 laptop", "Ubuntu Forums, samee.zahur, 2010-11-27",
	  asus_ul80_laptop },
	{ "Award BIOS desktop", "Ubuntu Forums, kanolsen, 2010-03-17",
	  award_desktop },
	{ "Intel CooperCity server", "LKML <20200713155806.GA3962782@google.com>",
	  coopercity_server },
	{ "Lenovo ThinkServer TD340 (UEFI)", "Ubuntu Forums, king76, 2014-11-29",
	  td340_uefi_server },
};

#define RECORDED_MACHINE_COUNT \
	(sizeof(recorded_machines) / sizeof(recorded_machines[0]))

#endif
