/*
 * The console line (see drivers/console.h): the merge of the log ring's
 * undrained bytes and the guest's output queue onto the UART.
 *
 * Order: each guest line carries a mark, the log ring's end position when
 * its first byte was queued; at a line boundary the log line goes first
 * when it was logged before that mark, else the guest's line.  Whoever
 * started a line finishes it: a log line is in the ring whole, a guest
 * line ends at its "\n" (or after the grace time, see console.h).
 */
#include "arch/x86/cpu.h"
#include "drivers/console.h"
#include "drivers/serial.h"
#include "lib/log.h"
#include "lib/spinlock.h"

#define GUEST_MARKS        64u      /* guest line starts remembered */
#define PEEK_MAX           16u      /* log bytes looked at per step */
#define FLUSH_LOCK_TRIES   1000000u

/* Who has the line on the wire: nobody (at a line boundary), the log
 * (a log line is half sent) or the guest (its line is not finished). */
enum line_owner { LINE_FREE, LINE_LOG, LINE_GUEST };

struct guest_mark {
	uint32_t at;            /* queue position of the line's first byte */
	uint64_t log_pos;       /* log_end() when it was queued */
};

static struct {
	bool running;
	bool forcing;           /* flushing: end a stalled guest line now */
	bool lf_due;            /* "\r" sent, "\n" of a line end next */
	enum line_owner owner;
	uint64_t grace;
	uint64_t last_guest_tsc;
	uint8_t queue[CONSOLE_GUEST_QUEUE];
	uint32_t head, tail;    /* positions: next to send, next to fill */
	bool guest_at_line_start;
	struct guest_mark mark[GUEST_MARKS];
	uint32_t mark_head, mark_tail;
	uint64_t byte_ticks;    /* TSC ticks one byte takes on the wire */
	uint64_t fifo_free_at;  /* TSC when the transmitter should take more */
	console_wake_fn wake;
} con = { .guest_at_line_start = true };

static struct spinlock console_lock;

static void log_drain(bool wait);

void console_start(uint64_t line_grace_tsc, uint64_t byte_tsc)
{
	con.grace = line_grace_tsc;
	con.byte_ticks = byte_tsc;
	con.running = true;
	log_remove_sink(serial_write);
	log_set_drain(log_drain);
}

bool console_running(void)
{
	return con.running;
}

/* A guest line that starts while every mark is taken would have no place
 * in the order: it must wait (its byte stays in the guest's UART, which
 * reads as busy) until the oldest marked line has started going out
 * (pump_step() forgets its mark then). */
uint32_t console_guest_room(void)
{
	if (con.guest_at_line_start && con.mark_tail - con.mark_head == GUEST_MARKS)
		return 0;
	return CONSOLE_GUEST_QUEUE - (con.tail - con.head);
}

bool console_guest_put(uint8_t byte)
{
	if (!console_guest_room())
		return false;
	if (con.guest_at_line_start)
		con.mark[con.mark_tail++ % GUEST_MARKS] =
			(struct guest_mark){ con.tail, log_end() };
	con.queue[con.tail++ % CONSOLE_GUEST_QUEUE] = byte;
	con.guest_at_line_start = byte == '\n';
	con.last_guest_tsc = rdtsc();
	return true;
}

bool console_tx_pending(void)
{
	return con.lf_due || con.head != con.tail || log_drain_pending();
}

uint64_t console_pump_at(void)
{
	return console_tx_pending() ? con.fifo_free_at : CONSOLE_IDLE;
}

void console_set_wake(console_wake_fn wake)
{
	con.wake = wake;
}

/* Forget the marks of lines that have started going out. */
static void marks_drop_sent(void)
{
	while (con.mark_head != con.mark_tail &&
	       con.mark[con.mark_head % GUEST_MARKS].at <= con.head)
		con.mark_head++;
}

/* At a line boundary with both streams waiting: does the log line come
 * before the guest's?  A guest byte without a mark continues a line the
 * console ended early: it goes on first. */
static bool log_first(void)
{
	if (con.mark_head == con.mark_tail)
		return false;
	const struct guest_mark *m = &con.mark[con.mark_head % GUEST_MARKS];

	return m->at != con.head || log_drain_pos() < m->log_pos;
}

/* Who takes the free line next, LINE_FREE when nothing waits. */
static enum line_owner next_owner(void)
{
	bool guest = con.head != con.tail, log = log_drain_pending() != 0;

	if (guest && log)
		return log_first() ? LINE_LOG : LINE_GUEST;
	return log ? LINE_LOG : guest ? LINE_GUEST : LINE_FREE;
}

