/*
 * Saving, programming and restoring a shared UART's line state (see
 * drivers/uart_line.h).  The transmitter draining in between is the
 * caller's: only it knows how long it may wait.
 */
#include "drivers/uart16550.h"
#include "drivers/uart_line.h"

#define BYTE_BITS 8
#define BYTE_MASK 0xffu

struct uart_line uart_line_save(const struct uart_io *io)
{
	struct uart_line line;

	line.lcr = io->in(UART_LCR);
	line.mcr = io->in(UART_MCR);
	io->out(UART_LCR, (uint8_t)(line.lcr | UART_LCR_DLAB));
	line.divisor = (uint16_t)(io->in(UART_DLL) |
				  (io->in(UART_DLM) << BYTE_BITS));
	io->out(UART_LCR, line.lcr);
	return line;
}

struct uart_line uart_line_own(const struct uart_line *guest, uint16_t divisor)
{
	const uint8_t keep = UART_MCR_OUT1 | UART_MCR_OUT2;

	return (struct uart_line){
		.lcr = UART_LCR_WLEN8,
		.mcr = (uint8_t)((guest->mcr & keep) | UART_MCR_DTR |
				 UART_MCR_RTS),
		.divisor = divisor,
	};
}

bool uart_line_equal(const struct uart_line *a, const struct uart_line *b)
{
	return a->lcr == b->lcr && a->mcr == b->mcr &&
	       a->divisor == b->divisor;
}

/* The divisor first, under DLAB; LCR then drops DLAB (unless `line` has it)
 * before MCR ends or starts loopback, so no byte is sent half-programmed. */
void uart_line_load(const struct uart_io *io, const struct uart_line *line)
{
	io->out(UART_LCR, (uint8_t)(line->lcr | UART_LCR_DLAB));
	io->out(UART_DLL, (uint8_t)(line->divisor & BYTE_MASK));
	io->out(UART_DLM, (uint8_t)(line->divisor >> BYTE_BITS));
	io->out(UART_LCR, line->lcr);
	io->out(UART_MCR, line->mcr);
}

bool uart_line_enter(const struct uart_io *io, uint16_t divisor,
		     struct uart_line *guest)
{
	*guest = uart_line_save(io);
	struct uart_line own = uart_line_own(guest, divisor);

	if (uart_line_equal(guest, &own))
		return false;
	io->drain();
	uart_line_load(io, &own);
	return true;
}

void uart_line_leave(const struct uart_io *io, const struct uart_line *guest,
		     bool switched)
{
	if (!switched)
		return;
	io->drain();
	uart_line_load(io, guest);
}
