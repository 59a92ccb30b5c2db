/*
 * The VM-exit handlers, declared once as an X-macro list so that the exit
 * table (hv/exit/table.c) and its host unit test (which generates a stub
 * per name) cannot disagree, plus the small toolkit every handler shares
 * (hv/exit/dispatch.c): guest general-purpose registers by their qualification
 * number, the guest's view of CR0/CR4, CPL, and the entry-failure report.
 *
 * Each handler's policy is written in a comment above its definition; the
 * one-line summary per exit reason is the table in hv/exit/table.c.
 */
#ifndef HV_EXIT_HANDLERS_H
#define HV_EXIT_HANDLERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/exit/dispatch.h"
#include "hv/exit/qual.h"
#include "hv/exit/reason.h"

#define EXIT_HANDLER_LIST(X)                                              \
	X(exit_unexpected)          /* hv/exit/dispatch.c */                       \
	X(exit_entry_failure)       /* hv/exit/dispatch.c */                       \
	X(handle_exception_nmi)     /* hv/exit/events.c */                  \
	X(handle_external_interrupt)                                      \
	X(handle_triple_fault)                                            \
	X(handle_init_signal)                                             \
	X(handle_sipi)                                                    \
	X(handle_event_window)                                            \
	X(handle_task_switch)       /* hv/exit/task_switch.c */           \
	X(handle_hlt)                                                     \
	X(handle_preemption_timer)                                        \
	X(handle_cpuid)             /* hv/exit/cpuid.c */                 \
	X(handle_rdmsr)             /* hv/exit/msr.c */                   \
	X(handle_wrmsr)                                                   \
	X(handle_io)                /* hv/exit/io.c */                    \
	X(handle_cr_access)         /* hv/exit/cr.c */                    \
	X(handle_ept_violation)     /* hv/exit/ept.c */                   \
	X(handle_ept_misconfig)                                           \
	X(handle_monitor_trap)                                            \
	X(handle_vmcall)            /* hv/exit/hypercall.c */                  \
	X(inject_ud)                /* hv/exit/insn.c */                  \
	X(handle_wbinvd)                                                  \
	X(handle_invlpg)                                                  \
	X(handle_invpcid)                                                 \
	X(handle_rdpmc)                                                   \
	X(handle_rdtsc)                                                   \
	X(handle_rdtscp)                                                  \
	X(handle_rdrand_rdseed)                                           \
	X(handle_skip)                                                    \
	X(handle_resume)                                                  \
	X(handle_xsetbv)                                                  \
	X(handle_apic_access)       /* hv/lapic/lapic_access.c */         \
	X(handle_apic_write)        /* hv/lapic/apicv.c */                \
	X(handle_virtualized_eoi)

#define EXIT_HANDLER_DECLARE(fn) \
	enum exit_action fn(struct vcpu *v, const struct vmexit *e);
EXIT_HANDLER_LIST(EXIT_HANDLER_DECLARE)
#undef EXIT_HANDLER_DECLARE

/* The exit table (hv/exit/table.c), indexed by basic exit reason. */
extern const struct exit_row exit_table[EXIT_REASON_MAX + 1];

/* The table row of a basic exit reason; NULL for numbers the SDM does not
 * use and for anything above EXIT_REASON_MAX.  Inline: the dispatcher
 * looks up every exit. */
static inline const struct exit_row *exit_row_of(uint32_t reason)
{
	if (reason > EXIT_REASON_MAX || !exit_table[reason].name)
		return NULL;
	return &exit_table[reason];
}

/* True when the basic reason's row is marked simple. */
bool exit_reason_simple(uint32_t reason);

/* True when the basic reason's row is marked an instruction exit (every
 * simple one, and I/O). */
bool exit_reason_instruction(uint32_t reason);

/* ---- Handler toolkit (hv/exit/dispatch.c) ---------------------------------------- */

/* A guest general-purpose register by its qualification encoding (RSP
 * lives in the VMCS, the rest in v->regs). */
