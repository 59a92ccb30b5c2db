/*
 * A decoded MMIO access (arch/x86/insn_decode.h) against the guest's
 * general-purpose registers: the value a store writes, and the register
 * write that completes a load, with the CPU's width rules (Intel SDM Vol.
 * 1, "General-Purpose Registers in 64-Bit Mode"): a 64-bit write replaces
 * the register, a 32-bit write zeroes bits 63:32, 16- and 8-bit writes
 * leave the other bits alone (AH-BH: bits 15:8).  Pure code: RSP, which
 * lives in the VMCS, is passed by the caller.
 */
#ifndef HV_VCPU_MMIO_REGS_H
#define HV_VCPU_MMIO_REGS_H

#include <stdint.h>

#include "arch/x86/insn_decode.h"
#include "hv/vcpu/regs.h"

/* The value a decoded store writes to memory: the immediate or the
 * register (AH-BH shifted down), in the low a->size bytes, the rest 0. */
uint64_t mmio_store_value(const struct insn_access *a,
			  const struct guest_regs *regs, uint64_t rsp);

/* Complete a decoded load: `value` holds the a->size bytes read (the rest
 * is ignored); MOVZX/MOVSX extend it to a->reg_size bytes, and the
 * register a->reg (RSP: *rsp) takes it by the width rules. */
void mmio_load_complete(const struct insn_access *a, struct guest_regs *regs,
			uint64_t *rsp, uint64_t value);

#endif
