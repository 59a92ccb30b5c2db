/*
 * The guest's 16550A (see hv/view/vuart.h).  Departures from the chip,
 * all invisible to a driver that follows the data sheet:
 *  - a receive FIFO below its trigger level reports the character timeout
 *    (IIR 0x0C) at once instead of after four character times;
 *  - a byte written to a full transmit FIFO is dropped (the chip would
 *    overwrite one), and the FIFOs drain only as fast as the console
 *    takes the bytes, so LSR.THRE and TEMT are the FIFO being empty;
 *  - outside loopback the modem lines read as a terminal that is there
 *    (CTS, DSR, DCD on, RI off).
 */
#include "drivers/uart16550.h"
#include "hv/view/vuart.h"

/* FCR bits 7:6 -> receive FIFO trigger level (data sheet, "FCR"). */
static const uint8_t rx_trigger_level[] = { 1, 4, 8, 14 };
#define FCR_KEPT (UART_FCR_ENABLE | UART_FCR_TRIGGER_14)
/* The modem-status lines of a terminal that is connected. */
#define MSR_LINES_CONNECTED (UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD)

static bool fifo_on(const struct vuart *u)
{
	return (u->fcr & UART_FCR_ENABLE) != 0;
}

/* Bytes a FIFO holds: 16 with FIFOs on, one (the holding register) off. */
static uint8_t fifo_capacity(const struct vuart *u)
{
	return fifo_on(u) ? VUART_FIFO_SIZE : 1;
}

static bool fifo_push(struct vuart_fifo *f, uint8_t cap, uint8_t byte)
{
	if (f->count >= cap)
		return false;
	f->byte[(f->head + f->count) % VUART_FIFO_SIZE] = byte;
	f->count++;
	return true;
}

static int fifo_pop(struct vuart_fifo *f)
{
	if (!f->count)
		return -1;
	uint8_t byte = f->byte[f->head];

	f->head = (uint8_t)((f->head + 1) % VUART_FIFO_SIZE);
	f->count--;
	return byte;
}

static bool dlab(const struct vuart *u)
{
	return (u->lcr & UART_LCR_DLAB) != 0;
}

static bool loopback(const struct vuart *u)
{
	return (u->mcr & UART_MCR_LOOP) != 0;
}

/* MSR bits 7:4: in loopback the MCR outputs fed back (RTS->CTS, DTR->DSR,
 * OUT1->RI, OUT2->DCD), else a connected terminal. */
static uint8_t msr_lines(const struct vuart *u)
{
	if (!loopback(u))
		return MSR_LINES_CONNECTED;
	return (uint8_t)(((u->mcr & UART_MCR_RTS) ? UART_MSR_CTS : 0) |
			 ((u->mcr & UART_MCR_DTR) ? UART_MSR_DSR : 0) |
			 ((u->mcr & UART_MCR_OUT1) ? UART_MSR_RI : 0) |
			 ((u->mcr & UART_MCR_OUT2) ? UART_MSR_DCD : 0));
}

/* Record the delta bits of a change of the modem lines: CTS, DSR, DCD on
 * any change, RI only when it goes off (TERI). */
static void msr_update(struct vuart *u)
{
	uint8_t now = msr_lines(u);
	uint8_t changed = (uint8_t)(now ^ u->msr_lines);
	uint8_t delta = (uint8_t)(changed >> UART_MSR_LINES_SHIFT);

	if (!(u->msr_lines & UART_MSR_RI) || (now & UART_MSR_RI))
		delta &= (uint8_t)~UART_MSR_TERI;
	u->msr_delta |= delta & UART_MSR_DELTA_MASK;
	u->msr_lines = now;
}

void vuart_reset(struct vuart *u)
{
	*u = (struct vuart){ 0 };
	u->msr_lines = msr_lines(u);
}

uint8_t vuart_iir(const struct vuart *u)
{
	uint8_t fifo = fifo_on(u) ? UART_IIR_FIFO_ON : 0;
	uint8_t trigger = rx_trigger_level[u->fcr >> UART_FCR_TRIGGER_SHIFT];

	if ((u->ier & UART_IER_RLSI) && u->lsr_errors)
		return fifo | UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->rx.count)
		return fifo | (fifo && u->rx.count < trigger ? UART_IIR_TIMEOUT
							     : UART_IIR_RDI);
	if ((u->ier & UART_IER_THRI) && u->thre_pending)
		return fifo | UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && u->msr_delta)
		return fifo | UART_IIR_MSI;
	return fifo | UART_IIR_NO_INT;
}

