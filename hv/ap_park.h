/*
 * Bringing up the other CPUs (the APs) and parking them in VMX root
 * operation.  While the guest owns the real local APIC it can send INIT
 * and SIPI to any CPU; a CPU in VMX root operation blocks INIT, and a SIPI
 * only starts a CPU in wait-for-SIPI state (Intel SDM Vol. 3, "VMX
 * Operation", "INIT and SIPI handling"), so every AP the hypervisor holds
 * in VMX root operation is out of the guest's reach.
 *
 * The APs come from the ACPI MADT (enabled local APIC / x2APIC entries),
 * or, without one, from a broadcast INIT/SIPI to all but the BSP.
 * Each gets its own struct percpu (GDT, TSS, IST stacks), a stack, VMX
 * enabled (IA32_FEATURE_CONTROL, VMXON) and then halts with interrupts off
 * for ever; that park loop is where a later vCPU per CPU will run.  The
 * start-up mechanism (trampoline, INIT/SIPI) is arch/x86/smp.c's.
 *
 * Command line: smp=off skips the bring-up (the APs stay as the firmware
 * left them: a guest INIT/SIPI could start them outside VMX).
 */
#ifndef HV_AP_PARK_H
#define HV_AP_PARK_H

#include "boot/boot_info.h"
#include "hv/vmx/caps.h"

/* On the BSP, after VMX detection and before the guest is loaded.  Every
 * CPU the MADT lists (enabled or online capable) is started and parked;
 * the hypervisor stops when one could not be, or when there are more than
 * it can hold.  Returns the trampoline page, which now holds a halt loop
 * and must stay hidden from the guest (0 when none was used). */
uint64_t smp_park_aps(const struct boot_info *bi, const struct vmx_caps *caps);

#endif
