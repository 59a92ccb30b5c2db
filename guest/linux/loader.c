/*
 * The Linux guest loader: an unmodified bzImage (module "linux", whose
 * module command line is the kernel's) and an optional initrd (module
 * "initrd"), started by the 32-bit boot protocol (Linux boot.rst).
 *
 * Guest memory is identity-mapped, so a guest-physical address is also
 * the pointer the hypervisor writes through.  What goes where:
 *   - the protected-mode kernel at pref_address when that is free guest
 *     RAM with init_size room, else (relocatable kernels) at the highest
 *     free kernel_alignment-aligned place below 4 GiB;
 *   - the initrd where the boot loader put it, or moved below
 *     initrd_addr_max when it lies above;
 *   - the guest's ACPI root tables and one-CPU MADT (guest/acpi/tables.c),
 *     or, when the firmware has no ACPI tables, the hypervisor's own
 *     (guest/acpi/platform.c), marked ACPI in the guest's e820;
 *   - the zero page, a GDT with __BOOT_CS/__BOOT_DS and the command line,
 *     below 4 GiB (the protocol passes 32-bit pointers).
 */
#include "guest/linux/linux.h"

#include "arch/x86/cpu.h"
#include "guest/acpi/tables.h"
#include "guest/acpi/platform.h"
#include "lib/bits.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/str.h"
#include "mm/guest_mem.h"
#include "mm/pmm.h"

#define BOOT_BLOCK_SIZE    (2 * PAGE_SIZE)     /* zero page, then GDT + cmdline */
#define BOOT_GDT_OFFSET    PAGE_SIZE
#define BOOT_CMDLINE_OFFSET (PAGE_SIZE + 0x40)
#define BOOT_GDT_ENTRIES   4                   /* null, unused, CS, DS */
#define GDT_CODE32_FLAT    0x00cf9a000000ffffull  /* exec/read, 4 GiB, D=1 */
#define GDT_DATA32_FLAT    0x00cf92000000ffffull  /* read/write, 4 GiB, B=1 */
#define CPUS_NOTE_MAX      48

_Static_assert(BOOT_CMDLINE_OFFSET + BOOT_CMDLINE_MAX <= BOOT_BLOCK_SIZE,
	       "command line fits the boot block");

/* The guest memory map, fetched once per load. */
static struct memmap guest_map;

/* A pointer to guest-physical pa: guest memory is identity-mapped in the
 * hypervisor's page tables (the caller has checked the range). */
