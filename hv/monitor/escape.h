/*
 * The escape from the guest's console to the hypervisor's monitor: the
 * escape key (Ctrl-A unless console-escape= names another letter) pressed
 * ESCAPE_PRESSES times in a row, as on Xen's console.  Escape keys are held
 * back while the sequence may still complete; any other byte releases
 * them to the guest, followed by itself, so a Ctrl-A followed by anything
 * else reaches the guest as typed.  Pure, header-only (host unit-tested).
 */
#ifndef HV_MONITOR_ESCAPE_H
#define HV_MONITOR_ESCAPE_H

#include <stdbool.h>
#include <stdint.h>

#define ESCAPE_PRESSES      3
#define ESCAPE_DEFAULT_KEY  0x01    /* Ctrl-A */
#define ESCAPE_CTRL_MASK    0x1f    /* Ctrl-<letter> = letter & 0x1f */

struct escape {
	uint8_t key;
	uint8_t held;               /* escape keys held back so far */
};

/* Feed one byte from the line.  Bytes for the guest go to out (at most
 * ESCAPE_PRESSES: the held keys and the byte); returns how many.  *enter
 * becomes true when the sequence completed (nothing goes to the guest). */
static inline uint32_t escape_feed(struct escape *e, uint8_t byte,
				   uint8_t out[ESCAPE_PRESSES], bool *enter)
{
	uint32_t n = 0;

	*enter = false;
	if (byte == e->key) {
		if (++e->held == ESCAPE_PRESSES) {
			e->held = 0;
			*enter = true;
		}
		return 0;
	}
	while (e->held) {
		out[n++] = e->key;
		e->held--;
	}
	out[n++] = byte;
	return n;
}

/* The key for console-escape=VALUE: a letter names Ctrl-<letter>; false
 * for anything else. */
static inline bool escape_key_from_name(const char *name, uint8_t *key)
{
	char c = name[0];

	if (!c || name[1])
		return false;
	if (c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 'a');
	if (c < 'a' || c > 'z')
		return false;
	*key = (uint8_t)(c & ESCAPE_CTRL_MASK);
	return true;
}

#endif
