/*
 * A byte ring that keeps history: writers never wait, the oldest bytes are
 * overwritten, and every byte has a position (the count of bytes written
 * before it), so that several readers (the UART drain, dmesg) each keep
 * their own cursor and learn when what they wanted was overwritten.  The
 * size is a power of two.  Pure and unlocked: the caller serializes
 * (lib/log.c holds the log's lock).  Host unit-tested.
 */
#ifndef LIB_RING_H
#define LIB_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
	char *buf;
	uint32_t size;          /* a power of two */
	uint64_t end;           /* bytes ever written: the next byte's position */
};

/* Start empty over buf (size bytes, a power of two). */
void ring_init(struct ring *r, char *buf, uint32_t size);

/* Append n bytes, overwriting the oldest when full (n may exceed size:
 * only the last size bytes stay). */
void ring_put(struct ring *r, const char *p, size_t n);

/* The position of the oldest byte still held. */
uint64_t ring_oldest(const struct ring *r);

/* Copy up to max bytes from position *pos on into out and advance *pos
 * past them; a *pos older than ring_oldest() first moves up to it (the
 * bytes in between are lost).  Returns the bytes copied. */
size_t ring_read(const struct ring *r, uint64_t *pos, char *out, size_t max);

#endif
