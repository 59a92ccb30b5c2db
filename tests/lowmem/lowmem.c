/*
 * The low-memory kernel: a tiny multiboot (v1) kernel, linked at 1, 2, 4
 * or 16 MiB from this one source, that checks what a kernel taking its
 * early heap from mem_upper relies on (issue 10, "low memory is cut in
 * two"):
 *   - it was loaded at all, at its link address (a 4 MiB kernel could not
 *     be while the hypervisor sat there);
 *   - the memory map has usable RAM at 1 MiB, and mem_upper is exactly the
 *     size of the block that runs from 1 MiB without a gap;
 *   - its own image lies inside that block;
 *   - that block holds most of the usable RAM below 4 GiB
 *     (LOWMEM_RUN_SHARE_MIN), as on bare metal.
 * It prints one line of facts and one verdict line, "[lowmem] PASS" or
 * "[lowmem] FAIL: why", on COM1, then ends the run: HC_TEST_EXIT under the
 * hypervisor (whose verdict reaches the emulator's exit channel), the
 * emulators' exit ports bare.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/io.h"
#include "drivers/emu_exit.h"
#include "drivers/serial.h"
#include "drivers/uart16550.h"
#include "guest/multiboot/spec.h"
#include "hv/exit/hypercall.h"

#define KIB_SHIFT             10
/* The block from 1 MiB must hold at least this share (in percent) of the
 * usable RAM below 4 GiB: nearly all of it bare (the BIOS keeps the top
 * 64 KiB for ACPI), all but the hypervisor's 18 MiB and the 2 MiB above
 * them under the hypervisor; 3 MiB of 255 with the old 4 MiB image. */
#define LOWMEM_RUN_SHARE_MIN  75
#define PERCENT               100
#define LINE_MAX              200

extern char __image_start[], __image_end[];

void lowmem_main(uint32_t magic, const struct mb1_info *info);

/* COM1 at 115200 8N1, FIFOs on, interrupts off; first lets what the
 * loader (or the hypervisor) still has in the FIFO go out. */
static void uart_init(void)
{
	for (int i = 0; i < UART_POLL_LIMIT; i++)
		if (inb(SERIAL_COM1_PORT + UART_LSR) & UART_LSR_TEMT)
			break;
	outb(SERIAL_COM1_PORT + UART_IER, 0);
	outb(SERIAL_COM1_PORT + UART_LCR, UART_LCR_DLAB);
	outb(SERIAL_COM1_PORT + UART_DLL, UART_BASE_BAUD / SERIAL_DEFAULT_BAUD);
	outb(SERIAL_COM1_PORT + UART_DLM, 0);
	outb(SERIAL_COM1_PORT + UART_LCR, UART_LCR_WLEN8);
	outb(SERIAL_COM1_PORT + UART_FCR, UART_FCR_ENABLE |
	     UART_FCR_CLEAR_RCVR | UART_FCR_CLEAR_XMIT);
	outb(SERIAL_COM1_PORT + UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
}

static void putc_serial(char c)
{
	for (int i = 0; i < UART_POLL_LIMIT; i++)
		if (inb(SERIAL_COM1_PORT + UART_LSR) & UART_LSR_THRE)
			break;
	outb(SERIAL_COM1_PORT + UART_THR, (uint8_t)c);
}

static void puts_serial(const char *s)
{
	while (*s)
		putc_serial(*s++);
}

/* Append s to the line buffer. */
static void add_str(char *line, uint32_t *len, const char *s)
{
	while (*s && *len < LINE_MAX - 1)
		line[(*len)++] = *s++;
	line[*len] = '\0';
}

/* Append v in hexadecimal ("0x..."). */
static void add_hex(char *line, uint32_t *len, uint64_t v)
{
	char digits[17];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	add_str(line, len, "0x");
	while (n && *len < LINE_MAX - 1)
		line[(*len)++] = digits[--n];
	line[*len] = '\0';
}

/* Append v in decimal. */
static void add_dec(char *line, uint32_t *len, uint64_t v)
{
	char digits[21];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && *len < LINE_MAX - 1)
		line[(*len)++] = digits[--n];
	line[*len] = '\0';
}

/* The map entry at byte offset off of the multiboot memory map. */
static const struct mb1_mmap_entry *entry_at(const struct mb1_info *info,
					     uint32_t off)
{
	return (const struct mb1_mmap_entry *)(uintptr_t)(info->mmap_addr + off);
}

/* The end of the usable RAM that runs without a gap from `start` (start
 * itself when no usable entry holds it); entries may come in any order. */
static uint64_t usable_run_end(const struct mb1_info *info, uint64_t start)
{
	uint64_t end = start;
	bool grew = true;

	while (grew) {
		grew = false;
		for (uint32_t off = 0; off < info->mmap_length;
		     off += entry_at(info, off)->size + sizeof(uint32_t)) {
			const struct mb1_mmap_entry *e = entry_at(info, off);
			uint64_t e_end = e->base_addr + e->length;

			if (e->type == MB1_MEMORY_AVAILABLE &&
			    e->base_addr <= end && end < e_end) {
				end = e_end;
				grew = true;
			}
		}
	}
	return end;
}

