/*
 * The log: each line is formatted whole into a buffer ("[hv] warn: ...\n"),
 * then, under one lock so that lines from several CPUs never interleave,
 * appended to the log ring and handed to every sink.  The ring keeps the
 * newest LOG_RING_SIZE bytes for dmesg; the console drains it to the UART
 * through the drain cursor (lib/log.h).
 */
#include <stdarg.h>
#include <stdbool.h>

#include "lib/format.h"
#include "lib/log.h"
#include "lib/ring.h"
#include "lib/spinlock.h"
#include "lib/str.h"

/* Replaces the end of a line that did not fit into LOG_LINE_MAX. */
#define LOG_TRUNCATED_MARKER " [...]"
#define LOG_NO_OWNER 0xffffffffu

static log_sink_fn sinks[LOG_SINKS_MAX];
static enum log_level min_level = LOG_INFO;

/* Who is writing: installed from above (this_cpu_id); 0 until then, when
 * only the BSP runs.  Must not allocate, lock or log. */
static log_cpu_id_fn cpu_id_source;

static char ring_buf[LOG_RING_SIZE];
static struct ring log_ring = { ring_buf, LOG_RING_SIZE, 0 };
static uint64_t drain_pos;              /* next byte the drain sends */
static log_drain_fn drain_hook;

static struct spinlock log_lock;
static volatile uint32_t log_lock_owner = LOG_NO_OWNER;

void log_add_sink(log_sink_fn sink)
{
	for (int i = 0; i < LOG_SINKS_MAX; i++) {
		if (sinks[i] == sink)
			return;
	}
	for (int i = 0; i < LOG_SINKS_MAX; i++) {
		if (!sinks[i]) {
			sinks[i] = sink;
			return;
		}
	}
}

void log_remove_sink(log_sink_fn sink)
{
	for (int i = 0; i < LOG_SINKS_MAX; i++) {
		if (sinks[i] == sink)
			sinks[i] = NULL;
	}
}

void log_set_cpu_id_source(log_cpu_id_fn source)
{
	cpu_id_source = source;
}

static uint32_t log_cpu_id(void)
{
	return cpu_id_source ? cpu_id_source() : 0;
}

void log_set_level(enum log_level min)
{
	min_level = min;
}

/*
 * Take the lock unless this CPU already holds it: a fault inside a sink
 * ends in panic(), which logs again on the same CPU; waiting for ourselves
 * would hang instead of printing the dump.  Returns whether it was taken.
 */
static bool log_lock_take(void)
{
	uint32_t me = log_cpu_id();

	if (log_lock_owner == me)
		return false;
	spin_lock(&log_lock);
	log_lock_owner = me;
	return true;
}

static void log_lock_drop(bool taken)
{
	if (!taken)
		return;
	log_lock_owner = LOG_NO_OWNER;
	spin_unlock(&log_lock);
}

void log_set_drain(log_drain_fn drain)
{
	bool taken = log_lock_take();

	drain_pos = log_ring.end;       /* what came before went out whole */
	drain_hook = drain;
	log_lock_drop(taken);
}

/* Make room for len more bytes without overwriting undrained ones: the
 * drain sends synchronously; if it cannot (no UART any more), the oldest
 * undrained bytes are given up. */
static void ring_make_room(size_t len)
{
	if (!drain_hook) {
		drain_pos = log_ring.end + len;
		return;
	}
	if (log_ring.end + len - drain_pos > LOG_RING_SIZE)
		drain_hook(true);
	if (log_ring.end + len - drain_pos > LOG_RING_SIZE)
		drain_pos = log_ring.end + len - LOG_RING_SIZE;
}

static void log_emit(const char *line, size_t len)
{
	bool taken = log_lock_take();

	ring_make_room(len);
	ring_put(&log_ring, line, len);
	for (int i = 0; i < LOG_SINKS_MAX; i++) {
		if (sinks[i])
			sinks[i](line, len);
	}
	log_lock_drop(taken);
	if (drain_hook)
		drain_hook(false);
}

size_t log_drain_peek(char *out, size_t max)
{
	bool taken = log_lock_take();
	uint64_t pos = drain_pos;
	size_t n = ring_read(&log_ring, &pos, out, max);

	log_lock_drop(taken);
	return n;
}

void log_drain_skip(size_t n)
{
	bool taken = log_lock_take();

	drain_pos += n;
	if (drain_pos > log_ring.end)
		drain_pos = log_ring.end;
	log_lock_drop(taken);
}

uint64_t log_drain_pending(void)
{
	return log_ring.end - drain_pos;
}

uint64_t log_end(void)
{
	return log_ring.end;
}

uint64_t log_drain_pos(void)
{
	return drain_pos;
}

/* The newest whole lines within max bytes: start max bytes before the
 * end (or at the oldest byte held) and skip to the next line start unless
 * that is the oldest byte held. */
size_t log_read_tail(char *out, size_t max)
{
	bool taken = log_lock_take();
	uint64_t oldest = ring_oldest(&log_ring);
	uint64_t pos = log_ring.end > max ? log_ring.end - max : 0;
	size_t n, skip = 0;

	if (pos < oldest)
		pos = oldest;
	bool whole = pos == 0;
	n = ring_read(&log_ring, &pos, out, max);
	log_lock_drop(taken);
	if (!whole) {
		while (skip < n && out[skip] != '\n')
			skip++;
		skip = skip < n ? skip + 1 : n;
		memmove(out, out + skip, n - skip);
	}
	return n - skip;
}

/* Format prefix, level tag and message; returns the length with "\n". */
static size_t log_format_line(char line[LOG_LINE_MAX], enum log_level level,
			      const char *fmt, va_list ap)
{
	/* Room for the message: everything but the "\n" and the NUL. */
	const size_t text_max = LOG_LINE_MAX - 2;
	int head = format(line, LOG_LINE_MAX, "%s%s", LOG_PREFIX,
			  log_level_tag(level));
	int body = vformat(line + head, LOG_LINE_MAX - 1 - (size_t)head,
			   fmt, ap);
	size_t len = (size_t)head + (size_t)body;

	if (len > text_max) {
		const size_t mark = sizeof(LOG_TRUNCATED_MARKER) - 1;

		len = text_max;
		memcpy(line + len - mark, LOG_TRUNCATED_MARKER, mark);
	}
	line[len++] = '\n';
	line[len] = '\0';
	return len;
}

void log_write(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	size_t len = log_format_line(line, level, fmt, ap);
	va_end(ap);
	log_emit(line, len);
}
