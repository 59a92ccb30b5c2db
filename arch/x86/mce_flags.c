/* Naming IA32_MCi_STATUS flags (pure; see arch/x86/mce.h). */
#include "arch/x86/mce.h"
#include "lib/str.h"

/* The flag bits in the order the SDM lists them. */
static const struct {
	uint64_t bit;
	const char *name;
} status_flags[] = {
	{ MCI_STATUS_VAL, "VAL" }, { MCI_STATUS_OVER, "OVER" },
	{ MCI_STATUS_UC, "UC" }, { MCI_STATUS_EN, "EN" },
	{ MCI_STATUS_MISCV, "MISCV" }, { MCI_STATUS_ADDRV, "ADDRV" },
	{ MCI_STATUS_PCC, "PCC" },
};

/* Each set flag's name, separated by one space. */
void mce_status_flags(uint64_t status, char *out, size_t size)
{
	if (size == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(status_flags) / sizeof(status_flags[0]); i++) {
		if (!(status & status_flags[i].bit))
			continue;
		if (out[0])
			str_append(out, " ", size);
		str_append(out, status_flags[i].name, size);
	}
}
