/*
 * Recorded IA32_VMX_* capability MSR values (struct vmx_msrs, hv/vmx/caps.h)
 * of real Intel CPUs and of the Bochs 2.7 CPU models, with the features
 * each is known to have, for the host unit tests of hv/vmx/caps.c and
 * hv/vmx/ctls.c.  MSRs a CPU does not have are 0.
 */
#ifndef TESTS_UNIT_VMX_MSR_SAMPLES_H
#define TESTS_UNIT_VMX_MSR_SAMPLES_H

#include <stdbool.h>

#include "hv/vmx/caps.h"

/*
 * Intel Core i7-9750H (Coffee Lake-H, CPUID.1:EAX = 0x000906ea, 6 cores /
 * 12 threads, MSI GS65 Stealth 9SE).  Source: the "HM:" section of a
 * VirtualBox 6.1.16 release log (VBox.log) posted in the public forum
 * thread "Vbox 6.1 Black Screen on Startup Ubuntu 20.04" (2021-01-14),
 * which prints every IA32_VMX_* MSR raw ("MSR_IA32_VMX_BASIC = 0x...").
 */
static const struct vmx_msrs real_coffeelake_i7_9750h = {
	.basic                = 0x00da040000000004,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xfff9fffe0401e172,
	.exit_ctls            = 0x01ffffff00036dff,
	.entry_ctls           = 0x0003ffff000011ff,
	.misc                 = 0x000000007004c1e7,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x00000000003727ff,
	.vmcs_enum            = 0x000000000000002e,
	.procbased_ctls2      = 0x005fbcff00000000,
	.ept_vpid_cap         = 0x00000f0106734141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xfff9fffe04006172,
	.true_exit_ctls       = 0x01ffffff00036dfb,
	.true_entry_ctls      = 0x0003ffff000011fb,
	.vmfunc               = 0x0000000000000001,
};

/*
 * Intel Ivy Bridge desktop part (CPUID.1:EAX = 0x000306a9, family 6 model
 * 58, 4 cores / 8 threads, e.g. Core i7-3770).  Source: the "HM:" section
 * of a VirtualBox 7.2.12 release log (Linux host) posted in a public
 * discussion of a VirtualBox boot problem.  IA32_VMX_VMFUNC is absent
 * (the secondary controls cannot enable VM functions).
 */
static const struct vmx_msrs real_ivybridge_306a9 = {
	.basic                = 0x00da040000000010,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xfff9fffe0401e172,
	.exit_ctls            = 0x007fffff00036dff,
	.entry_ctls           = 0x0000ffff000011ff,
	.misc                 = 0x00000000100401e5,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x00000000001767ff,
	.vmcs_enum            = 0x000000000000002a,
	.procbased_ctls2      = 0x000008ff00000000,
	.ept_vpid_cap         = 0x00000f0106114141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xfff9fffe04006172,
	.true_exit_ctls       = 0x007fffff00036dfb,
	.true_entry_ctls      = 0x0000ffff000011fb,
};

/*
 * Bochs 2.7 (Debian) CPU models, read with GRUB's rdmsr inside Bochs and
 * copied verbatim below (the raw capture is not kept in the repository).
 */
/* corei7_skylake_x (IA32_FEATURE_CONTROL = 0x5)
 * cpu: GenuineIntel family 0x6 model 0x55 stepping 4 (Intel(R) Core(TM) i7-7800X CPU @ 3.50GHz)
 * VMX capabilities: EPT yes, VPID yes, unrestricted guest yes, APIC-register virtualization yes, virtual-interrupt delivery yes, posted interrupts no, preemption timer yes (rate 0) */
static const struct vmx_msrs bochs_corei7_skylake_x = {
	.basic                = 0x00d810000000002b,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xf7f9fffe0401e172,
	.exit_ctls            = 0x007fffff00036dff,
	.entry_ctls           = 0x0000ffff000011ff,
	.misc                 = 0x00000000600401e0,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x00000000003727ff,
	.vmcs_enum            = 0x0000000000000034,
	.procbased_ctls2      = 0x02177fff00000000,
	.ept_vpid_cap         = 0x00000f0106334141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xf7f9fffe04006172,
	.true_exit_ctls       = 0x007fffff00036dfb,
	.true_entry_ctls      = 0x0000ffff000011fb,
	.vmfunc               = 0x0000000000000001,
};

/* tigerlake (IA32_FEATURE_CONTROL = 0x5)
 * cpu: GenuineIntel family 0x6 model 0x8c stepping 1 (11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz)
 * VMX capabilities: EPT yes, VPID yes, unrestricted guest yes, APIC-register virtualization yes, virtual-interrupt delivery yes, posted interrupts no, preemption timer yes (rate 0) */
static const struct vmx_msrs bochs_tigerlake = {
	.basic                = 0x01d8100000000004,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xfff9fffe0401e172,
	.exit_ctls            = 0x107fffff00036dff,
	.entry_ctls           = 0x0010ffff000011ff,
	.misc                 = 0x00000000600401e0,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x0000000000f72fff,
	.vmcs_enum            = 0x0000000000000034,
	.procbased_ctls2      = 0x02977fff00000000,
	.ept_vpid_cap         = 0x00000f0106b34141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xfff9fffe04006172,
	.true_exit_ctls       = 0x107fffff00036dfb,
	.true_entry_ctls      = 0x0010ffff000011fb,
	.vmfunc               = 0x0000000000000001,
};

