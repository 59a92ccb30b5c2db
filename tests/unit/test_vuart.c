/*
 * hv/view/vuart.c: the guest's 16550A behaves as the 8250/16550 drivers
 * expect: scratch and divisor latch, loopback with the modem lines fed
 * back, the FIFO probe, the THR-empty interrupt test, transmit and
 * receive with their interrupts, OUT2 gating the interrupt output.
 */
#include "drivers/uart16550.h"
#include "hv/view/vuart.h"
#include "tests/unit/test.h"

#define FCR_16550A_ON   (UART_FCR_ENABLE | UART_FCR_CLEAR_RCVR | \
			 UART_FCR_CLEAR_XMIT | UART_FCR_TRIGGER_14)
#define LINUX_LOOP_MCR  (UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2)
#define LINUX_LOOP_MSR  (UART_MSR_CTS | UART_MSR_DCD)

static struct vuart u;

TEST(vuart_scratch_and_divisor_latch)
{
	vuart_reset(&u);
	vuart_write(&u, UART_SCR, 0x5a);
	CHECK_EQ(vuart_read(&u, UART_SCR), 0x5a);
	vuart_write(&u, UART_LCR, UART_LCR_DLAB | UART_LCR_WLEN8);
	vuart_write(&u, UART_DLL, 12);
	vuart_write(&u, UART_DLM, 1);
	CHECK_EQ(vuart_read(&u, UART_DLL), 12);
	CHECK_EQ(vuart_read(&u, UART_DLM), 1);
	vuart_write(&u, UART_LCR, UART_LCR_WLEN8);
	CHECK_EQ(vuart_read(&u, UART_IER), 0);          /* not the latch */
	CHECK_EQ(vuart_read(&u, UART_LCR), UART_LCR_WLEN8);
	CHECK_EQ(vuart_tx_take(&u), -1);                /* DLL is no THR */
}

