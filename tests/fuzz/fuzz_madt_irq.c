/*
 * Fuzz madt_isa_irq_route (arch/x86/madt_irq.c): the MADT entries that say
 * which I/O APIC pin carries each ISA IRQ (the console UART's interrupt).
 * The input is the MADT itself, its length the input's.
 */
#include "arch/x86/madt_irq.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct madt_isa_route r;

	if (size > UINT32_MAX)
		return 0;
	for (uint8_t irq = 0; irq < MADT_ISA_IRQS; irq++) {
		if (!madt_isa_irq_route(data, (uint32_t)size, irq, &r))
			continue;
		FUZZ_CHECK(r.overridden || r.gsi == irq,
			   "IRQ %u: GSI %u without an override", irq, r.gsi);
		FUZZ_CHECK(r.overridden || !r.inti_flags, "flags without an override");
		FUZZ_CHECK(!r.ioapic_found || (r.gsi_base <= r.gsi &&
					       r.pin == r.gsi - r.gsi_base),
			   "IRQ %u: pin %u, GSI %u, base %u", irq, r.pin, r.gsi,
			   r.gsi_base);
	}
	return 0;
}
