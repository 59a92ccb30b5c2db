/*
 * What the guest cannot touch directly: the MSR bitmap and the two I/O
 * bitmaps (Intel SDM Vol. 3, "I/O-Bitmap Addresses", "MSR-Bitmap
 * Address"), and the one list of intercepted ports and MSRs (in
 * hv/view/intercept.c).  Everything not listed passes through to the hardware.
 */
#ifndef HV_INTERCEPT_H
#define HV_INTERCEPT_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Allocate the bitmaps of v (all pass-through), apply the list, and point
 * the current VMCS at them. */
void intercept_init(struct vcpu *v);

/* Make RDMSR (read) and/or WRMSR (write) of msr exit.  MSRs outside the
 * two bitmap ranges (0-0x1fff, 0xc0000000-0xc0001fff) always exit. */
void intercept_msr(struct vcpu *v, uint32_t msr, bool read, bool write);

/* Make IN/OUT (and INS/OUTS) of port exit. */
void intercept_io(struct vcpu *v, uint16_t port);
/* Make accesses to port exit (on) or pass through (off) from the next VM
 * entry on: for intercepts that follow the guest's own state. */
void intercept_io_set(struct vcpu *v, uint16_t port, bool on);

/* Pure: where the bit for msr lives in the 4 KiB MSR bitmap.  False for
 * MSRs outside the bitmap ranges.  *byte is the offset of the read bit's
 * byte; the write bit is at *byte + MSR_BITMAP_WRITE_OFFSET. */
#define MSR_BITMAP_WRITE_OFFSET 2048
bool msr_bitmap_position(uint32_t msr, uint32_t *byte, uint8_t *bit);

#endif
