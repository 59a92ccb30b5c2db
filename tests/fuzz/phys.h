/*
 * A fake physical address space for the ACPI fuzz targets: the input is
 * physical memory from address 0, and the RSDP (36 bytes) is the start of
 * it (padded with zeros when the input is shorter).
 */
#ifndef TESTS_FUZZ_PHYS_H
#define TESTS_FUZZ_PHYS_H

#include <stdint.h>
#include <string.h>

#define PHYS_RSDP_SIZE 36

struct phys {
	const uint8_t *mem;
	uint64_t size;
	uint8_t rsdp[PHYS_RSDP_SIZE];
};

static inline void phys_init(struct phys *ph, const uint8_t *data,
			     uint64_t size)
{
	ph->mem = data;
	ph->size = size;
	memset(ph->rsdp, 0, sizeof(ph->rsdp));
	memcpy(ph->rsdp, data, size < PHYS_RSDP_SIZE ? size : PHYS_RSDP_SIZE);
}

/* [pa, pa + len) when it lies inside the input, else NULL. */
static inline const void *phys_map(const struct phys *ph, uint64_t pa,
				   uint64_t len)
{
	if (pa > ph->size || len > ph->size - pa)
		return NULL;
	return ph->mem + pa;
}

#endif
