/*
 * debug-fault=: a test aid that ends bring-up in an exception or a panic,
 * so the boot tests can check the dump and the clean stop.
 */
#ifndef HV_DEBUG_FAULT_H
#define HV_DEBUG_FAULT_H

#include <stdint.h>

/*
 * Raise the exception the debug-fault= option names (enum debug_fault in
 * boot/config.h), or call panic() for debug-fault=panic; nothing for
 * DEBUG_FAULT_NONE.  Returns only when no fault happened (then it stops
 * with FAIL itself).
 */
void debug_fault_raise(uint32_t kind);

#endif
