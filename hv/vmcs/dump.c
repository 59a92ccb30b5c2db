/*
 * The VMCS dump for failure reports (see hv/vmcs/vmcs.h): every field this
 * hypervisor writes, by its Appendix B name, grouped as the SDM groups
 * them.  Fields the CPU does not have are shown as "-".
 */
#include "hv/vmcs/vmcs.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/str.h"

#define DUMP_PER_LINE 3
#define DUMP_ITEM_MAX 64

struct field_row {
	const char *name;
	uint32_t field;
};

#define F(n) { #n, VMCS_##n }

static const struct field_row control_fields[] = {
	F(PINBASED_CTLS), F(PROCBASED_CTLS), F(PROCBASED_CTLS2),
	F(EXIT_CTLS), F(ENTRY_CTLS), F(EXCEPTION_BITMAP),
	F(IO_BITMAP_A_ADDR), F(IO_BITMAP_B_ADDR), F(MSR_BITMAP_ADDR),
	F(EPT_POINTER), F(VPID), F(TSC_OFFSET),
	F(CR0_GUEST_HOST_MASK), F(CR0_READ_SHADOW), F(CR4_GUEST_HOST_MASK),
	F(CR4_READ_SHADOW), F(CR3_TARGET_COUNT), F(PAGE_FAULT_ERROR_CODE_MASK),
	F(PAGE_FAULT_ERROR_CODE_MATCH), F(EXIT_MSR_STORE_COUNT),
	F(EXIT_MSR_LOAD_COUNT), F(ENTRY_MSR_LOAD_COUNT), F(ENTRY_INTR_INFO),
	F(ENTRY_EXCEPTION_ERROR_CODE), F(ENTRY_INSTRUCTION_LEN),
	F(PREEMPTION_TIMER_VALUE),
};

static const struct field_row host_fields[] = {
	F(HOST_CR0), F(HOST_CR3), F(HOST_CR4),
	F(HOST_CS_SELECTOR), F(HOST_SS_SELECTOR), F(HOST_DS_SELECTOR),
	F(HOST_ES_SELECTOR), F(HOST_FS_SELECTOR), F(HOST_GS_SELECTOR),
	F(HOST_TR_SELECTOR), F(HOST_FS_BASE), F(HOST_GS_BASE),
	F(HOST_TR_BASE), F(HOST_GDTR_BASE), F(HOST_IDTR_BASE),
	F(HOST_IA32_SYSENTER_CS), F(HOST_IA32_SYSENTER_ESP),
	F(HOST_IA32_SYSENTER_EIP), F(HOST_IA32_EFER), F(HOST_IA32_PAT),
	F(HOST_RSP), F(HOST_RIP),
};

#define GUEST_SEG(n) F(GUEST_##n##_SELECTOR), F(GUEST_##n##_BASE), \
		     F(GUEST_##n##_LIMIT), F(GUEST_##n##_ACCESS_RIGHTS)

static const struct field_row guest_fields[] = {
	F(GUEST_CR0), F(GUEST_CR3), F(GUEST_CR4), F(GUEST_DR7),
	F(GUEST_RIP), F(GUEST_RSP), F(GUEST_RFLAGS),
	GUEST_SEG(CS), GUEST_SEG(SS), GUEST_SEG(DS), GUEST_SEG(ES),
	GUEST_SEG(FS), GUEST_SEG(GS), GUEST_SEG(LDTR), GUEST_SEG(TR),
	F(GUEST_GDTR_BASE), F(GUEST_GDTR_LIMIT), F(GUEST_IDTR_BASE),
	F(GUEST_IDTR_LIMIT), F(GUEST_IA32_DEBUGCTL), F(GUEST_IA32_EFER),
	F(GUEST_IA32_PAT), F(GUEST_IA32_SYSENTER_CS),
	F(GUEST_IA32_SYSENTER_ESP), F(GUEST_IA32_SYSENTER_EIP),
	F(GUEST_ACTIVITY_STATE), F(GUEST_INTERRUPTIBILITY_STATE),
	F(GUEST_PENDING_DEBUG_EXCEPTIONS), F(LINK_POINTER),
};

static const struct field_row exit_fields[] = {
	F(VM_INSTRUCTION_ERROR), F(EXIT_REASON), F(EXIT_QUALIFICATION),
	F(EXIT_INTR_INFO), F(EXIT_INTR_ERROR_CODE), F(IDT_VECTORING_INFO),
	F(IDT_VECTORING_ERROR_CODE), F(EXIT_INSTRUCTION_LEN),
	F(EXIT_INSTRUCTION_INFO), F(GUEST_LINEAR_ADDR),
	F(GUEST_PHYSICAL_ADDR),
};

#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

static const struct {
	const char *title;
	const struct field_row *rows;
	size_t count;
} groups[] = {
	{ "control fields", control_fields, ROWS(control_fields) },
	{ "host-state area", host_fields, ROWS(host_fields) },
	{ "guest-state area", guest_fields, ROWS(guest_fields) },
	{ "VM-exit information", exit_fields, ROWS(exit_fields) },
};

/* The Appendix B name (without VMCS_) of a field the dump knows, for error
 * messages; NULL for any other encoding. */
const char *vmcs_field_name(uint64_t field)
{
	for (size_t g = 0; g < ROWS(groups); g++)
		for (size_t i = 0; i < groups[g].count; i++)
			if (groups[g].rows[i].field == field)
				return groups[g].rows[i].name;
	return NULL;
}

/* The encoding of a field the dump knows by its name (without VMCS_, as
 * the dump prints it); false for any other name. */
bool vmcs_field_by_name(const char *name, uint32_t *field)
{
	for (size_t g = 0; g < ROWS(groups); g++)
		for (size_t i = 0; i < groups[g].count; i++)
			if (strcmp(groups[g].rows[i].name, name) == 0) {
				*field = groups[g].rows[i].field;
				return true;
			}
	return false;
}

/* One "NAME=value" item of the dump, or "NAME=-" when VMREAD fails (the CPU
 * lacks the field).  Never stops: it runs while reporting another failure. */
static void format_item(char *buf, size_t size, const struct field_row *r)
{
	uint64_t v;

	if (vmread_raw(r->field, &v) == VMX_SUCCEED)
		format(buf, size, "%s=%#llx", r->name, (unsigned long long)v);
	else
		format(buf, size, "%s=-", r->name);
}

/* Log one group of fields under its title, DUMP_PER_LINE items a line, at
 * error level. */
static void dump_group(const char *title, const struct field_row *rows,
		       size_t count)
{
	char line[DUMP_PER_LINE * DUMP_ITEM_MAX];
	char item[DUMP_ITEM_MAX];

	log_error("VMCS %s:", title);
	for (size_t i = 0; i < count; i += DUMP_PER_LINE) {
		size_t n = count - i < DUMP_PER_LINE ? count - i : DUMP_PER_LINE;
		size_t len = 0;

		for (size_t k = 0; k < n; k++) {
			if (len >= sizeof(line))
				break;
			format_item(item, sizeof(item), &rows[i + k]);
			len += (size_t)format(line + len, sizeof(line) - len,
					      k ? " %s" : "%s", item);
		}
		log_error("  %s", line);
	}
}

/* Log every field this hypervisor writes from the current VMCS, by group, at
 * error level.  For failure reports: fields the CPU lacks show as "-"
 * instead of stopping the dump. */
void vmcs_dump(void)
{
	for (size_t g = 0; g < ROWS(groups); g++)
		dump_group(groups[g].title, groups[g].rows, groups[g].count);
}