static void *phys_ptr(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

/* Log why the Linux guest cannot be loaded; returns false for the caller to
 * return. */
static bool load_error(const char *reason)
{
	log_error("guest: " LINUX_KERNEL_ROLE ": %s", reason);
	return false;
}

/* What the loader decided, for the summary line. */
struct linux_layout {
	uint64_t kernel, kernel_size;
	uint64_t initrd, initrd_size;
	uint64_t acpi_rsdp;
	bool acpi_own;              /* tables built by the hypervisor */
	uint32_t cpus_total;
	uint64_t boot_block;
};

/* ---- The kernel ------------------------------------------------------------ */

/* pref_address if it is free; else any aligned free place (relocatable).
 * A non-relocatable kernel goes to pref_address too: its 32-bit entry code
 * is position-independent and moves the kernel to LOAD_PHYSICAL_ADDR
 * (= pref_address) anyway, and 1 MiB (code32_start) is where boot loaders
 * put modules. */
static uint64_t choose_kernel_address(const struct bzimage *bz)
{
	uint64_t pref = bz->pref_address, size;

	if (guest_mem_is_free(pref, bzimage_footprint(bz, pref)) &&
	    pref + bzimage_footprint(bz, pref) <= SIZE_4G)
		return pref;
	if (!bz->relocatable)
		return 0;
	size = bzimage_footprint(bz, 0);
	return guest_mem_find(size, bz->kernel_alignment, SIZE_4G);
}

/* Whether [a, a + a_len) and [b, b + b_len) share a byte. */
static bool ranges_overlap(uint64_t a, uint64_t a_len, uint64_t b,
			   uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/*
 * GRUB puts modules just above 1 MiB, which is where a kernel that is not
 * relocatable must go (pref_address; memtest86+ is one).  When the
 * kernel's own file lies there, copy the file to free guest RAM and give
 * its place back, as the multiboot loader does (move_kernel_file): the
 * loader reads the copy from then on.  Returns the module to read from,
 * NULL when there is no room for the copy.
 */
static const struct boot_module *
file_out_of_the_way(const struct boot_module *m, const struct bzimage *bz)
{
	static struct boot_module moved;
	uint64_t pref = bz->pref_address, len = bzimage_footprint(bz, pref);

	if (bz->relocatable || guest_mem_is_free(pref, len) ||
	    !ranges_overlap(pref, len, m->base, m->size))
		return m;
	uint64_t copy = guest_mem_find(m->size, PAGE_SIZE, SIZE_4G);
	if (!copy)
		return NULL;
	memcpy(phys_ptr(copy), phys_ptr(m->base), m->size);
	guest_mem_release(m->base, m->size);
	moved = *m;
	moved.base = copy;
	return &moved;
}

/* Copy the bzImage's protected-mode part from module m to the address
 * choose_kernel_address() picks and claim it, recording where in lay.  False
 * (logged, err used as scratch) when no place fits below 4 GiB. */
static bool place_kernel(const struct boot_module *m, const struct bzimage *bz,
			 struct linux_layout *lay, char *err, size_t n)
{
	uint64_t addr = choose_kernel_address(bz);

	if (!addr) {
		format(err, n, "no free guest RAM below 4 GiB for the kernel "
		       "(%llu bytes at %#llx%s)",
		       (unsigned long long)bzimage_footprint(bz, bz->pref_address),
		       (unsigned long long)bz->pref_address,
		       bz->relocatable ? " or anywhere aligned" :
					 ", not relocatable");
		return load_error(err);
	}
	lay->kernel = addr;
	lay->kernel_size = bzimage_footprint(bz, addr);
	memcpy(phys_ptr(addr), (const uint8_t *)phys_ptr(m->base) + bz->pm_offset,
	       bz->pm_size);
	guest_mem_claim(addr, lay->kernel_size);
	return true;
}

/* ---- The initrd ----------------------------------------------------------- */
/* Whether the initrd module may stay where the boot loader put it: below the
 * kernel's initrd_addr_max and in guest RAM. */
static bool initrd_in_place_ok(const struct boot_module *m,
			       const struct bzimage *bz)
{
	return m->base + m->size - 1 <= bz->initrd_addr_max &&
	       guest_mem_is_ram(m->base, m->size);
}

/* In place when the boot loader put it low enough, else moved down. */
static bool place_initrd(const struct boot_module *m, const struct bzimage *bz,
			 struct linux_layout *lay, char *err, size_t n)
{
	uint64_t dest;

	lay->initrd_size = m->size;
	if (initrd_in_place_ok(m, bz)) {
		lay->initrd = m->base;
		return true;
	}
	dest = guest_mem_find(m->size, PAGE_SIZE,
			      (uint64_t)bz->initrd_addr_max + 1);
	if (!dest) {
		format(err, n, "initrd (%llu bytes) does not fit below "
		       "initrd_addr_max %#x", (unsigned long long)m->size,
		       bz->initrd_addr_max);
		return load_error(err);
	}
	memmove(phys_ptr(dest), phys_ptr(m->base), m->size);
	guest_mem_claim(dest, m->size);
	lay->initrd = dest;
	return true;
}

/* ---- ACPI: one CPU -------------------------------------------------------- */
/* The boot CPU's x2APIC ID (leaf 0xB) when the CPU has it, else its
 * initial APIC ID (leaf 1); equal below 255. */
static uint32_t bsp_apic_id(void)
{
	if (cpuid(0, 0).eax >= CPUID_LEAF_TOPOLOGY) {
		struct cpuid_regs t = cpuid(CPUID_LEAF_TOPOLOGY, 0);

		if (t.ebx)
			return t.edx;
	}
	return cpuid(1, 0).ebx >> CPUID_1_EBX_APIC_ID_SHIFT;
}

/* No usable firmware tables (OVMF under Bochs: none at all, or, with a
 * PCI display, some but no MADT; `why` says which): the hypervisor's own,
 * with the boot CPU alone in the MADT (guest/acpi/platform.c). */
static bool build_own_acpi(const char *why, struct linux_layout *lay,
			   char *err, size_t n)
{
	struct acpi_own_result res;

	if (!acpi_own_build(bsp_apic_id(), &res, err, n))
		return load_error(err);
	if (res.has_fadt)
		log_info("guest: linux: %s: built RSDP/XSDT/MADT/FADT/FACS/DSDT "
			 "for the guest (PM1a control 0x%x)", why, res.pm1a_cnt);
	else
		log_warn("guest: linux: %s: built RSDP/XSDT/MADT for the guest "
			 "(no power-management block: no FADT, no ACPI "
			 "power-off)", why);
	lay->acpi_rsdp = res.rsdp;
	lay->acpi_own = true;
	return true;
}

/* Give the guest ACPI tables: a copy of the firmware's with the MADT cut to
 * the boot CPU, placed in claimed guest RAM below 4 GiB and marked
 * ACPI-reclaimable, or the hypervisor's own when there are none.  False,
 * logged, when they cannot be built or placed. */
static bool build_acpi(const struct boot_info *bi, struct linux_layout *lay,
		       char *err, size_t n)
{
	struct acpi_source src = { bi->rsdp_data, acpi_map_identity, NULL };
	struct acpi_guest_result res;
	uint64_t size, dest;
	uint32_t mlen;
	char why[ACPI_ERROR_MAX];

	if (!bi->has_rsdp)
		return build_own_acpi("the firmware has no ACPI tables", lay,
				      err, n);
	/* Without a MADT the guest could not be limited to one CPU. */
	if (!acpi_find_sdt(&src, ACPI_SIG_MADT, NULL, &mlen, why, sizeof(why)))
		return build_own_acpi("the firmware's ACPI tables have no MADT",
				      lay, err, n);
	size = acpi_guest_size(&src, err, n);
	if (!size)
		return load_error(err);
	size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	dest = guest_mem_find(size, PAGE_SIZE, SIZE_4G);
	if (!dest)
		return load_error("no free guest RAM below 4 GiB for the ACPI "
				  "tables");
	if (!acpi_guest_build(&src, bsp_apic_id(), dest, phys_ptr(dest), size,
			      &res, err, n))
		return load_error(err);
	guest_mem_claim(dest, size);
	guest_mem_mark(dest, size, MEM_ACPI_RECLAIM);
	lay->acpi_rsdp = res.rsdp;
	lay->cpus_total = res.cpus_total;
	return true;
}

/* ---- Zero page, GDT, command line ---------------------------------------------- */
/* The 32-bit boot protocol's GDT (flat code at __BOOT_CS, flat data at
 * __BOOT_DS) into gdt, which must hold BOOT_GDT_ENTRIES entries. */
static void write_gdt(uint64_t *gdt)
{
	memset(gdt, 0, BOOT_GDT_ENTRIES * sizeof(*gdt));
	gdt[LINUX_BOOT_CS / sizeof(*gdt)] = GDT_CODE32_FLAT;
	gdt[LINUX_BOOT_DS / sizeof(*gdt)] = GDT_DATA32_FLAT;
}

/* Place and fill the boot block below 4 GiB: the zero page (struct
 * boot_params), the boot GDT and the command line; claimed in guest memory
 * and recorded in lay.  After the kernel, initrd and ACPI tables are placed
 * (the zero page points at them).  False, logged, on failure. */
static bool build_boot_block(const struct boot_info *bi,
			     const struct boot_module *kernel,
			     const struct bzimage *bz, struct linux_layout *lay,
			     char *err, size_t n)
{
	uint64_t base = guest_mem_find(BOOT_BLOCK_SIZE, PAGE_SIZE, SIZE_4G);
	struct boot_params_in in;

	if (!base)
		return load_error("no free guest RAM below 4 GiB for the zero "
				  "page");
	str_copy(phys_ptr(base + BOOT_CMDLINE_OFFSET), kernel->cmdline,
		 BOOT_CMDLINE_MAX);
	write_gdt(phys_ptr(base + BOOT_GDT_OFFSET));
	guest_mem_map(&guest_map);
	in = (struct boot_params_in){
		.image = phys_ptr(kernel->base), .bz = bz,
		.kernel_addr = lay->kernel,
		.cmdline_addr = base + BOOT_CMDLINE_OFFSET,
		.initrd_addr = lay->initrd, .initrd_size = lay->initrd_size,
		.mmap = guest_map.ranges, .mmap_count = guest_map.count,
		.rsdp_addr = lay->acpi_rsdp,
		.fb = bi->has_framebuffer ? &bi->fb : NULL,
		.uefi = bi->firmware == BOOT_FW_UEFI,
	};
	if (!boot_params_build(&in, phys_ptr(base), err, n))
		return load_error(err);
	guest_mem_claim(base, BOOT_BLOCK_SIZE);
	lay->boot_block = base;
	return true;
}

/* ---- The driver -------------------------------------------------------------- */
/* Whether the kernel's command line fits the length the kernel's header
 * accepts; false, logged, when it does not. */
static bool check_cmdline(const struct boot_module *kernel,
			  const struct bzimage *bz, char *err, size_t n)
{
	size_t len = strlen(kernel->cmdline);

	if (len <= bz->cmdline_size)
		return true;
	format(err, n, "command line is %zu bytes, the kernel takes at most %u",
	       len, bz->cmdline_size);
	return load_error(err);
}

/* How the vCPU enters the kernel: 32-bit protected mode at the load address,
 * RSI at the zero page, the boot GDT loaded (32-bit boot protocol). */
static void fill_entry(struct guest_entry *out, const struct linux_layout *lay)
{
	memset(out, 0, sizeof(*out));
	out->mode = GUEST_ENTRY_PROTECTED32;
	out->rip = lay->kernel;             /* the 32-bit entry: load address */
	out->rsi = lay->boot_block;         /* struct boot_params */
	out->gdt_base = lay->boot_block + BOOT_GDT_OFFSET;
	out->gdt_limit = BOOT_GDT_ENTRIES * sizeof(uint64_t) - 1;
}

/* How many CPUs the guest's MADT kept of how many the firmware's listed. */
static const char *cpus_note(const struct linux_layout *lay, char *buf,
			     size_t n)
{
	if (lay->acpi_own)
		return "1 CPU, the hypervisor's own ACPI tables";
	format(buf, n, "1 of %u CPUs", lay->cpus_total);
	return buf;
}

/* One info line saying what was loaded where. */
static void log_summary(const struct boot_module *kernel,
			const struct bzimage *bz, const struct linux_layout *lay)
{
	char note[CPUS_NOTE_MAX];

	log_info("guest: linux: bzImage %llu bytes, protocol %u.%02u%s%s; "
		 "kernel %#llx+%#llx, initrd %#llx+%#llx, zero page %#llx, "
		 "RSDP %#llx (%s)", (unsigned long long)kernel->size,
		 bz->version >> 8, bz->version & 0xff,
		 bz->xloadflags & BZ_XLF_KERNEL_64 ? ", 64-bit" : "",
		 bz->relocatable ? ", relocatable" : "",
		 (unsigned long long)lay->kernel,
		 (unsigned long long)lay->kernel_size,
		 (unsigned long long)lay->initrd,
		 (unsigned long long)lay->initrd_size,
		 (unsigned long long)lay->boot_block,
		 (unsigned long long)lay->acpi_rsdp, cpus_note(lay, note,
							       sizeof(note)));
}

/* Without an initrd the kernel needs a root device; with neither it would
 * only panic ("Unable to mount root fs"), so say it here, plainly. */
static bool check_root(const struct boot_module *kernel,
		       const struct boot_module *initrd)
{
	if (initrd || cmdline_has(kernel->cmdline, LINUX_ROOT_PARAM))
		return true;
	return load_error("no 'initrd' module and no root= on the kernel "
			  "command line: the kernel would have no root file "
			  "system (add `module2 <file> initrd`)");
}

/* Load the Linux kernel module (with the initrd module, if any) into guest
 * memory by the 32-bit boot protocol and describe the entry in out.  Expects
 * guest_mem_init() done; false with the reason logged when the guest cannot
 * be loaded. */
bool linux_load(const struct boot_info *bi, struct guest_entry *out)
{
	static struct bzimage bz;
	struct linux_layout lay = { 0 };
	char err[GUEST_LOAD_ERROR_MAX];
	const struct boot_module *kernel =
		boot_info_find_module(bi, LINUX_KERNEL_ROLE);
	const struct boot_module *initrd =
		boot_info_find_module(bi, LINUX_INITRD_ROLE);

	if (!kernel)
		return load_error("no boot module has this role");
	if (!check_root(kernel, initrd))
		return false;
	if (!bzimage_parse(phys_ptr(kernel->base), kernel->size, &bz, err,
			   sizeof(err)))
		return load_error(err);
	kernel = file_out_of_the_way(kernel, &bz);
	if (!kernel)
		return load_error("no free guest RAM to move the kernel file out "
				  "from under its load address");
	if (!check_cmdline(kernel, &bz, err, sizeof(err)) ||
	    !place_kernel(kernel, &bz, &lay, err, sizeof(err)) ||
	    (initrd && !place_initrd(initrd, &bz, &lay, err, sizeof(err))) ||
	    !build_acpi(bi, &lay, err, sizeof(err)) ||
	    !build_boot_block(bi, kernel, &bz, &lay, err, sizeof(err)))
		return false;
	fill_entry(out, &lay);
	log_summary(kernel, &bz, &lay);
	return true;
}
