/*
 * realmode: what realmode.S recorded while CR0.PE was clear.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/cpu.h"
#include "tests/guest/check.h"
#include "tests/guest/layout.h"

struct realmode_report {
	uint32_t magic;
	uint32_t cr0;
	uint16_t cs;
	uint16_t bda_com1;
	uint16_t bda_base_memory_kib;
	uint16_t alias_ok;
} __attribute__((packed));
_Static_assert(offsetof(struct realmode_report, cr0) == RMR_CR0, "report");
_Static_assert(offsetof(struct realmode_report, cs) == RMR_CS, "report");
_Static_assert(offsetof(struct realmode_report, bda_com1) == RMR_BDA_COM1, "report");
_Static_assert(offsetof(struct realmode_report, bda_base_memory_kib) ==
	       RMR_BDA_BASEMEM, "report");
_Static_assert(offsetof(struct realmode_report, alias_ok) == RMR_ALIAS_OK, "report");

/* The BIOS data area is not required (a hypervisor need not provide one), so
 * its words are only reported by the real-mode line itself. */
enum verdict check_realmode_report(struct check_result *r)
{
	const volatile struct realmode_report *rep =
		(const volatile struct realmode_report *)(uintptr_t)REALMODE_REPORT;

	if (rep->magic != REALMODE_REPORT_MAGIC)
		return fail(r, "no report from real mode (magic 0x%x)", rep->magic);
	if (rep->cr0 & CR0_PE)
		return fail(r, "CR0 read in real mode was 0x%x (PE set)", rep->cr0);
	if (rep->cs != 0)
		return fail(r, "CS in real mode was 0x%x, expected 0", rep->cs);
	if (rep->alias_ok != 1)
		return fail(r, "0x%x:0x%x and 0:0x%x did not alias (segment base != selector*16)",
			    ALIAS_SEG, ALIAS_OFF, ALIAS_LINEAR);
	return VERDICT_PASS;
}