/* Send up to room bytes of the log line on the wire ("\n" as "\r\n");
 * returns the room left. */
static uint32_t send_log(uint32_t room)
{
	char buf[PEEK_MAX];
	uint32_t want = room < PEEK_MAX ? room : PEEK_MAX;
	uint32_t n = (uint32_t)log_drain_peek(buf, want), used = 0;

	while (used < n && room) {
		char c = buf[used++];

		if (c == '\n') {
			serial_tx_byte('\r');
			con.lf_due = true;
			con.owner = LINE_FREE;
			room--;
			break;
		}
		serial_tx_byte((uint8_t)c);
		room--;
	}
	log_drain_skip(used);
	return room;
}

/* Send up to room guest bytes, as they are; returns the room left. */
static uint32_t send_guest(uint32_t room)
{
	while (room && con.head != con.tail) {
		uint8_t c = con.queue[con.head++ % CONSOLE_GUEST_QUEUE];

		serial_tx_byte(c);
		room--;
		if (c == '\n') {
			con.owner = LINE_FREE;
			break;
		}
	}
	return room;
}

/* The guest stopped in the middle of a line: end it for a waiting log
 * line once the grace time is over (at once when flushing). */
static bool guest_line_stalled(void)
{
	return con.head == con.tail && log_drain_pending() &&
	       (con.forcing || rdtsc() - con.last_guest_tsc > con.grace);
}

/* One step of the merge with room > 0; returns the room left, or room
 * itself when nothing can go out now. */
static uint32_t pump_step(uint32_t room)
{
	if (con.lf_due) {
		serial_tx_byte('\n');
		con.lf_due = false;
		return room - 1;
	}
	if (con.owner == LINE_FREE) {
		con.owner = next_owner();
		if (con.owner == LINE_GUEST)
			marks_drop_sent();
	}
	switch (con.owner) {
	case LINE_LOG:
		return send_log(room);
	case LINE_GUEST:
		if (con.head != con.tail)
			return send_guest(room);
		if (!guest_line_stalled())
			return room;
		serial_tx_byte('\r');
		con.lf_due = true;
		con.owner = LINE_FREE;
		con.guest_at_line_start = true;
		return room - 1;
	default:
		return room;
	}
}

/* When the transmitter takes bytes again after `sent` went into its FIFO
 * at TSC now: THRE (FIFO empty) comes when the last of them moves into
 * the shift register, one byte time per byte after the first; with none
 * sent (the FIFO was busy) look again after one byte time.  Bytes still
 * waiting are announced to the wake hook. */
static void note_sent(uint32_t sent, uint64_t now)
{
	con.fifo_free_at = now + (sent ? sent - 1 : 1) * con.byte_ticks;
	if (con.wake && console_tx_pending())
		con.wake(con.fifo_free_at);
}

/* Fill the transmitter's free FIFO; without a UART drop everything. */
static void pump_locked(void)
{
	uint32_t room = serial_tx_room(), full = room;

	if (!serial_present()) {
		log_drain_skip(log_drain_pending());
		con.head = con.tail;
		con.lf_due = false;
		return;
	}
	while (room) {
		uint32_t left = pump_step(room);

		if (left == room)
			break;
		room = left;
	}
	note_sent(full - room, rdtsc());
}

void console_pump(void)
{
	if (!con.running || !spin_trylock(&console_lock))
		return;
	pump_locked();
	spin_unlock(&console_lock);
}

/* Send everything, waiting for the transmitter (bounded per FIFO). */
static void flush_locked(void)
{
	con.forcing = true;
	while (console_tx_pending() && serial_tx_wait())
		pump_locked();
	con.forcing = false;
}

void console_flush(void)
{
	uint32_t tries = 0;

	if (con.running) {
		while (!spin_trylock(&console_lock))
			if (++tries == FLUSH_LOCK_TRIES)
				return;         /* held for ever: give up */
		flush_locked();
		spin_unlock(&console_lock);
	}
	serial_flush();
}

void console_write_sync(const char *text, size_t len)
{
	if (!con.running || !spin_trylock(&console_lock)) {
		serial_write(text, len);
		return;
	}
	flush_locked();
	if (con.owner == LINE_GUEST) {
		serial_write("\n", 1);
		con.owner = LINE_FREE;
		con.guest_at_line_start = true;
	}
	serial_write(text, len);
	spin_unlock(&console_lock);
}

/* The log's drain hook (lib/log.h): a new line, or a full ring. */
static void log_drain(bool wait)
{
	if (!spin_trylock(&console_lock))
		return;
	if (wait)
		flush_locked();
	else
		pump_locked();
	spin_unlock(&console_lock);
}
