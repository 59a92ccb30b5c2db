/*
 * VMX capability MSRs (Intel SDM Vol. 3, Appendix A, "VMX Capability
 * Reporting Facility") and what they say, decoded by pure functions so host
 * unit tests can feed recorded values of real and emulated CPUs.
 *
 * Placeholder: the mm+vmx work defines struct vmx_caps fully.
 */
#ifndef HV_VMX_CAPS_H
#define HV_VMX_CAPS_H

#include <stdbool.h>
#include <stdint.h>

struct vmx_caps;

#endif