/* corei7_icelake_u (IA32_FEATURE_CONTROL = 0x5)
 * cpu: GenuineIntel family 0x6 model 0x7e stepping 5 (QuadCore Intel Core i7-1065G7, 1300 MHz)
 * VMX capabilities: EPT yes, VPID yes, unrestricted guest yes, APIC-register virtualization yes, virtual-interrupt delivery yes, posted interrupts no, preemption timer yes (rate 0) */
static const struct vmx_msrs bochs_corei7_icelake_u = {
	.basic                = 0x00d8100000000004,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xfff9fffe0401e172,
	.exit_ctls            = 0x007fffff00036dff,
	.entry_ctls           = 0x0000ffff000011ff,
	.misc                 = 0x00000000600401e0,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x0000000000772fff,
	.vmcs_enum            = 0x0000000000000034,
	.procbased_ctls2      = 0x02977fff00000000,
	.ept_vpid_cap         = 0x00000f0106334141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xfff9fffe04006172,
	.true_exit_ctls       = 0x007fffff00036dfb,
	.true_entry_ctls      = 0x0000ffff000011fb,
	.vmfunc               = 0x0000000000000001,
};

/* broadwell_ult (IA32_FEATURE_CONTROL = 0x5)
 * cpu: GenuineIntel family 0x6 model 0x3d stepping 4 (Intel(R) Processor 5Y70 CPU @ 1.10GHz)
 * VMX capabilities: EPT yes, VPID yes, unrestricted guest yes, APIC-register virtualization yes, virtual-interrupt delivery yes, posted interrupts no, preemption timer yes (rate 0) */
static const struct vmx_msrs bochs_broadwell_ult = {
	.basic                = 0x00d810000000002b,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xf7f9fffe0401e172,
	.exit_ctls            = 0x007fffff00036dff,
	.entry_ctls           = 0x0000ffff000011ff,
	.misc                 = 0x00000000200401e0,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x00000000003727ff,
	.vmcs_enum            = 0x0000000000000034,
	.procbased_ctls2      = 0x00057fff00000000,
	.ept_vpid_cap         = 0x00000f0106334141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xf7f9fffe04006172,
	.true_exit_ctls       = 0x007fffff00036dfb,
	.true_entry_ctls      = 0x0000ffff000011fb,
	.vmfunc               = 0x0000000000000001,
};

/* corei3_cnl (IA32_FEATURE_CONTROL = 0x5)
 * cpu: GenuineIntel family 0x6 model 0x66 stepping 3 (Intel(R) Core(TM) i3-8121U CPU @ 2.20GHz)
 * VMX capabilities: EPT yes, VPID yes, unrestricted guest yes, APIC-register virtualization no, virtual-interrupt delivery no, posted interrupts no, preemption timer yes (rate 0) */
static const struct vmx_msrs bochs_corei3_cnl = {
	.basic                = 0x00d810000000002b,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xf7f9fffe0401e172,
	.exit_ctls            = 0x007fffff00036dff,
	.entry_ctls           = 0x0000ffff000011ff,
	.misc                 = 0x00000000600401e0,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x0000000000772fff,
	.vmcs_enum            = 0x0000000000000034,
	.procbased_ctls2      = 0x02157cff00000000,
	.ept_vpid_cap         = 0x00000f0106334141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xf7f9fffe04006172,
	.true_exit_ctls       = 0x007fffff00036dfb,
	.true_entry_ctls      = 0x0000ffff000011fb,
	.vmfunc               = 0x0000000000000001,
};

/* corei7_sandy_bridge_2600k (IA32_FEATURE_CONTROL = 0x5)
 * cpu: GenuineIntel family 0x6 model 0x2a stepping 7 (Intel(R) Core(TM) i7-2600K CPU @ 3.40GHz)
 * VMX capabilities: EPT yes, VPID yes, unrestricted guest yes, APIC-register virtualization no, virtual-interrupt delivery no, posted interrupts no, preemption timer yes (rate 0) */
static const struct vmx_msrs bochs_corei7_sandy_bridge_2600k = {
	.basic                = 0x00d810000000002b,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xf7f9fffe0401e172,
	.exit_ctls            = 0x007fffff00036dff,
	.entry_ctls           = 0x0000ffff000011ff,
	.misc                 = 0x00000000000401e0,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x00000000000627ff,
	.vmcs_enum            = 0x0000000000000034,
	.procbased_ctls2      = 0x000000ff00000000,
	.ept_vpid_cap         = 0x00000f0106114141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xf7f9fffe04006172,
	.true_exit_ctls       = 0x007fffff00036dfb,
	.true_entry_ctls      = 0x0000ffff000011fb,
	/* .vmfunc: absent (0x491) */
};