/* Usable RAM below 4 GiB in the map, in bytes. */
static uint64_t usable_below_4g(const struct mb1_info *info)
{
	uint64_t total = 0;

	for (uint32_t off = 0; off < info->mmap_length;
	     off += entry_at(info, off)->size + sizeof(uint32_t)) {
		const struct mb1_mmap_entry *e = entry_at(info, off);
		uint64_t end = e->base_addr + e->length;

		if (e->type != MB1_MEMORY_AVAILABLE || e->base_addr >= SIZE_4G)
			continue;
		total += (end > SIZE_4G ? SIZE_4G : end) - e->base_addr;
	}
	return total;
}

/* Whether the hypervisor answers CPUID leaf 0x40000000 with its name. */
static bool under_hypervisor(void)
{
	static const char want[] = HV_CPUID_SIGNATURE;
	uint32_t r[4];

	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
			 "=d"(r[3]) : "a"(HV_CPUID_SIGNATURE_LEAF), "c"(0));
	const char *got = (const char *)&r[1];
	for (int i = 0; i < 12; i++)
		if (got[i] != want[i])
			return false;
	return true;
}

/* End the run with the verdict: never returns. */
static void __attribute__((noreturn)) finish(bool pass)
{
	if (under_hypervisor())
		__asm__ volatile("vmcall" : : "a"(HC_TEST_EXIT),
				 "b"(pass ? 0 : 1) : "memory");
	outb(QEMU_DEBUG_EXIT_PORT, pass ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
	for (const char *s = BOCHS_SHUTDOWN_STRING; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Why the memory information fails the checks at the top, or NULL. */
static const char *check_memory(const struct mb1_info *info, uint64_t run_end,
				uint64_t total)
{
	uint64_t start = (uintptr_t)__image_start, end = (uintptr_t)__image_end;

	if (!(info->flags & MB1_INFO_MEMORY) || !(info->flags & MB1_INFO_MEM_MAP))
		return "no mem_lower/mem_upper or no memory map (flags 0 and 6)";
	if (run_end == MB1_UPPER_MEMORY_BASE)
		return "no usable RAM at 1 MiB in the memory map";
	if ((uint64_t)info->mem_upper << KIB_SHIFT !=
	    run_end - MB1_UPPER_MEMORY_BASE)
		return "mem_upper is not the size of the RAM block from 1 MiB";
	if (start < MB1_UPPER_MEMORY_BASE || end > run_end)
		return "the kernel's own image is outside the RAM block from 1 MiB";
	if ((run_end - MB1_UPPER_MEMORY_BASE) * PERCENT <
	    total * LOWMEM_RUN_SHARE_MIN)
		return "the RAM block from 1 MiB holds less than 75% of the "
		       "usable RAM below 4 GiB: low memory is cut";
	return 0;
}

/* Say what the loader gave: link address, mem_*, the block, the total. */
static void report(const struct mb1_info *info, uint64_t run_end,
		   uint64_t total)
{
	char line[LINE_MAX];
	uint32_t len = 0;

	add_str(line, &len, "[lowmem] linked at ");
	add_hex(line, &len, (uintptr_t)__image_start);
	add_str(line, &len, ", mem_lower ");
	add_dec(line, &len, info->mem_lower);
	add_str(line, &len, " KiB, mem_upper ");
	add_dec(line, &len, info->mem_upper);
	add_str(line, &len, " KiB, RAM from 1 MiB to ");
	add_hex(line, &len, run_end);
	add_str(line, &len, ", usable below 4 GiB ");
	add_dec(line, &len, total >> KIB_SHIFT);
	add_str(line, &len, " KiB\r\n");
	puts_serial(line);
}

void lowmem_main(uint32_t magic, const struct mb1_info *info)
{
	const char *why;

	uart_init();
	puts_serial(under_hypervisor() ? "\r\n[lowmem] under the hypervisor\r\n"
				       : "[lowmem] bare\r\n");
	if (magic != MB1_BOOTLOADER_MAGIC) {
		puts_serial("[lowmem] FAIL: not started by a multiboot loader\r\n");
		finish(false);
	}
	uint64_t run_end = usable_run_end(info, MB1_UPPER_MEMORY_BASE);
	uint64_t total = usable_below_4g(info);
	if (info->flags & MB1_INFO_MEM_MAP)
		report(info, run_end, total);
	why = check_memory(info, run_end, total);
	if (why) {
		puts_serial("[lowmem] FAIL: ");
		puts_serial(why);
		puts_serial("\r\n");
		finish(false);
	}
	puts_serial("[lowmem] PASS\r\n");
	finish(true);
}
