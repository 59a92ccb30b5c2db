/*
 * The hypervisor's log.  Every line starts with LOG_PREFIX so that
 * hypervisor lines can be told apart from the guest's on a shared serial
 * port; levels other than info add their name after the prefix:
 *
 *     [hv] VMX: present
 *     [hv] warn: no UART at 0x2f8
 *     [hv] error: guest module 'guest' not found
 *
 * A line is formatted into a buffer first and written out whole: into
 * the log ring (LOG_RING_SIZE bytes of the newest lines, read by dmesg and
 * a hypercall) and to every sink.  The UART is not a sink once the
 * console runs (drivers/console.h): it drains the ring as the UART's FIFO
 * has room, never waiting, through the drain cursor below.
 */
#ifndef LIB_LOG_H
#define LIB_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOG_PREFIX "[hv] "
#define LOG_LINE_MAX 256

enum log_level {
	LOG_DEBUG = 0,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
	LOG_PANIC,          /* always printed; used by panic() */
	LOG_ALWAYS,         /* always printed, no level name (the verdict) */
};

/* Where formatted lines go: the serial port, and before ExitBootServices
 * the UEFI console too.  At most LOG_SINKS_MAX sinks. */
#define LOG_SINKS_MAX 4
typedef void (*log_sink_fn)(const char *text, size_t len);
void log_add_sink(log_sink_fn sink);
void log_remove_sink(log_sink_fn sink);

/* The current CPU's id, for the log's lock (a sink that faults ends in
 * panic(), which logs again on the same CPU).  The log sits below the
 * per-CPU code, so the hypervisor installs it at start; until then every
 * line counts as the BSP's.  The source must not allocate, lock or log. */
typedef uint32_t (*log_cpu_id_fn)(void);
void log_set_cpu_id_source(log_cpu_id_fn source);

/*
 * The ring's drain: the console keeps one cursor into the ring (the next
 * byte it has not sent) and is told about new lines through the hook:
 * `wait` false after every line (send what fits now, never wait), `wait`
 * true when a line would overwrite bytes not sent yet (send until there is
 * room: the only place the log may wait).  The hook runs on the CPU that
 * logs, with the log's lock held when `wait` is true; it must not log.
 * Until a hook is set the cursor follows the end of the ring.
 */
#define LOG_RING_SIZE (64u * 1024u)
typedef void (*log_drain_fn)(bool wait);
void log_set_drain(log_drain_fn drain);
/* Copy up to max bytes not yet drained (oldest first) without consuming
 * them; log_drain_skip() then consumes n of them. */
size_t log_drain_peek(char *out, size_t max);
void log_drain_skip(size_t n);
/* Bytes in the ring not drained yet. */
uint64_t log_drain_pending(void);
/* The ring's position after its newest byte (bytes ever logged). */
uint64_t log_end(void);
/* The ring position from which the drain's next byte comes. */
uint64_t log_drain_pos(void);

/* The newest lines that fit into max bytes, whole lines only, oldest
 * first (dmesg).  Returns the bytes copied. */
size_t log_read_tail(char *out, size_t max);

void log_set_level(enum log_level min);
/* Parse "debug", "info", "warn", "error"; returns -1 when unknown.
 * (lib/log_level.c: pure, also in the host unit tests.) */
int log_level_from_name(const char *name);
/* The name printed after LOG_PREFIX ("warn: "), "" for info and always. */
const char *log_level_tag(enum log_level level);

void log_write(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...) log_write(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_write(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_write(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, __VA_ARGS__)

#endif