/* corei5_lynnfield_750 (IA32_FEATURE_CONTROL = 0x5)
 * cpu: GenuineIntel family 0x6 model 0x1e stepping 5 (Intel(R) Core(TM) i5 CPU         750  @ 2.67GHz)
 * VMX capabilities: EPT yes, VPID yes, unrestricted guest no, APIC-register virtualization no, virtual-interrupt delivery no, posted interrupts no, preemption timer yes (rate 0) */
static const struct vmx_msrs bochs_corei5_lynnfield_750 = {
	.basic                = 0x00d810000000002b,
	.pinbased_ctls        = 0x0000007f00000016,
	.procbased_ctls       = 0xf7f9fffe0401e172,
	.exit_ctls            = 0x007fffff00036dff,
	.entry_ctls           = 0x0000ffff000011ff,
	.misc                 = 0x00000000000401e0,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x00000000000067ff,
	.vmcs_enum            = 0x0000000000000034,
	.procbased_ctls2      = 0x0000007f00000000,
	.ept_vpid_cap         = 0x00000f0106114141,
	.true_pinbased_ctls   = 0x0000007f00000016,
	.true_procbased_ctls  = 0xf7f9fffe04006172,
	.true_exit_ctls       = 0x007fffff00036dfb,
	.true_entry_ctls      = 0x0000ffff000011fb,
	/* .vmfunc: absent (0x491) */
};

/* core2_penryn_t9600 (IA32_FEATURE_CONTROL = 0x5)
 * cpu: GenuineIntel family 0x6 model 0x17 stepping 10 (Intel(R) Core(TM)2 Duo CPU     T9600  @ 2.80GHz)
 * VMX capabilities: EPT no, VPID no, unrestricted guest no, APIC-register virtualization no, virtual-interrupt delivery no, posted interrupts no, preemption timer no (rate 0) */
static const struct vmx_msrs bochs_core2_penryn_t9600 = {
	.basic                = 0x00d810000000002b,
	.pinbased_ctls        = 0x0000003f00000016,
	.procbased_ctls       = 0xf7f9fffe0401e172,
	.exit_ctls            = 0x0003ffff00036dff,
	.entry_ctls           = 0x00003fff000011ff,
	.misc                 = 0x00000000000401e0,
	.cr0_fixed0           = 0x0000000080000021,
	.cr0_fixed1           = 0x00000000ffffffff,
	.cr4_fixed0           = 0x0000000000002000,
	.cr4_fixed1           = 0x00000000000467ff,
	.vmcs_enum            = 0x0000000000000034,
	.procbased_ctls2      = 0x0000004100000000,
	/* .ept_vpid_cap: absent (0x48c) */
	.true_pinbased_ctls   = 0x0000003f00000016,
	.true_procbased_ctls  = 0xf7f9fffe04006172,
	.true_exit_ctls       = 0x0003ffff00036dfb,
	.true_entry_ctls      = 0x00003fff000011fb,
	/* .vmfunc: absent (0x491) */
};

/* A recorded CPU and what it is known to offer (for Bochs: the features
 * measured in each model, as the comment above its values gives them; for
 * the real CPUs: the VirtualBox log's own decoding of the same values). */
struct vmx_sample {
	const char *name;
	const struct vmx_msrs *msr;
	bool ept, vpid, unrestricted_guest;
	bool apic_register_virt, virtual_intr_delivery, posted_interrupts;
	bool ept_1g_and_ad;
	bool preemption_timer;
	uint8_t preemption_timer_rate;
	bool usable;                  /* vmx_caps_usable() and vmx_ctls_compute() */
};

static const struct vmx_sample vmx_samples[] = {
	{ "coffeelake_i7_9750h", &real_coffeelake_i7_9750h,
	  true, true, true, false, false, false, true, true, 7, true },
	{ "ivybridge_306a9", &real_ivybridge_306a9,
	  true, true, true, false, false, false, false, true, 5, true },
	{ "bochs_corei7_skylake_x", &bochs_corei7_skylake_x,
	  true, true, true, true, true, false, true, true, 0, true },
	{ "bochs_tigerlake", &bochs_tigerlake,
	  true, true, true, true, true, false, true, true, 0, true },
	{ "bochs_corei7_icelake_u", &bochs_corei7_icelake_u,
	  true, true, true, true, true, false, true, true, 0, true },
	{ "bochs_broadwell_ult", &bochs_broadwell_ult,
	  true, true, true, true, true, false, true, true, 0, true },
	{ "bochs_corei3_cnl", &bochs_corei3_cnl,
	  true, true, true, false, false, false, true, true, 0, true },
	{ "bochs_corei7_sandy_bridge_2600k", &bochs_corei7_sandy_bridge_2600k,
	  true, true, true, false, false, false, false, true, 0, true },
	{ "bochs_corei5_lynnfield_750", &bochs_corei5_lynnfield_750,
	  true, true, false, false, false, false, false, true, 0, false },
	{ "bochs_core2_penryn_t9600", &bochs_core2_penryn_t9600,
	  false, false, false, false, false, false, false, false, 0, false },
};

#define VMX_SAMPLE_COUNT (sizeof(vmx_samples) / sizeof(vmx_samples[0]))

#endif