TEST(vuart_loopback_feeds_back_bytes_and_modem_lines)
{
	vuart_reset(&u);
	vuart_write(&u, UART_MCR, LINUX_LOOP_MCR);
	CHECK_EQ(vuart_read(&u, UART_MSR) & 0xf0, LINUX_LOOP_MSR);
	vuart_write(&u, UART_THR, 0xae);
	CHECK_EQ(vuart_tx_take(&u), -1);                /* nothing on the wire */
	CHECK(vuart_read(&u, UART_LSR) & UART_LSR_DR);
	CHECK_EQ(vuart_read(&u, UART_RBR), 0xae);
	CHECK(!vuart_rx_put(&u, 'x'));                  /* cut off the line */
	vuart_write(&u, UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
	CHECK_EQ(vuart_read(&u, UART_MSR) & 0xf0,
		 UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD);
}

TEST(vuart_modem_status_deltas_clear_on_read)
{
	vuart_reset(&u);
	vuart_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	uint8_t msr = vuart_read(&u, UART_MSR);
	CHECK_EQ(msr & UART_MSR_DELTA_MASK, 0x0b);      /* DCTS, DDSR, DDCD */
	CHECK_EQ(msr & UART_MSR_RI, UART_MSR_RI);
	vuart_write(&u, UART_MCR, UART_MCR_LOOP);
	CHECK_EQ(vuart_read(&u, UART_MSR), UART_MSR_TERI);
	CHECK_EQ(vuart_read(&u, UART_MSR), 0);
}

TEST(vuart_fifo_probe_reads_16550a)
{
	vuart_reset(&u);
	CHECK_EQ(vuart_read(&u, UART_IIR), UART_IIR_NO_INT);
	vuart_write(&u, UART_FCR, FCR_16550A_ON);
	CHECK_EQ(vuart_read(&u, UART_IIR), UART_IIR_FIFO_ON | UART_IIR_NO_INT);
	vuart_write(&u, UART_FCR, 0);
	CHECK_EQ(vuart_read(&u, UART_IIR), UART_IIR_NO_INT);
}

TEST(vuart_thre_interrupt_on_enable_cleared_by_iir_read)
{
	vuart_reset(&u);
	vuart_write(&u, UART_MCR, UART_MCR_OUT2);
	vuart_write(&u, UART_IER, UART_IER_THRI);
	CHECK(vuart_irq(&u));
	CHECK_EQ(vuart_read(&u, UART_IIR), UART_IIR_THRI);
	CHECK(!vuart_irq(&u));
	CHECK_EQ(vuart_read(&u, UART_IIR), UART_IIR_NO_INT);
	vuart_write(&u, UART_IER, 0);
	vuart_write(&u, UART_IER, UART_IER_THRI);      /* again: raised again */
	CHECK_EQ(vuart_read(&u, UART_IIR), UART_IIR_THRI);
}

TEST(vuart_transmit_fifo_and_thre)
{
	vuart_reset(&u);
	vuart_write(&u, UART_FCR, FCR_16550A_ON);
	vuart_write(&u, UART_MCR, UART_MCR_OUT2);
	vuart_write(&u, UART_IER, UART_IER_THRI);
	(void)vuart_read(&u, UART_IIR);
	for (int i = 0; i < VUART_FIFO_SIZE + 2; i++)
		vuart_write(&u, UART_THR, (uint8_t)('a' + i));
	CHECK_EQ(vuart_read(&u, UART_LSR) & (UART_LSR_THRE | UART_LSR_TEMT), 0);
	CHECK(!vuart_irq(&u));
	for (int i = 0; i < VUART_FIFO_SIZE; i++)
		CHECK_EQ(vuart_tx_take(&u), 'a' + i);    /* the overflow dropped */
	CHECK_EQ(vuart_tx_take(&u), -1);
	CHECK(vuart_read(&u, UART_LSR) & UART_LSR_TEMT);
	CHECK(vuart_irq(&u));
	vuart_write(&u, UART_MCR, 0);                   /* OUT2 gates the line */
	CHECK(!vuart_irq(&u));
}

TEST(vuart_holding_register_only_without_fifo)
{
	vuart_reset(&u);
	vuart_write(&u, UART_THR, '1');
	vuart_write(&u, UART_THR, '2');
	CHECK_EQ(vuart_tx_take(&u), '1');
	CHECK_EQ(vuart_tx_take(&u), -1);
	CHECK(vuart_rx_put(&u, 'x'));
	CHECK(!vuart_rx_put(&u, 'y'));
}

TEST(vuart_receive_interrupts_timeout_then_trigger)
{
	vuart_reset(&u);
	vuart_write(&u, UART_FCR, UART_FCR_ENABLE | 0x40);   /* trigger 4 */
	vuart_write(&u, UART_IER, UART_IER_RDI);
	vuart_write(&u, UART_MCR, UART_MCR_OUT2);
	CHECK(!vuart_irq(&u));
	CHECK(vuart_rx_put(&u, 'a'));
	CHECK_EQ(vuart_read(&u, UART_IIR), UART_IIR_FIFO_ON | UART_IIR_TIMEOUT);
	for (int i = 0; i < 3; i++)
		CHECK(vuart_rx_put(&u, (uint8_t)('b' + i)));
	CHECK_EQ(vuart_read(&u, UART_IIR), UART_IIR_FIFO_ON | UART_IIR_RDI);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(vuart_read(&u, UART_RBR), 'a' + i);
	CHECK(!(vuart_read(&u, UART_LSR) & UART_LSR_DR));
	CHECK(!vuart_irq(&u));
}

TEST(vuart_receive_fifo_full_refuses)
{
	vuart_reset(&u);
	vuart_write(&u, UART_FCR, FCR_16550A_ON);
	for (int i = 0; i < VUART_FIFO_SIZE; i++)
		CHECK(vuart_rx_put(&u, (uint8_t)i));
	CHECK(!vuart_rx_put(&u, 0xff));
	vuart_write(&u, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RCVR);
	CHECK(!(vuart_read(&u, UART_LSR) & UART_LSR_DR));
}

TEST(vuart_loopback_overrun_sets_lsr_oe_until_read)
{
	vuart_reset(&u);
	vuart_write(&u, UART_MCR, UART_MCR_LOOP);
	vuart_write(&u, UART_THR, 1);
	vuart_write(&u, UART_THR, 2);                   /* no FIFO: overrun */
	CHECK_EQ(vuart_read(&u, UART_LSR) & UART_LSR_OE, UART_LSR_OE);
	CHECK_EQ(vuart_read(&u, UART_LSR) & UART_LSR_OE, 0);
}
