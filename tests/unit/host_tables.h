/*
 * Page tables on host memory for unit tests of the EPT builder (the
 * allocator and the phys-to-pointer view it takes): zeroed, page-aligned
 * host pages, whose "physical address" is their pointer.  One pool per
 * test file; free_tables() frees it and lifts a limit a test set.
 */
#ifndef TESTS_UNIT_HOST_TABLES_H
#define TESTS_UNIT_HOST_TABLES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HOST_TABLE_SIZE 4096
#define HOST_TABLES_MAX 4096

static void *host_tables[HOST_TABLES_MAX];
static int table_count;
static int table_limit = HOST_TABLES_MAX;   /* a test may lower it */

/* The EPT builder's allocator: a zeroed host page, 0 when the pool (or
 * the limit) is used up. */
static inline uint64_t alloc_table(void **virt)
{
	if (table_count == table_limit)
		return 0;
	void *p = aligned_alloc(HOST_TABLE_SIZE, HOST_TABLE_SIZE);
	memset(p, 0, HOST_TABLE_SIZE);
	host_tables[table_count++] = p;
	*virt = p;
	return (uint64_t)(uintptr_t)p;
}

static inline void *table_virt(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

static inline void free_tables(void)
{
	for (int i = 0; i < table_count; i++)
		free(host_tables[i]);
	table_count = 0;
	table_limit = HOST_TABLES_MAX;
}

#endif
