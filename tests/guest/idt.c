/*
 * IDT for the exception and IRQ stubs in isr.S, and the dispatcher.  An
 * exception raised inside try_call() is recorded and unwound to
 * guest_try_resume; any other exception ends the run as a failure.
 */
#include <stddef.h>

#include "arch/x86/cpu.h"
#include "tests/guest/console.h"
#include "tests/guest/guest.h"
#include "tests/guest/idt.h"
#include "tests/guest/pic.h"

#define IDT_GATE_INTERRUPT 0x8e   /* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

/* Shared with isr.S (guest_try); offsets in layout.h. */
struct try_ctx {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp;
	uint32_t armed;
	int32_t vector;
};
_Static_assert(offsetof(struct try_ctx, rbx) == TRY_RBX, "try_ctx");
_Static_assert(offsetof(struct try_ctx, rbp) == TRY_RBP, "try_ctx");
_Static_assert(offsetof(struct try_ctx, r12) == TRY_R12, "try_ctx");
_Static_assert(offsetof(struct try_ctx, r13) == TRY_R13, "try_ctx");
_Static_assert(offsetof(struct try_ctx, r14) == TRY_R14, "try_ctx");
_Static_assert(offsetof(struct try_ctx, r15) == TRY_R15, "try_ctx");
_Static_assert(offsetof(struct try_ctx, rsp) == TRY_RSP, "try_ctx");
_Static_assert(offsetof(struct try_ctx, armed) == TRY_ARMED, "try_ctx");
_Static_assert(offsetof(struct try_ctx, vector) == TRY_VECTOR, "try_ctx");

struct try_ctx try_ctx;
static struct fault_record last_fault;

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));
static irq_handler irq_handlers[IRQ_VECTORS];
static vector_handler vector_handlers[IDT_VECTORS];
static volatile uint64_t stray_count;
static volatile unsigned int stray_last;
static nmi_handler nmi_hook;
static interrupt_hook all_vectors_hook;

extern const uint64_t isr_stub_table[IDT_VECTORS];
int guest_try(void (*fn)(void *), void *arg);
void guest_try_resume(void);
void isr_dispatch(struct isr_frame *frame);

static const char *const exception_names[EXCEPTION_VECTORS] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *vector_name(int vector)
{
	if (vector >= 0 && vector < EXCEPTION_VECTORS)
		return exception_names[vector];
	return vector == NO_FAULT ? "no fault" : "interrupt";
}

static void idt_set_gate(unsigned int vector, uint64_t handler)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = (uint16_t)handler;
	g->selector = SEL_CODE64;
	g->ist = 0;
	g->type_attr = IDT_GATE_INTERRUPT;
	g->offset_mid = (uint16_t)(handler >> 16);
	g->offset_high = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void idt_init(void)
{
	for (unsigned int v = 0; v < IDT_VECTORS; v++)
		idt_set_gate(v, isr_stub_table[v]);
	struct desc_ptr ptr = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void idt_set_irq_handler(unsigned int irq, irq_handler handler)
{
	if (irq < IRQ_VECTORS)
		irq_handlers[irq] = handler;
}

void idt_set_vector_handler(unsigned int vector, vector_handler handler)
{
	if (vector >= FREE_VECTOR_FIRST && vector < IDT_VECTORS)
		vector_handlers[vector] = handler;
}

uint64_t idt_stray_count(void)
{
	return stray_count;
}

unsigned int idt_stray_last(void)
{
	return stray_last;
}

void idt_set_nmi_handler(nmi_handler handler)
{
	nmi_hook = handler;
}

void idt_set_interrupt_hook(interrupt_hook hook)
{
	all_vectors_hook = hook;
}

int try_call(void (*fn)(void *), void *arg, struct fault_record *fault)
{
	last_fault = (struct fault_record){ .vector = NO_FAULT };
	int vector = guest_try(fn, arg);
	if (fault)
		*fault = last_fault;
	return vector;
}

/* Unwind to guest_try's caller, as if guest_try had returned the vector,
 * in 64-bit mode on the flat stack segment (fn may have left both). */
static void recover(struct isr_frame *frame)
{
	last_fault.vector = (int)frame->vector;
	last_fault.error_code = frame->error_code;
	last_fault.rip = frame->rip;
	last_fault.cr2 = frame->vector == VEC_PF ? read_cr2() : 0;
	last_fault.rflags = frame->rflags;
	last_fault.cs = frame->cs;
	last_fault.rcx = frame->rcx;
	last_fault.rsi = frame->rsi;
	last_fault.rdi = frame->rdi;
	try_ctx.vector = (int32_t)frame->vector;
	try_ctx.armed = 0;
	/* A single-step trap must not follow to the resume point. */
	frame->rflags &= ~RFLAGS_TF;
	frame->rip = (uint64_t)guest_try_resume;
	frame->cs = SEL_CODE64;
	frame->rsp = try_ctx.rsp;
	frame->ss = SEL_DATA;
}

static __attribute__((noreturn)) void unexpected(const struct isr_frame *f)
{
	say("FAIL unexpected exception %s (vector %lu) error 0x%lx at rip 0x%lx "
	    "cr2 0x%lx rsp 0x%lx", vector_name((int)f->vector), f->vector,
	    f->error_code, f->rip, read_cr2(), f->rsp);
	guest_abort("unexpected exception");
}

static void dispatch_irq(unsigned int irq)
{
	if (irq_handlers[irq])
		irq_handlers[irq](irq);
	pic_eoi(irq);
}

/* A free vector: its handler, or count it as a stray. */
static void dispatch_vector(unsigned int vector)
{
	if (vector_handlers[vector]) {
		vector_handlers[vector](vector);
		return;
	}
	stray_count++;
	stray_last = vector;
}

void isr_dispatch(struct isr_frame *frame)
{
	if (frame->vector >= EXCEPTION_VECTORS && all_vectors_hook) {
		all_vectors_hook((unsigned int)frame->vector, frame->rip);
		return;
	}
	if (frame->vector >= FREE_VECTOR_FIRST) {
		dispatch_vector((unsigned int)frame->vector);
		return;
	}
	if (frame->vector >= EXCEPTION_VECTORS) {
		dispatch_irq((unsigned int)(frame->vector - IRQ_VECTOR_BASE));
		return;
	}
	if (frame->vector == VEC_NMI && nmi_hook) {
		nmi_hook();
		return;
	}
	if (try_ctx.armed) {
		recover(frame);
		return;
	}
	unexpected(frame);
}
