/*
 * The console line: the hypervisor's log and the guest's serial output
 * (from its virtual 16550, hv/view/vuart_io.c) share one UART, which the
 * hypervisor owns.  Nothing here waits for the UART: console_pump() puts
 * into the transmitter what its FIFO takes now and returns; the run loop
 * calls it at every VM exit and on the hypervisor's timer, and the log
 * calls it after every line.  Only console_flush() waits (bounded): for
 * panics and the final verdict, and when the log ring would overwrite
 * bytes not sent yet.
 *
 * The two streams are merged at line boundaries, in the order they came:
 * a guest line that started before a log line goes out first, a log line
 * never cuts a guest line in half.  Only when the guest stops in the
 * middle of a line for longer than the grace time (a shell prompt) and a
 * log line waits, the console ends the guest's line ("\r\n") first.  Log
 * lines get "\r\n" line ends; the guest's bytes go out unchanged.
 */
#ifndef DRIVERS_CONSOLE_H
#define DRIVERS_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of guest output the console holds before the guest's UART reads
 * as busy (its flow control). */
#define CONSOLE_GUEST_QUEUE 4096u

/* Take over the log from the synchronous UART sink (whatever was logged
 * so far is on the wire).  line_grace_tsc: TSC ticks a guest line may stay
 * unfinished before a waiting log line ends it; byte_tsc: TSC ticks one
 * byte takes on the wire.  Expects serial_init() done; without a UART
 * everything is dropped. */
void console_start(uint64_t line_grace_tsc, uint64_t byte_tsc);

/* Whether console_start() ran: the guest's output then has a place. */
bool console_running(void);

/* Send what the transmitter takes now; never waits. */
void console_pump(void);

/* Send everything queued, waiting (bounded) for the transmitter; ends an
 * unfinished guest line first if a log line waits.  Before
 * console_start(): wait until the UART has sent its last byte. */
void console_flush(void);

/* For the monitor (the guest is paused): send everything queued, end an
 * unfinished guest line, then write text at once ("\n" as "\r\n"),
 * waiting for the transmitter. */
void console_write_sync(const char *text, size_t len);

/* Bytes waiting for the wire (log and guest). */
bool console_tx_pending(void);

/* No bytes wait: console_pump_at()'s answer. */
#define CONSOLE_IDLE UINT64_MAX

/* The TSC from which console_pump() can send again: when the bytes put
 * into the transmitter last should be gone (estimated from the line's
 * rate, so that nobody reads the UART's status at every VM exit), or
 * CONSOLE_IDLE when nothing waits. */
uint64_t console_pump_at(void);

/* Called with console_pump_at()'s value whenever a pump leaves bytes
 * waiting (also from the log, inside an exit's handler): the run loop's
 * timer comes back for them (hv/view/vuart_io.c sets it). */
typedef void (*console_wake_fn)(uint64_t tsc);
void console_set_wake(console_wake_fn wake);

/* Room for guest bytes, and queue one; false when the queue is full. */
uint32_t console_guest_room(void);
bool console_guest_put(uint8_t byte);

#endif
