/*
 * AP start-up mechanism (see arch/x86/smp.h).  INIT, SIPI, SIPI follow
 * Intel SDM Vol. 3, "MP Initialization": INIT, 10 ms, SIPI, 200 us, SIPI.
 * The trampoline page's contents are saved and put back, so whoever owned
 * the page (the guest) gets it back as it was.
 */
#include <stdbool.h>
#include <stddef.h>

#include "arch/x86/ap_boot.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/lapic_ipi.h"
#include "arch/x86/msr.h"
#include "arch/x86/page.h"
#include "arch/x86/pit_delay.h"
#include "arch/x86/smp.h"
#include "lib/str.h"

_Static_assert(offsetof(struct ap_boot_params, gdtr_limit) == APB_GDTR, "");
_Static_assert(offsetof(struct ap_boot_params, far32_offset) == APB_FAR32, "");
_Static_assert(offsetof(struct ap_boot_params, far64_offset) == APB_FAR64, "");
_Static_assert(offsetof(struct ap_boot_params, cr3) == APB_CR3, "");
_Static_assert(offsetof(struct ap_boot_params, cr4) == APB_CR4, "");
_Static_assert(offsetof(struct ap_boot_params, efer) == APB_EFER, "");
_Static_assert(offsetof(struct ap_boot_params, cr0) == APB_CR0, "");
_Static_assert(offsetof(struct ap_boot_params, stack) == APB_STACK, "");
_Static_assert(offsetof(struct ap_boot_params, entry) == APB_ENTRY, "");
_Static_assert(offsetof(struct ap_boot_params, arg) == APB_ARG, "");
_Static_assert(sizeof(struct ap_boot_params) == APB_SIZE, "");

/* SDM "MP Initialization" timing. */
#define INIT_DELAY_US        10000u
#define SIPI_DELAY_US        200u

#define GDT_DESC_CODE32 (DESC_P | DESC_S | DESC_CODE | DESC_RW | DESC_DB | \
			 DESC_G | DESC_ACCESSED | DESC_LIMIT_MAX)


static struct ap_boot_params *params_of(uint64_t page)
{
	return (struct ap_boot_params *)(uintptr_t)(page + ap_boot_params_offset);
}

void ap_trampoline_install(uint64_t page)
{
	size_t size = (size_t)(ap_boot_end - ap_boot_start);
	struct ap_boot_params *p = params_of(page);

	memcpy((void *)(uintptr_t)page, ap_boot_start, size);
	p->gdt[0] = 0;
	p->gdt[APB_SEL_CODE32 / 8] = GDT_DESC_CODE32;
	p->gdt[APB_SEL_DATA32 / 8] = GDT_DESC_DATA;
	p->gdt[APB_SEL_CODE64 / 8] = GDT_DESC_CODE64;
	p->gdtr_limit = sizeof(p->gdt) - 1;
	p->gdtr_base = (uint32_t)(page + ap_boot_params_offset +
				  offsetof(struct ap_boot_params, gdt));
	p->far32_offset = (uint32_t)(page + ap_boot_pm32_offset);
	p->far32_selector = APB_SEL_CODE32;
	p->far64_offset = (uint32_t)(page + ap_boot_lm64_offset);
	p->far64_selector = APB_SEL_CODE64;
	p->cr3 = read_cr3();
	p->cr4 = read_cr4() & ~CR4_VMXE;    /* vmx_enable sets it per CPU */
	p->efer = rdmsr(IA32_EFER) & ~EFER_LMA;
	p->cr0 = read_cr0();
	p->lock = 1;            /* held until ap_trampoline_offer() */
	p->entered = 0;
}

void ap_trampoline_seal(uint64_t page)
{
	/* cli; hlt; jmp short back to the hlt (an NMI or SMI returns there). */
	static const uint8_t halt_loop[] = { 0xfa, 0xf4, 0xeb, 0xfd };

	memset((void *)(uintptr_t)page, 0, PAGE_SIZE);
	memcpy((void *)(uintptr_t)page, halt_loop, sizeof(halt_loop));
}

void ap_trampoline_offer(uint64_t page, uint64_t stack_top,
			 ap_entry_fn entry, struct percpu *cpu)
{
	struct ap_boot_params *p = params_of(page);

	p->stack = stack_top;
	p->entry = (uint64_t)(uintptr_t)entry;
	p->arg = (uint64_t)(uintptr_t)cpu;
	__atomic_store_n(&p->lock, 0, __ATOMIC_RELEASE);
}

uint32_t ap_trampoline_entered(uint64_t page)
{
	return __atomic_load_n(&params_of(page)->entered, __ATOMIC_ACQUIRE);
}

void ap_send_startup(uint32_t dest, uint64_t page)
{
	uint8_t vector = (uint8_t)(page >> PAGE_SHIFT);

	lapic_send_init(dest);
	pit_delay_us(INIT_DELAY_US);
	lapic_send_sipi(dest, vector);
	pit_delay_us(SIPI_DELAY_US);
	lapic_send_sipi(dest, vector);
}
