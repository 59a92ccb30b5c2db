/*
 * Which bytes of an I/O access land in a register.  An access of 1, 2 or
 * 4 bytes at port P covers ports P .. P + size - 1, and a register of
 * len bytes at port F may be hit by any access that overlaps it (a word
 * written to 0xCF8 carries 0xCF9's byte in its high half).  Pure: unit-
 * tested on the host.
 */
#ifndef HV_VIEW_PORT_BYTES_H
#define HV_VIEW_PORT_BYTES_H

#include <stdbool.h>
#include <stdint.h>

#define PORT_BYTE_BITS 8
#define PORT_BYTE_MASK 0xffu

/* What an access writes into one register: the bytes, at the register's
 * own byte positions, and a mask of the bytes it writes (0: none). */
struct reg_write {
	uint32_t value;
	uint32_t mask;
};

/* The part of `value` written at [port, port + size) that falls into the
 * register [first, first + len) (len at most 4). */
static inline struct reg_write port_bytes_to_reg(uint16_t port, uint8_t size,
						 uint32_t value, uint16_t first,
						 uint8_t len)
{
	struct reg_write w = { 0, 0 };

	for (uint32_t i = 0; i < size; i++) {
		uint32_t p = (uint32_t)port + i;

		if (p < first || p >= (uint32_t)first + len)
			continue;
		uint32_t shift = (p - first) * PORT_BYTE_BITS;
		w.value |= ((value >> (i * PORT_BYTE_BITS)) & PORT_BYTE_MASK) << shift;
		w.mask |= PORT_BYTE_MASK << shift;
	}
	return w;
}

/* True when [port, port + size) and [first, first + len) share a port. */
static inline bool port_overlaps(uint16_t port, uint8_t size, uint16_t first,
				 uint32_t len)
{
	return (uint32_t)port < (uint32_t)first + len &&
	       (uint32_t)first < (uint32_t)port + size;
}

#endif