bool vuart_irq(const struct vuart *u)
{
	return !(vuart_iir(u) & UART_IIR_NO_INT) && (u->mcr & UART_MCR_OUT2);
}

/* Reading IIR while it reports THR empty clears that interrupt. */
static uint8_t read_iir(struct vuart *u)
{
	uint8_t iir = vuart_iir(u);

	if ((iir & ~UART_IIR_FIFO_ON) == UART_IIR_THRI)
		u->thre_pending = false;
	return iir;
}

static uint8_t read_lsr(struct vuart *u)
{
	uint8_t lsr = u->lsr_errors;

	if (u->rx.count)
		lsr |= UART_LSR_DR;
	if (!u->tx.count)
		lsr |= UART_LSR_THRE | UART_LSR_TEMT;
	u->lsr_errors = 0;
	return lsr;
}

static uint8_t read_msr(struct vuart *u)
{
	uint8_t msr = (uint8_t)(u->msr_lines | u->msr_delta);

	u->msr_delta = 0;
	return msr;
}

uint8_t vuart_read(struct vuart *u, uint8_t reg)
{
	int byte;

	switch (reg) {
	case UART_RBR:
		if (dlab(u))
			return u->dll;
		byte = fifo_pop(&u->rx);
		return byte < 0 ? 0 : (uint8_t)byte;
	case UART_IER:
		return dlab(u) ? u->dlm : u->ier;
	case UART_IIR: return read_iir(u);
	case UART_LCR: return u->lcr;
	case UART_MCR: return u->mcr;
	case UART_LSR: return read_lsr(u);
	case UART_MSR: return read_msr(u);
	default: return u->scr;
	}
}

/* THR: in loopback the byte comes straight back to the receiver (an
 * overrun when it is full) and THR is empty again at once; else it waits
 * in the transmit FIFO for the console. */
static void write_thr(struct vuart *u, uint8_t byte)
{
	if (loopback(u)) {
		if (!fifo_push(&u->rx, fifo_capacity(u), byte))
			u->lsr_errors |= UART_LSR_OE;
		u->thre_pending = true;
		return;
	}
	(void)fifo_push(&u->tx, fifo_capacity(u), byte);
	u->thre_pending = false;
}

/* IER: enabling the THR-empty interrupt while THR is empty raises it (the
 * test drivers make to see whether the interrupt works). */
static void write_ier(struct vuart *u, uint8_t value)
{
	uint8_t old = u->ier;

	u->ier = value & UART_IER_MASK;
	if (!(old & UART_IER_THRI) && (u->ier & UART_IER_THRI) && !u->tx.count)
		u->thre_pending = true;
}

/* FCR: switching the FIFOs on or off empties both; the reset bits empty
 * one each.  Only the enable bit and the trigger level are kept. */
static void write_fcr(struct vuart *u, uint8_t value)
{
	bool clear_all = (value & UART_FCR_ENABLE) != (u->fcr & UART_FCR_ENABLE);

	if (clear_all || (value & UART_FCR_CLEAR_RCVR))
		u->rx.count = 0;
	if (clear_all || (value & UART_FCR_CLEAR_XMIT))
		u->tx.count = 0;
	u->fcr = (value & UART_FCR_ENABLE) ? (uint8_t)(value & FCR_KEPT) : 0;
}

void vuart_write(struct vuart *u, uint8_t reg, uint8_t value)
{
	switch (reg) {
	case UART_THR:
		if (dlab(u))
			u->dll = value;
		else
			write_thr(u, value);
		break;
	case UART_IER:
		if (dlab(u))
			u->dlm = value;
		else
			write_ier(u, value);
		break;
	case UART_FCR: write_fcr(u, value); break;
	case UART_LCR: u->lcr = value; break;
	case UART_MCR:
		u->mcr = value & UART_MCR_MASK;
		msr_update(u);
		break;
	case UART_SCR: u->scr = value; break;
	default: break;         /* LSR, MSR: factory test, ignored */
	}
}

int vuart_tx_take(struct vuart *u)
{
	int byte = fifo_pop(&u->tx);

	if (byte >= 0 && !u->tx.count)
		u->thre_pending = true;
	return byte;
}

bool vuart_rx_put(struct vuart *u, uint8_t byte)
{
	if (loopback(u))
		return false;
	return fifo_push(&u->rx, fifo_capacity(u), byte);
}
