/*
 * The byte ring with history (see lib/ring.h).  Positions grow for ever
 * (64 bits: no wrap in the machine's life); a position maps to the buffer
 * by its low bits.
 */
#include "lib/ring.h"

void ring_init(struct ring *r, char *buf, uint32_t size)
{
	r->buf = buf;
	r->size = size;
	r->end = 0;
}

void ring_put(struct ring *r, const char *p, size_t n)
{
	uint32_t mask = r->size - 1;

	if (n > r->size) {              /* only the last size bytes stay */
		r->end += n - r->size;
		p += n - r->size;
		n = r->size;
	}
	for (size_t i = 0; i < n; i++)
		r->buf[(r->end + i) & mask] = p[i];
	r->end += n;
}

uint64_t ring_oldest(const struct ring *r)
{
	return r->end > r->size ? r->end - r->size : 0;
}

size_t ring_read(const struct ring *r, uint64_t *pos, char *out, size_t max)
{
	uint32_t mask = r->size - 1;
	uint64_t oldest = ring_oldest(r);
	size_t n = 0;

	if (*pos < oldest)
		*pos = oldest;
	while (n < max && *pos < r->end)
		out[n++] = r->buf[(*pos)++ & mask];
	return n;
}