uint64_t guest_gpr_read(struct vcpu *v, enum vmx_gpr r);
void guest_gpr_write(struct vcpu *v, enum vmx_gpr r, uint64_t value);

/* CR0/CR4 as the guest sees them: its own bits, and the read shadow for
 * bits the guest/host mask gives to the hypervisor. */
uint64_t guest_cr0_view(void);
uint64_t guest_cr4_view(void);

/* The guest's current privilege level (SS.DPL, SDM "Segment Registers"). */
uint32_t guest_cpl(void);

/* 64-bit mode (IA32_EFER.LMA and CS.L): RIP and registers are 64 bits wide. */
bool guest_in_64bit_mode(void);

/* Advance the guest past an instruction of len bytes at guest_rip, as
 * EXIT_SKIP_INSTRUCTION does: RIP wraps outside 64-bit mode, an STI or
 * MOV-SS shadow ends, a pending single-step trap is kept.  For handlers
 * that emulate an instruction whose exit reports no length (MMIO). */
void guest_skip_instruction(struct vcpu *v, uint64_t guest_rip, uint32_t len);

/* Carry out a non-string IN/OUT on the hardware for the guest (RAX is the
 * data; IN merges the result as the CPU does); EXIT_SKIP_INSTRUCTION. */
enum exit_action io_pass_through(struct vcpu *v, const struct qual_io *q);

/* One element of a string I/O instruction on an emulated port: IN returns
 * the q->size bytes read (value unused), OUT writes value's low bytes. */
typedef uint32_t (*io_element_fn)(struct vcpu *v, const struct qual_io *q,
				  uint32_t value);

/* Carry out INS/OUTS (REP too) on an emulated port (hv/exit/io_string.c):
 * each element through element, the memory operand through the guest's
 * paging at the segment and address size the CPU used.  EXIT_SKIP_INSTRUCTION
 * when done, EXIT_RESUME to re-execute (a REP with elements left, or an
 * injected #PF/#GP/#SS), EXIT_STOP_GUEST when the operand is not guest RAM. */
enum exit_action io_string_emulate(struct vcpu *v, const struct qual_io *q,
				   io_element_fn element);

/* Who takes the I/O exits of a port: handle_io() looks the ports of an
 * access up in one table instead of asking each handler in turn; a port
 * nobody owns is a hypervisor-owned one with nothing behind it. */
#define IO_OWNER_CONSOLE 0x01u  /* virtual UART and 8259A: hv/view/vuart_io.h */
#define IO_OWNER_POWER   0x02u  /* power and reset registers: hv/view/power.h */
#define IO_OWNER_PCI     0x04u  /* PCI configuration 0xCF8-0xCFF: hv/view/pci_guard.h */

/* Give ports [first, first + len) to owner (with any owner they had). */
void io_route(uint16_t first, uint32_t len, uint8_t owner);

/* Side effects of a guest CR3/paging change (hv/exit/cr.c), shared with
 * the task switch: the PAE PDPTEs into the VMCS (nothing unless PAE
 * paging is on), and a flush of the guest's VPID-tagged TLB. */
void load_pdptes(void);
void flush_guest_tlb(const struct vcpu *v);

/* Log one line naming the MSRs default-deny refused v (hv/exit/msr.c);
 * nothing when there were none.  When the guest stops. */
void msr_denied_log(const struct vcpu *v);

/* HLT with RFLAGS.IF = 0: reported once; EXIT_STOP_GUEST with
 * on-halt-disabled=stop, else EXIT_RESUME (hv/exit/halt.c). */
enum exit_action halt_with_interrupts_disabled(struct vcpu *v,
					       const struct vmexit *e);

/* Print the guest state (RIP, RSP, RFLAGS, CRs, EFER, segments, event
 * fields) at error level, one line per group. */
void exit_dump_guest(const struct vcpu *v, const struct vmexit *e);

/* Log "<what>", the exit by name with its qualification, the guest state,
 * and stop the guest with a failure; returns EXIT_STOP_GUEST. */
enum exit_action exit_fail(struct vcpu *v, const struct vmexit *e,
			   const char *what);

#endif
