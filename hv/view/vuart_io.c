/*
 * The virtual UART on the machine (see hv/view/vuart_io.h).
 *
 * Interrupt: the model's output is a level; an edge (low to high) makes
 * one interrupt for the guest, delivered as soon as the guest's
 * controllers let the line through (it waits while they mask it, and is
 * forgotten when the level drops before that), as an edge-triggered ISA
 * line does.
 *
 * Timing: the run loop polls here when the hypervisor's timer deadline
 * passed (hv/vcpu/timer.h), and every poll asks for the next one: the
 * input period is over, the console's transmitter should have room for
 * bytes that wait (console_pump_at(), from the line's rate), or the guest
 * touched the UART's or the 8259A's ports (a deadline already passed).
 * An exit in between costs the run loop's one compare: no port is read,
 * nothing here runs.  The line's input is looked at at the pace of
 * hv/view/input_pace.h: at any exit once the input period passed (the
 * time the UART's receive FIFO takes to fill to RX_FIFO_SAFE bytes at the
 * line's rate, about 1 ms at 115200 baud), and at an exit made for it
 * after the input period while the line is active (a byte in the last
 * LINE_ACTIVE_MS), after QUIET_PERIOD_MS while it is quiet: a paste into
 * an active line never overruns the real UART, whatever the guest does
 * (halts, spins with interrupts off), and an idle guest is not woken a
 * thousand times a second for a line nobody types on.  An edge the
 * guest's controllers still mask is looked at again at each poll (the
 * input period at least: an unmask in the I/O APIC does not exit).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "drivers/console.h"
#include "drivers/serial.h"
#include "hv/exit/handlers.h"
#include "hv/lapic/lapic.h"
#include "hv/monitor/escape.h"
#include "hv/monitor/monitor.h"
#include "hv/view/guest_irq.h"
#include "hv/view/input_pace.h"
#include "hv/view/intercept.h"
#include "hv/view/port_bytes.h"
#include "hv/view/vuart.h"
#include "hv/view/vuart_io.h"
#include "hv/vcpu/timer.h"
#include "hv/vcpu/vcpu.h"
#include "lib/log.h"

#define RX_FIFO_SAFE         12u      /* of the 16550A's 16 receive bytes */
#define RX_QUEUE_SIZE        256u     /* line input the guest has not taken */
#define LINE_ACTIVE_MS       10000u   /* a line this long after a byte is active */
#define QUIET_PERIOD_MS      80u      /* hard input period, quiet line: the escape's 100 ms bound less the banner's wire time */
#define MS_PER_SECOND        1000u

static struct {
	bool on;
	uint16_t base;
	struct vuart uart;
	bool irq_level;          /* the model's output at the last poll */
	bool irq_edge;           /* an edge not delivered yet */
	uint8_t rx[RX_QUEUE_SIZE];
	uint32_t rx_head, rx_tail;
	struct escape escape;
	bool dirty;              /* the model may have changed: look at its IRQ */
	struct input_pace pace;  /* how often the input is looked at */
	uint64_t next_input;     /* TSC from which any exit looks (soft) */
	uint64_t next_input_hard; /* TSC of the exit made for the next look */
	struct vcpu *vcpu;       /* whose timer the console's wake-ups go to */
	uint32_t overruns_told;  /* UART overruns already logged */
} vio = { .escape = { ESCAPE_DEFAULT_KEY, 0 } };

void vuart_io_set_escape(uint8_t key)
{
	vio.escape.key = key;
}

/* The console left bytes waiting (maybe from a log line inside a
 * handler): come back when its transmitter should have room. */
static void console_wake(uint64_t tsc)
{
	vcpu_timer_at(vio.vcpu, tsc);
}

void vuart_io_init(struct vcpu *v, uint16_t base, uint32_t baud)
{
	uint64_t hz = tsc_hz();

	vio.pace = input_pace_start(hz * RX_FIFO_SAFE * SERIAL_BITS_PER_BYTE /
				    (baud ? baud : 1),
				    hz / MS_PER_SECOND * QUIET_PERIOD_MS,
				    hz / MS_PER_SECOND * LINE_ACTIVE_MS);
	vio.vcpu = v;
	console_set_wake(console_wake);
	if (!console_running() || !serial_present())
		return;
	vio.on = true;
	vio.base = base;
	vuart_reset(&vio.uart);
	for (uint16_t p = 0; p < VUART_PORTS; p++)
		intercept_io(v, (uint16_t)(base + p));
	io_route(base, VUART_PORTS, IO_OWNER_CONSOLE);
	guest_irq_intercept(v);
}

/* The bytes of one IN/OUT of q->size bytes that fall on the UART's
 * registers (one byte each; bytes outside read as all ones, writes there
 * vanish): OUT writes value's low bytes; IN returns what it read. */
static uint32_t vuart_bytes(const struct qual_io *q, uint32_t value)
{
	uint32_t result = 0;

	for (uint8_t i = 0; i < q->size; i++) {
		uint32_t port = (uint32_t)q->port + i;
		uint32_t shift = (uint32_t)i * PORT_BYTE_BITS;
		bool ours = port >= vio.base && port < (uint32_t)vio.base + VUART_PORTS;
		uint8_t reg = (uint8_t)(port - vio.base);

		if (q->in)
			result |= (uint32_t)(ours ? vuart_read(&vio.uart, reg)
						  : PORT_BYTE_MASK) << shift;
		else if (ours)
			vuart_write(&vio.uart, reg,
				    (uint8_t)(value >> shift));
	}
	return result;
}

/* Carry out one IN/OUT on the UART with RAX as the data. */
static void vuart_access(struct vcpu *v, const struct qual_io *q)
{
	uint32_t result = vuart_bytes(q, (uint32_t)v->regs.rax);

	if (!q->in)
		return;
	if (q->size == 1)
		v->regs.rax = (v->regs.rax & ~0xffull) | result;
	else if (q->size == 2)
		v->regs.rax = (v->regs.rax & ~0xffffull) | result;
	else
		v->regs.rax = result;
}

static void move_output(void);

/* One element of INS/OUTS on the UART (hv/exit/io_string.c).  The
 * transmit FIFO goes into the console's queue after each one, as it would
 * at the next poll: the model's FIFO empties as fast as the console takes
 * the bytes, so a REP OUTSB longer than the FIFO is not cut short. */
static uint32_t vuart_element(struct vcpu *v, const struct qual_io *q,
			      uint32_t value)
{
	uint32_t result = vuart_bytes(q, value);

	(void)v;
	if (!q->in && vio.uart.tx.count)
		move_output();
	return result;
}

bool vuart_io_handle(struct vcpu *v, const struct qual_io *q,
		     enum exit_action *action)
{
	if (!vio.on)
		return false;
	if (guest_irq_handle_io(v, q, action)) {
		/* A new mask may let a waiting edge through. */
		if (vio.irq_edge)
			vcpu_timer_at(v, 0);
		return true;
	}
	if (!port_overlaps(q->port, q->size, vio.base, VUART_PORTS))
		return false;
	if (q->string) {
		*action = io_string_emulate(v, q, vuart_element);
	} else {
		vuart_access(v, q);
		*action = EXIT_SKIP_INSTRUCTION;
	}
	vio.dirty = true;
	vcpu_timer_at(v, 0);            /* poll before the entry */
	return true;
}

/* The guest's sent bytes into the console's queue, as far as it has room. */
static void move_output(void)
{
	while (console_guest_room() && vio.uart.tx.count) {
		int byte = vuart_tx_take(&vio.uart);

		(void)console_guest_put((uint8_t)byte);
		vio.dirty = true;
	}
}

/* Input lost in the physical UART (its receive FIFO overran: a burst onto
 * a quiet line, input-pace.h) is never silent: one warning per new count. */
static void tell_overruns(void)
{
	uint32_t n = serial_rx_overruns();

	if (n == vio.overruns_told)
		return;
	log_warn("console: input lost: the UART's receive FIFO overran "
		 "(%u time(s) so far; a paste onto a line quiet for %u s "
		 "keeps only what the FIFO holds until the next look)",
		 n, LINE_ACTIVE_MS / MS_PER_SECOND);
	vio.overruns_told = n;
}

/* The line's input (when read_line: its input period is over): through
 * the escape detector (the monitor runs when the sequence completes) into
 * our queue; then the queue into the guest's receiver as far as it takes
 * it.  Bytes stay in the UART while the queue is too full for what one
 * byte may release.  A byte read keeps the line active (input_pace.h). */
static void move_input(struct vcpu *v, bool read_line, uint64_t now)
{
	uint8_t out[ESCAPE_PRESSES];
	bool enter;
	int c;

	while (read_line &&
	       RX_QUEUE_SIZE - (vio.rx_tail - vio.rx_head) >= ESCAPE_PRESSES &&
	       (c = serial_getc()) >= 0) {
		uint32_t n = escape_feed(&vio.escape, (uint8_t)c, out, &enter);

		input_pace_byte(&vio.pace, now);
		for (uint32_t i = 0; i < n; i++)
			vio.rx[vio.rx_tail++ % RX_QUEUE_SIZE] = out[i];
		if (enter)
			monitor_run(v, vio.escape.key);
	}
	while (vio.rx_head != vio.rx_tail &&
	       vuart_rx_put(&vio.uart, vio.rx[vio.rx_head % RX_QUEUE_SIZE])) {
		vio.rx_head++;
		vio.dirty = true;
	}
	tell_overruns();
}

/* An edge of the model's output becomes one interrupt for the guest. */
static void raise_irq(struct vcpu *v)
{
	bool level = vuart_irq(&vio.uart);
	bool via_8259;
	int vector;

	if (level && !vio.irq_level)
		vio.irq_edge = true;
	if (!level)
		vio.irq_edge = false;
	vio.irq_level = level;
	if (!vio.irq_edge)
		return;
	vector = guest_irq_vector(VUART_ISA_IRQ, &via_8259);
	if (vector == GUEST_IRQ_NONE)
		return;
	lapic_isa_interrupt(v, (uint8_t)vector, via_8259);
	vio.irq_edge = false;
}

/* The next exits the console needs: the input period, and the time the
 * transmitter should have room while bytes wait for the wire (guest bytes
 * the console's full queue holds back in the model wait for the same). */
static void arm_timer(struct vcpu *v)
{
	if (vio.on) {
		vcpu_timer_poll_at(v, vio.next_input);
		vcpu_timer_at(v, vio.next_input_hard);
	}
	vcpu_timer_at(v, console_pump_at());
}

void vuart_io_poll(struct vcpu *v, uint64_t now)
{
	if (!console_running())
		return;
	if (vio.uart.tx.count)
		move_output();
	if (now >= console_pump_at()) {
		console_pump();
		move_output();
	}
	if (vio.on && (now >= vio.next_input || vio.rx_head != vio.rx_tail)) {
		bool due = now >= vio.next_input;

		move_input(v, due, now);
		if (due) {
			vio.next_input = input_pace_soft(&vio.pace, now);
			vio.next_input_hard = input_pace_hard(&vio.pace, now);
		}
	}
	if (vio.dirty || vio.irq_edge) {
		vio.dirty = false;
		raise_irq(v);
	}
	arm_timer(v);
}
